# SPDX-License-Identifier: EUPL-1.2
"""A wave's answers as two matrices: 0/1 indicators (for shares) and numbers (for means).

Every estimate of the analysis is then a column sum over municipalities, or over the
municipalities of a group, which numpy does for all items at once. Indicators are: the yes/no
answer itself, one per choice (chosen or not, among those who answered the item) and one per scale
value (the distribution). Numbers are the scale and number answers. NaN is "not answered".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis.estimators import FloatArray
from weerbaar.monitor.analysis.inputs import Codebook, Item, ItemType, Wave


@dataclass(frozen=True)
class Coded:
    """The coded answers of one wave; rows follow ``wave.frame`` (every municipality of the year)."""

    items: list[Item]
    #: Municipalities × indicators, 0/1/NaN; ``indicator_keys[j] = (item id, category or "")``.
    indicators: FloatArray
    indicator_keys: list[tuple[str, str]]
    #: Municipalities × numeric items (scale and number), NaN = not answered.
    numbers: FloatArray
    number_items: list[Item]
    #: Municipalities × items: answered this item.
    answered: np.ndarray

    def indicator_item_index(self) -> np.ndarray:
        """For each indicator, the position of its item in ``items``."""
        position = {item.id: i for i, item in enumerate(self.items)}
        return np.array([position[key[0]] for key in self.indicator_keys], dtype=np.intp)


def code_wave(wave: Wave, codebook: Codebook) -> Coded:
    """Check and code every item of the wave; a wrong value is an error naming item and municipality."""
    wave.check_columns(codebook)
    items = wave.items(codebook)
    rows = len(wave.frame)
    blocks: list[np.ndarray] = []
    keys: list[tuple[str, str]] = []
    numbers: list[np.ndarray] = []
    number_items: list[Item] = []
    answered = np.zeros((rows, len(items)), dtype=bool)
    for position, item in enumerate(items):
        column = wave.aligned[item.id] if item.id in wave.aligned.columns else pd.Series(np.nan, index=wave.frame.index)
        block, numeric, mask = _code_item(wave.year, item, column)
        answered[:, position] = mask
        if block is not None:
            blocks.append(block)
            keys.extend((item.id, category) for category in (item.categories() or ("",)))
        if numeric is not None:
            numbers.append(numeric)
            number_items.append(item)
    indicators = np.hstack(blocks) if blocks else np.empty((rows, 0))
    numeric_matrix = np.column_stack(numbers) if numbers else np.empty((rows, 0))
    return Coded(
        items=items,
        indicators=indicators.astype(np.float64),
        indicator_keys=keys,
        numbers=numeric_matrix.astype(np.float64),
        number_items=number_items,
        answered=answered,
    )


def _missing(column: pd.Series) -> np.ndarray:
    """Not answered: NaN/None, or an empty string (an empty cell of a CSV export)."""
    mask = column.isna().to_numpy(copy=True)
    if not pd.api.types.is_numeric_dtype(column.dtype):
        mask |= column.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    return mask


def _fail(year: int, item: Item, column: pd.Series, bad: np.ndarray, why: str) -> ValueError:
    where = column.index[bad][:3]
    shown = ", ".join(f"{code}={_show(column[code])}" for code in where)
    return ValueError(f"wave {year}, item {item.id}: {why} ({shown})")


def _show(value: object) -> str:
    """An answer as a person would write it: ``2``, not ``np.float64(2.0)``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _range(low: float, high: float) -> str:
    def show(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else str(v)

    if np.isinf(high):
        return f"below the minimum {show(low)}"
    if np.isinf(low):
        return f"above the maximum {show(high)}"
    return f"outside {show(low)}..{show(high)}"


def _numeric(year: int, item: Item, column: pd.Series, missing: np.ndarray) -> FloatArray:
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    else:
        values = pd.to_numeric(column.where(~missing), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~missing & np.isnan(values)
    if bad.any():
        raise _fail(year, item, column, bad, "not a number")
    low = -np.inf if item.scale_min is None else item.scale_min
    high = np.inf if item.scale_max is None else item.scale_max
    with np.errstate(invalid="ignore"):
        outside = ~missing & ((values < low) | (values > high))
    if outside.any():
        raise _fail(year, item, column, outside, _range(low, high))
    return values


def _code_item(year: int, item: Item, column: pd.Series) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
    missing = _missing(column)
    answered = ~missing
    if item.type == ItemType.YES_NO:
        values = _numeric(year, item, column, missing)
        bad = answered & ~np.isin(values, (0.0, 1.0))
        if bad.any():
            raise _fail(year, item, column, bad, "a yes/no answer must be 1 or 0")
        return values[:, None], None, answered
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        values = _numeric(year, item, column, missing)
        if item.type == ItemType.NUMBER:
            return None, values, answered
        levels = np.array([float(c) for c in item.categories()])
        bad = answered & ~np.isin(values, levels)
        if bad.any():
            raise _fail(year, item, column, bad, "not a value of the scale")
        block = (values[:, None] == levels[None, :]).astype(np.float64)
        block[missing] = np.nan
        return block, values, answered
    choices = np.array(item.choices, dtype=object)
    if item.type == ItemType.CHOICE:
        codes = np.array([_code(v) for v in column.to_numpy(dtype=object)], dtype=object)
        bad = answered & ~np.isin(codes, choices)
        if bad.any():
            raise _fail(year, item, column, bad, "not one of the choices")
        block = (codes[:, None] == choices[None, :]).astype(np.float64)
    else:
        chosen = [_chosen(v) for v in column.to_numpy(dtype=object)]
        valid = set(item.choices)
        bad = np.array([not m and not set(c) <= valid for c, m in zip(chosen, missing, strict=True)], dtype=bool)
        if bad.any():
            raise _fail(year, item, column, bad, "contains a code that is not a choice")
        block = np.array([[code in c for code in item.choices] for c in chosen], dtype=np.float64).reshape(
            len(chosen), len(item.choices)
        )
    block[missing] = np.nan
    return block, None, answered


def _code(value: object) -> str:
    """A choice code as text: CSV readers turn ``1`` into ``1.0``, the codebook has ``"1"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _chosen(value: object) -> frozenset[str]:
    """The codes of a multiple-choice answer: a set, list or tuple, or ``"a;b"``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return frozenset()
    if isinstance(value, str):
        return frozenset(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, Iterable):
        return frozenset(_code(v) for v in value)
    return frozenset({_code(value)})
