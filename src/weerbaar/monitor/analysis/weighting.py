# SPDX-License-Identifier: EUPL-1.2
"""Non-response weighting by size class (post-stratification), and what it changed.

Small municipalities answer less often than large ones, and they answer differently (less capacity,
less expertise), so the plain share over respondents leans towards the large ones. Post-
stratification gives each respondent of class *h* the weight ``N_h / n_h``: the weighted share is
``Σ_h W_h·p_h`` with ``W_h = N_h / N``, as if every class had answered in proportion to its size.
Its variance is the stratified one, each class with its own finite population correction:
``Var = Σ_h W_h² · p_h(1 − p_h)/n_h · (N_h − n_h)/(N_h − 1)`` (for means ``s_h²`` for
``p_h(1 − p_h)``).

Classes whose breakdown cell is suppressed are merged into one stratum before weighting. That keeps
weights of a class with one or two respondents from swinging the figure, and it matters for
disclosure: a weighted total over separate strata is a second linear equation in the class figures,
and with the unweighted total it would let a reader solve two suppressed classes. Over the merged
stratum it adds nothing a reader did not know. A class without respondents cannot be represented;
the weights are then rescaled over the classes that have respondents (and the result says which
class was left out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis.estimators import LEVEL, FloatArray, fpc_squared, t_value, wilson, z_value
from weerbaar.monitor.analysis.tables import WaveEstimates
from weerbaar.monitor.analysis.trend import totals_frame


@dataclass(frozen=True)
class Weighted:
    """Post-stratified figures, aligned with ``coded.indicator_keys`` (shares) and ``number_items`` (means)."""

    share: FloatArray
    share_se: FloatArray
    share_low: FloatArray
    share_high: FloatArray
    mean: FloatArray
    mean_se: FloatArray
    mean_low: FloatArray
    mean_high: FloatArray
    #: Groups × items: the classes merged into one stratum for the item.
    collapsed: np.ndarray
    #: Groups × items: classes without respondents to the item (left out, weights rescaled).
    uncovered: np.ndarray
    groups: list[str]


def _strata(values: FloatArray, merged: np.ndarray) -> FloatArray:
    """Groups × cells → (groups + 1) × cells: the unmerged groups, then the merged stratum."""
    return np.vstack([np.where(merged, 0.0, values), np.where(merged, values, 0.0).sum(axis=0, keepdims=True)])


def poststratify(
    estimates: WaveEstimates,
    *,
    by: str = "size_class",
    collapse: np.ndarray | None = None,
    level: float = LEVEL,
) -> Weighted:
    """Weighted shares and means of a wave, weights ``N_h/n_h`` per class of ``by``.

    ``collapse`` (groups × items, True = merge into one stratum) is normally the suppression mask
    of the ``by`` breakdown; without it nothing is merged.
    """
    coded = estimates.coded
    cell = estimates.by[by]
    groups, items = cell.n_item.shape
    merge_items = np.zeros((groups, items), dtype=bool) if collapse is None else np.asarray(collapse, dtype=bool)
    big = np.broadcast_to(cell.N[:, None], cell.n_item.shape)
    # Indicators.
    merge = merge_items[:, coded.indicator_item_index()]
    n_s = _strata(cell.shares.n, merge)
    k_s = _strata(cell.shares.count, merge)
    big_s = _strata(np.broadcast_to(cell.N[:, None], cell.shares.n.shape), merge)
    weight = _weights(n_s, big_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_s = np.where(n_s > 0, k_s / n_s, 0.0)
        share = np.where(n_s.sum(axis=0) > 0, (weight * p_s).sum(axis=0), np.nan)
        var = (weight**2 * np.where(n_s > 0, p_s * (1 - p_s) / n_s, 0.0) * _fpc2(big_s, n_s)).sum(axis=0)
        n_total = n_s.sum(axis=0)
        big_cov = np.where(n_s > 0, big_s, 0.0).sum(axis=0)
        f2 = fpc_squared(big_cov, n_total)
        srs = share * (1 - share) / n_total * f2
        deff = np.where(srs > 0, var / srs, 1.0)
        low, high = wilson(share, deff / n_total, z_value(level) * np.sqrt(f2))
    share_se = np.sqrt(var)
    empty = n_total == 0
    share_se[empty] = low[empty] = high[empty] = np.nan

    # Means.
    number_index = {item.id: i for i, item in enumerate(coded.items)}
    positions = np.array([number_index[i.id] for i in coded.number_items], dtype=np.intp)
    merge_n = merge_items[:, positions]
    means = cell.means
    n_g = means.n
    sums = np.where(n_g > 0, means.mean * n_g, 0.0)
    ss = np.where(n_g > 1, np.nan_to_num(means.sd**2) * (n_g - 1), 0.0)
    n_m = _strata(n_g, merge_n)
    sum_m = _strata(sums, merge_n)
    big_m = _strata(np.broadcast_to(cell.N[:, None], n_g.shape), merge_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_s = np.where(n_m > 0, sum_m / n_m, 0.0)
        # Within-stratum sum of squares of the merged stratum: the groups' own plus their spread around it.
        merged_mean = mean_s[-1]
        between = np.where(merge_n & (n_g > 0), n_g * (np.nan_to_num(means.mean) - merged_mean) ** 2, 0.0).sum(axis=0)
        ss_m = _strata(ss, merge_n)
        ss_m[-1] += between
        var_s = np.where(n_m > 1, ss_m / (n_m - 1), np.nan)
        # One respondent in a class: its spread is unknown; the national variance stands in for it.
        national = estimates.total.means.sd[0] ** 2
        var_s = np.where((n_m == 1) & np.isnan(var_s), national, var_s)
        weight_m = _weights(n_m, big_m)
        mean = np.where(n_m.sum(axis=0) > 0, (weight_m * mean_s).sum(axis=0), np.nan)
        mvar = (weight_m**2 * np.where(n_m > 0, np.nan_to_num(var_s) / n_m, 0.0) * _fpc2(big_m, n_m)).sum(axis=0)
        strata = (n_m > 0).sum(axis=0)
        df = n_m.sum(axis=0) - strata
    mean_se = np.sqrt(mvar)
    half = np.where(mean_se == 0, 0.0, t_value(np.maximum(df, 1), level) * mean_se)
    # The item's declared bounds, as for the unweighted mean (the observed range is for disclosure only).
    low_b = np.array([-np.inf if i.scale_min is None else i.scale_min for i in coded.number_items], dtype=np.float64)
    high_b = np.array([np.inf if i.scale_max is None else i.scale_max for i in coded.number_items], dtype=np.float64)
    mean_low = np.clip(mean - half, low_b, high_b)
    mean_high = np.clip(mean + half, low_b, high_b)
    none = n_m.sum(axis=0) == 0
    mean_se[none] = mean_low[none] = mean_high[none] = np.nan
    return Weighted(
        share=share,
        share_se=share_se,
        share_low=low,
        share_high=high,
        mean=mean,
        mean_se=mean_se,
        mean_low=mean_low,
        mean_high=mean_high,
        collapsed=merge_items,
        uncovered=(cell.n_item == 0) & (big > 0),
        groups=cell.groups,
    )


def _fpc2(big: FloatArray, n: FloatArray) -> FloatArray:
    return np.where(n > 0, fpc_squared(big, np.minimum(n, big)), 0.0)


def _weights(n: FloatArray, big: FloatArray) -> FloatArray:
    """Stratum shares of the population ``W_h = N_h / N``, over the strata that have respondents."""
    covered = np.where(n > 0, big, 0.0)
    total = covered.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, covered / total, 0.0)


def weighting_changes(estimates: WaveEstimates, weighted: Weighted) -> pd.DataFrame:
    """Unweighted beside weighted per item (and category), largest absolute change first."""
    totals = totals_frame(estimates)
    totals["weighted"] = np.concatenate([weighted.share, weighted.mean])
    totals["difference"] = totals["weighted"] - totals["estimate"]
    frame = totals[["item", "stat", "category", "n", "estimate", "weighted", "difference"]].rename(
        columns={"estimate": "unweighted"}
    )
    order = frame["difference"].abs().sort_values(ascending=False, kind="stable", na_position="last").index
    return frame.loc[order].reset_index(drop=True)


def response_by_class(estimates: WaveEstimates, by: str = "size_class") -> pd.DataFrame:
    """Per class: municipalities, respondents (answered at least one item), response rate, weight."""
    respondents = pd.Series(estimates.coded.answered.any(axis=1), index=estimates.membership[by].index)
    groups = estimates.by[by].groups
    table = pd.DataFrame(
        {
            "N": estimates.membership[by].value_counts().reindex(groups, fill_value=0),
            "respondents": respondents.groupby(estimates.membership[by]).sum().reindex(groups, fill_value=0),
        }
    )
    table["response_rate"] = table["respondents"] / table["N"]
    table["weight"] = np.where(table["respondents"] > 0, table["N"] / table["respondents"].replace(0, np.nan), np.nan)
    return table
