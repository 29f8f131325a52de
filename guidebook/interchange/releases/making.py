"""Making a release, rebuilding its files and checking them.

A release is named by the day it is made (``2026-12-04``); a second one the same day
is ``2026-12-04-2``, a third ``-3``, and so on: a mistake found after releasing can
be put right the same day, and every name still says when its release was made and
is never reused. Making one freezes the current snapshots (``ReleaseEntry``), builds
every file, records their checksums and writes them to disk, all or nothing.

The files can be built again at any time from the database alone
(``rebuild_release_files``); ``check_release`` does so and compares each with the
checksum recorded when the release was made and with what is on disk.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from guidebook.catalogue.models import Snapshot
from guidebook.interchange.downloads import DATA_LICENCE
from guidebook.interchange.models import Release, ReleaseEntry
from guidebook.interchange.releases.archive import sha256
from guidebook.interchange.releases.builder import (
    Progress,
    ReleaseSpec,
    build_release_files,
    no_progress,
)
from guidebook.interchange.releases.storage import (
    ReleaseExists,
    read_release_file,
    release_folder,
    write_release,
)

__all__ = [
    "ReleaseCheck",
    "ReleaseRefused",
    "check_release",
    "ensure_release_files",
    "latest_release",
    "make_release",
    "rebuild_release_files",
    "release_file",
    "release_snapshots",
    "release_spec",
]


class ReleaseRefused(Exception):
    """A release that cannot be made; the message says why."""


def _citation_settings() -> dict[str, Any]:
    return {
        "site_url": settings.GUIDEBOOK_SITE_URL,
        "publisher": getattr(settings, "GUIDEBOOK_PUBLISHER", "") or "Guidebook",
        "licence": dict(getattr(settings, "GUIDEBOOK_DATA_LICENCE", None) or DATA_LICENCE),
    }


def release_spec(release: Release) -> ReleaseSpec:
    citation = release.citation
    return ReleaseSpec(
        name=release.name,
        day=release.day,
        notes=release.notes,
        site_url=citation["site_url"],
        publisher=citation["publisher"],
        # PostgreSQL's jsonb keeps no key order; the files must not depend on it.
        licence=dict(sorted(citation["licence"].items())),
        previous=release.previous.name if release.previous else None,
    )


def release_snapshots(release: Release) -> list[Snapshot]:
    ids = release.entries.values_list("snapshot_id", flat=True)
    return list(Snapshot.objects.filter(pk__in=list(ids)).order_by("slug"))


def latest_release() -> Release | None:
    return Release.objects.order_by("-day", "-sequence").first()


def _name(day: date, sequence: int) -> str:
    return day.isoformat() if sequence == 1 else f"{day.isoformat()}-{sequence}"


def rebuild_release_files(release: Release, progress: Progress = no_progress) -> dict[str, bytes]:
    """Every file of ``release``, built again from its snapshots and what it stored."""
    previous = release_snapshots(release.previous) if release.previous else None
    return build_release_files(
        release_spec(release), release_snapshots(release), previous, progress
    )


def make_release(
    notes: str = "",
    *,
    by: Any = None,
    day: date | None = None,
    progress: Progress = no_progress,
) -> Release:
    """Freeze the published catalogue as a new release, with its files on disk.

    Raises ``ReleaseRefused`` when nothing is published, when the day given is before
    the latest release's, or when another release took the same name meanwhile.
    """
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            release, files = _record_release(notes.strip(), by, day, progress)
            write_release(release.name, files)
    except IntegrityError:
        raise ReleaseRefused(
            "Another release was made at the same moment; nothing was written. Run it again."
        ) from None
    except ReleaseExists as error:
        raise ReleaseRefused(str(error)) from None
    return release


def _record_release(
    notes: str, by: Any, day: date, progress: Progress
) -> tuple[Release, dict[str, bytes]]:
    snapshots = list(Snapshot.objects.filter(is_current=True).defer("crosswalk").order_by("slug"))
    if not snapshots:
        raise ReleaseRefused("Nothing is published yet: a release needs a published programme.")
    previous = latest_release()
    if previous is not None and previous.day > day:
        raise ReleaseRefused(
            f"Release {previous.name} is dated after {day.isoformat()}: releases are made in order."
        )
    sequence = Release.objects.filter(day=day).count() + 1
    release = Release.objects.create(
        name=_name(day, sequence),
        day=day,
        sequence=sequence,
        notes=notes,
        previous=previous,
        made_by=by if getattr(by, "pk", None) else None,
        citation=_citation_settings(),
    )
    ReleaseEntry.objects.bulk_create(
        ReleaseEntry(release=release, snapshot=snapshot, slug=snapshot.slug)
        for snapshot in snapshots
    )
    # Built from the release as stored, exactly as any later rebuild will read it.
    release.refresh_from_db()
    files = rebuild_release_files(release, progress)
    release.checksums = {path: sha256(data) for path, data in files.items()}
    release.save(update_fields=["checksums"])
    return release, files


@dataclass(frozen=True)
class ReleaseCheck:
    """What rebuilding a release found: files whose bytes differ, and where."""

    release: str
    files: int
    differ_from_record: tuple[str, ...]
    differ_on_disk: tuple[str, ...]
    missing_on_disk: tuple[str, ...]

    @property
    def reproduced(self) -> bool:
        return not (self.differ_from_record or self.differ_on_disk)


def check_release(release: Release, progress: Progress = no_progress) -> ReleaseCheck:
    """Build the release again and compare every file with its record and its copy on disk."""
    rebuilt = rebuild_release_files(release, progress)
    recorded = release.checksums
    differ = [
        path
        for path in sorted(set(recorded) | set(rebuilt))
        if path not in rebuilt or recorded.get(path) != sha256(rebuilt[path])
    ]
    on_disk, missing = [], []
    for path, data in rebuilt.items():
        stored = read_release_file(release.name, path)
        if stored is None:
            missing.append(path)
        elif stored != data:
            on_disk.append(path)
    return ReleaseCheck(release.name, len(rebuilt), tuple(differ), tuple(on_disk), tuple(missing))


def ensure_release_files(release: Release) -> None:
    """Put the release's files on disk if they are not there (another server, a lost
    disk): rebuilt from the database, and written only if every checksum matches."""
    if release_folder(release.name).exists():
        return
    files = rebuild_release_files(release)
    wrong = [path for path, data in files.items() if release.checksums.get(path) != sha256(data)]
    if wrong or set(files) != set(release.checksums):
        raise ReleaseRefused(
            f"Release {release.name} could not be rebuilt as it was made: "
            f"{', '.join(wrong) or 'a different set of files'} differ."
        )
    with contextlib.suppress(ReleaseExists):  # another request wrote it meanwhile
        write_release(release.name, files)


def release_file(release: Release, path: str) -> bytes | None:
    """One file of a release, checked against its recorded checksum; ``None`` if it has none."""
    expected = release.checksums.get(path)
    if expected is None:
        return None
    ensure_release_files(release)
    data = read_release_file(release.name, path)
    if data is None or sha256(data) != expected:
        raise ReleaseRefused(f"Release {release.name}: {path} on disk is not the file released.")
    return data
