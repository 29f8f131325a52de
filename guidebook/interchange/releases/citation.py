"""How to cite a release: CITATION.cff and DataCite-style JSON, ready for a DOI.

``CITATION.cff`` follows the Citation File Format 1.2.0 (https://citation-file-format.github.io/);
``datacite.json`` is the body of a DataCite REST API request to register a DOI
(``{"data": {"type": "dois", "attributes": ...}}`` with the mandatory properties of
the DataCite Metadata Schema 4: creators, titles, publisher, publicationYear and
types, https://schema.datacite.org/). It has no ``doi`` or ``prefix``: whoever holds
a DataCite account adds their prefix and sends it (docs/releases.md).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

__all__ = ["citation_cff", "datacite_json", "release_title"]

KEYWORDS = (
    "evidence guidebook",
    "early intervention",
    "children and families",
    "programme evaluation",
    "evidence rating",
)


def release_title(name: str) -> str:
    return f"Guidebook catalogue, release {name}"


def _abstract(notes: str, programmes: int) -> str:
    text = (
        f"The published catalogue of an evidence guidebook on the day of the release: "
        f"{programmes} programmes for children and families, each with its evidence and "
        "cost ratings, the reasons for them, its studies and findings, as CSV tables "
        "with a data package, record files, an evidence and gap map and FHIR R5 Bundles."
    )
    return f"{text} {notes.strip()}" if notes.strip() else text


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: the escapes JSON writes
    # (\\", \\\\, \\n, \\uXXXX...) are all YAML escapes too.
    return json.dumps(text, ensure_ascii=False)


def citation_cff(
    name: str,
    day: date,
    notes: str,
    url: str,
    publisher: str,
    licence: dict[str, str],
    programmes: int,
) -> str:
    """The release's CITATION.cff (Citation File Format 1.2.0)."""
    lines = [
        "cff-version: 1.2.0",
        f"message: {_quoted('If you use these data, please cite them as below.')}",
        "type: dataset",
        f"title: {_quoted(release_title(name))}",
        f"abstract: {_quoted(_abstract(notes, programmes))}",
        "authors:",
        f"  - name: {_quoted(publisher)}",
        f"version: {_quoted(name)}",
        f"date-released: {_quoted(day.isoformat())}",
        f"license: {_quoted(licence['name'])}",
        f"url: {_quoted(url)}",
        "keywords:",
        *(f"  - {_quoted(keyword)}" for keyword in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def datacite_json(
    name: str,
    day: date,
    notes: str,
    url: str,
    publisher: str,
    licence: dict[str, str],
    programmes: int,
    files: int,
    previous_url: str | None,
) -> str:
    """The release's DataCite metadata, as a DOI registration request without the DOI."""
    attributes: dict[str, Any] = {
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Evidence guidebook catalogue"},
        "creators": [{"name": publisher, "nameType": "Organizational"}],
        "titles": [{"title": release_title(name), "lang": "en"}],
        "publisher": {"name": publisher},
        "publicationYear": day.year,
        "version": name,
        "language": "en",
        "dates": [{"date": day.isoformat(), "dateType": "Issued"}],
        "subjects": [{"subject": keyword} for keyword in KEYWORDS],
        "descriptions": [
            {"description": _abstract(notes, programmes), "descriptionType": "Abstract"}
        ],
        "rightsList": [
            {
                "rights": licence["title"],
                "rightsUri": licence["path"],
                "rightsIdentifier": licence["name"].lower(),
                "rightsIdentifierScheme": "SPDX",
            }
        ],
        "formats": ["text/csv", "application/json", "application/fhir+json", "image/svg+xml"],
        "sizes": [f"{programmes} programmes", f"{files} files"],
        "url": url,
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if previous_url:
        attributes["relatedIdentifiers"] = [
            {
                "relatedIdentifier": previous_url,
                "relatedIdentifierType": "URL",
                "relationType": "IsNewVersionOf",
            }
        ]
    body = {"data": {"type": "dois", "attributes": attributes}}
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
