# SPDX-License-Identifier: EUPL-1.2
"""Shares and means with a confidence interval corrected for the finite population.

The monitor asks every municipality, so *n* respondents out of *N* municipalities is close to a
census and the ordinary (infinite-population) interval is far too wide. Every variance here is
multiplied by the finite population correction ``fpc² = (N − n) / (N − 1)``: at ``n = N`` the
interval has zero width (the figure is exact), at ``n = 0`` there is no figure (``NaN``, published
as ``null``).

Shares use the **Wilson score interval with the FPC** (the Wilson interval with ``z·fpc`` for
``z``): unlike the Wald interval ``p ± z·se`` it never leaves [0, 1], it has width at ``p = 0`` or
``p = 1`` (where the Wald standard error is 0 although 3 of 3 is no proof that every municipality
would say yes) and it keeps its coverage for the small groups of the breakdowns. It always contains
``p``. Means use Student's *t* with ``n − 1`` degrees of freedom and the same FPC, kept inside the
item's bounds. docs/monitor-analysis.md gives the formulas and a worked example.

Everything works on numpy arrays (one element per item, category or group), so a whole wave is one
call; the scalar helpers at the end are for tests, notebooks and single figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
LEVEL = 0.95


def z_value(level: float = LEVEL) -> float:
    """The two-sided normal quantile: 1.959963… for 95 %."""
    return float(stats.norm.ppf(0.5 + level / 2))


def fpc_squared(N: ArrayLike, n: ArrayLike) -> FloatArray:  # noqa: N803 - N is the population size
    """``(N − n) / (N − 1)``; 0 for a population of one (its one member answered, or there is nothing)."""
    big = np.asarray(N, dtype=np.float64)
    small = np.asarray(n, dtype=np.float64)
    if np.any(small > big):
        raise ValueError("more respondents than municipalities (n > N)")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(big > 1, (big - small) / (big - 1), 0.0)
    return np.asarray(np.clip(result, 0.0, 1.0), dtype=np.float64)


def wilson(p: ArrayLike, inv_n: ArrayLike, z: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The Wilson score interval for share ``p`` with ``1/n`` given as ``inv_n`` and quantile ``z``.

    The interval is the set of true shares *P* with ``(p − P)² ≤ z² · P(1 − P) / n``; the closed form
    is ``(p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)``. The FPC enters by passing
    ``z·fpc`` (and a design effect by passing ``deff/n`` as ``inv_n``). ``inv_n = 0`` (infinitely
    many respondents) gives ``[p, p]``.
    """
    share = np.asarray(p, dtype=np.float64)
    inv = np.asarray(inv_n, dtype=np.float64)
    z2 = np.asarray(z, dtype=np.float64) ** 2
    denominator = 1.0 + z2 * inv
    centre = (share + z2 * inv / 2.0) / denominator
    half = np.sqrt(z2) / denominator * np.sqrt(np.maximum(share * (1.0 - share) * inv + z2 * inv * inv / 4.0, 0.0))
    # Rounding must not push an end past p or out of [0, 1].
    low = np.clip(np.minimum(centre - half, share), 0.0, 1.0)
    high = np.clip(np.maximum(centre + half, share), 0.0, 1.0)
    return low, high


@dataclass(frozen=True)
class Shares:
    """Shares with their intervals, one element per cell; NaN where there are no respondents."""

    N: FloatArray
    n: FloatArray
    count: FloatArray
    share: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray


