"""Storage for programme records: what the evidence team records and the site shows."""

from guidebook.catalogue.models.programme import (
    Characteristic,
    CostProfile,
    ImportedRating,
    Programme,
    Review,
)
from guidebook.catalogue.models.search import SearchDocument, SearchTerm
from guidebook.catalogue.models.snapshot import Snapshot, SnapshotFacet
from guidebook.catalogue.models.study import Appraisal, Finding, Publication, Study

__all__ = [
    "Appraisal",
    "Characteristic",
    "CostProfile",
    "Finding",
    "ImportedRating",
    "Programme",
    "Publication",
    "Review",
    "SearchDocument",
    "SearchTerm",
    "Snapshot",
    "SnapshotFacet",
    "Study",
]
