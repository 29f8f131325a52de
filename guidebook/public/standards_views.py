"""The standards pages: what ratings mean and how they are worked out.

Every fact on these pages is read from the code that rates and costs programmes (the
standards registry, the criteria, the parameter tables, ``describe_level``, the cost
model), never typed twice, so the pages cannot drift from the rules. Each page's JSON
twin is the same data the HTML is rendered from. Only the prose around the facts, and
the guide to a programme page, are written here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from guidebook.catalogue.publishing import LISTED_FROM
from guidebook.evidence import cost_parameters, vocabulary
from guidebook.evidence.cost import estimate_cost
from guidebook.evidence.cost_ranges import DELIVERY_DEFAULTS, INPUT_RANGES, input_range
from guidebook.evidence.errors import UnknownStandard
from guidebook.evidence.explain import describe_level
from guidebook.evidence.records import CostProfile, Programme, StudyLevel
from guidebook.evidence.standards import (
    ATTRITION_BOUNDARIES,
    CRITERIA,
    DEFAULT_LIMITS,
    GROUPS,
    INDEPENDENT_REPORTERS,
    MIXED_FINDINGS,
    PARAMETERS,
    RATING_VALUES,
    Criterion,
    Limits,
    Standard,
    all_standards,
    get_standard,
    newest_standard_key,
    rating_rank,
)
from guidebook.public.caching import cache_public_page
from guidebook.public.crosswalk_standards_views import other_standards_data
from guidebook.public.rule_sentences import rule_asks

__all__ = [
    "cost_standard",
    "cost_standard_json",
    "how_to_read",
    "how_to_read_json",
    "standard_detail",
    "standard_json",
    "standards_index",
    "standards_index_json",
]

_PLUSSED_LEVELS = ("4", "3", "2")
_BELOW_LEVEL_2 = ("NE", "NL2")


# --- The index ---------------------------------------------------------------------------


def standards_index_data() -> dict[str, Any]:
    """Every registered standard, newest first, and the other standards pages."""
    newest = newest_standard_key()
    return {
        "newest": newest,
        "standards": [
            {
                "key": standard.key,
                "version": standard.version,
                "year": standard.year,
                "title": standard.title,
                "summary": standard.summary,
                "newest": standard.key == newest,
                "url": reverse("public:standard_detail", args=[standard.key]),
                "json_url": reverse("public:standard_json", args=[standard.key]),
            }
            for standard in reversed(all_standards())
        ],
        "other_clearinghouses": other_standards_data(),
        "pages": [
            {"title": "Cost ratings", "url": reverse("public:cost_standard")},
            {"title": "How to read a programme page", "url": reverse("public:how_to_read")},
        ],
    }


# --- One evidence standard -----------------------------------------------------------------


def _limits_of(standard: Standard) -> Limits:
    """The limits a standard applies (the defaults for a standard that sets none)."""
    limits = getattr(standard, "limits", None)
    return limits if isinstance(limits, Limits) else DEFAULT_LIMITS


def rules_checked(standard: Standard) -> list[str]:
    """The programme rules a standard records a reason for, read from rating an empty
    programme: every rule is evaluated for every programme, met or not."""
    empty = Programme(slug="no-studies", name="A programme with no studies")
    return [reason.rule for reason in standard.rate(empty).reasons]


def _suffix(value: str, base: str) -> str:
    """What ``describe_level`` adds for ``value`` beyond the level's own meaning."""
    return describe_level(value).removeprefix(describe_level(base)).strip()


def _rating_values(has_asterisk: bool) -> list[str]:
    """Every value the standard can give, highest first, with "*" forms if it has them."""
    values = list(reversed(RATING_VALUES))
    if not has_asterisk:
        return values
    starred = [value + "*" for value in values if value[0].isdigit()]
    return sorted(values + starred, key=lambda v: (-rating_rank(v), v))


def _criterion(criterion: Criterion, limits: Limits) -> dict[str, Any]:
    limit = criterion.minimum
    return {
        "id": criterion.id,
        "group": criterion.group,
        "question": criterion.question,
        "kind": criterion.kind,
        "gates": criterion.gates.value,
        "gates_label": criterion.gates.label,
        "role": criterion.role,
        "limit": limit,
        "limit_value": None if limit is None else getattr(limits, limit),
        "highest": criterion.highest,
    }


