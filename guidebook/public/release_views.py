"""Releases at their permanent addresses, under /downloads/releases/.

``/downloads/releases/`` lists every release with its notes; ``/downloads/releases/NAME/``
shows one (its files with their sizes and SHA-256, its changelog, how to cite it);
``/downloads/releases/NAME/PATH`` serves one of its files, checked against the
checksum recorded when the release was made. ``/downloads/latest/`` (and
``/downloads/latest/PATH``) send you to the newest release. A release never
changes, so its files are sent as immutable for a year; its page, the list and the
latest redirect are read afresh each time (they say which release is the newest, and
making a release publishes nothing, so it does not move the catalogue version the
page cache is keyed by).
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from guidebook.interchange.models import Release
from guidebook.interchange.releases import (
    ReleaseRefused,
    archive_name,
    latest_release,
    release_file,
)

__all__ = ["latest_release_redirect", "release_file_view", "release_page", "releases_page"]

_YEAR = 365 * 24 * 60 * 60
_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".cff": "text/plain; charset=utf-8",
    ".sha256": "text/plain; charset=utf-8",
    ".zip": "application/zip",
}


def _get_release(name: str) -> Release:
    release = Release.objects.filter(name=name).first()
    if release is None:
        raise Http404(f"No release '{name}'")
    return release


def _changelog(release: Release) -> dict[str, Any]:
    data = release_file(release, "changelog.json")
    return json.loads(data) if data else {}


def releases_page(request: HttpRequest) -> HttpResponse:
    releases = list(Release.objects.order_by("-day", "-sequence"))
    # A handful of releases a year: one count each is cheap.
    rows = [{"release": release, "programmes": release.entries.count()} for release in releases]
    return render(request, "public/releases.html", {"rows": rows})


def _files(release: Release) -> list[dict[str, Any]]:
    return [
        {
            "path": path,
            "sha256": checksum,
            "url": reverse("public:release_file", args=[release.name, path]),
        }
        for path, checksum in sorted(release.checksums.items())
    ]


def release_page(request: HttpRequest, name: str) -> HttpResponse:
    release = _get_release(name)
    try:
        changes, problem = _changelog(release), ""
    except ReleaseRefused as error:
        # The files could not be served as released; the page says so rather than fail.
        changes, problem = {}, str(error)
    zipped = archive_name(release.name)
    context = {
        "release": release,
        "changes": changes,
        "problem": problem,
        "files": _files(release),
        "zip_url": reverse("public:release_file", args=[release.name, zipped]),
        "zip_name": zipped,
        "zip_sha256": release.checksums.get(zipped, ""),
        "programmes": release.entries.count(),
        "api_url": f"{reverse('api:list_programmes')}?release={release.name}",
        "latest": latest_release() == release,
    }
    # Not marked cacheable: the page says whether this is still the newest release.
    return render(request, "public/release.html", context)


def release_file_view(request: HttpRequest, name: str, path: str) -> HttpResponse:
    release = _get_release(name)
    try:
        data = release_file(release, path)
    except ReleaseRefused:
        raise Http404(f"Release {name} cannot serve {path} as it was released") from None
    if data is None:
        raise Http404(f"Release {name} has no file {path}")
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    content_type = (
        _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "text/plain; charset=utf-8"
    )
    response = HttpResponse(data, content_type=content_type)
    if suffix == ".zip":
        response["Content-Disposition"] = f'attachment; filename="{path.rsplit("/", 1)[-1]}"'
    patch_cache_control(response, public=True, max_age=_YEAR, immutable=True)
    return response


def latest_release_redirect(request: HttpRequest, path: str = "") -> HttpResponse:
    release = latest_release()
    if release is None:
        raise Http404("No release has been made yet")
    if path:
        return HttpResponseRedirect(reverse("public:release_file", args=[release.name, path]))
    return HttpResponseRedirect(reverse("public:release_page", args=[release.name]))
