# SPDX-License-Identifier: EUPL-1.2
"""Golden tests of the estimators: every expected number is worked out by hand in the comments.

z = 1.959964 (the 97.5 % normal quantile). fpc² = (N − n)/(N − 1).
Wilson with FPC: z' = z·fpc; (p + z'²/2n ± z'·sqrt(p(1 − p)/n + z'²/4n²)) / (1 + z'²/n).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weerbaar.monitor.analysis import estimate_distribution, estimate_mean, estimate_share
from weerbaar.monitor.analysis.estimators import fpc_squared, means, shares, wilson, z_value

Z = 1.959963984540054


def test_z_value_is_the_normal_quantile() -> None:
    assert z_value() == pytest.approx(Z, abs=1e-12)


def test_share_of_three_in_five_of_ten() -> None:
    """N = 10, n = 5, 3 yes.

    p = 3/5 = 0.6; fpc² = (10 − 5)/(10 − 1) = 5/9 = 0.555556
    se = sqrt(0.6·0.4/5)·sqrt(5/9) = sqrt(0.048·0.555556) = sqrt(0.0266667) = 0.163299
    z'² = 1.959964²·5/9 = 3.841459·0.555556 = 2.134144
    denominator = 1 + 2.134144/5 = 1.426829
    centre = (0.6 + 2.134144/10)/1.426829 = 0.813414/1.426829 = 0.570087
    half = sqrt(2.134144)/1.426829·sqrt(0.048 + 2.134144/100) = 1.023859·0.263328 = 0.269611
    interval = [0.300475, 0.839696]
    """
    result = estimate_share([1, 1, 1, 0, 0, None, None, None, None, None], N=10)
    assert (result.N, result.n) == (10, 5)
    assert result.estimate == pytest.approx(0.6)
    assert result.se == pytest.approx(0.163299, abs=1e-6)
    assert result.ci_low == pytest.approx(0.300475, abs=1e-6)
    assert result.ci_high == pytest.approx(0.839696, abs=1e-6)


def test_wald_variant_uses_the_same_standard_error() -> None:
    """Wald: 0.6 ± 1.959964·0.163299 = 0.6 ± 0.320060 = [0.279940, 0.920060]."""
    result = shares(3, 5, 10, interval="wald")
    assert result.ci_low[()] == pytest.approx(0.279940, abs=1e-6)
    assert result.ci_high[()] == pytest.approx(0.920060, abs=1e-6)


def test_census_gives_a_zero_width_interval() -> None:
    """n = N = 8, 6 yes: fpc² = 0, se = 0, z' = 0 → [0.75, 0.75]: the figure is exact."""
    result = estimate_share([1, 1, 1, 1, 1, 1, 0, 0], N=8)
    assert result.estimate == 0.75
    assert result.se == 0
    assert result.ci_low == result.ci_high == 0.75


def test_one_respondent_of_ten() -> None:
    """N = 10, n = 1, yes: p = 1; fpc² = 9/9 = 1; Wald se = 0 (useless), but Wilson gives width.

    z'² = 3.841459; interval = [1/(1 + 3.841459), 1] = [0.206549, 1]
    (centre = (1 + 1.920729)/4.841459 = 0.603275, half = 1.959964/4.841459·1.959964/2 = 0.396725).
    """
    result = estimate_share([1] + [None] * 9, N=10)
    assert result.n == 1
    assert result.estimate == 1.0
    assert result.se == 0.0
    assert result.ci_low == pytest.approx(0.206549, abs=1e-6)
    assert result.ci_high == 1.0


def test_no_respondents_gives_nulls_not_a_crash() -> None:
    result = estimate_share([None, None, None], N=3)
    assert (result.n, result.estimate, result.se, result.ci_low, result.ci_high) == (0, None, None, None, None)
    mean = estimate_mean([], N=3)
    assert (mean.n, mean.estimate, mean.ci_low) == (0, None, None)


def test_population_of_one() -> None:
    """N = n = 1: fpc² is defined as 0 (nothing else to learn), the interval is the answer itself."""
    result = estimate_share([0], N=1)
    assert (result.estimate, result.ci_low, result.ci_high) == (0.0, 0.0, 0.0)
    assert fpc_squared(1, 0)[()] == 0.0


def test_mean_of_five_of_ten_on_a_scale() -> None:
    """N = 10, values 2, 4, 4, 5, 5 on a 1–5 scale.

    mean = 20/5 = 4; s² = ((2−4)² + 0 + 0 + 1 + 1)/(5 − 1) = 6/4 = 1.5
    se = sqrt(1.5/5)·sqrt(5/9) = sqrt(0.3·0.555556) = sqrt(0.166667) = 0.408248
    t(0.975, 4) = 2.776445; half = 2.776445·0.408248 = 1.133479
    interval = [2.866521, 5.133479] → kept inside the scale: [2.866521, 5]
    """
    result = estimate_mean([2, 4, 4, 5, 5, None], N=10, bounds=(1, 5))
    assert result.estimate == 4.0
    assert result.se == pytest.approx(0.408248, abs=1e-6)
    assert result.ci_low == pytest.approx(2.866521, abs=1e-5)
    assert result.ci_high == 5.0
    unbounded = estimate_mean([2, 4, 4, 5, 5], N=10)
    assert unbounded.ci_high == pytest.approx(5.133479, abs=1e-5)


