"""Hypothesis strategies for reported statistics and sets of study estimates."""

from __future__ import annotations

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
