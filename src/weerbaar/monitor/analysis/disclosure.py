# SPDX-License-Identifier: EUPL-1.2
"""Disclosure control: no published cell lets a reader learn what one municipality answered.

The rule (:class:`SuppressionRule`, documented in docs/monitor-analysis.md):

1. **Primary suppression.** A cell describing fewer than ``min_cell`` municipalities (default 5)
   is not published: its share or mean is withheld (``null``, ``"suppressed": true``). An empty
   cell (no respondents) has nothing to withhold and is not counted as suppressed.
2. **Complementary suppression.** A reader knows every published share, each cell's *n* (it is
   published, and could be derived from the totals anyway) and the bounds of an answer (0/1 for
   yes/no, the scale). A suppressed cell must not be recoverable from those:

   - one-way breakdown with a published total: if exactly one cell is suppressed, the next-smallest
     cell is suppressed too (the total minus the published cells would give it);
   - the same when the suppressed cells together are all-no or all-yes (all at the scale's minimum
     or maximum): then every one of them is known, so more cells are suppressed until no
     suppressed cell is pinned down by the bounds;
   - two-way tables: the same per row and per column (margins included), then an audit by linear
     programming adds cells until no suppressed cell can be recovered.

:func:`recover` is that audit: given a table as published (cells, margins, *n*), it solves the
margins' linear equations for the suppressed cells and bounds each by linear programming; a cell
whose lower and upper bounds meet is disclosed. Tests use it to try, and fail, to recover
suppressed cells; it is shipped so that a published table can be checked before release.

Known limits, also in the docs: a *unanimous* published cell (all its respondents said yes)
discloses its members' answer (group disclosure; the rule is about cell size, as the issue asks);
answers of the same municipality in several waves or items are not linked by the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import null_space
from scipy.optimize import linprog

from weerbaar.monitor.analysis.estimators import FloatArray

BoolArray = NDArray[np.bool_]
#: Relative tolerance under which two bounds are taken to meet.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class SuppressionRule:
    """The published minimum cell size and whether complementary suppression runs."""

    min_cell: int = 5
    complementary: bool = True

    def __post_init__(self) -> None:
        if self.min_cell < 1:
            raise ValueError("min_cell must be at least 1")

    def as_dict(self) -> dict[str, int | bool]:
        return {"min_cell": self.min_cell, "complementary": self.complementary}


def _pinned(
    mask: BoolArray,
    n: FloatArray,
    values: FloatArray,
    value_item: NDArray[np.intp],
    lo: FloatArray,
    hi: FloatArray,
) -> BoolArray:
    """Per quantity (column of ``values``): which suppressed cells the total and the bounds pin down.

    One-way table with a published total: the suppressed cells add up to ``S`` (total minus the
    published cells), each lies in ``[n_g·lo, n_g·hi]``, so cell ``g`` lies in
    ``[max(n_g·lo, S − Σ_{h≠g} n_h·hi), min(n_g·hi, S − Σ_{h≠g} n_h·lo)]``. Pinned when these meet.
    This is exactly what linear programming over the table finds (a test checks it against
    :func:`recover`).
    """
    m = mask[:, value_item]
    size = n[:, value_item]
    total = np.where(m, values, 0.0).sum(axis=0)
    count = m.sum(axis=0)
    others = count[None, :] - m
    finite_lo = np.isfinite(lo)
    finite_hi = np.isfinite(hi)
    lo_f = np.where(finite_lo, lo, 0.0)
    hi_f = np.where(finite_hi, hi, 0.0)
    cell_lo = np.where(finite_lo, size * lo_f, -np.inf)
    cell_hi = np.where(finite_hi, size * hi_f, np.inf)
    sum_lo = np.where(m, size * lo_f, 0.0).sum(axis=0)
    sum_hi = np.where(m, size * hi_f, 0.0).sum(axis=0)
    others_hi = np.where(finite_hi, sum_hi - np.where(m, size * hi_f, 0.0), np.where(others > 0, np.inf, 0.0))
    others_lo = np.where(finite_lo, sum_lo - np.where(m, size * lo_f, 0.0), np.where(others > 0, -np.inf, 0.0))
    lower = np.maximum(cell_lo, total - others_hi)
    upper = np.minimum(cell_hi, total - others_lo)
    scale = np.maximum(1.0, np.abs(total))
    return np.asarray(m & (upper - lower <= TOLERANCE * scale), dtype=np.bool_)


def suppress_one_way(
    n: ArrayLike,
    values: ArrayLike,
    value_item: ArrayLike,
    lo: ArrayLike,
    hi: ArrayLike,
    rule: SuppressionRule,
) -> BoolArray:
    """Suppression masks of many one-way tables at once (groups × items), each with a published total.

    ``n``: groups × items, respondents per cell. ``values``: groups × quantities, what the cell's
    published figure reveals as a total (a count of yes, a count per choice, a sum); ``value_item``
    maps each quantity to its item (all quantities of an item share its mask); ``lo``/``hi``: the
    bounds of one answer per quantity. Returns groups × items, True = suppressed.
    """
    size = np.asarray(n, dtype=np.float64)
    vals = np.asarray(values, dtype=np.float64)
    item_of = np.asarray(value_item, dtype=np.intp)
    low = np.asarray(lo, dtype=np.float64)
    high = np.asarray(hi, dtype=np.float64)
    occupied = size > 0
    mask = occupied & (size < rule.min_cell)
    if not rule.complementary:
        return mask
    items = size.shape[1]
    for _ in range(size.shape[0]):
        need = mask.sum(axis=0) == 1
        if item_of.size:
            pinned = _pinned(mask, size, vals, item_of, low, high).any(axis=0)
            hit = np.zeros(items, dtype=bool)
            np.logical_or.at(hit, item_of, pinned)
            need |= hit
        candidates = np.where(occupied & ~mask, size, np.inf)
        can = need & np.isfinite(candidates.min(axis=0))
        if not can.any():
            break
        columns = np.nonzero(can)[0]
        mask[candidates[:, columns].argmin(axis=0), columns] = True
    return mask


def suppress_cells(
    n: ArrayLike,
    values: ArrayLike,
    rule: SuppressionRule,
    *,
    lo: float = 0.0,
    hi: float = 1.0,
) -> BoolArray:
    """One one-way table: ``n`` and ``values`` (counts or sums) per cell; True = suppressed."""
    size = np.asarray(n, dtype=np.float64)[:, None]
    vals = np.asarray(values, dtype=np.float64)[:, None]
    return suppress_one_way(size, vals, [0], [lo], [hi], rule)[:, 0]


# --- Tables as a reader sees them, and the attempt to recover what was withheld -------------------


@dataclass(frozen=True)
class PublishedTable:
    """A table as published: cell totals (NaN = suppressed), margins, and every cell's *n*.

    Totals are what a share or mean reveals together with *n*: ``share·n`` (a count) or
    ``mean·n`` (a sum). ``row_totals``/``col_totals``: published margins (NaN = suppressed, None =
    not published); ``grand_total`` likewise. ``lo``/``hi``: the bounds of one answer.
    """

    cells: FloatArray
    n: FloatArray
    row_totals: FloatArray | None = None
    col_totals: FloatArray | None = None
    grand_total: float | None = None
    lo: float = 0.0
    hi: float = 1.0
    #: Other published linear combinations of the cells: ``(coefficients per cell, value)``, e.g. a
    #: weighted total ``Σ W_h·p_h = Σ (W_h/n_h)·count_h``.
    extra: tuple[tuple[FloatArray, float], ...] = ()

    @classmethod
    def one_way(
        cls, cells: ArrayLike, n: ArrayLike, total: float | None, *, lo: float = 0.0, hi: float = 1.0
    ) -> PublishedTable:
        """A breakdown with its national total: one row of cells, the total as the row's margin."""
        row = np.asarray(cells, dtype=np.float64)[None, :]
        return cls(
            cells=row,
            n=np.asarray(n, dtype=np.float64)[None, :],
            row_totals=None if total is None else np.array([total], dtype=np.float64),
            lo=lo,
            hi=hi,
        )

    @classmethod
    def from_shares(
        cls, shares: ArrayLike, n: ArrayLike, total_share: float | None, total_n: float, **bounds: float
    ) -> PublishedTable:
        """A one-way table from published shares (or means): totals are ``share·n``, NaN stays NaN."""
        size = np.asarray(n, dtype=np.float64)
        values = np.asarray(shares, dtype=np.float64) * size
        total = None if total_share is None else float(total_share) * total_n
        return cls.one_way(values, size, total, **bounds)


