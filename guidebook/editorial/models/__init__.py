"""The editorial workflow's records: submissions, assessment rounds, searches, appraisals."""

from guidebook.editorial.models.appraisal import Consensus, ReviewerAppraisal
from guidebook.editorial.models.assessment import (
    Assessment,
    EvidenceSearch,
    Screening,
    State,
    StateChange,
)
from guidebook.editorial.models.submission import Submission

__all__ = [
    "Assessment",
    "Consensus",
    "EvidenceSearch",
    "ReviewerAppraisal",
    "Screening",
    "State",
    "StateChange",
    "Submission",
]
