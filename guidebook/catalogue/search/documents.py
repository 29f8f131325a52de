"""What search reads of a published programme: its text in weighted fields.

A programme's search document is built from what its snapshot publishes (the record,
as ``record_json`` writes it, and its filter values), so the document of any
snapshot can be rebuilt later from the snapshot alone. Vocabulary keys are written
out as their labels ("home-visiting" as "Home visiting", "mental-health" as
"Supporting children's mental health and wellbeing"), so a search finds what the
page shows. Each field is folded (``text.fold``) before it is stored.

Fields, from the most telling match to the least (docs/search.md gives the weights):

- ``name`` and ``aliases`` (initials, curated aliases);
- ``summary`` and ``outcomes`` (child outcomes and their outcome areas);
- ``description`` (with the theory of change) and ``delivery`` (delivery models,
  settings, age groups, level of need, countries, sessions, practitioners);
- ``studies`` (citations, samples, titles, measures, outcomes and outcome areas of each
  study, and the outcomes another guidebook published for the programme).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, fields
from typing import Any

from guidebook.catalogue.search.text import STOPWORDS, fold
from guidebook.catalogue.search.vocabulary import aliases_of
from guidebook.evidence import vocabulary

__all__ = ["FIELD_NAMES", "SearchFields", "search_fields", "term_words"]

_LABELS: Mapping[str, Mapping[str, str]] = {
    "outcome_category": vocabulary.OUTCOME_CATEGORIES,
    "delivery_model": vocabulary.DELIVERY_MODELS,
    "setting": vocabulary.SETTINGS,
    "age_group": vocabulary.AGE_GROUPS,
    "targeting": vocabulary.TARGETING,
}
_DELIVERY_KINDS = ("delivery_model", "setting", "age_group", "targeting", "country")
_TERM_LENGTHS = range(4, 41)


@dataclass(frozen=True)
class SearchFields:
    """A programme's searchable text, folded, field by field."""

    name: str
    aliases: str
    summary: str
    outcomes: str
    description: str
    delivery: str
    studies: str

    def words(self) -> set[str]:
        return {word for text in astuple(self) for word in text.split()}


FIELD_NAMES = tuple(field.name for field in fields(SearchFields))


def _joined(parts: Iterable[Any]) -> str:
    return fold(" ".join(str(part) for part in parts if part))


def _labels(facets: Iterable[tuple[str, str]], kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [_LABELS.get(kind, {}).get(key, key) for kind, key in sorted(facets) if kind in wanted]


def _delivery(record: Mapping[str, Any], facets: set[tuple[str, str]]) -> list[Any]:
    delivery = record.get("delivery") or {}
    implementation = record.get("implementation") or {}
    return [
        *_labels(facets, _DELIVERY_KINDS),
        *delivery.get("summary", ()),
        *delivery.get("activities", ()),
        delivery.get("frequency"),
        delivery.get("duration"),
        implementation.get("practitioners"),
        implementation.get("training"),
    ]


def _studies(record: Mapping[str, Any]) -> list[Any]:
    parts: list[Any] = []
    for study in record.get("studies", ()):
        parts += [study.get("citation"), study.get("sample"), study.get("country")]
        parts += study.get("other_outcomes", ())
        for publication in study.get("publications", ()):
            parts += [publication.get("citation"), publication.get("title")]
        for finding in study.get("findings", ()):
            category = vocabulary.OUTCOME_CATEGORIES.get(finding.get("category") or "", "")
            parts += [finding.get("outcome"), finding.get("measure"), category]
    return parts


def _published_outcomes(record: Mapping[str, Any]) -> list[Any]:
    """The child outcomes another guidebook published for the programme.

    Once its studies are appraised here the page lists the outcomes the appraised
    findings support instead, but the published ones still describe what the
    programme was found to help with, so a search for them finds it (weighted as
    study text, below the outcomes the page itself lists).
    """
    imported = record.get("imported") or {}
    parts: list[Any] = []
    for outcome in imported.get("outcomes", ()):
        category = vocabulary.OUTCOME_CATEGORIES.get(outcome.get("category") or "", "")
        parts += [outcome.get("outcome"), category]
    return parts


def search_fields(record: Mapping[str, Any], facets: Iterable[tuple[str, str]]) -> SearchFields:
    """The search document of a published record with its filter values (``facets_of``)."""
    facet_set = set(facets)
    outcomes = [key for kind, key in sorted(facet_set) if kind == "outcome"]
    return SearchFields(
        name=fold(record["name"]),
        aliases=_joined(aliases_of(record["name"])),
        summary=fold(record.get("summary", "")),
        outcomes=_joined([*outcomes, *_labels(facet_set, ["outcome_category"])]),
        description=_joined([record.get("description"), *record.get("theory_of_change", ())]),
        delivery=_joined(_delivery(record, facet_set)),
        studies=_joined([*_studies(record), *_published_outcomes(record)]),
    )


def term_words(documents: Iterable[SearchFields]) -> set[str]:
    """Words of the documents that a misspelt query word may be corrected to."""
    return {
        word
        for document in documents
        for word in document.words()
        if word.isalpha() and len(word) in _TERM_LENGTHS and word not in STOPWORDS
    }
