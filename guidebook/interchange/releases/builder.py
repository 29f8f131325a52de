"""The files of a release, built from its snapshots and nothing else that can change.

``build_release_files`` is a pure function of the snapshots a release froze, those
of the release before it (for the changelog) and the ``ReleaseSpec`` stored with it:
name, date, notes, site address, publisher and licence. Built twice, it gives the
same bytes: paths are sorted, JSON keys sorted, times are the release date, and
nothing reads the clock or the settings of the day it is rebuilt.

What a release holds (under ``guidebook-release-<name>/`` in its zip):

- ``release.json``: name, date, notes, the previous release, every programme with
  its snapshot, ratings and inputs hash;
- ``CHANGELOG.md`` and ``changelog.json``: what changed since the previous release;
- ``CITATION.cff`` and ``datacite.json``: how to cite it, ready for a DOI;
- ``data/``: the open-data CSV tables and ``datapackage.json`` (docs/open-data.md);
- ``records/<slug>.json``: each programme's published record file;
- ``map/evidence-map-<columns>.json`` and ``.csv``: the evidence and gap map, for
  each choice of columns;
- ``fhir/<slug>.json``: each programme's evidence as a FHIR R5 Bundle;
- ``SHA256SUMS``: the SHA-256 of every file above.

Beside them, not inside: ``guidebook-release-<name>.zip`` and its ``.sha256``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from guidebook.catalogue.evidence_map import DIMENSIONS, build_map
from guidebook.catalogue.evidence_map_data import map_csv, map_json, map_programmes_of
from guidebook.catalogue.models import Snapshot
from guidebook.interchange.downloads import build_open_data, table
from guidebook.interchange.fhir.evidence_bundle import ProgrammeEvidence, evidence_bundle_json
from guidebook.interchange.open_data_rows import published_programme
from guidebook.interchange.releases.archive import CHECKSUM_FILE, checksum_file, sha256, zip_bytes
from guidebook.interchange.releases.changelog import changelog, changelog_markdown
from guidebook.interchange.releases.citation import citation_cff, datacite_json

__all__ = ["Progress", "ReleaseSpec", "archive_name", "build_release_files", "no_progress"]

Progress = Callable[[str, int, int], None]
"""Told after each piece of work: the step it belonged to, pieces done, pieces in all."""


def no_progress(step: str, done: int, total: int) -> None:
    return None


class _Counter:
    def __init__(self, total: int, progress: Progress) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def tick(self, step: str) -> None:
        self.done += 1
        self.progress(step, self.done, self.total)


@dataclass(frozen=True)
class ReleaseSpec:
    """Everything besides snapshots that a release's files are built from."""

    name: str
    day: date
    notes: str
    site_url: str
    publisher: str
    licence: Mapping[str, str] = field(default_factory=dict)
    previous: str | None = None

    def url(self, name: str | None = None) -> str:
        """The permanent address of this release (or of another, by name)."""
        return f"{self.site_url.rstrip('/')}/downloads/releases/{name or self.name}/"


def archive_name(name: str) -> str:
    return f"guidebook-release-{name}.zip"


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _utc(snapshot: Snapshot) -> str:
    return snapshot.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _manifest(spec: ReleaseSpec, snapshots: Sequence[Snapshot]) -> dict[str, Any]:
    return {
        "name": spec.name,
        "date": spec.day.isoformat(),
        "notes": spec.notes,
        "previous": spec.previous,
        "url": spec.url(),
        "publisher": spec.publisher,
        "licence": dict(spec.licence),
        "programmes": [
            {
                "programme": snapshot.slug,
                "name": snapshot.name,
                "snapshot": snapshot.pk,
                "published_at": _utc(snapshot),
                "evidence_rating": snapshot.rating,
                "rating_source": snapshot.rating_source,
                "cost_rating": snapshot.cost_rating,
                "standard": f"{snapshot.standard_key} {snapshot.standard_version}",
                "inputs_hash": snapshot.inputs_hash,
            }
            for snapshot in snapshots
        ],
    }


