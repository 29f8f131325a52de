"""The core's record checks for one stored row: what the admin's forms run in ``clean``.

A row is checked as part of a small probe record (a programme holding only that row),
so it passes exactly the checks an imported file gets: lengths, ranges, patterns,
finite numbers, statistics that give an effect size, answers the standards accept.
Problems come back on the model field they name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from guidebook.evidence.errors import InvalidRecord, Problem
from guidebook.evidence.record_json import programme_from_dict
from guidebook.evidence.record_schema import FORMAT

PROGRAMME = {"format": FORMAT, "slug": "probe", "name": "probe"}
STUDY = {"key": "probe", "label": "probe", "citation": "probe", "design": "rct"}


def plain(value: Any) -> Any:
    """A column's value as the record format writes it."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_row(
    row: Any, fields: Mapping[str, str], place: str, constants: Mapping[str, Any] | None = None
) -> None:
    """Check ``row``'s ``fields`` (model field to record field) placed at ``place`` in a
    probe record, beside ``constants``; raise ``ValidationError`` keyed by model field."""
    values: dict[str, Any] = dict(constants or {})
    for model_field, record_field in fields.items():
        section, _, leaf = record_field.rpartition(".")
        target = values.setdefault(section, {}) if section else values
        target[leaf] = plain(getattr(row, model_field))
    problems = probe_problems(values, place)
    if problems:
        by_record_field = {f"{place}.{v}".strip("."): k for k, v in fields.items()}
        messages: dict[str, list[str]] = {}
        for problem in problems:
            field = _field_of(problem.field, by_record_field)
            named = problem.field.removeprefix(place).strip(".")
            messages.setdefault(field, []).append(
                f"{_name_of(row)}: field '{named}' expected {problem.expected}, "
                f"found {problem.found}."
            )
        raise ValidationError(messages)


def probe_problems(values: Mapping[str, Any], place: str) -> tuple[Problem, ...]:
    """The problems the core finds in ``values`` placed at ``place`` in a probe record
    (``"studies[0]"``, ``"studies[0].findings[0]"``, ``""`` for the programme itself)."""
    try:
        programme_from_dict(_place(place, dict(values)))
    except InvalidRecord as error:
        return tuple(error.problems)
    return ()


def _name_of(row: Any) -> str:
    """The row as messages name it: "finding 'attachment'", "programme 'ipp'"."""
    kind = str(type(row)._meta.verbose_name)
    for attribute in ("key", "slug", "name", "reviewer"):
        value = getattr(row, attribute, None)
        if isinstance(value, str) and value:
            return f"{kind} '{value}'"
    return kind


def _place(place: str, part: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {**PROGRAMME}
    if place.startswith("studies[0]"):
        study: dict[str, Any] = dict(STUDY)
        record["studies"] = [study]
        inner = place.removeprefix("studies[0]").strip(".")
        if not inner:
            study.update(part)
        elif inner.endswith("[0]"):
            study[inner[:-3]] = [part]
        else:
            study[inner] = part
        return record
    if place.endswith("[0]"):
        record[place[:-3]] = [part]
    elif place:
        record[place] = part
    else:
        record.update(part)
    return record


_LAST_STEP = re.compile(r"(?:\.[^.\[]+|\[[^\]]*\])$")


def _field_of(path: str, by_record_field: Mapping[str, str]) -> str:
    """The model field a problem's record path names (itself or its nearest ancestor)."""
    while path:
        if path in by_record_field:
            return by_record_field[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            break
        path = shorter
    return NON_FIELD_ERRORS
