"""Hypothesis strategies for reported statistics and sets of study estimates."""

from __future__ import annotations

import math
import os

from hypothesis import settings
from hypothesis import strategies as st

from guidebook.evidence.records import Counts2x2, MeansAndSDs, TTest

means = st.floats(min_value=-1_000, max_value=1_000, allow_nan=False, allow_infinity=False)
standard_deviations = st.floats(min_value=0.01, max_value=100)
group_sizes = st.integers(min_value=2, max_value=5_000)

means_and_sds = st.builds(
    MeansAndSDs,
    mean_treatment=means,
    sd_treatment=standard_deviations,
    n_treatment=group_sizes,
    mean_comparison=means,
    sd_comparison=standard_deviations,
    n_comparison=group_sizes,
    higher_is_better=st.booleans(),
)

t_tests = st.builds(
    TTest,
    t=st.floats(min_value=-50, max_value=50),
    n_treatment=group_sizes,
    n_comparison=group_sizes,
    higher_is_better=st.booleans(),
)


@st.composite
def counts_2x2(draw: st.DrawFn) -> Counts2x2:
    n_treatment = draw(group_sizes)
    n_comparison = draw(group_sizes)
    return Counts2x2(
        events_treatment=draw(st.integers(0, n_treatment)),
        n_treatment=n_treatment,
        events_comparison=draw(st.integers(0, n_comparison)),
        n_comparison=n_comparison,
        event_is_good=draw(st.booleans()),
    )


effects = st.floats(min_value=-5, max_value=5, allow_nan=False, allow_infinity=False)
variances = st.floats(min_value=1e-3, max_value=10)


@st.composite
def study_sets(
    draw: st.DrawFn, min_size: int = 1, max_size: int = 30
) -> tuple[list[float], list[float]]:
    """Effect sizes and their sampling variances for one meta-analysis."""
    k = draw(st.integers(min_size, max_size))
    return (
        draw(st.lists(effects, min_size=k, max_size=k)),
        draw(st.lists(variances, min_size=k, max_size=k)),
    )


def property_settings(examples: int) -> settings:
    """Hypothesis settings for the pooling properties: ``examples`` by default, times
    ``GUIDEBOOK_PROPERTY_SCALE`` (an integer, 1 if unset) for a longer hunt.

    No deadline: iterative fits can outrun Hypothesis's 200 ms on a cold or busy machine.
    """
    scale = int(os.environ.get("GUIDEBOOK_PROPERTY_SCALE", "1"))
    return settings(max_examples=examples * max(scale, 1), deadline=None)


# Sampling variances spread over four orders of magnitude, as when a few large trials
# sit beside small ones: the case where the likelihood for tau^2 can have two peaks.
mixed_variances = st.floats(min_value=-7.0, max_value=1.0).map(math.exp)
spread_effects = st.floats(min_value=-3, max_value=3, allow_nan=False, allow_infinity=False)


@st.composite
def mixed_precision_groups(
    draw: st.DrawFn, groups: int = 40, max_size: int = 30
) -> tuple[list[list[float]], list[list[float]]]:
    """Up to ``groups`` meta-analyses of 2 to ``max_size`` studies of mixed precision."""
    count = draw(st.integers(1, groups))
    effects, variances = [], []
    for _ in range(count):
        k = draw(st.integers(2, max_size))
        effects.append(draw(st.lists(spread_effects, min_size=k, max_size=k)))
        variances.append(draw(st.lists(mixed_variances, min_size=k, max_size=k)))
    return effects, variances