def _open_data_files(spec: ReleaseSpec, snapshots: Sequence[Snapshot]) -> dict[str, bytes]:
    published = [
        published_programme(s.slug, _utc(s), s.record, s.assessment, s.cost) for s in snapshots
    ]
    data = build_open_data(published, dict(spec.licence))
    files = {"data/datapackage.json": data.descriptor_json().encode("utf-8")}
    for name, text in data.csv_text.items():
        files[f"data/{table(name).path}"] = text.encode("utf-8")
    return files


def _map_files(snapshots: Sequence[Snapshot], about: Mapping[str, Any]) -> dict[str, bytes]:
    programmes = map_programmes_of(
        Snapshot.objects.filter(pk__in=[snapshot.pk for snapshot in snapshots]).order_by("slug")
    )
    files = {}
    for dimension in DIMENSIONS:
        evidence_map = build_map(programmes, dimension)
        stem = f"map/evidence-map-{dimension.replace('_', '-')}"
        files[f"{stem}.json"] = map_json(evidence_map, about=about).encode("utf-8")
        files[f"{stem}.csv"] = map_csv(evidence_map).encode("utf-8")
    return files


def _fhir(spec: ReleaseSpec, snapshot: Snapshot) -> bytes:
    programme = ProgrammeEvidence(
        slug=snapshot.slug,
        record=snapshot.record,
        assessment=snapshot.assessment,
        published_on=_utc(snapshot)[:10],
        site_url=spec.site_url,
    )
    return evidence_bundle_json(programme).encode("utf-8")


def build_release_files(
    spec: ReleaseSpec,
    snapshots: Sequence[Snapshot],
    previous_snapshots: Sequence[Snapshot] | None,
    progress: Progress = no_progress,
) -> dict[str, bytes]:
    """Every file of the release by path, the zip and its checksum included."""
    ordered = sorted(snapshots, key=lambda snapshot: snapshot.slug)
    # Records and FHIR Bundles one by one; then the tables, the maps, the changelog
    # with the citation files, and the zip.
    counter = _Counter(2 * len(ordered) + 4, progress)
    files: dict[str, bytes] = {"release.json": _json(_manifest(spec, ordered))}
    for snapshot in ordered:
        files[f"records/{snapshot.slug}.json"] = _json(snapshot.record)
        counter.tick("Record files")
    for snapshot in ordered:
        files[f"fhir/{snapshot.slug}.json"] = _fhir(spec, snapshot)
        counter.tick("FHIR bundles")
    files.update(_open_data_files(spec, ordered))
    counter.tick("Open data tables")
    files.update(_map_files(ordered, {"release": spec.name, "date": spec.day.isoformat()}))
    counter.tick("Evidence maps")
    changes = changelog(ordered, previous_snapshots, spec.previous)
    files["changelog.json"] = _json(changes)
    files["CHANGELOG.md"] = changelog_markdown(
        spec.name, spec.day.isoformat(), spec.notes, changes
    ).encode("utf-8")
    files["CITATION.cff"] = citation_cff(
        spec.name,
        spec.day,
        spec.notes,
        spec.url(),
        spec.publisher,
        dict(spec.licence),
        len(ordered),
    ).encode("utf-8")
    previous_url = spec.url(spec.previous) if spec.previous else None
    # The count of files is those in the zip: what is built so far, DataCite's metadata
    # itself and the checksum file.
    files["datacite.json"] = datacite_json(
        spec.name,
        spec.day,
        spec.notes,
        spec.url(),
        spec.publisher,
        dict(spec.licence),
        len(ordered),
        len(files) + 2,
        previous_url,
    ).encode("utf-8")
    files[CHECKSUM_FILE] = checksum_file(files)
    counter.tick("Changelog and citation")
    archive = zip_bytes(files, spec.day, archive_name(spec.name).removesuffix(".zip"))
    files[archive_name(spec.name)] = archive
    files[f"{archive_name(spec.name)}.sha256"] = (
        f"{sha256(archive)}  {archive_name(spec.name)}\n".encode()
    )
    counter.tick("Zip")
    return dict(sorted(files.items()))
