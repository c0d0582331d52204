# SPDX-License-Identifier: EUPL-1.2
"""The whole analysis of a set of waves, and the report JSON of one wave.

:func:`analyse` estimates every wave (national figures and breakdowns), applies disclosure control
to every breakdown, and weights by size class over the strata that disclosure control leaves.
:func:`build_report` turns one wave of that into the published JSON, with trends over the earlier
waves, the tests of each change, what weighting changed, and the explanatory models asked for.
Its shape is ``report.schema.json`` (documented in docs/monitor-analysis.md). Every figure a
report holds has passed disclosure control: a suppressed cell is ``null`` with
``"suppressed": true``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, cast

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis.disclosure import BoolArray, SuppressionRule, suppress_one_way
from weerbaar.monitor.analysis.estimators import LEVEL
from weerbaar.monitor.analysis.inputs import BREAKDOWNS, Codebook, Item, ItemType, Wave, years
from weerbaar.monitor.analysis.model import ModelSpec, fit_model
from weerbaar.monitor.analysis.tables import WaveEstimates, estimate_wave, protected_quantities
from weerbaar.monitor.analysis.trend import changes, trend
from weerbaar.monitor.analysis.weighting import Weighted, poststratify, response_by_class, weighting_changes

SCHEMA_VERSION = 1
SCHEMA_FILE = "report.schema.json"


@dataclass(frozen=True)
class AnalysisConfig:
    """Choices of an analysis; the defaults are the published monitor's."""

    rule: SuppressionRule = field(default_factory=SuppressionRule)
    level: float = LEVEL
    breakdowns: tuple[str, ...] = BREAKDOWNS
    weight_by: str | None = "size_class"
    models: tuple[ModelSpec, ...] = ()
    #: How many of the largest weighting changes the report lists.
    largest_changes: int = 10

    def __post_init__(self) -> None:
        if self.weight_by is not None and self.weight_by not in self.breakdowns:
            # Weighting merges the classes its breakdown suppresses; without that breakdown it cannot.
            raise ValueError(f"weight_by {self.weight_by!r} must be one of the breakdowns {self.breakdowns}")


@dataclass(frozen=True)
class Analysis:
    """Every figure of every wave, after disclosure control."""

    codebook: Codebook
    config: AnalysisConfig
    waves: dict[int, Wave]
    estimates: dict[int, WaveEstimates]
    #: Per wave and breakdown: groups × items, True = suppressed.
    masks: dict[int, dict[str, BoolArray]]
    #: Per wave: items whose national figure is suppressed (fewer than ``min_cell`` respondents).
    total_suppressed: dict[int, BoolArray]
    weighted: dict[int, Weighted]


def analyse(waves: Sequence[Wave], codebook: Codebook, config: AnalysisConfig | None = None) -> Analysis:
    """Estimate, suppress and weight every wave."""
    config = config or AnalysisConfig()
    years(waves)
    estimates: dict[int, WaveEstimates] = {}
    masks: dict[int, dict[str, BoolArray]] = {}
    total_suppressed: dict[int, BoolArray] = {}
    weighted: dict[int, Weighted] = {}
    for wave in waves:
        est = estimate_wave(wave, codebook, breakdowns=config.breakdowns, level=config.level)
        estimates[wave.year] = est
        n_total = est.total.n_item[0]
        total_suppressed[wave.year] = (n_total > 0) & (n_total < config.rule.min_cell)
        masks[wave.year] = {}
        for by in config.breakdowns:
            values, item_of, lo, hi = protected_quantities(est, by)
            mask = suppress_one_way(est.by[by].n_item, values, item_of, lo, hi, config.rule)
            # A suppressed national figure takes its breakdown with it (its cells are smaller still).
            masks[wave.year][by] = mask | (total_suppressed[wave.year][None, :] & (est.by[by].n_item > 0))
        if config.weight_by is not None:
            weighted[wave.year] = poststratify(
                est, by=config.weight_by, collapse=masks[wave.year].get(config.weight_by), level=config.level
            )
    return Analysis(
        codebook=codebook,
        config=config,
        waves={w.year: w for w in waves},
        estimates=estimates,
        masks=masks,
        total_suppressed=total_suppressed,
        weighted=weighted,
    )


