"""Typed records of the evidence core.

These are plain, immutable values. Storage converts its rows to these records and
asks the core to rate and cost them; the JSON interchange format
(``record_json``) reads and writes them. Keys for controlled values come from
``vocabulary``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

__all__ = [
    "Appraisal",
    "Characteristics",
    "ClusterDesign",
    "Contact",
    "CostProfile",
    "Counts2x2",
    "Delivery",
    "FTest",
    "Finding",
    "Implementation",
    "ImportedOutcome",
    "ImportedRating",
    "MeansAndSDs",
    "PValue",
    "Programme",
    "Provenance",
    "Publication",
    "PublishedEffect",
    "ReportedStatistics",
    "Review",
    "Study",
    "StudyLevel",
    "TTest",
]


class StudyLevel(Enum):
    """The level an appraised study reaches, in increasing order of rigour."""

    BELOW_2 = "below-2"
    LEVEL_2 = "2"
    LEVEL_2_QUALITY = "2-quality"
    LEVEL_3 = "3"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    @property
    def label(self) -> str:
        return _LEVEL_LABEL[self]


_LEVEL_RANK = {
    StudyLevel.BELOW_2: 0,
    StudyLevel.LEVEL_2: 1,
    StudyLevel.LEVEL_2_QUALITY: 2,
    StudyLevel.LEVEL_3: 3,
}
_LEVEL_LABEL = {
    StudyLevel.BELOW_2: "below level 2",
    StudyLevel.LEVEL_2: "level 2",
    StudyLevel.LEVEL_2_QUALITY: "level 2 with a higher-quality design",
    StudyLevel.LEVEL_3: "level 3",
}


# --- What a study reports, from which an effect size can be computed -----------------


@dataclass(frozen=True)
class ClusterDesign:
    """Randomisation or allocation by group (class, school, clinic) rather than by person."""

    intraclass_correlation: float
    mean_cluster_size: float


@dataclass(frozen=True)
class MeansAndSDs:
    """Group means, standard deviations and sizes: treatment (1) and comparison (2)."""

    mean_treatment: float
    sd_treatment: float
    n_treatment: int
    mean_comparison: float
    sd_comparison: float
    n_comparison: int
    higher_is_better: bool = True
    cluster: ClusterDesign | None = None


@dataclass(frozen=True)
class TTest:
    """An independent-groups t statistic with group sizes (sign: treatment minus comparison)."""

    t: float
    n_treatment: int
    n_comparison: int
    higher_is_better: bool = True
    cluster: ClusterDesign | None = None


@dataclass(frozen=True)
class FTest:
    """An F statistic with one numerator degree of freedom.

    F carries no sign; ``favours_treatment`` gives the direction.
    """

    f: float
    n_treatment: int
    n_comparison: int
    favours_treatment: bool
    cluster: ClusterDesign | None = None


@dataclass(frozen=True)
class PValue:
    """A two-sided p value with group sizes and the direction of the difference."""

    p: float
    n_treatment: int
    n_comparison: int
    favours_treatment: bool
    cluster: ClusterDesign | None = None


@dataclass(frozen=True)
class Counts2x2:
    """Events and group sizes for a binary outcome; ``event_is_good`` says which way is better."""

    events_treatment: int
    n_treatment: int
    events_comparison: int
    n_comparison: int
    event_is_good: bool = False
    cluster: ClusterDesign | None = None


@dataclass(frozen=True)
class PublishedEffect:
    """A standardised effect the paper itself published, with its interval or standard error.

    ``effect_size`` is on the scale named by ``metric``: a standardised mean difference
    (``"smd"``, Cohen's d or Hedges' g), a log odds ratio or a log risk ratio, signed
    treatment minus comparison; ``higher_is_better`` turns it so that positive means
    improvement. Its precision comes from ``se`` or, failing that, from the interval
    ``ci_lower`` to ``ci_upper`` at ``ci_level``; at least one must be given.
    """

    effect_size: float
    metric: str = "smd"
    ci_lower: float | None = None
    ci_upper: float | None = None
    ci_level: float = 0.95
    se: float | None = None
    n_treatment: int | None = None
    n_comparison: int | None = None
    higher_is_better: bool = True
    cluster: ClusterDesign | None = None


ReportedStatistics = MeansAndSDs | TTest | FTest | PValue | Counts2x2 | PublishedEffect


# --- Where a record came from -------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Where a study or finding was read from, when, and who appraised it.

    ``sources`` are the addresses (http or https) the facts were taken from.
    """

    sources: tuple[str, ...]
    retrieved: date
    appraised_by: str
    note: str = ""