def standard_data(standard: Standard) -> dict[str, Any]:
    """One standard as its page shows it: ratings, study levels, criteria, limits."""
    rules = rules_checked(standard)
    has_asterisk = MIXED_FINDINGS in rules
    limits = _limits_of(standard)
    criteria = [_criterion(criterion, limits) for criterion in CRITERIA]
    return {
        "key": standard.key,
        "version": standard.version,
        "year": standard.year,
        "title": standard.title,
        "summary": standard.summary,
        "ratings": [
            {
                "value": value,
                "level": value.rstrip("+*"),
                "plus": "+" in value,
                "asterisk": value.endswith("*"),
                "meaning": describe_level(value),
                "listed": rating_rank(value) >= LISTED_FROM,
            }
            for value in _rating_values(has_asterisk)
        ],
        "levels": [
            {"value": level, "meaning": describe_level(level)}
            for level in (*_PLUSSED_LEVELS, *_BELOW_LEVEL_2)
        ],
        "plus": [
            {"value": f"{level}+", "meaning": _suffix(f"{level}+", level)}
            for level in _PLUSSED_LEVELS
        ],
        "asterisk": _suffix("3*", "3") if has_asterisk else None,
        "study_levels": [
            {
                "value": level.value,
                "label": level.label,
                "criteria": [c["id"] for c in criteria if c["gates"] == level.value],
            }
            for level in StudyLevel
        ],
        "criteria_groups": [
            {"group": group, "criteria": [c for c in criteria if c["group"] == group]}
            for group in GROUPS
        ],
        "parameters": [
            {
                "name": parameter.name,
                "value": getattr(limits, parameter.name),
                "default": parameter.default,
                "help": parameter.help,
                "source": parameter.source,
                "decision": parameter.decision,
            }
            for parameter in PARAMETERS
        ],
        "attrition_boundary": {
            "name": limits.attrition_boundary,
            "points": [list(point) for point in ATTRITION_BOUNDARIES[limits.attrition_boundary]],
        },
        "independent_reporters": [
            {"key": key, "label": label}
            for key, label in vocabulary.REPORTERS.items()
            if key in INDEPENDENT_REPORTERS
        ],
        "rules": rules,
        "rules_in_words": [{"rule": rule, "asks": rule_asks(rule)} for rule in rules],
    }


# --- Cost ratings ---------------------------------------------------------------------------

# A made-up group programme that publishes its delivery but not its training fee,
# licence, supervision or materials, so the worked example shows the plausible ranges
# as well as the sums.
EXAMPLE_PROFILE = CostProfile(
    sessions=14,
    session_hours=2.0,
    practitioners_per_session=2,
    practitioner_level="qcf-6",
    families_per_group=8,
    practitioner_training_hours=24.0,
)
EXAMPLE_DELIVERY = ("group",)


def _delivery_default(value: float | str | None) -> str:
    """An unknown input's default under a delivery model, in words."""
    if value is None:
        return "none: the length must be known"
    if isinstance(value, str):
        plausible = input_range(value)
        return (
            f"{plausible.low:g} to {plausible.high:g} {plausible.unit} "
            f"({plausible.typical:g} typical)"
        )
    return f"{value:g}"