@dataclass(frozen=True)
class Unknown:
    """A withheld figure and what a reader can still learn about its total."""

    where: tuple[str, int, int]
    low: float
    high: float
    determined: bool

    @property
    def disclosed(self) -> bool:
        """Recovered exactly: by the equations alone, or because its bounds meet."""
        return self.determined or self.high - self.low <= TOLERANCE * max(1.0, abs(self.high))

    @property
    def value(self) -> float | None:
        return self.low if self.disclosed else None


@dataclass(frozen=True)
class Recovery:
    unknowns: list[Unknown]

    @property
    def disclosed(self) -> list[Unknown]:
        return [u for u in self.unknowns if u.disclosed]


def recover(table: PublishedTable) -> Recovery:
    """Try to recover every withheld figure of ``table`` from its margins and bounds.

    Unknowns are the suppressed cells (and margins); each published margin gives one linear
    equation (a row sums to its total, the margins to the grand total). An unknown is *determined*
    when the equations alone fix it (its unit vector lies in the row space of the system, i.e. the
    null space has no component on it); otherwise linear programming finds the smallest and
    largest value it can take within every cell's bounds ``[n·lo, n·hi]``.
    """
    cells = np.asarray(table.cells, dtype=np.float64)
    size = np.asarray(table.n, dtype=np.float64)
    rows, cols = cells.shape
    variables: list[tuple[str, int, int]] = []
    index: dict[tuple[str, int, int], int] = {}

    def add(key: tuple[str, int, int]) -> None:
        index[key] = len(variables)
        variables.append(key)

    for r in range(rows):
        for c in range(cols):
            if np.isnan(cells[r, c]) and size[r, c] > 0:
                add(("cell", r, c))
    row_totals = None if table.row_totals is None else np.asarray(table.row_totals, dtype=np.float64)
    col_totals = None if table.col_totals is None else np.asarray(table.col_totals, dtype=np.float64)
    if row_totals is not None:
        for r in range(rows):
            if np.isnan(row_totals[r]):
                add(("row", r, -1))
    if col_totals is not None:
        for c in range(cols):
            if np.isnan(col_totals[c]):
                add(("col", -1, c))
    grand = table.grand_total
    if grand is not None and np.isnan(grand):
        add(("grand", -1, -1))

    def term(key: tuple[str, int, int], known: float) -> tuple[int | None, float]:
        return (index[key], 0.0) if key in index else (None, known)

    # Each equation: Σ coefficient·figure + constant = 0.
    equations: list[tuple[list[tuple[tuple[str, int, int], float]], float]] = []
    if row_totals is not None:
        for r in range(rows):
            equations.append(([(("cell", r, c), 1.0) for c in range(cols)] + [(("row", r, -1), -1.0)], 0.0))
    if col_totals is not None:
        for c in range(cols):
            equations.append(([(("cell", r, c), 1.0) for r in range(rows)] + [(("col", -1, c), -1.0)], 0.0))
    if grand is not None:
        if row_totals is not None:
            equations.append(([(("row", r, -1), 1.0) for r in range(rows)] + [(("grand", -1, -1), -1.0)], 0.0))
        if col_totals is not None:
            equations.append(([(("col", -1, c), 1.0) for c in range(cols)] + [(("grand", -1, -1), -1.0)], 0.0))
        if row_totals is None and col_totals is None:
            equations.append(
                ([(("cell", r, c), 1.0) for r in range(rows) for c in range(cols)] + [(("grand", -1, -1), -1.0)], 0.0)
            )
    for weights, value in table.extra:
        grid = np.asarray(weights, dtype=np.float64).reshape(rows, cols)
        equations.append(([(("cell", r, c), float(grid[r, c])) for r in range(rows) for c in range(cols)], -value))

    def known(key: tuple[str, int, int]) -> float:
        kind, r, c = key
        if kind == "cell":
            return 0.0 if size[r, c] == 0 or np.isnan(cells[r, c]) else float(cells[r, c])
        if kind == "row":
            if not (row_totals is not None):
                raise RuntimeError("internal error: expected row_totals is not None")
            return float(row_totals[r])
        if kind == "col":
            if not (col_totals is not None):
                raise RuntimeError("internal error: expected col_totals is not None")
            return float(col_totals[c])
        if not (grand is not None):
            raise RuntimeError("internal error: expected grand is not None")
        return float(grand)

    width = len(variables)
    a_rows: list[np.ndarray] = []
    b: list[float] = []
    for equation, offset in equations:
        coefficients = np.zeros(width)
        constant = offset
        for key, sign in equation:
            position, value = term(key, known(key) if key not in index else 0.0)
            if position is None:
                constant += sign * value
            else:
                coefficients[position] += sign
        if coefficients.any():
            a_rows.append(coefficients)
            b.append(-constant)
    bounds = [_bounds(key, size, table.lo, table.hi) for key in variables]
    if not variables:
        return Recovery([])
    a_eq = np.array(a_rows) if a_rows else None
    b_eq = np.array(b) if a_rows else None
    if a_eq is not None:
        basis = null_space(a_eq)
        determined = np.all(np.abs(basis) < 1e-9, axis=1) if basis.size else np.ones(width, dtype=bool)
    else:
        determined = np.zeros(width, dtype=bool)
    unknowns: list[Unknown] = []
    for i, key in enumerate(variables):
        low = _optimum(i, 1.0, width, a_eq, b_eq, bounds)
        high = -_optimum(i, -1.0, width, a_eq, b_eq, bounds)
        unknowns.append(Unknown(where=key, low=low, high=high, determined=bool(determined[i])))
    return Recovery(unknowns)


