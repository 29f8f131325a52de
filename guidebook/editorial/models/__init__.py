"""The editorial workflow's records: submissions, assessment rounds, searches, appraisals,
and requests for provider accounts."""

from guidebook.editorial.models.application import ProviderApplication
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
    "ProviderApplication",
    "ReviewerAppraisal",
    "Screening",
    "State",
    "StateChange",
    "Submission",
]
