# SPDX-License-Identifier: EUPL-1.2
"""Trends over waves, only between comparable items, with a test of each change.

An item's lineage follows ``previous_id`` back through the codebook: the item itself, the item it
replaced, and so on. In each wave the first member of the lineage asked in that wave gives the
figure. A reworded question without ``previous_id`` starts a new line: no trend crosses that break.
A link whose items differ in type, scale or choices is a break too (a codebook error should not
quietly draw a line between incomparable figures).

The change between two consecutive waves is tested with a z-test: for shares the two-proportion
test (pooled share under "no change"), for means the difference over ``sqrt(se₁² + se₂²)``; every
variance carries its own wave's finite population correction. The interval of the difference uses
the unpooled standard error. The two waves are treated as independent samples; in fact largely the
same municipalities answer again, so the test is conservative when answers persist over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from weerbaar.monitor.analysis.estimators import LEVEL, FloatArray, fpc_squared, z_value
from weerbaar.monitor.analysis.inputs import Codebook, Item, ItemType
from weerbaar.monitor.analysis.tables import WaveEstimates

KEY = ["item", "stat", "category"]


def comparable(newer: Item, older: Item) -> bool:
    """Whether figures of ``older`` may be put beside those of ``newer`` in one line."""
    if newer.type != older.type:
        return False
    if newer.type == ItemType.SCALE:
        return (newer.scale_min, newer.scale_max) == (older.scale_min, older.scale_max)
    if newer.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        return set(newer.choices) == set(older.choices)
    return True


def lineage(item_id: str, codebook: Codebook) -> list[Item]:
    """The item and its comparable predecessors, newest first; stops at a break or a missing id."""
    line = [codebook[item_id]]
    seen = {item_id}
    while line[-1].previous_id:
        previous = codebook.get(line[-1].previous_id)
        if previous is None or previous.id in seen or not comparable(line[-1], previous):
            break
        line.append(previous)
        seen.add(previous.id)
    return line


def totals_frame(estimates: WaveEstimates) -> pd.DataFrame:
    """The national figures of one wave, one row per (item, stat, category)."""
    coded = estimates.coded
    share = estimates.total.shares
    mean = estimates.total.means
    share_rows = pd.DataFrame(
        {
            "item": [k[0] for k in coded.indicator_keys],
            "stat": "share",
            "category": [k[1] for k in coded.indicator_keys],
            "N": share.N[0],
            "n": share.n[0],
            "count": share.count[0],
            "estimate": share.share[0],
            "se": share.se[0],
            "ci_low": share.ci_low[0],
            "ci_high": share.ci_high[0],
        }
    )
    mean_rows = pd.DataFrame(
        {
            "item": [i.id for i in coded.number_items],
            "stat": "mean",
            "category": "",
            "N": mean.N[0],
            "n": mean.n[0],
            "count": np.nan,
            "estimate": mean.mean[0],
            "se": mean.se[0],
            "ci_low": mean.ci_low[0],
            "ci_high": mean.ci_high[0],
        }
    )
    frame = pd.concat([share_rows, mean_rows], ignore_index=True)
    frame.insert(0, "year", estimates.year)
    return frame


def trend(estimates: Mapping[int, WaveEstimates], codebook: Codebook, year: int) -> pd.DataFrame:
    """Per item of wave ``year``: its figures in that wave and every earlier wave of its lineage.

    Columns: item (the item of wave ``year``), stat, category, year, member (the item asked that
    year), N, n, count, estimate, se, ci_low, ci_high. Sorted by item, stat, category, year.
    """
    covered = {y: {i.id for i in e.coded.items} for y, e in estimates.items()}
    links: list[tuple[str, int, str]] = []
    for item in estimates[year].coded.items:
        line = lineage(item.id, codebook)
        for wave_year in sorted(y for y in estimates if y <= year):
            member = next((m for m in line if m.id in covered[wave_year]), None)
            if member is not None:
                links.append((item.id, wave_year, member.id))
    mapping = pd.DataFrame(links, columns=["item", "year", "member"])
    totals = pd.concat([totals_frame(estimates[y]) for y in sorted(estimates) if y <= year], ignore_index=True)
    totals = totals.rename(columns={"item": "member"})
    joined = mapping.merge(totals, on=["year", "member"], how="inner")
    return joined.sort_values([*KEY, "year"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class ChangeTest:
    difference: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    z: FloatArray
    p_value: FloatArray


def change_test(
    before: ArrayLike,
    se_before: ArrayLike,
    after: ArrayLike,
    se_after: ArrayLike,
    *,
    se_test: ArrayLike | None = None,
    level: float = LEVEL,
) -> ChangeTest:
    """``after − before`` with ``se = sqrt(se₁² + se₂²)``, its interval and a two-sided z-test.

    ``se_test`` replaces the standard error of the test statistic (the pooled one for shares).
    A standard error of 0 means both figures are exact (two censuses): the difference is then
    known, and there is no test (z and p are NaN).
    """
    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    difference = a - b
    se = np.sqrt(np.asarray(se_before, dtype=np.float64) ** 2 + np.asarray(se_after, dtype=np.float64) ** 2)
    test_se = se if se_test is None else np.asarray(se_test, dtype=np.float64)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(test_se > 0, difference / test_se, np.nan)
    p_value = 2.0 * stats.norm.sf(np.abs(statistic))
    return ChangeTest(
        difference=difference,
        se=se,
        ci_low=difference - z * se,
        ci_high=difference + z * se,
        z=statistic,
        p_value=np.asarray(p_value, dtype=np.float64),
    )


def pooled_se(
    k1: ArrayLike, n1: ArrayLike, big1: ArrayLike, k2: ArrayLike, n2: ArrayLike, big2: ArrayLike
) -> FloatArray:
    """Standard error of ``p₂ − p₁`` under "no change": ``sqrt(p̄(1 − p̄)(fpc₁²/n₁ + fpc₂²/n₂))``."""
    count1, size1 = np.asarray(k1, dtype=np.float64), np.asarray(n1, dtype=np.float64)
    count2, size2 = np.asarray(k2, dtype=np.float64), np.asarray(n2, dtype=np.float64)
    pooled = (count1 + count2) / (size1 + size2)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = fpc_squared(big1, size1) / size1 + fpc_squared(big2, size2) / size2
    return np.asarray(np.sqrt(pooled * (1.0 - pooled) * spread), dtype=np.float64)


def changes(points: pd.DataFrame, *, level: float = LEVEL) -> pd.DataFrame:
    """Tests between consecutive waves of each line of :func:`trend` (rows with an estimate only)."""
    usable = points[points["estimate"].notna()]
    previous = usable.groupby(KEY, sort=False).shift(1)
    pairs = usable.assign(
        from_year=previous["year"],
        before=previous["estimate"],
        se_before=previous["se"],
        k_before=previous["count"],
        n_before=previous["n"],
        N_before=previous["N"],
    ).dropna(subset=["from_year"])
    is_share = (pairs["stat"] == "share").to_numpy()
    pooled = pooled_se(pairs["k_before"], pairs["n_before"], pairs["N_before"], pairs["count"], pairs["n"], pairs["N"])
    unpooled = np.sqrt(pairs["se_before"].to_numpy() ** 2 + pairs["se"].to_numpy() ** 2)
    test = change_test(
        pairs["before"], pairs["se_before"], pairs["estimate"], pairs["se"],
        se_test=np.where(is_share, pooled, unpooled), level=level,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "item": pairs["item"].to_numpy(),
            "stat": pairs["stat"].to_numpy(),
            "category": pairs["category"].to_numpy(),
            "from_year": pairs["from_year"].astype(int).to_numpy(),
            "to_year": pairs["year"].astype(int).to_numpy(),
            "difference": test.difference,
            "se": test.se,
            "ci_low": test.ci_low,
            "ci_high": test.ci_high,
            "z": test.z,
            "p_value": test.p_value,
        }
    )
