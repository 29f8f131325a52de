"""WeasyPrint's side of the PDFs: laying out a page rendered for print.

The site's workers never import this module: ``pdf.render_pdf`` runs it as a
program of its own (``python -m guidebook.public.pdf_layout BASE_URL``, the HTML on
its standard input, the PDF on its standard output), so WeasyPrint's tens of
megabytes are given back when each PDF is done. Rendering never touches the
network: the URL fetcher serves this site's static files from disk and refuses
everything else.
"""

from __future__ import annotations

import mimetypes
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesOnly(URLFetcher):
    """Serves the site's static files from disk; refuses every other URL.

    A PDF is rendered inside a request, so fetching over the network would tie a
    worker to another server (perhaps this one) and leak what is being printed.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        local = static_file_for(url)
        if local is None:
            raise ValueError(f"only this site's static files are read for a PDF, not {url}")
        mime_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, local.read_bytes(), {"Content-Type": mime_type})


def static_file_for(url: str) -> Path | None:
    """The file on disk behind a static URL of this site, or None."""
    prefix = str(settings.STATIC_URL)
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return None
    relative = path.removeprefix(prefix)
    try:
        found = finders.find(relative)
        if found is None and settings.STATIC_ROOT:
            found = safe_join(str(settings.STATIC_ROOT), relative)
    except SuspiciousFileOperation:
        return None
    candidate = Path(found if isinstance(found, str) else "")
    return candidate if found and candidate.is_file() else None


def pdf_from_html(html: str, base_url: str) -> bytes:
    """Lay out an HTML document as a PDF, reading only local static files."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly())
    return document.write_pdf()


def print_layout(request: HttpRequest, template: str, context: dict[str, Any]) -> Document:
    """A template rendered for print and laid out in pages (what the PDF will hold)."""
    html = render_to_string(template, {**context, "for_print": True}, request=request)
    base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).render()


def main() -> None:
    """Read HTML from standard input and write its PDF to standard output."""
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(pdf_from_html(html, sys.argv[1]))


if __name__ == "__main__":
    import django

    django.setup()
    main()