def cost_data() -> dict[str, Any]:
    """The cost bands, every cost parameter and plausible range, and a worked example."""
    unknown = estimate_cost(CostProfile(), "a programme with nothing known", None, ("telephone",))
    example = estimate_cost(EXAMPLE_PROFILE, "the worked example", None, EXAMPLE_DELIVERY)
    return {
        "bands": [
            {"rating": band.rating, "label": band.label, "unit_cost": band.wording}
            for band in cost_parameters.COST_BANDS
        ],
        "not_available": "NA",
        "required_inputs": [{"field": m.field, "label": m.label} for m in unknown.missing],
        "qualification_levels": [
            {
                "key": key,
                "label": label,
                "parameter": cost_parameters.hourly_cost_parameter(key),
                "hourly_cost": cost_parameters.parameter(
                    cost_parameters.hourly_cost_parameter(key)
                ).default,
            }
            for key, label in vocabulary.QUALIFICATION_LEVELS.items()
        ],
        "delivery_defaults": [
            {
                "key": key,
                "label": vocabulary.DELIVERY_MODELS[key],
                "families": _delivery_default(rules.families),
                "practitioners": _delivery_default(rules.practitioners),
                "session_hours": _delivery_default(rules.session_hours),
            }
            for key, rules in DELIVERY_DEFAULTS.items()
        ],
        "plausible_ranges": [
            {
                "key": plausible.key,
                "what": plausible.what,
                "unit": plausible.unit,
                "low": plausible.low,
                "typical": plausible.typical,
                "high": plausible.high,
                "parameters": [plausible.low_name, plausible.typical_name, plausible.high_name],
                "source": plausible.source,
            }
            for plausible in INPUT_RANGES
        ],
        "parameters": [
            {
                "name": parameter.name,
                "default": parameter.default,
                "unit": parameter.unit,
                "allowed": parameter.expected,
                "help": parameter.help,
                "source": parameter.source,
            }
            for parameter in cost_parameters.PARAMETERS
        ],
        "example": {
            "profile": {k: v for k, v in vars(EXAMPLE_PROFILE).items() if v is not None},
            "delivery_models": list(EXAMPLE_DELIVERY),
            "estimate": example.to_dict(),
        },
    }


# --- How to read a programme page ------------------------------------------------------------

# (heading as the programme page shows it, when it is shown, what it tells you)
HOW_TO_READ: tuple[tuple[str, str, str], ...] = (
    (
        "Evidence rating",
        "always",
        "The box at the top gives the rating in short: 2, 3 or 4, perhaps with a plus or "
        "an asterisk, or NL2 or NE. It measures how confident one can be that the "
        "programme itself caused better outcomes for children, not how large the "
        "benefit was. A rating marked imported is another guidebook's, shown with its "
        "source and date until the studies behind it are appraised here (see below).",
    ),
    (
        "Cost rating",
        "always",
        "Beside it, a number from 1 (low) to 5 (high) compares how much setting up and "
        "running the programme asks of a service. NA means the cost cannot be placed in "
        "one band: either an input the model cannot do without is missing, or the "
        "inputs the record does not give could put it in more than one band; the page "
        "then says which inputs, and which bands. A cost rating marked imported is another "
        "guidebook's, shown only while the cost model gives NA.",
    ),
    (
        "On this page",
        "always",
        "A list of the page's sections, each a link, so a long page can be read in any "
        "order. The cost calculator is folded under the cost rating: open it to work out "
        "the cost with your own local figures.",
    ),
    (
        "Programme assessment",
        "always",
        "This section explains the rating. It opens with one sentence on what the "
        "evidence shows for this programme and names the standard and version that "
        "produced the rating.",
    ),
    (
        "What does the evidence rating mean?",
        "always",
        "The general meaning of the programme's level, the same for every programme at that level.",
    ),
    (
        "Why is it not rated higher?",
        "when a higher rating exists",
        "Each condition of the next level up that the programme's evidence does not yet "
        "meet, one per line; for a 4, the conditions of 4+ (the heading then asks why it "
        "is not rated 4+). New studies that meet them would raise the rating.",
    ),
    (
        "What does the plus mean?",
        "only when the rating has a plus",
        "What this programme's evidence has beyond the basic threshold of its level.",
    ),
    (
        "What does the asterisk mean?",
        "only when the rating has an asterisk",
        "The asterisk marks mixed evidence: at least one rigorous study found, on "
        "balance, no effect or a harmful one. The studies concerned are named.",
    ),
    (
        "Every rule checked for this rating",
        "always (folded away until opened)",
        "Every rule of the standard, whether the programme met it, and the values that "
        "decided it. This is the full audit trail behind the sentences above.",
    ),
    (
        "Child outcomes",
        "always",
        "The outcomes for children that the rated evidence supports, grouped by the "
        "kind of outcome, each followed by the studies that found it. Benefits for "
        "parents or families are noted apart: they do not count towards the rating.",
    ),
    (
        "Key programme characteristics",
        "always",
        "Who the programme is for (age group), how it is delivered, where, and at what "
        "level of need, with the countries it has been run in and whether it has been "
        "delivered or evaluated in the UK.",
    ),
    (
        "About the programme",
        "always",
        "What happens during delivery (sessions, their length and frequency), what it "
        "takes to run (who delivers it, training, supervision, fidelity, licences), how "
        "it is meant to work, and whom to contact.",
    ),
    (
        "About the evidence",
        "always",
        "One entry per evaluation: citation, design, country, sample, timing, the "
        "outcomes measured, and the level the study was appraised at.",
    ),
    (
        "Rating history and dates",
        "always",
        "When the programme's profile was first published and last updated, when this "
        "version was published on Guidebook, and every publication of its rating here, "
        "with its date, the standard and version used and the review round, so a change "
        "of rating can be traced. Every date is given in full, in the same form.",
    ),
    (
        "This page as data (JSON)",
        "always",
        "The same page as machine-readable data: the record, the rating with all its "
        "reasons, the cost breakdown and the history.",
    ),
)


