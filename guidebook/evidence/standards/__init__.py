"""Evidence standards: versioned rule sets that rate programmes with reasons.

Use ``get_standard(key).rate(programme)`` for a ``RatingResult``; ``explain`` (in
``guidebook.evidence.explain``) turns a result into the sentences a page shows.
Importing this package registers the built-in standards "eif-2017" and "eif-2018".
"""

from guidebook.evidence.standards.criteria import CRITERIA, CRITERIA_BY_ID, GROUPS, Criterion
from guidebook.evidence.standards.eif_2017 import EIF_2017, Eif2017
from guidebook.evidence.standards.eif_2018 import EIF_2018, MIXED_FINDINGS, Eif2018
from guidebook.evidence.standards.judging import JudgedFinding, judge_finding
from guidebook.evidence.standards.parameters import (
    ATTRITION_BOUNDARIES,
    DEFAULT_LIMITS,
    PARAMETERS,
    Limits,
    Parameter,
    highest_differential_attrition,
)
from guidebook.evidence.standards.rating import INDEPENDENT_REPORTERS
from guidebook.evidence.standards.registry import (
    Standard,
    all_standards,
    get_standard,
    newest_standard_key,
    register,
)
from guidebook.evidence.standards.result import (
    RATING_VALUES,
    RatingResult,
    StudyResult,
    rating_rank,
)
from guidebook.evidence.standards.study_level import level_study

__all__ = [
    "ATTRITION_BOUNDARIES",
    "CRITERIA",
    "CRITERIA_BY_ID",
    "DEFAULT_LIMITS",
    "EIF_2017",
    "EIF_2018",
    "GROUPS",
    "INDEPENDENT_REPORTERS",
    "MIXED_FINDINGS",
    "PARAMETERS",
    "RATING_VALUES",
    "Criterion",
    "Eif2017",
    "Eif2018",
    "JudgedFinding",
    "Limits",
    "Parameter",
    "RatingResult",
    "Standard",
    "StudyResult",
    "all_standards",
    "get_standard",
    "highest_differential_attrition",
    "judge_finding",
    "level_study",
    "newest_standard_key",
    "rating_rank",
    "register",
]
