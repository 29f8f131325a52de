"""Why a computed cost rating differs from a published one: the part of the model that decides.

The cost model (``cost``) gives a band from 1 to 5, or NA. When it differs from a
band published elsewhere (a programme's imported cost rating), one of three things
decides, each named by a stable id:

- ``cost.required-inputs``: the estimate is NA because inputs the model cannot do
  without are not recorded (``CostEstimate.missing``);
- ``cost.plausible-range``: the estimate is NA because the inputs the record leaves
  unknown could, within their plausible ranges, put the unit cost in more than one
  band (the estimate's ``range``, ``ratings`` and ``deciding`` inputs, when the cost
  model gives them);
- ``cost.band``: the estimated unit cost falls in another band than the published
  one; the facts are the unit cost, both bands' limits (STANDARDS.md section 2), the
  largest line items of the breakdown and any input taken from a default.

It reads the estimate as ``CostEstimate.to_dict()`` writes it (and a snapshot's
``cost`` stores it), so it explains published snapshots as well as fresh estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guidebook.evidence.cost_parameters import COST_BANDS
from guidebook.evidence.reasons import JSONValue

__all__ = ["COST_RULE_TITLES", "CostDisagreement", "explain_cost_disagreement"]

NOT_AVAILABLE = "NA"

COST_RULE_TITLES: Mapping[str, str] = {
    "cost.required-inputs": "a cost rating needs every input the cost model cannot do without",
    "cost.plausible-range": "a cost rating needs the unit cost to stay in one band across "
    "the plausible values of the unknown inputs",
    "cost.band": "the cost rating is the band the estimated unit cost falls in",
}
"""A short title for each part of the cost model a disagreement can turn on."""

_WORDING = {band.rating: band.wording for band in COST_BANDS}
_LARGEST_ITEMS = 2


@dataclass(frozen=True)
class CostDisagreement:
    """A computed cost rating against a published one.

    ``rule`` is empty when they agree; ``inputs`` are the cost-profile fields (or, for
    ``cost.band``, the line items) the facts are about.
    """

    computed: str
    published: str
    rule: str
    inputs: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return self.computed == self.published

    @property
    def text(self) -> str:
        if self.agrees:
            return ""
        title = COST_RULE_TITLES[self.rule]
        return f"Rule '{title}' ({self.rule}): {'; '.join(self.facts)}."

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "computed": self.computed,
            "published": self.published,
            "agrees": self.agrees,
            "rule": self.rule or None,
            "inputs": list(self.inputs),
            "facts": list(self.facts),
        }


def explain_cost_disagreement(estimate: Mapping[str, Any], published: str) -> CostDisagreement:
    """Compare a cost estimate (``CostEstimate.to_dict()``) with a published cost rating.

    The bands are STANDARDS.md section 2's (``cost_parameters.COST_BANDS``); the module
    docstring says which part of the model decides each difference.
    """
    computed = str(estimate["rating"])
    if computed == published:
        return CostDisagreement(computed, published, "", (), ())
    if computed != NOT_AVAILABLE:
        return _band(estimate, published)
    missing: Sequence[Mapping[str, Any]] = estimate["missing"]
    if missing:
        return CostDisagreement(
            computed,
            published,
            "cost.required-inputs",
            tuple(item["field"] for item in missing),
            ("not recorded: " + "; ".join(item["label"] for item in missing),),
        )
    return _spanning(estimate, published)


def _pounds(amount: float) -> str:
    return f"£{amount:,.2f}"


def _value(value: float | str | bool) -> str:
    """An assumed input's value in words: 'yes', 'qcf-6', '0.28'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return f"{value:.3g}"


def _band(estimate: Mapping[str, Any], published: str) -> CostDisagreement:
    computed = str(estimate["rating"])
    facts = [
        f"Guidebook estimates {_pounds(estimate['unit_cost'])} a child, band {computed} "
        f"({_WORDING[computed]})"
    ]
    if published == NOT_AVAILABLE:
        facts.append("the source gives no cost rating")
    else:
        facts.append(f"the published band {published} is {_WORDING[published]}")
    items = sorted(estimate["breakdown"], key=lambda item: -item["amount"])[:_LARGEST_ITEMS]
    facts.extend(f"{item['label']} {_pounds(item['amount'])} ({item['formula']})" for item in items)
    facts.extend(
        f"assumed {item['label']}: {_value(item['value'])} ({item['reason']})"
        for item in estimate["assumed"]
    )
    keys = tuple(item["key"] for item in items)
    return CostDisagreement(computed, published, "cost.band", keys, tuple(facts))


def _spanning(estimate: Mapping[str, Any], published: str) -> CostDisagreement:
    """NA although every required input is known: the unknown inputs' ranges span bands."""
    facts = []
    bounds = estimate.get("range")
    if bounds:
        bands = " or ".join(estimate.get("ratings", ()))
        facts.append(
            f"the unit cost could be {_pounds(bounds['low'])} to {_pounds(bounds['high'])} "
            f"a child, band {bands}"
        )
    deciding: Sequence[Mapping[str, Any]] = estimate.get("deciding", ())
    facts.extend(
        f"{item['label']} ranges from {item['low']} to {item['high']}" for item in deciding
    )
    return CostDisagreement(
        NOT_AVAILABLE,
        published,
        "cost.plausible-range",
        tuple(item["field"] for item in deciding),
        tuple(facts) or ("no single unknown input decides on its own",),
    )
