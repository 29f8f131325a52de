"""REML pooling of many small meta-analyses: Guidebook's pooling against PyMARE.

Generates 10,000 outcome groups of 2 to 30 studies (seeded), pools each by REML with
``guidebook.evidence.pooling.pool_many`` and with PyMARE, checks that the two agree
on tau^2 and on the pooled estimate, and prints a table of timings.

    .venv/bin/pip install PyMARE          # only for this benchmark (extra "bench")
    .venv/bin/python benchmarks/pool_reml_vs_pymare.py

Without PyMARE it says so, prints Guidebook's figures alone and exits 0. It exits 1
if the two disagree beyond the tolerance.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from guidebook.evidence.pooling import pool_many

SEED = 20240601
# PyMARE stops its search at a relative bracket of 1e-6 and when the likelihood is
# flat to 1e-12; ours converges to 1e-10. Differences beyond these mean a real
# disagreement rather than a looser stopping rule.
TAU2_TOLERANCE = 1e-4
ESTIMATE_TOLERANCE = 1e-4

Groups = list[np.ndarray]


@dataclass(frozen=True)
class Timing:
    tool: str
    seconds: float
    tau2: np.ndarray
    estimate: np.ndarray


def simulate(groups: int, seed: int) -> tuple[Groups, Groups]:
    """Standardised mean differences from two-arm trials with between-study spread."""
    rng = np.random.default_rng(seed)
    effects, variances = [], []
    for _ in range(groups):
        k = int(rng.integers(2, 31))
        mean_effect = rng.normal(0.2, 0.2)
        tau2 = rng.uniform(0, 0.4) ** 2
        n_treatment = rng.integers(10, 300, size=k)
        n_comparison = rng.integers(10, 300, size=k)
        true_effects = rng.normal(mean_effect, np.sqrt(tau2), size=k)
        variance = 1 / n_treatment + 1 / n_comparison
        variance += true_effects**2 / (2 * (n_treatment + n_comparison))
        effects.append(rng.normal(true_effects, np.sqrt(variance)))
        variances.append(variance)
    return effects, variances


def timed(tool: str, run: Callable[[], tuple[np.ndarray, np.ndarray]]) -> Timing:
    start = time.perf_counter()
    tau2, estimate = run()
    return Timing(tool, time.perf_counter() - start, tau2, estimate)


def run_ours(effects: Groups, variances: Groups) -> tuple[np.ndarray, np.ndarray]:
    pooled = pool_many(effects, variances, method="REML")
    return pooled.tau2, pooled.estimate


def run_pymare_per_group(effects: Groups, variances: Groups) -> tuple[np.ndarray, np.ndarray]:
    """PyMARE's ordinary use: one estimator fit per meta-analysis."""
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    tau2, estimate = np.empty(len(effects)), np.empty(len(effects))
    for index, (y, v) in enumerate(zip(effects, variances, strict=True)):
        fitted = VarianceBasedLikelihoodEstimator(method="REML").fit(
            y[:, None], v[:, None], np.ones((len(y), 1))
        )
        tau2[index] = fitted.params_["tau2"].ravel()[0]
        estimate[index] = fitted.params_["fe_params"].ravel()[0]
    return tau2, estimate


def run_pymare_batched(effects: Groups, variances: Groups) -> tuple[np.ndarray, np.ndarray]:
    """PyMARE's parallel-datasets mode: one fit per study count, groups as columns."""
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    tau2, estimate = np.empty(len(effects)), np.empty(len(effects))
    sizes = np.array([len(y) for y in effects])
    for k in np.unique(sizes):
        rows = np.flatnonzero(sizes == k)
        y = np.column_stack([effects[row] for row in rows])
        v = np.column_stack([variances[row] for row in rows])
        fitted = VarianceBasedLikelihoodEstimator(method="REML").fit(y, v, np.ones((k, 1)))
        tau2[rows] = fitted.params_["tau2"].ravel()
        estimate[rows] = fitted.params_["fe_params"].ravel()
    return tau2, estimate


def agreement(ours: Timing, theirs: Timing) -> tuple[float, float, int]:
    tau2_gap = np.abs(ours.tau2 - theirs.tau2)
    estimate_gap = np.abs(ours.estimate - theirs.estimate)
    outside = int(((tau2_gap > TAU2_TOLERANCE) | (estimate_gap > ESTIMATE_TOLERANCE)).sum())
    return float(tau2_gap.max()), float(estimate_gap.max()), outside


def print_table(timings: list[Timing], groups: int) -> None:
    reference = timings[0].seconds
    print(f"{'tool':<34} {'total s':>9} {'groups/s':>11} {'ratio':>8}")
    for timing in timings:
        ratio = timing.seconds / reference
        print(
            f"{timing.tool:<34} {timing.seconds:>9.3f} "
            f"{groups / timing.seconds:>11,.0f} {ratio:>7.1f}x"
        )
    print("(ratio: seconds relative to Guidebook; above 1 means slower than Guidebook)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args()

    effects, variances = simulate(arguments.groups, arguments.seed)
    studies = sum(len(y) for y in effects)
    print(f"{arguments.groups:,} outcome groups, {studies:,} studies, seed {arguments.seed}")
    ours = timed("guidebook pool_many (REML)", lambda: run_ours(effects, variances))
    try:
        import pymare
    except ImportError:
        print("PyMARE is not installed (pip install PyMARE): showing Guidebook's figures only.")
        print_table([ours], arguments.groups)
        return 0

    print(f"PyMARE {pymare.__version__}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        per_group = timed(
            "PyMARE, one fit per group", lambda: run_pymare_per_group(effects, variances)
        )
        batched = timed(
            "PyMARE, batched by study count", lambda: run_pymare_batched(effects, variances)
        )
    print_table([ours, per_group, batched], arguments.groups)

    failed = False
    for theirs in (per_group, batched):
        tau2_gap, estimate_gap, outside = agreement(ours, theirs)
        print(
            f"agreement with {theirs.tool}: max |tau2 gap| {tau2_gap:.2e}, "
            f"max |estimate gap| {estimate_gap:.2e}, groups outside tolerance {outside}"
        )
        failed = failed or outside > 0
    if failed:
        print(f"DISAGREEMENT beyond tau2 {TAU2_TOLERANCE:g} / estimate {ESTIMATE_TOLERANCE:g}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
