# SPDX-License-Identifier: EUPL-1.2
"""Small fixed populations and waves for the golden tests (every number can be followed by hand)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis import Item, ItemType, Wave


def population(
    size_classes: Sequence[str],
    regions: Sequence[str] | None = None,
    *,
    prefix: str = "GM",
    **covariates: Sequence[Any],
) -> pd.DataFrame:
    """A population frame: one municipality per entry; populations grow with the class's position.

    Classes are ordered by population (small first), so ``size_classes`` labelled ``"a_small"`` and
    ``"b_large"`` come out in that order.
    """
    order = {c: i for i, c in enumerate(dict.fromkeys(size_classes))}
    frame = pd.DataFrame(
        {
            "municipality_code": [f"{prefix}{i:04d}" for i in range(1, len(size_classes) + 1)],
            "size_class": list(size_classes),
            "riec_region": list(regions) if regions is not None else ["R1"] * len(size_classes),
            "population": [10_000 * (order[c] + 1) + i for i, c in enumerate(size_classes)],
        }
    )
    for name, values in covariates.items():
        frame[name] = list(values)
    return frame


def wave(year: int, frame: pd.DataFrame, answers: Mapping[str, Sequence[Any]]) -> Wave:
    """A wave whose answers are given per item, one value per municipality of ``frame`` (None = not answered)."""
    codes = frame["municipality_code"].tolist()
    data = {item: pd.Series(list(values), index=codes, dtype=_dtype(values)) for item, values in answers.items()}
    table = pd.DataFrame(data, index=pd.Index(codes, name="municipality_code"))
    return Wave(year=year, answers=table, population=frame)


def _dtype(values: Sequence[Any]) -> str:
    plain = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    return "float64" if all(isinstance(v, int | float) and not isinstance(v, bool) for v in plain) else "object"


def yes_no(item_id: str, **kwargs: Any) -> Item:
    return Item(item_id, ItemType.YES_NO, **kwargs)


def scale(item_id: str, low: int = 1, high: int = 5, **kwargs: Any) -> Item:
    return Item(item_id, ItemType.SCALE, scale_min=low, scale_max=high, **kwargs)