# --- Studies, findings and appraisals -----------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One outcome measured in one study at one time point."""

    key: str
    outcome: str
    category: str
    measure: str = ""
    reporter: str = "participant"
    beneficiary: str = "child"
    months_after: float | None = None
    # None: not recorded. Unless the statistics give it, such a finding shows nothing.
    direction: str | None = None
    significant: bool | None = None
    statistics: ReportedStatistics | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Appraisal:
    """One reviewer's, or the consensus's, answers to a standard's criteria for one study.

    ``answers`` maps criterion ids (defined by the standard) to a yes/no answer or a
    measured value; a missing id means the criterion was not answered. A consensus may
    instead record a ``verdict`` level with its ``justification``.
    """

    reviewer: str
    answers: Mapping[str, bool | float | None] = field(default_factory=dict)
    consensus: bool = False
    verdict: StudyLevel | None = None
    justification: str = ""


@dataclass(frozen=True)
class Publication:
    """A paper or report of a study: a short ``citation`` to show, and when known the
    full reference. ``authors`` are "Surname AB" in paper order; ``doi`` is bare
    ("10.1111/..."), ``pmid`` the PubMed id in digits; empty or None means not known."""

    citation: str
    url: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str = ""
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""


@dataclass(frozen=True)
class Study:
    key: str
    label: str
    citation: str
    design: str
    country: str = ""
    sample: str = ""
    sample_size: int | None = None
    timing: str = ""
    independent: bool = False
    other_outcomes: tuple[str, ...] = ()
    publications: tuple[Publication, ...] = ()
    findings: tuple[Finding, ...] = ()
    appraisal: Appraisal | None = None
    provenance: Provenance | None = None


# --- Programme description ----------------------------------------------------------


@dataclass(frozen=True)
class Characteristics:
    age_groups: tuple[str, ...] = ()
    delivery_models: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    targeting: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    # None: the source does not say.
    uk_provision: bool | None = None
    uk_evaluation: bool | None = None


@dataclass(frozen=True)
class Delivery:
    sessions: int | None = None
    session_hours_min: float | None = None
    session_hours_max: float | None = None
    frequency: str = ""
    duration: str = ""
    summary: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Implementation:
    practitioners: str = ""
    training: str = ""
    supervision: str = ""
    fidelity: str = ""
    licence: str = ""


@dataclass(frozen=True)
class CostProfile:
    """What delivering the programme takes, as inputs to the cost model.

    ``None`` always means *not known*; zero means *known to be nothing*. Hours are
    per session; ``families_per_group`` is 1 for individual delivery.
    """

    sessions: int | None = None
    session_hours: float | None = None
    practitioners_per_session: int | None = None
    practitioner_level: str | None = None
    families_per_group: int | None = None
    practitioner_training_hours: float | None = None
    practitioner_training_fee: float | None = None
    booster_training: bool | None = None
    supervisor_level: str | None = None
    supervisor_training_hours: float | None = None
    supervision_hours_per_family: float | None = None
    licence_fee: float | None = None
    setup_materials: float | None = None
    materials_per_family: float | None = None


@dataclass(frozen=True)
class Contact:
    name: str = ""
    organisation: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class Review:
    name: str
    date: date


@dataclass(frozen=True)
class ImportedOutcome:
    """A child outcome as the source published it; ``outcome`` is empty where the
    source names only the category."""

    category: str
    outcome: str = ""


@dataclass(frozen=True)
class ImportedRating:
    """Ratings published elsewhere, kept with their source when the study-level evidence
    behind them is not recorded here. Shown as imported, never as computed."""

    evidence_rating: str
    cost_rating: str
    source: str
    retrieved: date
    note: str = ""
    outcomes: tuple[ImportedOutcome, ...] = ()


@dataclass(frozen=True)
class Programme:
    slug: str
    name: str
    summary: str = ""
    description: str = ""
    characteristics: Characteristics = Characteristics()
    delivery: Delivery = Delivery()
    implementation: Implementation = Implementation()
    cost: CostProfile = CostProfile()
    theory_of_change: tuple[str, ...] = ()
    contact: Contact = Contact()
    reviews: tuple[Review, ...] = ()
    first_published: date | None = None
    last_updated: date | None = None
    evidence_summary: str = ""
    other_outcomes_note: str = ""
    studies: tuple[Study, ...] = ()
    imported: ImportedRating | None = None
