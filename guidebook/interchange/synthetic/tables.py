"""The tables a synthetic catalogue is drawn from: ratings, study plans, outcomes, places.

Each intended rating has a recipe: the studies it needs, then the filler studies that
cannot change it, with their weights (see ``RECIPES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from guidebook.evidence import vocabulary
from guidebook.evidence.records import StudyLevel

# Intended ratings and their shares. The published guidebook lists mostly level 2
# and 3 programmes, few at level 4, and keeps NL2 and NE apart; these shares follow
# that shape [decision: the exact shares are not published].
RATING_MIX: tuple[tuple[str, float], ...] = (
    ("4+", 0.02),
    ("4", 0.04),
    ("3+", 0.24),
    ("3", 0.16),
    ("2+", 0.16),
    ("2", 0.18),
    ("NL2", 0.14),
    ("NE", 0.06),
)

MOST_STUDIES = 30
NOTE = "Synthetic catalogue"

OUTCOMES = {
    "mental-health": (
        "Reduced anxiety symptoms",
        "Improved emotional wellbeing",
        "Fewer depressive symptoms",
        "Improved attachment security",
        "Better self-regulation",
    ),
    "maltreatment": (
        "Fewer substantiated maltreatment reports",
        "Fewer child protection referrals",
        "Fewer injuries needing hospital treatment",
    ),
    "school-achievement": (
        "Improved early literacy",
        "Improved maths attainment",
        "Better school attendance",
        "Improved language development",
    ),
    "crime-antisocial": (
        "Reduced conduct problems",
        "Less aggressive behaviour",
        "Fewer arrests",
        "Less bullying",
    ),
    "substance-abuse": ("Less alcohol use", "Later first use of cannabis", "Less smoking"),
    "risky-sexual-behaviour": (
        "Fewer teenage pregnancies",
        "More consistent condom use",
        "Later sexual initiation",
    ),
    "obesity-physical-health": (
        "Healthier body mass index",
        "More physical activity",
        "Healthier diet",
        "Fewer emergency hospital visits",
    ),
}
PARENT_OUTCOMES = (
    "Reduced parental stress",
    "Greater parenting confidence",
    "Fewer symptoms of parental depression",
)
COUNTRIES = (
    ("United States", 0.45),
    ("United Kingdom", 0.15),
    ("Australia", 0.08),
    ("Netherlands", 0.06),
    ("Norway", 0.05),
    ("Canada", 0.06),
    ("Ireland", 0.05),
    ("New Zealand", 0.04),
    ("Germany", 0.03),
    ("Sweden", 0.03),
)
INDEPENDENT_REPORTERS = ("observer", "assessor", "records", "teacher")
REPORTERS = ("participant", "participant", "observer", "assessor", "records", "teacher")


def _keys(vocab: Any, wanted: Sequence[str]) -> tuple[str, ...]:
    """The wanted keys that the vocabulary has, in vocabulary order."""
    order = list(vocab)
    return tuple(sorted((key for key in wanted if key in vocab), key=order.index))


AGE_GROUPS = tuple(vocabulary.AGE_GROUPS)
DELIVERY_MODELS = _keys(
    vocabulary.DELIVERY_MODELS,
    ["individual", "group", "home-visiting", "telephone", "online", "classroom"],
)
SETTINGS = _keys(
    vocabulary.SETTINGS,
    [
        "home",
        "childrens-centre",
        "preschool",
        "primary-school",
        "secondary-school",
        "community-centre",
        "outpatient-health",
        "online",
    ],
)
TARGETING = _keys(vocabulary.TARGETING, ["universal", "targeted-selected", "targeted-indicated"])


# --- Plans: what a study must show for the intended rating ----------------------------


@dataclass(frozen=True)
class StudyPlan:
    """The level a study is appraised at and what its child findings show.

    ``improved`` studies found a child outcome improved; the others found none (and
    nothing for parents either, so a rigorous one counts as "no benefit").
    ``lasting`` and ``independent_measure`` shape the first child finding for level 4;
    ``short_term`` keeps every child finding under 12 months so level 4 is out of reach.
    """

    level: StudyLevel
    improved: bool
    lasting: bool = False
    independent_measure: bool = False
    independent_evaluation: bool | None = None
    short_term: bool = False


L3, L2Q, L2, BELOW = (
    StudyLevel.LEVEL_3,
    StudyLevel.LEVEL_2_QUALITY,
    StudyLevel.LEVEL_2,
    StudyLevel.BELOW_2,
)
_LEVEL_4 = StudyPlan(L3, True, lasting=True, independent_measure=True)
_RIGOROUS_SHORT = StudyPlan(L3, True, short_term=True)
_RIGOROUS_NULL = StudyPlan(L3, False)
_BELOW_2 = StudyPlan(BELOW, False)

# The studies each rating needs, then the filler studies that cannot change it, with
# their weights. Why each filler is safe: level 4 needs a lasting, independently
# measured rigorous result, which only the required plans have; 3 allows no second
# supporting study; NL2 allows no rigorous study at all (it would make NE).
RECIPES: dict[str, tuple[tuple[StudyPlan, ...], tuple[tuple[StudyPlan, float], ...]]] = {
    "4+": (
        (replace(_LEVEL_4, independent_evaluation=True), _LEVEL_4),
        (
            (_BELOW_2, 0.3),
            (StudyPlan(L2, True), 0.25),
            (StudyPlan(L2Q, True), 0.2),
            (_RIGOROUS_SHORT, 0.1),
            (StudyPlan(L2, False), 0.1),
            (_RIGOROUS_NULL, 0.015),
        ),
    ),
    "4": (
        (replace(_LEVEL_4, independent_evaluation=False), _RIGOROUS_SHORT),
        (
            (_BELOW_2, 0.3),
            (StudyPlan(L2, True), 0.25),
            (StudyPlan(L2Q, True), 0.2),
            (_RIGOROUS_SHORT, 0.1),
            (StudyPlan(L2, False), 0.1),
            (_RIGOROUS_NULL, 0.015),
        ),
    ),
    "3+": (
        (_RIGOROUS_SHORT, StudyPlan(L2Q, True)),
        (
            (_BELOW_2, 0.35),
            (StudyPlan(L2, True), 0.25),
            (StudyPlan(L2Q, True), 0.15),
            (_RIGOROUS_SHORT, 0.1),
            (StudyPlan(L2, False), 0.1),
            (_RIGOROUS_NULL, 0.015),
        ),
    ),
    "3": (
        (_RIGOROUS_SHORT,),
        (
            (_BELOW_2, 0.5),
            (StudyPlan(L2, False), 0.3),
            (StudyPlan(L2Q, False), 0.1),
            (_RIGOROUS_NULL, 0.015),
        ),
    ),
    "2+": (
        (StudyPlan(L2Q, True),),
        (
            (_BELOW_2, 0.4),
            (StudyPlan(L2, True), 0.2),
            (StudyPlan(L2Q, True), 0.15),
            (StudyPlan(L2, False), 0.2),
            (_RIGOROUS_NULL, 0.015),
        ),
    ),
    "2": (
        (StudyPlan(L2, True),),
        (
            (_BELOW_2, 0.5),
            (StudyPlan(L2, True), 0.25),
            (StudyPlan(L2, False), 0.15),
            (StudyPlan(L2Q, False), 0.1),
        ),
    ),
    "NL2": (
        (_BELOW_2,),
        ((_BELOW_2, 0.7), (StudyPlan(L2, False), 0.2), (StudyPlan(L2Q, False), 0.1)),
    ),
    "NE": (
        (_RIGOROUS_NULL,),
        (
            (_BELOW_2, 0.5),
            (StudyPlan(L2, False), 0.2),
            (StudyPlan(L2Q, False), 0.1),
            (_RIGOROUS_NULL, 0.2),
        ),
    ),
}
