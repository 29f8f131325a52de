"""Open data downloads: the published catalogue as CSV tables, a data package and a zip.

The files are written to disk once for each state of the published catalogue, by
whichever worker is asked first, and every worker serves them from there: a download
costs one small query and a file read, and no worker holds the tables in memory
(writing them streams one programme at a time, ``downloads.write_open_data``). The
folder is named by a fingerprint of every current snapshot and of the code that writes
the tables, so a publication, a withdrawal or a new version of Guidebook gets new
files, and no one is ever served files of another state. Old folders are removed once
newer ones exist (``KEEP_STATES``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guidebook.catalogue.models import Snapshot
from guidebook.interchange.downloads import (
    COUNTS_NAME,
    TABLES,
    ZIP_NAME,
    PublishedProgramme,
    table,
    write_open_data,
)
from guidebook.interchange.open_data_rows import published_programme
from guidebook.interchange.releases import latest_release
from guidebook.public.fragments import revision

KEEP_STATES = 3
"""How many states' folders are kept: older ones may still be being sent to someone."""


def _published_programmes() -> Iterator[PublishedProgramme]:
    """Each current snapshot read back, one at a time: holding every record of a large
    catalogue at once took a worker near a gigabyte (benchmarks/README.md)."""
    snapshots = Snapshot.objects.filter(is_current=True).defer("crosswalk").order_by("slug")
    for snapshot in snapshots.iterator(chunk_size=100):
        yield published_programme(
            slug=snapshot.slug,
            published_at=snapshot.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            record=snapshot.record,
            assessment=snapshot.assessment,
            cost=snapshot.cost,
        )


def _licence() -> dict[str, str] | None:
    return getattr(settings, "GUIDEBOOK_DATA_LICENCE", None)


def _published_state() -> str:
    """A fingerprint of what is published now and of the code that writes it.

    Every snapshot's id and publication time, in order: a publication adds a snapshot,
    a withdrawal removes one from the current set, and a database built afresh gives
    new times even where ids come back.
    """
    digest = hashlib.sha256(f"{revision()}|{json.dumps(_licence(), sort_keys=True)}".encode())
    current = Snapshot.objects.filter(is_current=True).order_by("pk")
    for pk, published_at in current.values_list("pk", "published_at"):
        digest.update(f"|{pk}@{published_at.isoformat()}".encode())
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class OpenDataFiles:
    """The open data of one state of the catalogue, as files in one folder."""

    folder: Path

    @cached_property
    def row_counts(self) -> dict[str, int]:
        counts: dict[str, int] = json.loads((self.folder / COUNTS_NAME).read_text("utf-8"))
        return counts

    @cached_property
    def descriptor(self) -> dict[str, Any]:
        package: dict[str, Any] = json.loads(self.path("datapackage.json").read_text("utf-8"))
        return package

    def path(self, name: str) -> Path:
        return self.folder / name

    def write_to(self, folder: Path) -> None:
        """Copy ``datapackage.json`` and the CSV files into ``folder``."""
        for name in ["datapackage.json", *(t.path for t in TABLES)]:
            shutil.copyfile(self.path(name), folder / name)


def _root() -> Path:
    return Path(settings.DATA_DIR) / "open-data"


def current_open_data() -> OpenDataFiles:
    """The open data of the catalogue as published now, written once for each state."""
    root = _root()
    folder = root / _published_state()
    if not (folder / COUNTS_NAME).exists():
        _write_state(root, folder)
    return OpenDataFiles(folder)


def _write_state(root: Path, folder: Path) -> None:
    """Write the files beside ``folder`` and move them into place in one step, so no
    one is ever served half a state; a worker that lost the race drops its copy."""
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        write_open_data(_published_programmes(), building, _licence())
        os.rename(building, folder)
    except OSError:
        if not (folder / COUNTS_NAME).exists():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _remove_old_states(root)


def _remove_old_states(root: Path) -> None:
    states = [path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")]
    states.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for old in states[KEEP_STATES:]:
        shutil.rmtree(old, ignore_errors=True)


def _attachment(response: FileResponse, filename: str) -> FileResponse:
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


def download_table(request: HttpRequest, name: str) -> FileResponse:
    try:
        wanted = table(name)
    except KeyError:
        raise Http404(f"No open data table '{name}'") from None
    path = current_open_data().path(wanted.path)
    response = FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8")
    return _attachment(response, wanted.path)


def download_datapackage(request: HttpRequest) -> FileResponse:
    path = current_open_data().path("datapackage.json")
    return FileResponse(path.open("rb"), content_type="application/json; charset=utf-8")


def download_zip(request: HttpRequest) -> FileResponse:
    path = current_open_data().path(ZIP_NAME)
    return _attachment(FileResponse(path.open("rb"), content_type="application/zip"), ZIP_NAME)