def shares(
    count: ArrayLike,
    n: ArrayLike,
    N: ArrayLike,  # noqa: N803
    *,
    level: float = LEVEL,
    interval: Literal["wilson", "wald"] = "wilson",
) -> Shares:
    """Share ``count/n`` of a population of ``N``; ``se = sqrt(p(1 − p)/n) · sqrt((N − n)/(N − 1))``.

    ``interval="wald"`` gives ``p ± z·se`` clipped to [0, 1], for comparison only.
    """
    k, size = np.broadcast_arrays(np.asarray(count, dtype=np.float64), np.asarray(n, dtype=np.float64))
    big = np.broadcast_to(np.asarray(N, dtype=np.float64), size.shape).astype(np.float64)
    if np.any((k < 0) | (k > size)):
        raise ValueError("a count lies outside 0..n")
    f2 = fpc_squared(big, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(size > 0, k / size, np.nan)
        inv_n = np.where(size > 0, 1.0 / size, np.nan)
    se = np.sqrt(p * (1.0 - p) * inv_n * f2)
    z = z_value(level)
    if interval == "wilson":
        low, high = wilson(p, inv_n, z * np.sqrt(f2))
    else:
        low, high = np.clip(p - z * se, 0.0, 1.0), np.clip(p + z * se, 0.0, 1.0)
    low = np.where(size > 0, low, np.nan)
    high = np.where(size > 0, high, np.nan)
    return Shares(
        N=big, n=size.astype(np.float64), count=k.astype(np.float64), share=p, se=se, ci_low=low, ci_high=high
    )


def t_value(df: ArrayLike, level: float = LEVEL) -> FloatArray:
    """Student's two-sided quantile; NaN where there are no degrees of freedom."""
    freedom = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        result = stats.t.ppf(0.5 + level / 2, np.where(freedom >= 1, freedom, np.nan))
    return np.asarray(result, dtype=np.float64)


@dataclass(frozen=True)
class Means:
    """Means with their intervals, one element per cell."""

    N: FloatArray
    n: FloatArray
    mean: FloatArray
    sd: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray


def means(
    mean: ArrayLike,
    var: ArrayLike,
    n: ArrayLike,
    N: ArrayLike,  # noqa: N803
    *,
    low: ArrayLike = -np.inf,
    high: ArrayLike = np.inf,
    level: float = LEVEL,
) -> Means:
    """Mean of ``n`` respondents out of ``N``: ``se = s/sqrt(n) · sqrt((N − n)/(N − 1))``.

    ``var`` is the sample variance ``s²`` (divisor ``n − 1``). With one respondent of several there
    is no ``s`` and so no interval (the mean itself is still given); at ``n = N`` the interval has
    zero width whatever ``s`` is. The interval ``mean ± t(n − 1)·se`` is clipped to ``[low, high]``.
    """
    size = np.asarray(n, dtype=np.float64)
    m = np.where(size > 0, np.asarray(mean, dtype=np.float64), np.nan)
    big = np.broadcast_to(np.asarray(N, dtype=np.float64), size.shape).astype(np.float64)
    f2 = fpc_squared(big, size)
    s2 = np.where(size > 1, np.asarray(var, dtype=np.float64), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(f2 == 0, np.where(size > 0, 0.0, np.nan), np.sqrt(s2 / size * f2))
    t = t_value(size - 1, level)
    # A census needs no quantile: the half-width is 0 even with one respondent (t undefined).
    half = np.where(se == 0, 0.0, t * se)
    lower = np.clip(m - half, low, high)
    upper = np.clip(m + half, low, high)
    return Means(N=big, n=size, mean=m, sd=np.sqrt(s2), se=se, ci_low=lower, ci_high=upper)


# --- Scalar helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One estimate; ``None`` where there is nothing to say (no respondents, or no spread to measure)."""

    N: int
    n: int
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None


def _opt(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _values(values: Iterable[float | None] | pd.Series) -> FloatArray:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="float64")
    return np.asarray(pd.to_numeric(series, errors="raise").dropna(), dtype=np.float64)


def estimate_share(values: Iterable[float | None] | pd.Series, N: int, *, level: float = LEVEL) -> Estimate:  # noqa: N803
    """The share of 1s among the answered values (0/1, NaN = not answered) of a population of ``N``."""
    answered = _values(values)
    if not np.isin(answered, (0.0, 1.0)).all():
        raise ValueError("a yes/no answer must be 0 or 1")
    result = shares(answered.sum(), len(answered), N, level=level)
    return Estimate(
        N=N,
        n=len(answered),
        estimate=_opt(result.share.item()),
        se=_opt(result.se.item()),
        ci_low=_opt(result.ci_low.item()),
        ci_high=_opt(result.ci_high.item()),
    )


def estimate_mean(
    values: Iterable[float | None] | pd.Series,
    N: int,  # noqa: N803
    *,
    bounds: tuple[float, float] = (-np.inf, np.inf),
    level: float = LEVEL,
) -> Estimate:
    """The mean of the answered values of a population of ``N``, its interval kept inside ``bounds``."""
    answered = _values(values)
    n = len(answered)
    mean = answered.mean() if n else np.nan
    var = answered.var(ddof=1) if n > 1 else np.nan
    result = means(mean, var, n, N, low=bounds[0], high=bounds[1], level=level)
    return Estimate(
        N=N,
        n=n,
        estimate=_opt(result.mean.item()),
        se=_opt(result.se.item()),
        ci_low=_opt(result.ci_low.item()),
        ci_high=_opt(result.ci_high.item()),
    )


def estimate_distribution(
    values: Iterable[object] | pd.Series,
    N: int,  # noqa: N803
    categories: Sequence[str],
    *,
    level: float = LEVEL,
) -> dict[str, Estimate]:
    """The share of each category among the answered values (a single choice or a scale value)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    answered = series.dropna().map(_category)
    unknown = set(answered) - set(categories)
    if unknown:
        raise ValueError(f"values outside the categories: {sorted(unknown)}")
    counts = answered.value_counts().reindex(list(categories), fill_value=0)
    result = shares(counts.to_numpy(dtype=np.float64), len(answered), N, level=level)
    return {
        str(c): Estimate(
            N=N,
            n=len(answered),
            estimate=_opt(result.share[i]),
            se=_opt(result.se[i]),
            ci_low=_opt(result.ci_low[i]),
            ci_high=_opt(result.ci_high[i]),
        )
        for i, c in enumerate(categories)
    }


def _category(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
