"""The editorial workflow's records: submissions, assessment rounds, searches, appraisals,
requests for provider accounts, and the counts that limit sign-ins and requests."""

from guidebook.editorial.models.application import ProviderApplication
from guidebook.editorial.models.appraisal import Consensus, ReviewerAppraisal
from guidebook.editorial.models.assessment import (
    Assessment,
    EvidenceSearch,
    Screening,
    State,
    StateChange,
)
from guidebook.editorial.models.attempts import AttemptCount
from guidebook.editorial.models.submission import Submission

__all__ = [
    "Assessment",
    "AttemptCount",
    "Consensus",
    "EvidenceSearch",
    "ProviderApplication",
    "ReviewerAppraisal",
    "Screening",
    "State",
    "StateChange",
    "Submission",
]
