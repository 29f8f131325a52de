"""Every published number in tests/evidence/data/bcg.json, reproduced to its printed precision.

The file holds the 13 BCG vaccine trials (Colditz et al. 1994) with per-trial log
risk ratios and the results that metafor and Stata's metan print for several
measures and models. The cases below are generated from the file itself: each
published number becomes one test, compared at the number of decimals it is printed
with (half a unit in the last place). A key this module cannot read fails its test,
so nothing in the file is skipped silently.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from guidebook.evidence.effect_sizes import (
    Estimate,
    log_odds_ratio,
    log_risk_ratio,
    risk_difference,
)
from guidebook.evidence.pooling import (
    HeterogeneityInterval,
    PooledEstimate,
    heterogeneity_interval,
    pool,
    true_effect_range,
)
from guidebook.evidence.records import Counts2x2

BCG_FILE = Path(__file__).resolve().parent / "data" / "bcg.json"
BCG = json.loads(BCG_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
DATASET = BCG["dataset"]

# metafor's confint() finds Q-profile limits with uniroot(tol = eps^0.25) on [0, 100];
# its printed I^2 and H^2 limits carry that root-finding error (see the file's note).
METAFOR_ROOT_TOLERANCE = float(np.finfo(float).eps) ** 0.25

MEASURES: dict[str, Callable[[Counts2x2, str], Estimate]] = {
    "RR": log_risk_ratio,
    "OR": log_odds_ratio,
    "RD": risk_difference,
}
MODELS = {"FE": "FE", "DL": "DL", "REML": "REML", "ML": "ML"}


def _counts(trial: dict[str, int]) -> Counts2x2:
    return Counts2x2(
        events_treatment=trial["tpos"],
        n_treatment=trial["tpos"] + trial["tneg"],
        events_comparison=trial["cpos"],
        n_comparison=trial["cpos"] + trial["cneg"],
    )


@cache
def _trial_estimates(measure: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    estimates = [
        MEASURES[measure](_counts(trial), f"bcg trial {trial['trial']}")
        for trial in DATASET["data"]
    ]
    return tuple(e.value for e in estimates), tuple(e.variance for e in estimates)


@dataclass(frozen=True)
class Analysis:
    """One analysis of the file: a measure and a model, fitted lazily as needed."""

    measure: str
    model: str

    @classmethod
    def of(cls, entry: dict[str, object]) -> Analysis:
        measure, model = str(entry["measure"]).split()[0], str(entry["model"]).split()[0]
        return cls(measure, MODELS[model])

    def fit(self, test: str = "z") -> PooledEstimate:
        return pool(*_trial_estimates(self.measure), method=self.model, test=test)

    def q_profile(self) -> HeterogeneityInterval:
        effects, variances = _trial_estimates(self.measure)
        return heterogeneity_interval(effects, variances, absolute_tolerance=METAFOR_ROOT_TOLERANCE)


def _pair(low: float, high: float) -> tuple[float, float]:
    return low, high


# What each published key means in our terms. A value is a number, or a pair for
# keys whose published value is a two-number list.
READINGS: dict[str, Callable[[Analysis], float | tuple[float, float]]] = {
    "estimate": lambda a: a.fit().estimate,
    "se": lambda a: a.fit().se,
    "z": lambda a: a.fit().statistic,
    "ci_lb": lambda a: a.fit().ci_low,
    "ci_ub": lambda a: a.fit().ci_high,
    "tau2": lambda a: a.fit().tau2,
    "tau": lambda a: a.fit().tau,
    "se_tau2": lambda a: a.fit().se_tau2 or math.nan,
    "I2": lambda a: a.fit().i2,
    "H2": lambda a: a.fit().h2,
    "Q": lambda a: a.fit().q,
    "df": lambda a: a.fit().q_df,
    "exp_estimate": lambda a: math.exp(a.fit().estimate),
    "exp_ci_lb": lambda a: math.exp(a.fit().ci_low),
    "exp_ci_ub": lambda a: math.exp(a.fit().ci_high),
    "exp_pi_lb": lambda a: math.exp(a.fit().pi_low),
    "exp_pi_ub": lambda a: math.exp(a.fit().pi_high),
    "pi_lb_2dp": lambda a: a.fit().pi_low,
    "pi_ub_2dp": lambda a: a.fit().pi_high,
    "qprofile_ci_tau2": lambda a: _pair(a.q_profile().tau2_low, a.q_profile().tau2_high),
    "qprofile_ci_I2": lambda a: _pair(a.q_profile().i2_low, a.q_profile().i2_high),
    "qprofile_ci_H2": lambda a: _pair(a.q_profile().h2_low, a.q_profile().h2_high),
    # van Houwelingen et al. print mu -/+ 1.96 tau with 1.96 itself.
    "paper_style_pi_mu_pm_1.96tau": lambda a: true_effect_range(a.fit(), level=0.95),
    "knha_exp_ci": lambda a: _pair(math.exp(a.fit("knha").ci_low), math.exp(a.fit("knha").ci_high)),
}


@dataclass(frozen=True)
class Published:
    label: str
    value: Decimal | int
    ours: Callable[[], float]

    @property
    def half_unit(self) -> float:
        """Half a unit in the last printed place: the most a correct value may differ."""
        if isinstance(self.value, int):
            return 0.0
        decimals = -self.value.as_tuple().exponent
        assert isinstance(decimals, int)
        return 0.5 * 10.0**-decimals


def _trial_cases() -> Iterator[Published]:
    published = DATASET["effect_sizes_published"]
    effects, variances = _trial_estimates("RR")
    for index, (yi, vi) in enumerate(zip(published["yi"], published["vi"], strict=True)):
        trial = index + 1
        yield Published(f"trial {trial} yi", yi, lambda i=index: effects[i])
        yield Published(f"trial {trial} vi", vi, lambda i=index: variances[i])


def _reader(key: str) -> Callable[[Analysis], float | tuple[float, float]]:
    def unknown(analysis: Analysis) -> float:
        raise AssertionError(f"no reading for the published key {key!r}")

    return READINGS.get(key, unknown)


def _analysis_cases() -> Iterator[Published]:
    for entry in DATASET["analyses"]:
        analysis = Analysis.of(entry)
        for key, value in entry["published"].items():
            read = _reader(key)
            label = f"{analysis.measure} {analysis.model} {key}"
            if isinstance(value, list):
                for side, number in enumerate(value):
                    yield Published(
                        f"{label}[{side}]", number, lambda r=read, a=analysis, s=side: r(a)[s]
                    )
            else:
                yield Published(label, value, lambda r=read, a=analysis: r(a))


CASES = [*_trial_cases(), *_analysis_cases()]


def test_the_file_is_read_whole():
    published_numbers = 2 * len(DATASET["data"])
    for entry in DATASET["analyses"]:
        for value in entry["published"].values():
            published_numbers += len(value) if isinstance(value, list) else 1
    assert len(CASES) == published_numbers == 104


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_published_number_is_reproduced(case):
    ours = case.ours()
    assert abs(ours - float(case.value)) <= case.half_unit + 1e-12, (
        f"{case.label}: ours {ours!r}, published {case.value}"
    )


# --- What the file's notes say beyond the printed numbers ----------------------------


def test_risk_difference_tau2_is_positive_but_prints_as_zero():
    # The note calls it "about 2.5e-5"; the printed I^2 (95.6596) and z (-4.5128) both
    # pin it at 1.873e-5 (with 2.5e-5, z would be -4.486), and that is what we get.
    fit = Analysis("RD", "DL").fit()
    assert 0 < fit.tau2 < 0.00005
    weights = 1 / np.array(_trial_estimates("RD")[1])
    typical = 12 * weights.sum() / (weights.sum() ** 2 - (weights**2).sum())
    from_printed_i2 = typical * 95.6596 / (100 - 95.6596)
    assert fit.tau2 == pytest.approx(from_printed_i2, rel=1e-5)


def test_exact_q_profile_limits_are_within_metafor_root_finding_error():
    effects, variances = _trial_estimates("RR")
    exact = heterogeneity_interval(effects, variances)
    published = DATASET["analyses"][0]["published"]
    assert exact.i2_low == pytest.approx(float(published["qprofile_ci_I2"][0]), abs=3e-3)
    assert exact.h2_low == pytest.approx(float(published["qprofile_ci_H2"][0]), abs=3e-3)
    assert exact.tau2_low == pytest.approx(float(published["qprofile_ci_tau2"][0]), abs=5e-5)


def test_i2_for_dersimonian_laird_equals_higgins():
    fit = Analysis("RR", "DL").fit()
    assert fit.i2 == pytest.approx(100 * (fit.q - fit.q_df) / fit.q)


def test_riley_prediction_interval_is_wider_than_metafor_default():
    fit = Analysis("RR", "REML").fit()
    assert fit.pi_riley_low is not None and fit.pi_riley_high is not None
    assert fit.pi_riley_low < fit.pi_low < fit.pi_high < fit.pi_riley_high
