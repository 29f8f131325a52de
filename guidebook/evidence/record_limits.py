"""The limits every programme record meets, in one table: what, how much and why.

A record that passes the reader can always be stored, rated, published, rendered,
exported and read again, on SQLite and on PostgreSQL. These limits are what makes
that true: text fits the column that stores it, numbers are finite and fit their
column (and a range a real programme can have), and nothing is nested deeper than
the format ever needs. ``with_limits`` writes them into the JSON Schema, so the
shipped schema states them too; ``docs/record-format.md`` lists the same table.

Column lengths are those of the Django models in ``guidebook/catalogue/models``;
a test checks each stated length against its column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_NUMBER",
    "DEFAULT_TEXT",
    "DOI",
    "LIMITS",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "NOT_BLANK",
    "PATTERNS",
    "PMID",
    "SLUG",
    "URL",
    "Limit",
    "limit_of",
    "with_limits",
]

JSON = dict[str, Any]

MAX_FILE_BYTES = 1_048_576
"""A record file is at most 1 MiB: about a hundred times the largest demo record."""

MAX_NESTING = 16
"""Objects and lists inside each other, at most: the format needs 8 at the deepest
(programme, studies, study, findings, finding, statistics, cluster); the reader counts
before it parses, so Python's recursion limit is never reached."""


@dataclass(frozen=True)
class Limit:
    """The most a field may hold: characters for text, the largest value for a number.

    ``field`` is a record path with ``[]`` for any item of a list, e.g.
    ``studies[].findings[].key``. ``places`` is the most decimal places a number
    keeps exactly (a decimal column); None means any.
    """

    field: str
    maximum: float
    why: str
    places: int | None = None


DEFAULT_TEXT = Limit("(any other text)", 20_000, "ten times the longest text in the demo catalogue")
DEFAULT_NUMBER = Limit(
    "(any other number)",
    1e9,
    "larger than any count, mean or amount a study reports; kept exactly as a float and "
    "in PostgreSQL's jsonb (which writes numbers of 10^16 and more as whole numbers)",
)

_CHARS = "the length of its column"
_FACET = "a catalogue filter value holds 200 characters"
_NOTE = "a few sentences on where the facts came from; stored in a JSON column"

LIMITS: tuple[Limit, ...] = (
    Limit("slug", 120, _CHARS),
    Limit("name", 200, _CHARS),
    Limit("characteristics.countries[]", 100, f"as a study's country column; {_FACET}"),
    Limit("delivery.sessions", 1_000, "sessions one family receives; weekly for 19 years"),
    Limit("delivery.session_hours_min", 24, "hours in one session: at most a day", 2),
    Limit("delivery.session_hours_max", 24, "hours in one session: at most a day", 2),
    Limit("delivery.frequency", 200, _CHARS),
    Limit("delivery.duration", 200, _CHARS),
    Limit("cost.sessions", 1_000, "as delivery.sessions"),
    Limit("cost.session_hours", 24, "hours in one session: at most a day"),
    Limit("cost.practitioners_per_session", 100, "practitioners at one session"),
    Limit("cost.families_per_group", 1_000, "families in one group"),
    Limit("cost.practitioner_training_hours", 10_000, "five working years of training"),
    Limit("cost.practitioner_training_fee", 10_000_000, "pounds"),
    Limit("cost.supervisor_training_hours", 10_000, "five working years of training"),
    Limit("cost.supervision_hours_per_family", 10_000, "hours for one family"),
    Limit("cost.licence_fee", 10_000_000, "pounds"),
    Limit("cost.setup_materials", 10_000_000, "pounds"),
    Limit("cost.materials_per_family", 10_000_000, "pounds"),
    Limit("contact.name", 200, _CHARS),
    Limit("contact.organisation", 200, _CHARS),
    Limit("contact.email", 254, _CHARS),
    Limit("contact.website", 200, _CHARS),
    Limit("reviews[].name", 200, _CHARS),
    Limit("studies[].key", 60, _CHARS),
    Limit("studies[].label", 60, _CHARS),
    Limit("studies[].citation", 300, _CHARS),
    Limit("studies[].country", 100, _CHARS),
    Limit("studies[].sample_size", 100_000_000, "more people than any national cohort"),
    Limit("studies[].timing", 200, _CHARS),
    Limit("studies[].publications[].url", 500, _CHARS),
    Limit("studies[].publications[].authors[]", 200, "one name; as a contact's name"),
    Limit("studies[].publications[].journal", 300, _CHARS),
    Limit("studies[].publications[].volume", 30, _CHARS),
    Limit("studies[].publications[].issue", 30, _CHARS),
    Limit("studies[].publications[].pages", 30, _CHARS),
    Limit("studies[].publications[].doi", 200, _CHARS),
    Limit("studies[].publications[].pmid", 20, _CHARS),
    Limit("studies[].provenance.sources[]", 500, "as a publication's url"),
    Limit("studies[].provenance.appraised_by", 150, "as an appraisal's reviewer"),
    Limit("studies[].provenance.note", 2_000, _NOTE),
    Limit("studies[].findings[].provenance.sources[]", 500, "as a publication's url"),
    Limit("studies[].findings[].provenance.appraised_by", 150, "as an appraisal's reviewer"),
    Limit("studies[].findings[].provenance.note", 2_000, _NOTE),
    Limit("studies[].findings[].key", 60, _CHARS),
    Limit("studies[].findings[].outcome", 200, f"{_CHARS}; {_FACET}"),
    Limit("studies[].findings[].measure", 200, _CHARS),
    Limit("studies[].findings[].months_after", 1_200, "a hundred years of follow-up"),
    Limit(
        "studies[].findings[].months_after_treatment_end", 1_200, "as months after the programme"
    ),
    Limit("studies[].findings[].domains.blueprints", 200, "as an outcome's name"),
    Limit("studies[].findings[].domains.cebc", 200, "as an outcome's name"),
    Limit("studies[].findings[].domains.homvee", 200, "as an outcome's name"),
    Limit("studies[].conduct.sample", 200, "an identifier, shorter than a citation's 300"),
    Limit("studies[].appraisal.reviewer", 150, _CHARS),
    Limit("imported.source", 500, _CHARS),
    Limit("imported.outcomes[].outcome", 200, _FACET),
)

