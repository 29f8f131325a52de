"""The cost profile's fields: their labels in sentences and the checks a known value passes.

Shared by the cost model (``cost``, ``cost_unknowns``) and by the edges that take cost
inputs from people (the ``guidebook cost --param`` command and the web calculator), so
every one of them judges a value the same way and words the problem the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from guidebook.evidence.cost_parameters import finite_number
from guidebook.evidence.errors import Problem, describe
from guidebook.evidence.records import CostProfile
from guidebook.evidence.vocabulary import DELIVERY_MODELS, QUALIFICATION_LEVELS

__all__ = ["CHECKS", "FIELDS", "FieldSpec", "delivery_problems", "profile_problems"]


@dataclass(frozen=True)
class FieldSpec:
    """A cost profile field: its label in sentences, and the test a known value passes."""

    label: str
    kind: str


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


_LEVELS = "one of " + ", ".join(QUALIFICATION_LEVELS)

# Each kind of field: the test a known value must pass, and what it expects in words.
CHECKS: Mapping[str, tuple[Callable[[object], bool], str]] = MappingProxyType(
    {
        "count": (_is_count, "a whole number of at least 1"),
        "positive": (
            lambda v: (n := finite_number(v)) is not None and n > 0,
            "a number above 0",
        ),
        "amount": (
            lambda v: (n := finite_number(v)) is not None and n >= 0,
            "a number of 0 or more",
        ),
        "level": (lambda v: isinstance(v, str) and v in QUALIFICATION_LEVELS, _LEVELS),
        "flag": (lambda v: isinstance(v, bool), "true or false"),
    }
)

FIELDS: Mapping[str, FieldSpec] = MappingProxyType(
    {
        "sessions": FieldSpec("number of sessions", "count"),
        "session_hours": FieldSpec("length of a session in hours", "positive"),
        "practitioners_per_session": FieldSpec("practitioners at each session", "count"),
        "practitioner_level": FieldSpec("practitioners' qualification level", "level"),
        "families_per_group": FieldSpec("families in a group", "count"),
        "practitioner_training_hours": FieldSpec("hours of practitioner training", "amount"),
        "practitioner_training_fee": FieldSpec("practitioner training fee", "amount"),
        "booster_training": FieldSpec("whether booster training is needed", "flag"),
        "supervisor_level": FieldSpec("supervisor's qualification level", "level"),
        "supervisor_training_hours": FieldSpec("hours of supervisor training", "amount"),
        "supervision_hours_per_family": FieldSpec("supervision hours per family", "amount"),
        "licence_fee": FieldSpec("licence fee", "amount"),
        "setup_materials": FieldSpec("start-up materials", "amount"),
        "materials_per_family": FieldSpec("materials per family", "amount"),
    }
)


def profile_problems(profile: CostProfile, record: str) -> list[Problem]:
    """One problem for each known profile value that cannot be right."""
    problems = []
    for name, spec in FIELDS.items():
        value = getattr(profile, name)
        accepts, expected = CHECKS[spec.kind]
        if value is not None and not accepts(value):
            problems.append(Problem(record, f"cost.{name}", expected, describe(value)))
    return problems


def delivery_problems(delivery_models: Sequence[str], record: str) -> list[Problem]:
    """One problem for each delivery model that is not in the vocabulary."""
    expected = "one of " + ", ".join(DELIVERY_MODELS)
    return [
        Problem(record, "characteristics.delivery_models", expected, describe(model))
        for model in delivery_models
        if model not in DELIVERY_MODELS
    ]
