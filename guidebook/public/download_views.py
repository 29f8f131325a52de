"""Open data downloads: the published catalogue as CSV tables, a data package and a zip.

The tables are built from current snapshots only, once for each state of the
published catalogue (the cache key changes whenever anything is published or
withdrawn), so a download costs one small query and one cache read after the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guidebook.catalogue.models import Snapshot
from guidebook.catalogue.publishing import catalogue_version
from guidebook.interchange.downloads import (
    TABLES,
    OpenData,
    PublishedProgramme,
    build_open_data,
    table,
)
from guidebook.interchange.open_data_rows import published_programme
from guidebook.interchange.releases import latest_release

ZIP_NAME = "guidebook-open-data.zip"
_CACHE_SECONDS = 24 * 60 * 60


def _published_programmes() -> Iterator[PublishedProgramme]:
    """Each current snapshot read back, one at a time: holding every record of a large
    catalogue at once took a worker near a gigabyte (benchmarks/README.md)."""
    snapshots = Snapshot.objects.filter(is_current=True).order_by("slug")
    for snapshot in snapshots.iterator(chunk_size=100):
        yield published_programme(
            slug=snapshot.slug,
            published_at=snapshot.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            record=snapshot.record,
            assessment=snapshot.assessment,
            cost=snapshot.cost,
        )


def _published_state() -> str:
    """A fingerprint of what is published now, read from the database.

    The catalogue version alone could be stale in a worker whose cache is its own
    memory; every publication adds a snapshot with a higher id, and a withdrawal
    changes the count, so these two numbers tell every worker what changed.
    """
    state = Snapshot.objects.filter(is_current=True).aggregate(count=Count("pk"), last=Max("pk"))
    return f"{state['count']}-{state['last']}"


def current_open_data() -> OpenData:
    """The open data of the catalogue as published now, built once for each state of it."""
    key = f"guidebook:open-data:{catalogue_version()}:{_published_state()}"
    data = cache.get(key)
    if data is None:
        licence = getattr(settings, "GUIDEBOOK_DATA_LICENCE", None)
        data = build_open_data(_published_programmes(), licence)
        cache.set(key, data, _CACHE_SECONDS)
    return data


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def downloads_page(request: HttpRequest) -> HttpResponse:
    data = current_open_data()
    tables = [
        {"table": t, "rows": data.row_counts[t.name], "columns": len(t.columns)} for t in TABLES
    ]
    context = {
        "tables": tables,
        "zip_name": ZIP_NAME,
        "licence": data.descriptor["licenses"][0],
        "latest_release": latest_release(),
    }
    return render(request, "public/downloads.html", context)


def download_table(request: HttpRequest, name: str) -> HttpResponse:
    try:
        wanted = table(name)
    except KeyError:
        raise Http404(f"No open data table '{name}'") from None
    text = current_open_data().csv_text[wanted.name]
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, wanted.path)


def download_datapackage(request: HttpRequest) -> HttpResponse:
    text = current_open_data().descriptor_json()
    return HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")


def download_zip(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(current_open_data().zip_bytes(), content_type="application/zip")
    return _attachment(response, ZIP_NAME)
