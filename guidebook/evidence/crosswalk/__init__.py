"""Other clearinghouses' rules applied to Guidebook records (issue 11).

``get_crosswalk_standard("psc-1.0").rate(programme)`` gives a ``CrosswalkResult``: a
rating on that clearinghouse's ladder, or "cannot be rated" with the facts it needs,
and every rule as a reason. docs/methodology/crosswalk.md describes the rules.
"""

from guidebook.evidence.crosswalk.registry import (
    NOT_YET_IMPLEMENTED,
    PENDING_VERSIONS,
    CrosswalkStandard,
    crosswalk_standards,
    get_crosswalk_standard,
)
from guidebook.evidence.crosswalk.result import CrosswalkResult

__all__ = [
    "NOT_YET_IMPLEMENTED",
    "PENDING_VERSIONS",
    "CrosswalkResult",
    "CrosswalkStandard",
    "crosswalk_standards",
    "get_crosswalk_standard",
]
