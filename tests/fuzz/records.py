"""Hypothesis strategies: valid programme records, and mutations of them.

Valid records are built field by field within the documented limits
(``record_limits``); mutations then break one thing at a time, either in the decoded
value (a wrong type, a number out of range or not finite, hostile text, deep nesting,
an unknown key or vocabulary value, another URL scheme) or in the JSON text itself
(a key given twice, a NaN literal, brackets nested a thousand deep).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import strategies as st

from guidebook.evidence import vocabulary
from guidebook.evidence.record_schema import FORMAT, IMPORTABLE_RATINGS
from guidebook.evidence.standards import CRITERIA

TEXT_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def text(max_size: int = 40, min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(TEXT_CHARACTERS, min_size=min_size, max_size=max_size)


slugs = st.from_regex(r"\A[a-z0-9]{1,8}(?:-[a-z0-9]{1,8}){0,4}\Z")
keys = st.from_regex(r"\A[a-z0-9][-a-z0-9_]{0,20}\Z")
dates = st.dates(date(1950, 1, 1), date(2030, 12, 31)).map(date.isoformat)
hosts = st.from_regex(r"\A[a-z][a-z0-9]{0,10}\.(?:org|com|co\.uk|ac\.uk)\Z")
urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["http", "https"]),
    hosts,
    st.from_regex(r"\A(?:/[A-Za-z0-9._~%-]{0,12}){0,3}(?:\?[a-z]=[0-9]{1,4})?\Z"),
)
emails = st.builds(
    lambda user, host: f"{user}@{host}",
    st.from_regex(r"\A[a-z0-9._+-]{1,10}\Z").filter(
        lambda u: not (u.startswith(".") or u.endswith(".") or ".." in u)
    ),
    hosts,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def numbers(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def vocabulary_keys(vocab: Any) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(list(vocab)), unique=True, max_size=3)


hours = st.integers(0, 2400).map(lambda hundredths: hundredths / 100)
group_sizes = st.integers(2, 5_000)


def published_effect(draw: st.DrawFn, n1: int, n2: int) -> dict[str, Any]:
    """A published effect with a standard error, an interval around it, or both."""
    effect = draw(numbers(-3, 3))
    data: dict[str, Any] = {
        "type": "effect",
        "effect_size": effect,
        "metric": draw(st.sampled_from(list(vocabulary.PUBLISHED_METRICS))),
        "higher_is_better": draw(st.booleans()),
    }
    precision = draw(st.sampled_from(["se", "ci", "both"]))
    if precision in {"se", "both"}:
        data["se"] = draw(numbers(0.01, 2))
    if precision in {"ci", "both"}:
        data["ci_lower"] = effect - draw(numbers(0.01, 2))
        data["ci_upper"] = effect + draw(numbers(0.01, 2))
        data["ci_level"] = draw(st.sampled_from([0.9, 0.95, 0.99]))
    if draw(st.booleans()):
        data.update(n_treatment=n1, n_comparison=n2)
    return data


@st.composite
def provenances(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    return {
        "sources": draw(st.lists(urls, min_size=1, max_size=2)),
        "retrieved": draw(dates),
        "appraised_by": draw(text(150, 1)),
        "note": draw(text(200)),
    }


dois = st.from_regex(r"\A(?:10\.[0-9]{4,9}/[A-Za-z0-9._;()/:-]{1,30})?\Z")
publications = st.fixed_dictionaries(
    {"citation": text(200, 1), "url": st.just("") | urls},
    optional={
        "authors": st.lists(text(200, 1), max_size=3),
        "year": maybe(st.integers(1800, 2100)),
        "title": text(300),
        "journal": text(300),
        "volume": text(30),
        "issue": text(30),
        "pages": text(30),
        "doi": dois,
        "pmid": st.from_regex(r"\A[0-9]{0,20}\Z"),
    },
)


@st.composite
def statistics(draw: st.DrawFn) -> dict[str, Any] | None:
    n1, n2 = draw(group_sizes), draw(group_sizes)
    kind = draw(st.sampled_from(["none", "means", "t", "f", "p", "counts", "effect"]))
    sizes = {"n_treatment": n1, "n_comparison": n2}
    if kind == "none":
        return None
    if kind == "means":
        data = {
            "type": "means",
            "mean_treatment": draw(numbers(-1000, 1000)),
            "sd_treatment": draw(numbers(0.01, 100)),
            "mean_comparison": draw(numbers(-1000, 1000)),
            "sd_comparison": draw(numbers(0.01, 100)),
            **sizes,
            "higher_is_better": draw(st.booleans()),
        }
    elif kind == "t":
        data = {"type": "t", "t": draw(numbers(-50, 50)), **sizes}
    elif kind == "f":
        data = {"type": "f", "f": draw(numbers(0, 500)), **sizes, "favours_treatment": True}
    elif kind == "p":
        data = {"type": "p", "p": draw(numbers(1e-6, 1)), **sizes, "favours_treatment": False}
    elif kind == "effect":
        data = published_effect(draw, n1, n2)
    else:
        data = {
            "type": "counts",
            "events_treatment": draw(st.integers(0, n1)),
            "events_comparison": draw(st.integers(0, n2)),
            **sizes,
        }
    if draw(st.booleans()):
        data["cluster"] = {
            "intraclass_correlation": draw(numbers(0, 0.3)),
            # The effect-size formulas need clusters of at most half the sample.
            "mean_cluster_size": draw(numbers(1, min(20, (n1 + n2) / 2))),
        }
    return data


@st.composite
def findings(draw: st.DrawFn, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "outcome": draw(text(200, 1)),
        "category": draw(st.sampled_from(list(vocabulary.OUTCOME_CATEGORIES))),
        "measure": draw(text(200)),
        "reporter": draw(st.sampled_from(list(vocabulary.REPORTERS))),
        "beneficiary": draw(st.sampled_from(list(vocabulary.BENEFICIARIES))),
        "months_after": draw(maybe(numbers(0, 1200))),
        "direction": draw(maybe(st.sampled_from(list(vocabulary.DIRECTIONS)))),
        "significant": draw(maybe(st.booleans())),
        "statistics": draw(statistics()),
        "provenance": draw(provenances()),
    }


@st.composite
def appraisals(draw: st.DrawFn) -> dict[str, Any] | None:
    choice = draw(st.sampled_from(["none", "answers", "verdict"]))
    if choice == "none":
        return None
    appraisal: dict[str, Any] = {"reviewer": draw(text(150, 1)), "consensus": True}
    if choice == "verdict":
        appraisal["verdict"] = draw(st.sampled_from(["below-2", "2", "2-quality", "3"]))
        appraisal["justification"] = draw(text(300, 1).filter(str.strip))
        return appraisal
    answers: dict[str, Any] = {}
    for criterion in draw(st.lists(st.sampled_from(CRITERIA), unique=True)):
        if criterion.kind == "yes-no":
            answers[criterion.id] = draw(st.booleans())
        else:
            highest = criterion.highest if criterion.highest is not None else 10_000
            answers[criterion.id] = draw(numbers(criterion.lowest, highest))
    appraisal["answers"] = answers
    return appraisal


@st.composite
def studies(draw: st.DrawFn, key: str) -> dict[str, Any]:
    finding_keys = draw(st.lists(keys, unique=True, max_size=3))
    return {
        "key": key,
        "label": draw(text(60, 1)),
        "citation": draw(text(300, 1)),
        "design": draw(st.sampled_from(list(vocabulary.DESIGNS))),
        "country": draw(text(100)),
        "sample": draw(text(100)),
        "sample_size": draw(maybe(st.integers(1, 100_000_000))),
        "timing": draw(text(200)),
        "independent": draw(st.booleans()),
        "other_outcomes": draw(st.lists(text(60), max_size=2)),
        "publications": draw(st.lists(publications, max_size=2)),
        "findings": [draw(findings(finding_key)) for finding_key in finding_keys],
        "appraisal": draw(appraisals()),
        "provenance": draw(provenances()),
    }


def _cost() -> st.SearchStrategy[dict[str, Any]]:
    levels = maybe(st.sampled_from(list(vocabulary.QUALIFICATION_LEVELS)))
    pounds = maybe(numbers(0, 10_000_000))
    return st.fixed_dictionaries(
        {
            "sessions": maybe(st.integers(1, 1000)),
            "session_hours": maybe(numbers(0.01, 24)),
            "practitioners_per_session": maybe(st.integers(1, 100)),
            "practitioner_level": levels,
            "families_per_group": maybe(st.integers(1, 1000)),
            "practitioner_training_hours": maybe(numbers(0, 10_000)),
            "practitioner_training_fee": pounds,
            "booster_training": maybe(st.booleans()),
            "supervisor_level": levels,
            "supervisor_training_hours": maybe(numbers(0, 10_000)),
            "supervision_hours_per_family": maybe(numbers(0, 10_000)),
            "licence_fee": pounds,
            "setup_materials": pounds,
            "materials_per_family": pounds,
        }
    )


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid programme record in its decoded JSON form."""
    low, high = sorted([draw(maybe(hours)), draw(maybe(hours))], key=lambda h: (h is None, h))
    if high is None:
        low, high = None, low
    study_keys = draw(st.lists(keys, unique=True, max_size=3))
    review_names = draw(st.lists(st.tuples(text(200, 1), dates), unique=True, max_size=2))
    return {
        "format": FORMAT,
        "slug": draw(slugs),
        "name": draw(text(200, 1)),
        "summary": draw(text(300)),
        "description": draw(text(300)),
        "characteristics": {
            "age_groups": draw(vocabulary_keys(vocabulary.AGE_GROUPS)),
            "delivery_models": draw(vocabulary_keys(vocabulary.DELIVERY_MODELS)),
            "settings": draw(vocabulary_keys(vocabulary.SETTINGS)),
            "targeting": draw(vocabulary_keys(vocabulary.TARGETING)),
            "countries": draw(st.lists(text(100, 1), max_size=3)),
            "uk_provision": draw(maybe(st.booleans())),
            "uk_evaluation": draw(maybe(st.booleans())),
        },
        "delivery": {
            "sessions": draw(maybe(st.integers(1, 1000))),
            "session_hours_min": low,
            "session_hours_max": high,
            "frequency": draw(text(200)),
            "duration": draw(text(200)),
            "summary": draw(st.lists(text(100), max_size=2)),
            "activities": draw(st.lists(text(100), max_size=2)),
        },
        "implementation": {
            name: draw(text(200))
            for name in ("practitioners", "training", "supervision", "fidelity", "licence")
        },
        "cost": draw(_cost()),
        "theory_of_change": draw(st.lists(text(100), max_size=3)),
        "contact": {
            "name": draw(text(200)),
            "organisation": draw(text(200)),
            "email": draw(st.just("") | emails),
            "website": draw(st.just("") | urls),
        },
        "reviews": [{"name": name, "date": when} for name, when in review_names],
        "first_published": draw(maybe(dates)),
        "last_updated": draw(maybe(dates)),
        "evidence_summary": draw(text(300)),
        "other_outcomes_note": draw(text(100)),
        "studies": [draw(studies(key)) for key in study_keys],
        "imported": draw(
            maybe(
                st.fixed_dictionaries(
                    {
                        "evidence_rating": st.sampled_from(IMPORTABLE_RATINGS),
                        "cost_rating": st.sampled_from(["1", "2", "3", "4", "5", "NA"]),
                        "source": urls,
                        "retrieved": dates,
                        "note": text(100),
                        "outcomes": st.lists(
                            st.fixed_dictionaries(
                                {
                                    "category": st.sampled_from(
                                        list(vocabulary.OUTCOME_CATEGORIES)
                                    ),
                                    "outcome": text(200),
                                }
                            ),
                            max_size=2,
                        ),
                    }
                )
            )
        ),
    }