_BY_FIELD = {limit.field: limit for limit in LIMITS}

_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY = r"^[-a-zA-Z0-9_]+$"
# A literal IPv4 address is a host too: a demo record's sources include one (a mirror).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"(?:{_OCTET}\.){{3}}{_OCTET}"
URL = (
    r"^https?://(?=[^/?#:]{1,253}(?:[/?#:]|$))(?:"
    + _HOST
    + "|"
    + _IPV4
    + r")(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$"
)
# Empty means not known, as for every optional text of the format.
DOI = r"^(10\.[0-9]{4,9}/[^\s]+)?$"
PMID = r"^[0-9]*$"
EMAIL = r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + _HOST + "$"

PATTERNS: dict[str, str] = {
    SLUG: "lower-case words joined by hyphens (e.g. 'my-programme')",
    KEY: "letters, digits, hyphens and underscores (e.g. 'study-1')",
    URL: "an http:// or https:// web address with a domain name or IPv4 address",
    EMAIL: "an email address (name@example.org)",
    DOI: "a bare DOI such as '10.1111/j.1467-8624.1991.tb01525.x'",
    PMID: "a PubMed id in digits",
    "^(?:"
    + URL[1:-1]
    + ")?$": "empty, or an http:// or https:// web address with a domain name or IPv4 address",
    "^(?:" + EMAIL[1:-1] + ")?$": "empty, or an email address (name@example.org)",
}
"""Each pattern the schema uses, with the words a message gives for it. A pattern ending
in ``$`` matches only at the very end of the text, as JSON Schema (ECMA-262) means."""

_FORMATS: dict[str, str] = {
    "slug": SLUG,
    "studies[].key": KEY,
    "studies[].findings[].key": KEY,
    "contact.email": "^(?:" + EMAIL[1:-1] + ")?$",
    "contact.website": "^(?:" + URL[1:-1] + ")?$",
    "studies[].publications[].url": "^(?:" + URL[1:-1] + ")?$",
    "imported.source": URL,
    # Provenance sources (record format additions) are addresses too.
    "studies[].provenance.sources[]": URL,
    "studies[].findings[].provenance.sources[]": URL,
}


NOT_BLANK = frozenset(
    {
        "name",
        "reviews[].name",
        "studies[].label",
        "studies[].publications[].citation",
        "studies[].findings[].outcome",
        "studies[].appraisal.reviewer",
    }
)
"""Text whose column may not be empty (the slug and keys have patterns that say so)."""


def limit_of(field: str, kind: str) -> Limit:
    """The limit of a field (a path with ``[]`` for list items) holding text or a number."""
    return _BY_FIELD.get(field, DEFAULT_TEXT if kind == "text" else DEFAULT_NUMBER)


def with_limits(schema: JSON, prefix: str = "") -> JSON:
    """The schema with every text given a ``maxLength``, every number a range, and the
    slugs, keys, addresses and emails their patterns, from the table above."""
    for field, node in _nodes(schema, prefix):
        kinds = node.get("type", [])
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "string" in kinds:
            node.setdefault("maxLength", int(limit_of(field, "text").maximum))
            if field in NOT_BLANK:
                node["minLength"] = 1
            if field in _FORMATS:
                node["pattern"] = _FORMATS[field]
        if "number" in kinds or "integer" in kinds:
            maximum = limit_of(field, "number").maximum
            node.setdefault("maximum", int(maximum) if "integer" in kinds else maximum)
            if "minimum" not in node and "exclusiveMinimum" not in node:
                node["minimum"] = -maximum
    return schema


def _nodes(schema: JSON, field: str) -> Iterator[tuple[str, JSON]]:
    """Every sub-schema with the record path it describes (objects, items, alternatives)."""
    yield field, schema
    for name, child in schema.get("properties", {}).items():
        yield from _nodes(child, f"{field}.{name}" if field else name)
    if isinstance(schema.get("items"), dict):
        yield from _nodes(schema["items"], f"{field}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _nodes(schema["additionalProperties"], f"{field}.*")
    for alternative in schema.get("oneOf", []):
        yield from _nodes(alternative, field)