def test_mean_edge_cases() -> None:
    """n = 1 of 10: the mean, but no spread to measure → no interval. n = N: exact, zero width."""
    single = estimate_mean([3], N=10)
    assert (single.estimate, single.se, single.ci_low, single.ci_high) == (3.0, None, None, None)
    census = estimate_mean([1, 2, 3], N=3)
    assert (census.estimate, census.se, census.ci_low, census.ci_high) == (2.0, 0.0, 2.0, 2.0)
    lone_census = estimate_mean([7], N=1)
    assert (lone_census.ci_low, lone_census.ci_high) == (7.0, 7.0)


def test_distribution_of_choices() -> None:
    """N = 5; answers a, a, b and two not answered → n = 3: a 2/3, b 1/3, c 0.

    fpc² = (5 − 3)/4 = 0.5; se(a) = sqrt(2/3·1/3/3)·sqrt(0.5) = sqrt(0.074074·0.5) = 0.192450.
    c: p = 0, se = 0, yet Wilson's upper end is above 0:
    z'² = 3.841459·0.5 = 1.920729; at p = 0 centre and half are both (z'²/2n)/(1 + z'²/n), so
    upper = (z'²/n)/(1 + z'²/n) = 0.640243/1.640243 = 0.390334.
    """
    result = estimate_distribution(["a", "a", "b", None, None], 5, ["a", "b", "c"])
    assert result["a"].estimate == pytest.approx(2 / 3)
    assert result["a"].se == pytest.approx(0.192450, abs=1e-6)
    assert result["b"].estimate == pytest.approx(1 / 3)
    assert result["c"].estimate == 0.0
    assert result["c"].ci_low == 0.0
    assert result["c"].ci_high == pytest.approx(0.390334, abs=1e-6)
    with pytest.raises(ValueError, match="outside the categories"):
        estimate_distribution(["x"], 5, ["a"])


def test_scale_values_as_categories() -> None:
    result = estimate_distribution([1.0, 2.0, 2.0], 3, ["1", "2", "3"])
    assert [result[c].estimate for c in "123"] == pytest.approx([1 / 3, 2 / 3, 0.0])


def test_impossible_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="n > N"):
        shares(1, 5, 4)
    with pytest.raises(ValueError, match=r"outside 0\.\.n"):
        shares(6, 5, 10)
    with pytest.raises(ValueError, match="0 or 1"):
        estimate_share([2], N=3)


def test_vectorised_and_scalar_agree() -> None:
    counts, ns, big = np.array([0, 3, 5, 7]), np.array([4, 5, 5, 20]), np.array([10, 10, 5, 40])
    result = shares(counts, ns, big)
    for i in range(4):
        values = [1] * counts[i] + [0] * (ns[i] - counts[i])
        single = estimate_share(values, N=int(big[i]))
        assert (single.estimate, single.ci_low, single.ci_high) == pytest.approx(
            (result.share[i], result.ci_low[i], result.ci_high[i])
        )


@given(st.integers(1, 500).flatmap(lambda big: st.tuples(st.just(big), st.integers(0, big))).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[1]))
))  # fmt: skip
def test_share_interval_contains_the_estimate_and_stays_in_0_1(case: tuple[int, int, int]) -> None:
    big, n, k = case
    result = shares(k, n, big)
    if n == 0:
        assert math.isnan(result.share[()]) and math.isnan(result.ci_low[()])
        return
    p, low, high = result.share[()], result.ci_low[()], result.ci_high[()]
    assert 0.0 <= low <= p <= high <= 1.0
    if n == big:
        assert low == high == p
    # The FPC only narrows: the interval is never wider than without it (N → ∞).
    infinite = wilson(p, 1 / n, Z)
    assert high - low <= infinite[1] - infinite[0] + 1e-12


@given(
    st.lists(st.integers(1, 7), min_size=1, max_size=40),
    st.integers(0, 40),
)
def test_mean_interval_contains_the_mean_and_stays_in_the_scale(values: list[int], extra: int) -> None:
    big = len(values) + extra
    result = means(
        np.mean(values), np.var(values, ddof=1) if len(values) > 1 else np.nan, len(values), big, low=1, high=7
    )
    mean, low, high = result.mean[()], result.ci_low[()], result.ci_high[()]
    if math.isnan(low):
        assert len(values) == 1 and big > 1
        return
    assert 1 <= low <= mean <= high <= 7
    if extra == 0:
        assert low == high == pytest.approx(mean)
