# SPDX-License-Identifier: EUPL-1.2
"""Estimates of a whole wave at once: the national figure and every group of each breakdown.

A breakdown is a one-hot matrix *municipalities × groups*; counts, sums and sums of squares per
group are then one matrix product over all items (``G.T @ X``), and the estimators of
:mod:`.estimators` run on the resulting arrays. Each group is its own finite population: its *N*
is the number of municipalities of the year in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis.coding import Coded, code_wave
from weerbaar.monitor.analysis.estimators import LEVEL, FloatArray, Means, Shares, means, shares
from weerbaar.monitor.analysis.inputs import BREAKDOWNS, Codebook, ItemType, Wave, group_order


@dataclass(frozen=True)
class Cells:
    """Estimates for ``G`` groups (rows; one row for the national figure) × items or indicators."""

    groups: list[str]
    N: FloatArray
    #: Groups × items: respondents to the item in the group.
    n_item: FloatArray
    #: Groups × indicators (``Coded.indicator_keys``).
    shares: Shares
    #: Groups × numeric items (``Coded.number_items``); ``sums`` is ``mean × n``.
    means: Means
    sums: FloatArray


@dataclass(frozen=True)
class WaveEstimates:
    """Every estimate of one wave, before disclosure control."""

    year: int
    coded: Coded
    total: Cells
    by: dict[str, Cells]
    #: Group of each municipality, per breakdown (used by weighting and the model).
    membership: dict[str, pd.Series]
    #: Per numeric item, the bounds a reader may assume (scale or declared bounds, else the observed range).
    number_bounds: tuple[FloatArray, FloatArray]


def one_hot(labels: pd.Series, order: Sequence[str]) -> FloatArray:
    """Municipalities × groups membership matrix (1.0 where the municipality is in the group)."""
    codes = pd.Categorical(labels.astype(str), categories=list(order)).codes
    matrix = np.zeros((len(labels), len(order)), dtype=np.float64)
    matrix[np.arange(len(labels)), codes] = 1.0
    return matrix


def cells(coded: Coded, membership: FloatArray, groups: list[str], *, level: float = LEVEL) -> Cells:
    """Estimates per group from the membership matrix; one matrix product per statistic."""
    big = membership.sum(axis=0)
    weights = membership.T
    indicator = coded.indicators
    present = ~np.isnan(indicator)
    n_ind = weights @ present
    count = weights @ np.where(present, indicator, 0.0)
    share = shares(count, n_ind, big[:, None], level=level)

    numbers = coded.numbers
    answered = ~np.isnan(numbers)
    n_num = weights @ answered
    # Centring on the national mean keeps the sum of squares from cancelling for large numbers.
    seen = answered.sum(axis=0)
    centre = np.where(answered, numbers, 0.0).sum(axis=0) / np.maximum(seen, 1)
    centred = np.where(answered, numbers - centre, 0.0)
    s1 = weights @ centred
    s2 = weights @ (centred**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_c = np.where(n_num > 0, s1 / n_num, np.nan)
        var = np.where(n_num > 1, (s2 - n_num * mean_c**2) / (n_num - 1), np.nan)
    var = np.maximum(var, 0.0)
    low = np.array([-np.inf if i.scale_min is None else i.scale_min for i in coded.number_items], dtype=np.float64)
    high = np.array([np.inf if i.scale_max is None else i.scale_max for i in coded.number_items], dtype=np.float64)
    mean = means(mean_c + centre, var, n_num, big[:, None], low=low, high=high, level=level)
    sums = np.where(n_num > 0, mean.mean * n_num, 0.0)
    return Cells(
        groups=groups,
        N=big,
        n_item=weights @ coded.answered.astype(np.float64),
        shares=share,
        means=mean,
        sums=sums,
    )


def estimate_wave(
    wave: Wave,
    codebook: Codebook,
    *,
    breakdowns: Sequence[str] = BREAKDOWNS,
    level: float = LEVEL,
) -> WaveEstimates:
    """National figures and breakdowns for every item the wave covers."""
    coded = code_wave(wave, codebook)
    rows = len(wave.frame)
    total = cells(coded, np.ones((rows, 1)), ["all"], level=level)
    by: dict[str, Cells] = {}
    membership: dict[str, pd.Series] = {}
    for column in breakdowns:
        order = group_order(wave.frame, column)
        labels = wave.frame[column].astype(str)
        membership[column] = labels
        by[column] = cells(coded, one_hot(labels, order), order, level=level)
    return WaveEstimates(
        year=wave.year,
        coded=coded,
        total=total,
        by=by,
        membership=membership,
        number_bounds=_number_bounds(coded),
    )


def _number_bounds(coded: Coded) -> tuple[FloatArray, FloatArray]:
    """Declared bounds, else the observed range: a reader is assumed to know how far answers go."""
    low, high = [], []
    for j, item in enumerate(coded.number_items):
        column = coded.numbers[:, j]
        seen = column[~np.isnan(column)]
        observed = (float(seen.min()), float(seen.max())) if seen.size else (0.0, 0.0)
        low.append(observed[0] if item.scale_min is None else item.scale_min)
        high.append(observed[1] if item.scale_max is None else item.scale_max)
    return np.array(low, dtype=np.float64), np.array(high, dtype=np.float64)


def protected_quantities(estimates: WaveEstimates, by: str) -> tuple[FloatArray, np.ndarray, FloatArray, FloatArray]:
    """What a breakdown publishes per group, as totals a reader could add up: ``(values, item, lo, hi)``.

    Yes/no and choice items publish shares, i.e. counts between 0 and n; scale and number items
    publish means, i.e. sums between ``n·low`` and ``n·high``. The distribution of a scale is only
    published nationally, so its indicators are not protected quantities of a breakdown.
    """
    coded = estimates.coded
    cell = estimates.by[by]
    position = {item.id: i for i, item in enumerate(coded.items)}
    kinds = {item.id: item.type for item in coded.items}
    keep = [j for j, key in enumerate(coded.indicator_keys) if kinds[key[0]] != ItemType.SCALE]
    ind_item = coded.indicator_item_index()[keep]
    num_item = np.array([position[i.id] for i in coded.number_items], dtype=np.intp)
    values = np.hstack([cell.shares.count[:, keep], cell.sums])
    items = np.concatenate([ind_item, num_item])
    low_n, high_n = estimates.number_bounds
    lo = np.concatenate([np.zeros(len(keep)), low_n])
    hi = np.concatenate([np.ones(len(keep)), high_n])
    return values, items, lo, hi
