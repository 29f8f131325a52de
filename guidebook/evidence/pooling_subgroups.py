"""Subgroup analysis: a pooled estimate per subgroup and the test of their differences.

Studies are labelled with a subgroup (a country, a delivery model); each subgroup is
pooled, and Q-between tests whether the subgroups' true mean effects differ. Two
models, as in metafor:

- ``tau2="separate"``: every subgroup has its own tau^2 (separate random-effects
  meta-analyses, as Cochrane's RevMan does); Q-between is the fixed-effect Q of the
  subgroup estimates with weights 1/se^2 (Borenstein et al. 2009, ch. 19).
- ``tau2="common"``: one tau^2 for all subgroups, estimated from the residual
  heterogeneity within them (metafor's ``rma(yi, vi, mods = ~ factor(group))``);
  Q-between is then its omnibus test QM of the subgroup means.

Import the public names from ``guidebook.evidence.pooling``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from guidebook.evidence import distributions
from guidebook.evidence.errors import InvalidRecord
from guidebook.evidence.pooling_estimates import PooledEstimate, fit_studies
from guidebook.evidence.pooling_heterogeneity import heterogeneity_statistics
from guidebook.evidence.pooling_studies import RECORD, Array, Fit, check_choice, padded_studies
from guidebook.evidence.pooling_tau2 import tau2_standard_error

__all__ = ["TAU2_MODELS", "Subgroup", "SubgroupAnalysis", "pool_subgroups"]

TAU2_MODELS = ("separate", "common")


@dataclass(frozen=True)
class Subgroup:
    """One subgroup's label and its pooled estimate."""

    label: str
    pooled: PooledEstimate

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, **self.pooled.to_dict()}


@dataclass(frozen=True)
class SubgroupAnalysis:
    """Pooled estimates per subgroup, the test between them and the heterogeneity within.

    ``q_between`` (on ``q_between_df`` = subgroups - 1 df) tests that the subgroups'
    mean effects are equal. ``q_within`` is the sum of the subgroups' fixed-effect Q,
    on k - subgroups df. ``tau2``, ``se_tau2``, ``i2`` and ``h2`` describe the common
    tau^2 and are None with separate ones (each subgroup then carries its own).
    """

    method: str
    test: str
    level: float
    tau2_model: str
    subgroups: tuple[Subgroup, ...]
    q_between: float
    q_between_df: int
    q_between_p_value: float
    q_within: float
    q_within_df: int
    q_within_p_value: float
    tau2: float | None
    se_tau2: float | None
    i2: float | None
    h2: float | None

    def subgroup(self, label: str) -> PooledEstimate:
        """The pooled estimate of the subgroup with this label."""
        for subgroup in self.subgroups:
            if subgroup.label == label:
                return subgroup.pooled
        known = ", ".join(subgroup.label for subgroup in self.subgroups)
        raise InvalidRecord.single(RECORD, "subgroups", f"one of {known}", label)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (str, int, float, None and lists), ready for JSON."""
        result = asdict(self)
        result["subgroups"] = [subgroup.to_dict() for subgroup in self.subgroups]
        return result


def _split(
    effects: Sequence[float], variances: Sequence[float], subgroups: Sequence[str]
) -> tuple[list[str], list[list[float]], list[list[float]]]:
    """Studies grouped by label, in order of the label's first appearance."""
    if len(subgroups) != len(effects):
        expected = "one subgroup label for each effect"
        found = f"{len(subgroups)} labels for {len(effects)} effects"
        raise InvalidRecord.single(RECORD, "subgroups", expected, found)
    if len(variances) != len(effects):
        expected = "one variance for each effect"
        found = f"{len(variances)} variances for {len(effects)} effects"
        raise InvalidRecord.single(RECORD, "variances", expected, found)
    order: dict[str, tuple[list[float], list[float]]] = {}
    for label, effect, variance in zip(subgroups, effects, variances, strict=True):
        group = order.setdefault(str(label), ([], []))
        group[0].append(effect)
        group[1].append(variance)
    if len(order) < 2:
        raise InvalidRecord.single(RECORD, "subgroups", "at least two subgroups", len(order))
    labels = list(order)
    return labels, [order[label][0] for label in labels], [order[label][1] for label in labels]


def _fixed_effect_q(estimates: Array, weights: Array) -> float:
    """sum W (m - M)^2 with M the W-weighted mean of the m: Cochran's Q of estimates."""
    mean = float((weights * estimates).sum() / weights.sum())
    return float((weights * (estimates - mean) ** 2).sum())


def pool_subgroups(
    effects: Sequence[float],
    variances: Sequence[float],
    subgroups: Sequence[str],
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
    tau2: str = "separate",
) -> SubgroupAnalysis:
    """Pool each subgroup and test the differences between them (Q-between).

    ``subgroups[i]`` labels study i; subgroups keep the order in which their labels
    first appear, and there must be two or more. ``method``, ``test`` and ``level``
    are ``pool``'s. ``tau2`` "separate" gives each subgroup its own tau^2; "common"
    estimates one from the heterogeneity within subgroups (metafor's mixed-effects
    model with the subgroup as a factor; Borenstein et al. 2009, ch. 19, "pooled
    within-group tau^2"). Q-between is Cochran's Q of the subgroup estimates with
    weights 1 / var, var = 1 / sum w the model-based variance of each, on subgroups
    - 1 df, chi-square: for "common" this is metafor's QM. It uses these variances
    whatever ``test`` is (see the docs).
    """
    check_choice("tau2", tau2, TAU2_MODELS)
    labels, grouped_effects, grouped_variances = _split(effects, variances, subgroups)
    studies = padded_studies(grouped_effects, grouped_variances, shared=tau2 == "common")
    pooled, estimated = fit_studies(studies, method, test, level)
    fit = Fit.at(studies, estimated)
    q_between = _fixed_effect_q(pooled.estimate, fit.total)
    between_df = len(labels) - 1
    # The residual heterogeneity: the subgroups' Q added, on k - subgroups df.
    within = heterogeneity_statistics(
        padded_studies(grouped_effects, grouped_variances, shared=True),
        estimated[:1] if tau2 == "common" else np.zeros(1),
        method,
    )
    within_df = len(effects) - len(labels)
    common = tau2 == "common"
    se_tau2 = float(tau2_standard_error(studies, estimated, method)[0]) if common else math.nan
    return SubgroupAnalysis(
        method=method,
        test=test,
        level=level,
        tau2_model=tau2,
        subgroups=tuple(
            Subgroup(label, pooled.result(index)) for index, label in enumerate(labels)
        ),
        q_between=q_between,
        q_between_df=between_df,
        q_between_p_value=float(distributions.chi2_sf(q_between, between_df)),
        q_within=float(within["q"][0]),
        q_within_df=within_df,
        q_within_p_value=float(within["q_p_value"][0]),
        tau2=float(estimated[0]) if common else None,
        se_tau2=None if math.isnan(se_tau2) else se_tau2,
        i2=float(within["i2"][0]) if common else None,
        h2=float(within["h2"][0]) if common else None,
    )
