"""What a published rating rests on, and the one sentence that reconciles two ratings.

A programme can carry two evidence ratings: the one Guidebook computes from the studies
appraised here, and one another guidebook published (``Programme.imported``), kept with
its source and the date it was retrieved. Which of them a page shows is decided once, in
the core, by ``guidebook.evidence.assessment.evidence_is_appraised`` (at least one study
carries a consensus appraisal), and frozen into the snapshot as ``shown.source``. This
module reads that decision back and gives every public format (page, PDF, compare,
shortlist, catalogue rows, open data, API) the same words for it:

``imported``
    No study is appraised here, so the published rating is shown, labelled imported,
    with one sentence saying so and naming its source and date. The computed rating,
    which on no appraised study can only be NL2, is withheld with all its sentences: it
    would say the evidence falls short when it has simply not been read here yet.
``agrees`` / ``differs``
    The computed rating is shown; the published one is set beside it, and one sentence
    says that they agree, or that they differ and that the reasons say why.
``computed``
    Nothing was published elsewhere: one rating, nothing to reconcile.

Cost ratings follow the same pattern: a published cost rating stands in, labelled
imported, only while Guidebook's cost model gives NA for want of inputs
(``publishing.shown_cost``); otherwise the estimate is shown and reconciled with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import urlsplit

from guidebook.evidence.cost import NOT_AVAILABLE

__all__ = [
    "IMPORTED_LABEL",
    "PublishedRating",
    "RatingBasis",
    "cost_basis",
    "evidence_basis",
    "is_appraised",
    "public_assessment",
    "public_cost",
    "study_is_appraised",
]

Kind = Literal["evidence", "cost"]
State = Literal["imported", "agrees", "differs", "computed"]

IMPORTED_LABEL = "imported"

# The reason a standard records for each study's consensus appraisal: the fallback for
# snapshots published before the assessment said which studies were appraised.
_CONSENSUS_RULE = "study.consensus-appraisal"


@dataclass(frozen=True)
class PublishedRating:
    """A rating as another guidebook published it: value, source address, retrieval date."""

    value: str
    source: str
    retrieved: str
    note: str = ""

    @property
    def source_name(self) -> str:
        """The source's site ('guidebook.eif.org.uk'), or the source as given."""
        host = urlsplit(self.source).hostname
        return host.removeprefix("www.") if host else self.source

    @property
    def retrieved_on(self) -> str:
        """The retrieval date in words ('1 January 2021')."""
        try:
            day = date.fromisoformat(self.retrieved)
        except ValueError:
            return self.retrieved
        return f"{day.day} {day:%B %Y}"

    @property
    def attribution(self) -> str:
        return f"{self.source_name} (retrieved {self.retrieved_on})"

    def to_dict(self) -> dict[str, str]:
        return {
            "value": self.value,
            "source": self.source,
            "source_name": self.source_name,
            "retrieved": self.retrieved,
        }


@dataclass(frozen=True)
class RatingBasis:
    """The rating a programme shows, where it comes from, and what else was published.

    ``computed`` is Guidebook's own rating, or None when it is withheld (an imported
    evidence rating: nothing is appraised here to compute it from).
    """

    kind: Kind
    value: str
    source: Literal["computed", "imported"]
    computed: str | None
    published: PublishedRating | None

    @property
    def imported(self) -> bool:
        return self.source == IMPORTED_LABEL

    @property
    def state(self) -> State:
        if self.imported:
            return "imported"
        if self.published is None:
            return "computed"
        return "agrees" if self.computed == self.published.value else "differs"

    @property
    def label(self) -> str:
        """The value as every format prints it: '4+ (imported)' or '3'."""
        return f"{self.value} ({IMPORTED_LABEL})" if self.imported else self.value

    @property
    def statement(self) -> str:
        """The one plain sentence that says what the rating rests on; '' with nothing to say."""
        if self.published is None:
            return ""
        words = _EVIDENCE_WORDS if self.kind == "evidence" else _COST_WORDS
        state: str = self.state
        # A cost rating of NA is no rating at all, so it neither matches nor differs.
        if self.kind == "cost" and state == "agrees" and self.value == NOT_AVAILABLE:
            state = "neither"
        elif self.kind == "cost" and state == "differs" and self.published.value == NOT_AVAILABLE:
            state = "none-published"
        return words[state].format(
            source=self.published.source_name,
            retrieved=self.published.retrieved_on,
            published=self.published.value,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "source": self.source,
            "state": self.state,
            "statement": self.statement,
            "published": None if self.published is None else self.published.to_dict(),
        }