def _bounds(key: tuple[str, int, int], size: FloatArray, lo: float, hi: float) -> tuple[float | None, float | None]:
    kind, r, c = key
    if kind == "cell":
        count = float(size[r, c])
    elif kind == "row":
        count = float(size[r, :].sum())
    elif kind == "col":
        count = float(size[:, c].sum())
    else:
        count = float(size.sum())
    return (count * lo if np.isfinite(lo) else None, count * hi if np.isfinite(hi) else None)


def _optimum(
    i: int,
    sign: float,
    width: int,
    a_eq: FloatArray | None,
    b_eq: FloatArray | None,
    bounds: list[tuple[float | None, float | None]],
) -> float:
    objective = np.zeros(width)
    objective[i] = sign
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status == 3:  # unbounded in this direction
        return -np.inf
    if result.status != 0:
        raise ValueError(f"the published table is inconsistent ({result.message})")
    return float(result.fun)


def suppress_two_way(
    n: ArrayLike,
    values: ArrayLike,
    rule: SuppressionRule,
    *,
    lo: float = 0.0,
    hi: float = 1.0,
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Suppression for a two-way table published with row, column and grand totals.

    Returns masks for the cells, the row totals and the column totals. Primary suppression of
    every cell and margin under ``min_cell``; then every row and column (margins counted as a
    member of their line) with exactly one withheld figure gets its smallest other cell withheld;
    then :func:`recover` audits the table and, while it recovers anything, the smallest cell
    sharing a row or column with what it recovered is withheld as well.
    """
    size = np.asarray(n, dtype=np.float64)
    vals = np.asarray(values, dtype=np.float64)
    occupied = size > 0
    cell_mask = occupied & (size < rule.min_cell)
    row_n, col_n = size.sum(axis=1), size.sum(axis=0)
    row_mask = (row_n > 0) & (row_n < rule.min_cell)
    col_mask = (col_n > 0) & (col_n < rule.min_cell)
    if not rule.complementary:
        return cell_mask, row_mask, col_mask

    def smallest(candidates: BoolArray) -> tuple[int, int] | None:
        pool = np.where(candidates & occupied & ~cell_mask, size, np.inf)
        if not np.isfinite(pool.min()):
            return None
        r, c = np.unravel_index(int(pool.argmin()), pool.shape)
        return int(r), int(c)

    for _ in range(size.size + 1):
        changed = False
        for r in range(size.shape[0]):
            if int(cell_mask[r].sum()) + int(row_mask[r]) == 1:
                line = np.zeros_like(cell_mask)
                line[r, :] = True
                pick = smallest(line)
                if pick:
                    cell_mask[pick] = changed = True
        for c in range(size.shape[1]):
            if int(cell_mask[:, c].sum()) + int(col_mask[c]) == 1:
                line = np.zeros_like(cell_mask)
                line[:, c] = True
                pick = smallest(line)
                if pick:
                    cell_mask[pick] = changed = True
        if changed:
            continue
        table = PublishedTable(
            cells=np.where(cell_mask, np.nan, vals),
            n=size,
            row_totals=np.where(row_mask, np.nan, vals.sum(axis=1)),
            col_totals=np.where(col_mask, np.nan, vals.sum(axis=0)),
            grand_total=float(vals.sum()),
            lo=lo,
            hi=hi,
        )
        found = recover(table).disclosed
        if not found:
            break
        for unknown in found:
            _, r, c = unknown.where
            line = np.zeros_like(cell_mask)
            if r >= 0:
                line[r, :] = True
            if c >= 0:
                line[:, c] = True
            pick = smallest(line) or smallest(np.ones_like(cell_mask))
            if pick:
                cell_mask[pick] = changed = True
        if not changed:
            break
    return cell_mask, row_mask, col_mask
