"""Published metafor examples, reproduced to the precision they are printed with.

``data/metafor_examples.json`` holds the studies of each example (as reported: 2x2
tables, means and SDs, correlations, odds ratios with their intervals or p values)
and the numbers printed for them: each study's effect and variance, fits by every
tau^2 estimator, and subgroup analyses. Each published number becomes one test,
passed when ours is within half a unit of its last printed place.

metafor stops its Fisher scoring for ML, REML and EB once tau^2 changes by less than
1e-5 (``control$threshold``); ours solves the estimating equation to ten significant
digits. Where that shows in a printed digit, the fit says ``"stopping": "metafor"``:
its numbers are then checked at the tau^2 metafor's own iteration reaches
(``metafor_scoring``, below, follows rma.uni step by step), and ours is checked to lie
within metafor's threshold of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from guidebook.evidence.effect_conversions import (
    PrePost,
    correlation_from_z,
    estimate_from_p_value,
    fisher_z,
    log_odds_ratio_from_interval,
    log_ratio_of_means,
    mean_change,
    raw_mean_difference,
    standardised_mean_change,
)
from guidebook.evidence.effect_sizes import (
    Estimate,
    hedges_g,
    log_odds_ratio,
    log_risk_ratio,
    standardised_difference,
)
from guidebook.evidence.pooling import PooledEstimate, pool, pool_subgroups
from guidebook.evidence.records import Counts2x2, MeansAndSDs

EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "metafor_examples.json"
EXAMPLES = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"), parse_float=Decimal)["examples"]

# metafor's rma.uni control defaults: stop when tau^2 changes by less than this.
METAFOR_THRESHOLD = 1e-5


# --- Studies as reported -> effect and variance ----------------------------------------


def _counts(a: int, n1: int, c: int, n2: int) -> Counts2x2:
    return Counts2x2(events_treatment=a, n_treatment=n1, events_comparison=c, n_comparison=n2)


def _means(n1: int, m1: float, sd1: float, n2: int, m2: float, sd2: float) -> MeansAndSDs:
    return MeansAndSDs(
        mean_treatment=m1,
        sd_treatment=sd1,
        n_treatment=n1,
        mean_comparison=m2,
        sd_comparison=sd2,
        n_comparison=n2,
    )


def _pre_post(before: float, sd_before: float, after: float, sd_after: float, n: int, r: float):
    return PrePost(
        mean_before=before,
        sd_before=sd_before,
        mean_after=after,
        sd_after=sd_after,
        n=n,
        correlation=r,
    )


def _smd(*row: Any) -> Estimate:
    statistics = _means(*row)
    return hedges_g(standardised_difference(statistics, "study"), row[0], row[3])


STUDY_KINDS: dict[str, Callable[..., Estimate]] = {
    "GEN": lambda y, v: Estimate(y, v),
    "OR": lambda *row: log_odds_ratio(_counts(*row), "study"),
    "RR": lambda *row: log_risk_ratio(_counts(*row), "study"),
    "ORCI": lambda ratio, low, high: log_odds_ratio_from_interval(ratio, low, high, "study"),
    "ORP": lambda ratio, p: estimate_from_p_value(ratio, p, "study", log_scale=True),
    "MD": lambda *row: raw_mean_difference(_means(*row), "study"),
    "ROM": lambda *row: log_ratio_of_means(_means(*row), "study"),
    "SMD": _smd,
    "ZCOR": lambda r, n: fisher_z(r, n, "study"),
    "MC": lambda *row: mean_change(_pre_post(*row), "study"),
    "SMCR": lambda *row: standardised_mean_change(_pre_post(*row), "study", "before"),
    "SMCC": lambda *row: standardised_mean_change(_pre_post(*row), "study", "change"),
}


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


@cache
def studies_of(example_id: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    example = next(example for example in EXAMPLES if example["id"] == example_id)
    estimates = [
        STUDY_KINDS[kind](*(_number(value) for value in row)) for kind, *row in example["studies"]
    ]
    return tuple(e.value for e in estimates), tuple(e.variance for e in estimates)


# --- metafor's own iteration, step by step --------------------------------------------


def metafor_scoring(effects, variances, method: str) -> float:
    """tau^2 where metafor's rma.uni stops: Fisher scoring from the HE estimate, steps
    halved to stay at or above 0, until tau^2 changes by less than 1e-5."""
    y, v = np.asarray(effects), np.asarray(variances)
    k = len(y)
    centred = y - y.mean()
    tau2 = max(0.0, (centred @ centred - v.sum() * (k - 1) / k) / (k - 1))
    change = 1.0
    while change > METAFOR_THRESHOLD:
        w = 1 / (v + tau2)
        residual = y - (w * y).sum() / w.sum()
        squared_score = (w**2 * residual**2).sum()
        if method == "ML":
            step = (squared_score - w.sum()) / (w**2).sum()
        elif method == "REML":
            trace_p = w.sum() - (w**2).sum() / w.sum()
            trace_pp = (w**2).sum() - 2 * (w**3).sum() / w.sum() + ((w**2).sum() / w.sum()) ** 2
            step = (squared_score - trace_p) / trace_pp
        else:  # EB
            step = ((w * residual**2).sum() * k / (k - 1) - k) / w.sum()
        while tau2 + step < 0:
            step /= 2
        change = abs(step)
        tau2 += step
    return tau2


# --- What each published key means in our terms ----------------------------------------

BACK = {"exp": math.exp, "r": correlation_from_z}

FIELDS: dict[str, Callable[[PooledEstimate], float]] = {
    "estimate": lambda fit: fit.estimate,
    "se": lambda fit: fit.se,
    "z": lambda fit: fit.statistic,
    "p": lambda fit: fit.p_value,
    "ci_lb": lambda fit: fit.ci_low,
    "ci_ub": lambda fit: fit.ci_high,
    "pi_lb": lambda fit: fit.pi_low,
    "pi_ub": lambda fit: fit.pi_high,
    "tau2": lambda fit: fit.tau2,
    "tau": lambda fit: fit.tau,
    "se_tau2": lambda fit: math.nan if fit.se_tau2 is None else fit.se_tau2,
    "I2": lambda fit: fit.i2,
    "H2": lambda fit: fit.h2,
    "Q": lambda fit: fit.q,
    "Q_p": lambda fit: fit.q_p_value,
}


def reading(fit: PooledEstimate, key: str) -> float:
    """A published key of a pooled fit: a field, or "exp:field" / "r:field" turned back."""
    scale, _, field = key.rpartition(":")
    value = FIELDS[field](fit)
    return BACK[scale](value) if scale else value


@dataclass(frozen=True)
class Published:
    label: str
    value: Decimal
    ours: Callable[[], float]

    @property
    def half_unit(self) -> float:
        exponent = self.value.as_tuple().exponent
        assert isinstance(exponent, int)
        return 0.5 * 10.0**exponent


def _fitted(example_id: str, fit: dict[str, Any]) -> Callable[[], PooledEstimate]:
    @cache
    def run() -> PooledEstimate:
        effects, variances = studies_of(example_id)
        tau2 = None
        if fit.get("stopping") == "metafor":
            tau2 = metafor_scoring(effects, variances, fit["method"])
        return pool(effects, variances, method=fit["method"], tau2=tau2)

    return run


def _subgrouped(example: dict[str, Any], fit: dict[str, Any]):
    @cache
    def run():
        effects, variances = studies_of(example["id"])
        return pool_subgroups(
            effects, variances, example["labels"], method=fit["method"], tau2=fit["tau2"]
        )

    return run


def _one_subgroup(example: dict[str, Any], fit: dict[str, Any], group: str):
    """A subgroup's own fit at the tau^2 metafor's iteration reaches in it.

    With separate tau^2 a subgroup's results are its own meta-analysis; that
    ``pool_subgroups`` gives exactly these is tested in test_pooling_subgroups.py.
    """

    @cache
    def run() -> PooledEstimate:
        effects, variances = studies_of(example["id"])
        chosen = [index for index, label in enumerate(example["labels"]) if label == group]
        mine = [effects[index] for index in chosen], [variances[index] for index in chosen]
        tau2 = metafor_scoring(*mine, fit["method"])
        return pool(*mine, method=fit["method"], tau2=tau2)

    return run


SUBGROUP_FIELDS = {
    "Q_between": lambda analysis: analysis.q_between,
    "Q_between_p": lambda analysis: analysis.q_between_p_value,
    "Q_within": lambda analysis: analysis.q_within,
    "Q_within_p": lambda analysis: analysis.q_within_p_value,
    "tau2": lambda analysis: analysis.tau2,
    "se_tau2": lambda analysis: analysis.se_tau2,
    "tau": lambda analysis: math.sqrt(analysis.tau2),
    "I2": lambda analysis: analysis.i2,
    "H2": lambda analysis: analysis.h2,
}


def _cases() -> Iterator[Published]:
    for example in EXAMPLES:
        name = example["id"]
        for key, values in example.get("published_studies", {}).items():
            index = 0 if key == "yi" else 1
            for study, value in enumerate(values):
                ours = lambda n=name, i=index, s=study: studies_of(n)[i][s]  # noqa: E731
                yield Published(f"{name} study {study + 1} {key}", value, ours)
        for fit in example["fits"]:
            run = _fitted(name, fit)
            for key, value in fit["published"].items():
                ours = lambda r=run, k=key: reading(r(), k)  # noqa: E731
                yield Published(f"{name} {fit['method']} {key}", value, ours)
        for fit in example.get("subgroup_fits", []):
            run = _subgrouped(example, fit)
            label = f"{name} {fit['method']} {fit['tau2']} tau2"
            for key, value in fit["published"].items():
                ours = lambda r=run, k=key: SUBGROUP_FIELDS[k](r())  # noqa: E731
                yield Published(f"{label} {key}", value, ours)
            for group, numbers in fit["by_subgroup"].items():
                if fit.get("stopping") == "metafor":
                    alone = _one_subgroup(example, fit, group)
                    subgroup = lambda a=alone: a()  # noqa: E731
                else:
                    subgroup = lambda r=run, g=group: r().subgroup(g)  # noqa: E731
                for key, value in numbers.items():
                    ours = lambda s=subgroup, k=key: reading(s(), k)  # noqa: E731
                    yield Published(f"{label} {group} {key}", value, ours)


CASES = list(_cases())


def _stopped_by_metafor() -> Iterator[tuple[str, str, tuple[float, ...], tuple[float, ...]]]:
    for example in EXAMPLES:
        effects, variances = studies_of(example["id"])
        for fit in example["fits"]:
            if fit.get("stopping") == "metafor":
                yield example["id"], fit["method"], effects, variances
        for fit in example.get("subgroup_fits", []):
            if fit.get("stopping") == "metafor":
                for group in dict.fromkeys(example["labels"]):
                    chosen = [i for i, label in enumerate(example["labels"]) if label == group]
                    mine = tuple(effects[i] for i in chosen), tuple(variances[i] for i in chosen)
                    yield f"{example['id']} {group}", fit["method"], *mine


STOPPED = list(_stopped_by_metafor())


@pytest.mark.parametrize(
    ("name", "method", "effects", "variances"), STOPPED, ids=[f"{s[0]} {s[1]}" for s in STOPPED]
)
def test_ours_is_within_metafors_stopping_threshold_of_metafors(name, method, effects, variances):
    # Where the printed digits show metafor's stopping rule, our exact root lies
    # within its threshold of where metafor stops (and so within its own error).
    ours = pool(effects, variances, method=method).tau2
    assert abs(ours - metafor_scoring(effects, variances, method)) < METAFOR_THRESHOLD


def test_every_published_number_is_a_case():
    printed = 0
    for example in EXAMPLES:
        printed += sum(len(values) for values in example.get("published_studies", {}).values())
        printed += sum(len(fit["published"]) for fit in example["fits"])
        for fit in example.get("subgroup_fits", []):
            printed += len(fit["published"])
            printed += sum(len(numbers) for numbers in fit["by_subgroup"].values())
    assert len(CASES) == printed


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_published_number_is_reproduced(case):
    ours = case.ours()
    assert abs(ours - float(case.value)) <= case.half_unit + 1e-12, (
        f"{case.label}: ours {ours!r}, published {case.value}"
    )