def report(
    waves: Sequence[Wave], codebook: Codebook, year: int, config: AnalysisConfig | None = None
) -> dict[str, Any]:
    """Analyse ``waves`` and build the report JSON of ``year`` (the usual single call)."""
    return build_report(analyse(waves, codebook, config), year)


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the report (draft 2020-12), shipped beside this module."""
    text = resources.files("weerbaar.monitor.analysis").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# --- Building the JSON ----------------------------------------------------------------------------


def _clean(values: Iterable[Any]) -> list[Any]:
    """numpy numbers → JSON numbers; NaN → null."""
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else v for v in np.asarray(values).tolist()]


def _number(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _spans(keys: Sequence[Any]) -> dict[str, tuple[int, int]]:
    """Item id → (start, stop) of its contiguous columns."""
    spans: dict[str, tuple[int, int]] = {}
    for position, key in enumerate(keys):
        item = key[0] if isinstance(key, tuple) else key
        start = spans.get(item, (position, position))[0]
        spans[item] = (start, position + 1)
    return spans


class _Cells:
    """A breakdown's figures as plain lists, ready to slice per item."""

    def __init__(self, est: WaveEstimates, by: str, mask: BoolArray) -> None:
        cell = est.by[by]
        self.groups = cell.groups
        self.N = [int(v) for v in cell.N]
        self.n_item = cell.n_item.astype(int).tolist()
        self.mask = mask.tolist()
        self.share = [_clean(row) for row in cell.shares.share]
        self.share_low = [_clean(row) for row in cell.shares.ci_low]
        self.share_high = [_clean(row) for row in cell.shares.ci_high]
        self.mean = [_clean(row) for row in cell.means.mean]
        self.mean_low = [_clean(row) for row in cell.means.ci_low]
        self.mean_high = [_clean(row) for row in cell.means.ci_high]


def build_report(analysis: Analysis, year: int, *, models: Sequence[ModelSpec] | None = None) -> dict[str, Any]:
    """The report JSON of wave ``year``: figures, breakdowns, trends, weighting and models.

    ``models`` (default: the config's) are fitted on wave ``year``.
    """
    config = analysis.config
    specs = config.models if models is None else tuple(models)
    rule = config.rule
    est = analysis.estimates[year]
    coded = est.coded
    items = coded.items
    position = {item.id: i for i, item in enumerate(items)}
    share_span = _spans(coded.indicator_keys)
    number_pos = {item.id: j for j, item in enumerate(coded.number_items)}
    total = est.total
    t_n = total.n_item[0].astype(int).tolist()
    t_share = _clean(total.shares.share[0])
    t_se = _clean(total.shares.se[0])
    t_low = _clean(total.shares.ci_low[0])
    t_high = _clean(total.shares.ci_high[0])
    m_mean = _clean(total.means.mean[0])
    m_se = _clean(total.means.se[0])
    m_low = _clean(total.means.ci_low[0])
    m_high = _clean(total.means.ci_high[0])
    suppressed_total = analysis.total_suppressed[year].tolist()
    by_cells = {by: _Cells(est, by, analysis.masks[year][by]) for by in config.breakdowns}
    weighted = analysis.weighted.get(year)
    points, tests = _trend_parts(analysis, year)

    body: dict[str, Any] = {}
    for item in items:
        i = position[item.id]
        hidden = suppressed_total[i]
        entry: dict[str, Any] = {"type": str(item.type), "theme": item.theme, "N": est.total.N[0].item(), "n": t_n[i]}
        entry["N"] = int(entry["N"])
        if item.type in (ItemType.YES_NO, ItemType.CHOICE, ItemType.MULTI_CHOICE):
            start, stop = share_span[item.id]
            if item.type == ItemType.YES_NO:
                entry.update(_share_fields(t_share[start], t_low[start], t_high[start], t_se[start], hidden))
            else:
                entry["shares"] = None if hidden else {
                    key[1]: _share_fields(t_share[j], t_low[j], t_high[j], t_se[j], False, flag=False)
                    for j, key in zip(range(start, stop), coded.indicator_keys[start:stop], strict=True)
                }  # fmt: skip
                entry["suppressed"] = hidden
        else:
            j = number_pos[item.id]
            entry.update(_mean_fields(m_mean[j], m_low[j], m_high[j], m_se[j], hidden))
            if item.type == ItemType.SCALE:
                start, stop = share_span[item.id]
                entry["distribution"] = None if hidden else {
                    key[1]: _share_fields(t_share[c], t_low[c], t_high[c], t_se[c], False, flag=False)
                    for c, key in zip(range(start, stop), coded.indicator_keys[start:stop], strict=True)
                }  # fmt: skip
        if weighted is not None:
            entry["weighted"] = _weighted_fields(item, i, weighted, share_span, number_pos, hidden)
        entry["by"] = {by: _breakdown(item, i, by_cells[by], share_span, number_pos) for by in config.breakdowns}
        entry["trend"] = points.get(item.id, [])
        entry["changes"] = tests.get(item.id, [])
        body[item.id] = entry

    frame = est.membership[config.breakdowns[0]] if config.breakdowns else None
    respondents = int(coded.answered.any(axis=1).sum())
    result: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "year": year,
        "level": config.level,
        "population": {"N": int(len(frame) if frame is not None else est.total.N[0]), "respondents": respondents},
        "suppression": rule.as_dict(),
        "waves": sorted(y for y in analysis.estimates if y <= year),
        "weighting": _jsonable(_weighting_section(analysis, year)) if weighted is not None else None,
        # Built from plain Python values already (lists from ``tolist``, NaN → None): no second pass.
        "items": body,
        "models": _jsonable(
            [
                fit_model(
                    analysis.waves[year], analysis.codebook, spec, min_cell=rule.min_cell, level=config.level
                ).as_dict()
                for spec in specs
            ]
        ),
    }
    return result