# One sentence per state. The published value and its source name come from the record.
_EVIDENCE_WORDS = {
    "imported": "This is the rating {source} published (retrieved {retrieved}): the "
    "studies behind it are not yet appraised here, so Guidebook has not computed a "
    "rating of its own.",
    "agrees": "This rating, computed from the studies appraised here, matches the one "
    "{source} published (retrieved {retrieved}).",
    "differs": "The rating {source} published (retrieved {retrieved}) is {published}; "
    "this one is computed from the studies appraised here, and its reasons show why the "
    "two differ.",
}
_COST_WORDS = {
    "imported": "This is the cost rating {source} published (retrieved {retrieved}): "
    "Guidebook's cost model cannot estimate one until the inputs it lacks are recorded.",
    "agrees": "This cost rating, estimated from the delivery facts recorded here, "
    "matches the one {source} published (retrieved {retrieved}).",
    "differs": "The cost rating {source} published (retrieved {retrieved}) is "
    "{published}; this one is estimated from the delivery facts recorded here, and its "
    "breakdown shows why the two differ.",
    "neither": "Neither Guidebook's cost model nor {source} (retrieved {retrieved}) "
    "gives this programme a cost rating.",
    "none-published": "No cost rating was published by {source} (retrieved {retrieved}); "
    "this one is estimated from the delivery facts recorded here.",
}


def _published(imported: Mapping[str, Any] | None, field: str) -> PublishedRating | None:
    if not imported:
        return None
    return PublishedRating(
        value=str(imported[field]),
        source=str(imported["source"]),
        retrieved=str(imported["retrieved"]),
        note=str(imported.get("note") or ""),
    )


def evidence_basis(assessment: Mapping[str, Any]) -> RatingBasis:
    """The evidence rating a snapshot's assessment shows, and what it rests on."""
    shown = assessment["shown"]
    imported = shown["source"] == IMPORTED_LABEL
    return RatingBasis(
        kind="evidence",
        value=str(shown["value"]),
        source="imported" if imported else "computed",
        computed=None if imported else str(assessment["rating"]["value"]),
        published=_published(assessment.get("imported"), "evidence_rating"),
    )


def cost_basis(cost: Mapping[str, Any], assessment: Mapping[str, Any]) -> RatingBasis:
    """The cost rating a snapshot shows, and what it rests on.

    Snapshots published before imported cost ratings were shown carry no ``shown``
    entry; their computed rating is the one shown.
    """
    shown = cost.get("shown") or {"rating": cost["rating"], "source": "computed"}
    return RatingBasis(
        kind="cost",
        value=str(shown["rating"]),
        source="imported" if shown["source"] == IMPORTED_LABEL else "computed",
        computed=str(cost["rating"]),
        published=_published(assessment.get("imported"), "cost_rating"),
    )


def study_is_appraised(level: Mapping[str, Any]) -> bool:
    """Whether one of a snapshot's ``study_levels`` rests on a consensus appraisal.

    The core says so (``appraised``); older snapshots say it through the reason their
    standard recorded for the study's consensus appraisal.
    """
    if "appraised" in level:
        return bool(level["appraised"])
    return any(
        reason["rule"] == _CONSENSUS_RULE and reason["met"] for reason in level.get("reasons", ())
    )


def is_appraised(assessment: Mapping[str, Any]) -> bool:
    """Whether a snapshot's evidence is appraised: at least one study is (see the core)."""
    if "appraised" in assessment:
        return bool(assessment["appraised"])
    return any(study_is_appraised(level) for level in assessment["study_levels"])


def _public_study_level(level: Mapping[str, Any]) -> dict[str, Any]:
    appraised = study_is_appraised(level)
    public = {**level, "appraised": appraised}
    if not appraised:
        # The standard counts such a study below level 2; no one has judged it so.
        public |= {"level": None, "level_label": "not yet appraised"}
    return public


def public_assessment(assessment: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot's assessment as the public formats give it.

    The shown rating carries its statement; each study says whether it is appraised.
    While the rating is imported, the computed rating, its reasons and its explanation
    are withheld (None or empty): see the module's docstring.
    """
    basis = evidence_basis(assessment)
    public = dict(assessment)
    public["appraised"] = is_appraised(assessment)
    public["shown"] = {**assessment["shown"], "statement": basis.statement}
    public["study_levels"] = [_public_study_level(level) for level in assessment["study_levels"]]
    if basis.imported:
        public |= {"rating": None, "reasons": [], "mixed_studies": [], "explanation": None}
    return public


def public_cost(cost: Mapping[str, Any], assessment: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot's cost estimate as the public formats give it: the shown rating with
    its source and statement."""
    basis = cost_basis(cost, assessment)
    shown = {"rating": basis.value, "source": basis.source, "statement": basis.statement}
    return {**cost, "shown": shown}