# What "imported" means, for the help page and its twin; every format links here.
IMPORTED_HELP: tuple[str, ...] = (
    "Guidebook rates programmes itself. It computes the evidence rating from a "
    "programme's studies once the evidence team has appraised them (two reviewers on "
    "their own, then a consensus), and the cost rating from the delivery facts its "
    "cost model needs.",
    "Until that is done, a programme may carry the ratings another guidebook published "
    "for it. Such a rating is marked imported wherever it appears: on the programme's "
    "page and its PDF, on the compare page and the shortlist, in the catalogue, the "
    "downloads and the API. With it come its source, the date it was retrieved and one "
    "sentence saying that the studies behind it are not yet appraised here. Guidebook "
    "then shows no evidence rating of its own: with no study appraised there is nothing "
    "to compute from, and NL2 (not level 2) would wrongly suggest that the evidence had "
    "been read and found wanting.",
    "Once at least one study has a consensus appraisal, the rating Guidebook computes "
    "is the one shown. A rating published elsewhere stays beside it, with its source "
    "and date, and one sentence says whether the two agree; where they differ, the "
    "reasons on the page show why.",
    "Cost ratings work the same way: a published cost rating is shown, marked imported, "
    "only while Guidebook's cost model cannot estimate the programme for want of the "
    "inputs the page lists; once it can, the estimate is shown and the published rating "
    "is set beside it.",
)


def how_to_read_data() -> dict[str, Any]:
    """The sections of a programme page, in page order, each with what it tells you, and
    what a rating marked imported is."""
    return {
        "sections": [
            {"heading": heading, "shown": shown, "explanation": text}
            for heading, shown, text in HOW_TO_READ
        ],
        "imported": {"heading": "Imported ratings", "explanation": list(IMPORTED_HELP)},
        "standards_url": reverse("public:standards_index"),
        "cost_url": reverse("public:cost_standard"),
    }


# --- Views ---------------------------------------------------------------------------------


def _get_standard(key: str) -> Standard:
    """The registered standard with this key, or 404."""
    try:
        return get_standard(key)
    except UnknownStandard:
        raise Http404(f"No evidence standard '{key}'") from None


def _json(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@cache_public_page
def standards_index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/standards/index.html", standards_index_data())


@cache_public_page
def standards_index_json(request: HttpRequest) -> JsonResponse:
    return _json(standards_index_data())


@cache_public_page
def standard_detail(request: HttpRequest, key: str) -> HttpResponse:
    data = standard_data(_get_standard(key))
    return render(request, "public/standards/detail.html", {"standard": data})


@cache_public_page
def standard_json(request: HttpRequest, key: str) -> JsonResponse:
    return _json(standard_data(_get_standard(key)))


@cache_public_page
def cost_standard(request: HttpRequest) -> HttpResponse:
    return render(request, "public/standards/cost.html", cost_data())


@cache_public_page
def cost_standard_json(request: HttpRequest) -> JsonResponse:
    return _json(cost_data())


@cache_public_page
def how_to_read(request: HttpRequest) -> HttpResponse:
    return render(request, "public/standards/how_to_read.html", how_to_read_data())


@cache_public_page
def how_to_read_json(request: HttpRequest) -> JsonResponse:
    return _json(how_to_read_data())