# --- Mutations ----------------------------------------------------------------------


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),  # NaN and the infinities included
    st.sampled_from([0, -1, 1000, 1001, 2**31, 2**63, 1e300, 1e16, 0.1 + 0.2, 1.234]),
    st.text(max_size=30),  # any code point, surrogates and NUL included
    st.sampled_from(
        [
            "x\n",
            "a\x00b",
            "\ud800",
            "x" * 121,
            "y" * 20_001,
            "javascript:alert(1)",
            "ftp://example.org",
            "https://localhost",
            "not-a-vocabulary-key",
            "2.5",
            "NaN",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.integers(20, 40).map(_nested),
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    places = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            places += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            places += _places(item, (*path, index))
    return places


@st.composite
def mutated_values(draw: st.DrawFn) -> dict[str, Any]:
    """A valid record with one value replaced, or one unknown key added."""
    record = draw(records())
    path = draw(st.sampled_from(_places(record)[1:]))
    target = record
    for step in path[:-1]:
        target = target[step]
    if draw(st.booleans()) and isinstance(target, dict):
        target[draw(st.text(min_size=1, max_size=8))] = draw(HOSTILE_VALUES)
    else:
        target[path[-1]] = draw(HOSTILE_VALUES)
    return record


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A valid record's JSON text with a repeated key, a non-finite literal or deep nesting."""
    record = draw(records())
    text = json.dumps(record, ensure_ascii=draw(st.booleans()))
    kind = draw(st.sampled_from(["repeat", "literal", "deep", "truncate"]))
    if kind == "repeat":
        return text.replace('"name": ', '"name": "again", "name": ', 1)
    if kind == "literal":
        literal = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "9" * 500]))
        return text.replace('"sessions": ', f'"sessions": {literal}, "x": ', 1)
    if kind == "deep":
        depth = draw(st.integers(15, 3000))
        return text.replace('"summary": ', '"summary": ' + "[" * depth + "]" * depth + ', "s": ', 1)
    return text[: draw(st.integers(0, len(text)))]
