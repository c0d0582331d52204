# SPDX-License-Identifier: EUPL-1.2
"""The plain inputs of the analysis: item metadata, a wave's answers and its population frame.

Plain data (frozen dataclasses and DataFrames), not Django models: the monitor app converts its
rows into these, and tests, benchmarks and notebooks build them directly. Nothing here reads a
database or a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

#: Columns every population frame has; other columns are covariates for the model.
POPULATION_COLUMNS = ("municipality_code", "size_class", "riec_region", "population")
#: The breakdowns of the report, in the order they are published.
BREAKDOWNS = ("size_class", "riec_region")


class ItemType(StrEnum):
    """The answer types of the codebook (the same codes as the monitor's ``ItemType``)."""

    YES_NO = "yes_no"
    SCALE = "scale"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"


@dataclass(frozen=True, slots=True)
class Item:
    """What the analysis needs to know about one codebook item.

    ``bounds`` (scale min/max, or a number's optional min/max) matter twice: a mean's interval is
    kept inside them, and disclosure control assumes a reader knows them (an answer cannot lie
    outside its scale), which is what makes an all-minimum cell recoverable.
    """

    id: str
    type: ItemType
    scale_min: float | None = None
    scale_max: float | None = None
    choices: tuple[str, ...] = ()
    previous_id: str | None = None
    waves: tuple[int, ...] = ()
    theme: str = ""

    def __post_init__(self) -> None:
        if self.type == ItemType.SCALE and (
            self.scale_min is None or self.scale_max is None or not self.scale_min < self.scale_max
        ):
            raise ValueError(f"item {self.id}: a scale needs scale_min < scale_max")
        if self.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            if not self.choices:
                raise ValueError(f"item {self.id}: a choice item needs choices")
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"item {self.id}: choice codes repeat")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Item:
        """Build from a codebook entry (the YAML shape: ``scale: {min, max}``, ``choices: [{code}]``).

        A row of the monitor's ``Item`` model as a dict (``.values()``) works too: its ``item_id``
        wins over ``id`` (the primary key there), and ``number_min``/``number_max`` bound numbers.
        """
        scale = data.get("scale") or {}
        choices = tuple(str(c["code"]) if isinstance(c, Mapping) else str(c) for c in data.get("choices") or ())
        # Scales say ``scale: {min, max}``; numbers ``min``/``max`` (the YAML) or ``number_min``/``number_max``.
        low = _first(scale.get("min"), data.get("scale_min"), data.get("min"), data.get("number_min"))
        high = _first(scale.get("max"), data.get("scale_max"), data.get("max"), data.get("number_max"))
        return cls(
            id=str(data["item_id"] if "item_id" in data else data["id"]),
            type=ItemType(data["type"]),
            scale_min=None if low is None else float(low),
            scale_max=None if high is None else float(high),
            choices=choices,
            previous_id=(str(data["previous_id"]) if data.get("previous_id") else None),
            waves=tuple(int(y) for y in data.get("waves") or ()),
            theme=str(data.get("theme", "")),
        )

    @property
    def is_numeric(self) -> bool:
        """Scale and number items are summarised by a mean."""
        return self.type in (ItemType.SCALE, ItemType.NUMBER)

    def categories(self) -> tuple[str, ...]:
        """The categories whose shares are estimated: the choices, or each scale value."""
        if self.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            return self.choices
        if self.type == ItemType.SCALE:
            if not (self.scale_min is not None and self.scale_max is not None):
                raise RuntimeError("internal error: expected self.scale_min is not None and self.scale_max is not None")
            return tuple(_label(v) for v in np.arange(self.scale_min, self.scale_max + 1))
        return ()


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _label(value: float) -> str:
    """A scale value as its category key: ``3`` rather than ``3.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


Codebook = Mapping[str, Item]


def codebook_of(items: Iterable[Item]) -> dict[str, Item]:
    """A codebook keyed by item id; a repeated id is an error, not a silent overwrite."""
    book: dict[str, Item] = {}
    for item in items:
        if item.id in book:
            raise ValueError(f"item {item.id} appears twice in the codebook")
        book[item.id] = item
    return book


@dataclass(frozen=True, eq=False)
class Wave:
    """One wave: its year, the answers and the population frame of that year.

    ``answers``: index ``municipality_code`` (codes of the wave's year), one column per item id;
    yes/no as 1/0, scales as integers, numbers, choice codes, multiple choice as a set, list or
    ``"a;b"``; NaN/None (or an empty string) is "not answered". A municipality missing from the
    frame did not respond at all.

    ``population``: one row per municipality of the year with :data:`POPULATION_COLUMNS`, plus any
    covariates (``capacity_fte``, ``funding`` …). Its row count is *N*, the finite population.
    """

    year: int
    answers: pd.DataFrame
    population: pd.DataFrame
    #: Filled by :func:`prepare_wave`: the population indexed by code, answers aligned to it.
    frame: pd.DataFrame = field(init=False, repr=False, compare=False)
    aligned: pd.DataFrame = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        frame, aligned = _prepare(self.year, self.answers, self.population)
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "aligned", aligned)

    @property
    def N(self) -> int:  # noqa: N802 - N is the statisticians' name for the population size
        return len(self.frame)

    def items(self, codebook: Codebook) -> list[Item]:
        """The codebook items this wave covers: asked in its year, or present in its answers."""
        present = set(self.aligned.columns)
        return [item for item in codebook.values() if self.year in item.waves or item.id in present]

    def check_columns(self, codebook: Codebook) -> None:
        """Every answer column must be a codebook item (a typo must not vanish from the report)."""
        unknown = [c for c in self.aligned.columns if c not in codebook]
        if unknown:
            raise ValueError(
                f"wave {self.year}: answer columns not in the codebook: {', '.join(map(str, unknown[:10]))}"
            )


def _prepare(year: int, answers: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    missing = [c for c in POPULATION_COLUMNS if c not in population.columns]
    if missing:
        raise ValueError(f"wave {year}: population frame lacks {', '.join(missing)}")
    frame = population.set_index("municipality_code", drop=True)
    if frame.index.has_duplicates:
        dupes = frame.index[frame.index.duplicated()].unique()[:5]
        raise ValueError(f"wave {year}: municipality codes repeat in the population: {', '.join(map(str, dupes))}")
    for column in BREAKDOWNS:
        if frame[column].isna().any():
            codes = frame.index[frame[column].isna()][:5]
            # The breakdowns must partition the population, or the disclosure audit's sums are wrong.
            raise ValueError(f"wave {year}: {column} missing for {', '.join(map(str, codes))}")
    frame = frame.assign(size_class=frame["size_class"].astype(str), riec_region=frame["riec_region"].astype(str))
    if answers.index.has_duplicates:
        dupes = answers.index[answers.index.duplicated()].unique()[:5]
        raise ValueError(f"wave {year}: more than one response for {', '.join(map(str, dupes))}")
    unknown = answers.index.difference(frame.index)
    if len(unknown):
        raise ValueError(
            f"wave {year}: answers for municipalities not in the {year} population: {', '.join(map(str, unknown[:5]))}"
        )
    aligned = answers.reindex(frame.index)
    return frame, aligned


def group_order(frame: pd.DataFrame, by: str) -> list[str]:
    """Groups in reading order: size classes from small to large (by median population), regions A–Z."""
    if by == "size_class":
        medians = frame.groupby("size_class", sort=True)["population"].median()
        return [str(c) for c in medians.sort_values(kind="stable").index]
    return sorted(str(g) for g in frame[by].unique())


def years(waves: Sequence[Wave]) -> list[int]:
    found = [w.year for w in waves]
    if len(set(found)) != len(found):
        raise ValueError("two waves share a year")
    return sorted(found)
