"""Controlled vocabularies shared by the records, the storage and the site.

Each vocabulary maps a stable key (stored, used in URLs and data files) to the label
shown to people. Keys never change once published; labels may be reworded.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "AGE_GROUPS",
    "BENEFICIARIES",
    "DELIVERY_MODELS",
    "DESIGNS",
    "DIRECTIONS",
    "OUTCOME_CATEGORIES",
    "PUBLISHED_METRICS",
    "QUALIFICATION_LEVELS",
    "REPORTERS",
    "SETTINGS",
    "TARGETING",
    "label_of",
]


def _frozen(pairs: list[tuple[str, str]]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


AGE_GROUPS = _frozen(
    [
        ("perinatal", "Perinatal (pregnancy)"),
        ("infants", "Infants"),
        ("toddlers", "Toddlers"),
        ("preschool", "Preschool"),
        ("primary-school", "Primary school"),
        ("preadolescents", "Preadolescents"),
        ("adolescents", "Adolescents"),
    ]
)

DELIVERY_MODELS = _frozen(
    [
        ("individual", "Individual"),
        ("group", "Group"),
        ("home-visiting", "Home visiting"),
        ("telephone", "Telephone"),
        ("online", "Online or app"),
        ("classroom", "Classroom"),
    ]
)

SETTINGS = _frozen(
    [
        ("home", "Home"),
        ("childrens-centre", "Children's centre or early years setting"),
        ("preschool", "Preschool"),
        ("primary-school", "Primary school"),
        ("secondary-school", "Secondary school"),
        ("community-centre", "Community centre"),
        ("outpatient-health", "Out-patient health setting"),
        ("inpatient-health", "In-patient health setting"),
        ("online", "Online"),
        # Some published pages say "school" without saying primary or secondary.
        ("school", "School (primary or secondary not stated)"),
    ]
)

TARGETING = _frozen(
    [
        ("universal", "Universal"),
        ("targeted-selected", "Targeted selected"),
        ("targeted-indicated", "Targeted indicated"),
        # For sources that say "targeted" without saying selected or indicated.
        ("targeted", "Targeted (selected or indicated not stated)"),
    ]
)

OUTCOME_CATEGORIES = _frozen(
    [
        ("mental-health", "Supporting children's mental health and wellbeing"),
        ("maltreatment", "Preventing child maltreatment"),
        ("school-achievement", "Enhancing school achievement and employment"),
        ("crime-antisocial", "Preventing crime, violence and antisocial behaviour"),
        ("substance-abuse", "Preventing substance abuse"),
        ("risky-sexual-behaviour", "Preventing risky sexual behaviour and teen pregnancy"),
        (
            "obesity-physical-health",
            "Preventing obesity and promoting healthy physical development",
        ),
    ]
)

# Qualification levels follow the English Qualifications and Credit Framework (QCF),
# the scale the reference guidebook uses to describe practitioners.
QUALIFICATION_LEVELS = _frozen(
    [
        ("qcf-3", "QCF 3 (e.g. trained volunteer or support worker)"),
        ("qcf-4-5", "QCF 4/5 (e.g. family support worker, paraprofessional)"),
        ("qcf-6", "QCF 6 (degree: e.g. teacher, nurse, social worker)"),
        ("qcf-7-8", "QCF 7/8 (Master's or doctorate: e.g. psychologist, therapist)"),
    ]
)

DESIGNS = _frozen(
    [
        ("rct", "Randomised controlled trial (RCT)"),
        ("qed", "Quasi-experimental design (QED)"),
        ("pre-post", "Before and after, without a comparison group"),
        ("other", "Other design"),
        # Studies known from a published summary that does not give their design.
        ("not-recorded", "Design not recorded"),
    ]
)

REPORTERS = _frozen(
    [
        ("participant", "Participant's own report"),
        ("observer", "Independent observer"),
        ("assessor", "Blinded assessor"),
        ("records", "Administrative records"),
        ("teacher", "Teacher report"),
        # Not independent of the participants: nothing is known about who reported it.
        ("not-recorded", "Reporter not recorded"),
    ]
)

BENEFICIARIES = _frozen(
    [
        ("child", "Child"),
        ("parent", "Parent"),
        ("couple", "Couple"),
        ("family", "Family"),
    ]
)

DIRECTIONS = _frozen(
    [
        ("positive", "Positive (improved)"),
        ("null", "No effect"),
        ("negative", "Negative (worsened)"),
    ]
)

PUBLISHED_METRICS = _frozen(
    [
        ("smd", "Standardised mean difference (d or g)"),
        ("log-odds-ratio", "Log odds ratio"),
        ("log-risk-ratio", "Log risk ratio"),
    ]
)
"""The scales of a standardised effect that a paper publishes itself (statistics "effect")."""


def label_of(vocabulary: Mapping[str, str], key: str) -> str:
    """The label for a key, or the key itself if it is not in the vocabulary."""
    return vocabulary.get(key, key)
