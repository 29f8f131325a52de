"""Controlled vocabularies of the other clearinghouses' rules (docs/methodology/crosswalk.md).

Keys are stable and stored; labels are our wording. Domain names follow those shown on
PSC programme pages and the Blueprints outcome list as gathered in the project's
crosswalk notes; where those notes tag a list as not confirmed against the handbook
([B]), the methodology page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CLEARINGHOUSES",
    "COMPARISONS",
    "PSC_AREAS",
    "PSC_DOMAINS",
    "SHORT_NAMES",
]


def _frozen(pairs: list[tuple[str, str]]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


CLEARINGHOUSES = _frozen(
    [
        ("psc", "Title IV-E Prevention Services Clearinghouse"),
        ("blueprints", "Blueprints for Healthy Youth Development"),
        ("cebc", "California Evidence-Based Clearinghouse for Child Welfare"),
        ("homvee", "Home Visiting Evidence of Effectiveness"),
    ]
)
"""Clearinghouses whose vocabularies a finding's ``domains`` may use."""

SHORT_NAMES = _frozen(
    [("psc", "PSC"), ("blueprints", "Blueprints"), ("cebc", "CEBC"), ("homvee", "HomVEE")]
)
"""The names sentences use for each clearinghouse."""

COMPARISONS = _frozen(
    [
        ("none", "No treatment"),
        ("wait-list", "Wait-list"),
        ("usual-care", "Usual care"),
        ("placebo", "Placebo or attention control"),
        ("active", "Another active intervention"),
    ]
)
"""What the comparison group received."""

PSC_AREAS = _frozen(
    [
        ("mental-health", "Mental health prevention or treatment"),
        ("substance-use", "Substance use prevention or treatment"),
        ("in-home-parent-skill", "In-home parent skill-based"),
        ("kinship-navigator", "Kinship navigator"),
    ]
)
"""The four PSC programme areas (PSC review process page, [S])."""

PSC_DOMAINS = _frozen(
    [
        ("child-safety", "Child safety"),
        ("child-permanency", "Child permanency"),
        ("child-well-being", "Child well-being"),
        ("adult-well-being", "Adult well-being"),
        ("not-target", "Not a PSC target outcome"),
    ]
)
"""PSC target outcome domains; adult well-being counts, unlike in EIF's rules."""