def _share_fields(share: Any, low: Any, high: Any, se: Any, hidden: bool, *, flag: bool = True) -> dict[str, Any]:
    fields = {
        "share": None if hidden else share,
        "ci_low": None if hidden else low,
        "ci_high": None if hidden else high,
        "se": None if hidden else se,
    }
    if flag:
        fields["suppressed"] = hidden
    return fields


def _mean_fields(mean: Any, low: Any, high: Any, se: Any, hidden: bool) -> dict[str, Any]:
    return {
        "mean": None if hidden else mean,
        "ci_low": None if hidden else low,
        "ci_high": None if hidden else high,
        "se": None if hidden else se,
        "suppressed": hidden,
    }


def _breakdown(
    item: Item, i: int, cells: _Cells, share_span: Mapping[str, tuple[int, int]], number_pos: Mapping[str, int]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g, group in enumerate(cells.groups):
        hidden = bool(cells.mask[g][i])
        cell: dict[str, Any] = {"N": cells.N[g], "n": cells.n_item[g][i]}
        if item.type == ItemType.YES_NO:
            j = share_span[item.id][0]
            cell.update(
                share=None if hidden else cells.share[g][j],
                ci_low=None if hidden else cells.share_low[g][j],
                ci_high=None if hidden else cells.share_high[g][j],
            )
        elif item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            start, stop = share_span[item.id]
            cell["shares"] = None if hidden or cell["n"] == 0 else {
                code: cells.share[g][j] for code, j in zip(item.choices, range(start, stop), strict=True)
            }  # fmt: skip
        else:
            j = number_pos[item.id]
            cell.update(
                mean=None if hidden else cells.mean[g][j],
                ci_low=None if hidden else cells.mean_low[g][j],
                ci_high=None if hidden else cells.mean_high[g][j],
            )
        cell["suppressed"] = hidden
        out[group] = cell
    return out


def _weighted_fields(
    item: Item,
    i: int,
    weighted: Weighted,
    share_span: Mapping[str, tuple[int, int]],
    number_pos: Mapping[str, int],
    hidden: bool,
) -> dict[str, Any] | None:
    if hidden:
        return None
    merged = [g for g, flag in zip(weighted.groups, weighted.collapsed[:, i], strict=True) if flag]
    left_out = [g for g, flag in zip(weighted.groups, weighted.uncovered[:, i], strict=True) if flag]
    fields: dict[str, Any] = {"merged_classes": merged, "classes_without_respondents": left_out}
    if item.type == ItemType.YES_NO:
        j = share_span[item.id][0]
        fields.update(
            share=_number(weighted.share[j]),
            ci_low=_number(weighted.share_low[j]),
            ci_high=_number(weighted.share_high[j]),
            se=_number(weighted.share_se[j]),
        )
    elif item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        start, _ = share_span[item.id]
        fields["shares"] = {
            code: {
                "share": _number(weighted.share[start + c]),
                "ci_low": _number(weighted.share_low[start + c]),
                "ci_high": _number(weighted.share_high[start + c]),
                "se": _number(weighted.share_se[start + c]),
            }
            for c, code in enumerate(item.choices)
        }
    else:
        j = number_pos[item.id]
        fields.update(
            mean=_number(weighted.mean[j]),
            ci_low=_number(weighted.mean_low[j]),
            ci_high=_number(weighted.mean_high[j]),
            se=_number(weighted.mean_se[j]),
        )
    return fields


def _trend_parts(
    analysis: Analysis, year: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Per item of ``year``: its trend points and the tests of each change, after suppression."""
    min_cell = analysis.config.rule.min_cell
    line = trend(analysis.estimates, analysis.codebook, year)
    kinds = {item.id: item.type for item in analysis.estimates[year].coded.items}
    item_type = line["item"].map(kinds)
    # The distribution of a scale is not followed over time; its mean is.
    line = line[~((item_type == ItemType.SCALE) & (line["stat"] == "share"))].copy()
    small = line["n"] < min_cell
    for column in ("estimate", "se", "ci_low", "ci_high", "count"):
        line.loc[small, column] = np.nan
    tested = changes(line, level=analysis.config.level)

    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_year: dict[tuple[str, int], dict[str, Any]] = {}
    for row in _records(line):
        item_id, stat, category = str(row["item"]), str(row["stat"]), str(row["category"])
        hidden = bool(0 < row["n"] < min_cell)
        key = (item_id, int(row["year"]))
        kind = kinds[item_id]
        point = by_year.get(key)
        if point is None:
            point = {"year": int(row["year"]), "item": str(row["member"]), "n": int(row["n"]), "suppressed": hidden}
            by_year[key] = point
            points[item_id].append(point)
        if kind in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            shares = point.setdefault("shares", {})
            shares[category] = _number(row["estimate"])
        else:
            name = "share" if stat == "share" else "mean"
            point.update(
                {name: _number(row["estimate"]), "ci_low": _number(row["ci_low"]), "ci_high": _number(row["ci_high"])}
            )
    for (item_id, _), point in by_year.items():
        if kinds[item_id] in (ItemType.CHOICE, ItemType.MULTI_CHOICE) and point["suppressed"]:
            point["shares"] = None
    tests: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _records(tested):
        test: dict[str, Any] = {"from": int(row["from_year"]), "to": int(row["to_year"])}
        test.update({name: _number(row[name]) for name in ("difference", "se", "ci_low", "ci_high", "z", "p_value")})
        if kinds[str(row["item"])] in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            test = {"choice": str(row["category"]), **test}
        tests[str(row["item"])].append(test)
    return points, tests


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (faster than ``itertuples`` and typed for mypy)."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _weighting_section(analysis: Analysis, year: int) -> dict[str, Any]:
    config = analysis.config
    est = analysis.estimates[year]
    by = config.weight_by
    if not (by is not None):
        raise RuntimeError("internal error: expected by is not None")
    classes = response_by_class(est, by)
    changed = weighting_changes(est, analysis.weighted[year])
    hidden = {item.id for item, flag in zip(est.coded.items, analysis.total_suppressed[year], strict=True) if flag}
    kinds = {item.id: item.type for item in est.coded.items}
    changed = changed[
        ~changed["item"].isin(hidden)
        & changed["difference"].notna()
        & ~((changed["item"].map(kinds) == ItemType.SCALE) & (changed["stat"] == "share"))
    ].head(config.largest_changes)
    return {
        "by": by,
        "classes": {
            str(g): {
                "N": int(row.N),
                "respondents": int(row.respondents),
                "response_rate": _number(row.response_rate),
                "weight": _number(row.weight),
            }
            for g, row in classes.iterrows()
        },
        "largest_changes": [
            {
                "item": str(r.item),
                "stat": str(r.stat),
                "category": str(r.category) or None,
                "unweighted": _number(r.unweighted),
                "weighted": _number(r.weighted),
                "difference": _number(r.difference),
            }
            for r in changed.itertuples(index=False)
        ],
    }


def _jsonable(value: Any) -> Any:
    """Plain JSON types all the way down (numpy scalars, NaN and infinity become numbers or null)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _number(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
