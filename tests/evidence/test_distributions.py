"""The normal distribution of a single number, computed with the standard library,
gives scipy's answer; arrays and numpy numbers still go to scipy.special.

Single numbers avoid scipy so that rating a record whose only statistics are
confidence intervals never imports it (issue 13: ``guidebook rate`` in under 0.5 s).
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from guidebook.evidence import distributions

# cephes and the standard library's erf/erfc and AS 241 differ in the last few bits;
# a few parts in 1e13 is far below any figure the guidebook shows.
RELATIVE = 1e-12

# Beyond 37 standard deviations cephes returns 0 where erfc still gives a subnormal.
finite = st.floats(min_value=-37, max_value=37, allow_nan=False)
probabilities = st.floats(min_value=0, max_value=1, exclude_min=True, exclude_max=True)
tail_probabilities = st.floats(min_value=1e-300, max_value=1e-3)


@given(finite)
def test_the_normal_cdf_of_a_number_is_scipys(x):
    assert distributions.normal_cdf(x) == pytest.approx(special.ndtr(x), rel=RELATIVE, abs=0)


@given(finite)
def test_the_normal_tail_of_a_number_is_scipys_far_out_too(x):
    # 0.5 * erfc keeps its precision where 1 - cdf would cancel to zero (x beyond 8).
    assert distributions.normal_sf(x) == pytest.approx(special.ndtr(-x), rel=RELATIVE, abs=0)


@given(probabilities | tail_probabilities)
def test_the_normal_quantile_of_a_number_is_scipys(p):
    assert distributions.normal_isf(p) == pytest.approx(-special.ndtri(p), rel=RELATIVE, abs=0)


@pytest.mark.parametrize(
    ("p", "z"),
    [
        (0.025, 1.959963984540054),
        (0.005, 2.5758293035489004),
        (0.5, 0.0),
        (0.0, math.inf),
        (1.0, -math.inf),
    ],
)
def test_the_normal_quantiles_the_guidebook_uses(p, z):
    assert distributions.normal_isf(p) == pytest.approx(z, rel=RELATIVE, abs=1e-15)


@pytest.mark.parametrize("p", [-0.1, 1.5, math.nan])
def test_a_quantile_outside_zero_to_one_is_not_a_number_as_in_scipy(p):
    assert math.isnan(distributions.normal_isf(p))
    assert math.isnan(special.ndtri(p))


@pytest.mark.parametrize(("x", "cdf"), [(math.inf, 1.0), (-math.inf, 0.0), (0, 0.5)])
def test_the_ends_and_the_centre_of_the_normal_cdf(x, cdf):
    assert distributions.normal_cdf(x) == cdf
    assert distributions.normal_sf(-x) == cdf


def test_the_cdf_of_not_a_number_is_not_a_number():
    assert math.isnan(distributions.normal_cdf(math.nan))


def test_a_number_gets_a_float_and_an_array_an_array():
    assert type(distributions.normal_isf(0.025)) is float
    assert type(distributions.normal_sf(1)) is float
    values = np.array([0.5, 1.96])
    assert isinstance(distributions.normal_sf(values), np.ndarray)
    np.testing.assert_array_equal(distributions.normal_sf(values), special.ndtr(-values))
    np.testing.assert_array_equal(distributions.normal_cdf(values), special.ndtr(values))
    np.testing.assert_array_equal(distributions.normal_isf(values / 4), -special.ndtri(values / 4))


def test_a_numpy_number_is_answered_by_scipy_as_before():
    assert distributions.normal_isf(np.float64(0.025)) == -special.ndtri(0.025)
