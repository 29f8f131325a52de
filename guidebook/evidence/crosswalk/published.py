"""Ratings other clearinghouses published, kept as facts with their source.

Read from ``guidebook/interchange/crosswalk_ratings.json`` (format
"guidebook-crosswalk-ratings/1"): one entry per programme and clearinghouse, with the
rating seen (or null and a status saying why), the page it was read from, the handbook
version and the review date shown there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guidebook.evidence.crosswalk_vocabulary import CLEARINGHOUSES
from guidebook.evidence.errors import InvalidRecord

__all__ = ["FORMAT", "PublishedRating", "published_from_dict"]

FORMAT = "guidebook-crosswalk-ratings/1"
_TEXTS = ("programme", "status")
_OPTIONAL = ("standard", "value", "match", "source_url", "handbook_version", "date_reviewed")


@dataclass(frozen=True)
class PublishedRating:
    """One clearinghouse's published rating of one programme (``value`` None: not seen)."""

    programme: str
    clearinghouse: str
    status: str
    standard: str | None = None
    value: str | None = None
    name_there: str = ""
    match: str | None = None
    source_url: str | None = None
    handbook_version: str | None = None
    date_reviewed: str | None = None
    note: str = ""

    @property
    def clearinghouse_name(self) -> str:
        return CLEARINGHOUSES[self.clearinghouse]


def published_from_dict(data: object, source: str) -> tuple[PublishedRating, ...]:
    """Every rating in a crosswalk-ratings document; ``InvalidRecord`` names the entry,
    the field, what was expected and what was found."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else data
        raise InvalidRecord.single(source, "format", FORMAT, found)
    entries = data.get("ratings")
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise InvalidRecord.single(source, "ratings", "a list of ratings", entries)
    return tuple(_entry(entry, f"{source}, rating {n}") for n, entry in enumerate(entries, 1))


def _entry(entry: Any, where: str) -> PublishedRating:
    if not isinstance(entry, Mapping):
        raise InvalidRecord.single(where, "entry", "an object", entry)
    if entry.get("clearinghouse") not in CLEARINGHOUSES:
        expected = "one of " + ", ".join(CLEARINGHOUSES)
        raise InvalidRecord.single(where, "clearinghouse", expected, entry.get("clearinghouse"))
    for name in _TEXTS:
        if not isinstance(entry.get(name), str) or not entry[name]:
            raise InvalidRecord.single(where, name, "a non-empty text", entry.get(name))
    for name in _OPTIONAL:
        if entry.get(name) is not None and not isinstance(entry[name], str):
            raise InvalidRecord.single(where, name, "a text or null", entry[name])
    return PublishedRating(
        programme=entry["programme"],
        clearinghouse=entry["clearinghouse"],
        status=entry["status"],
        name_there=str(entry.get("name_there") or ""),
        note=str(entry.get("note") or ""),
        **{name: entry.get(name) for name in _OPTIONAL},
    )
