# SPDX-License-Identifier: EUPL-1.2
"""Small-count suppression with complementary suppression, for figures that are published.

A table is a list of entries (cells and totals) and the equations that hold between them (each
row and each column of cells sums to its total; the totals sum to the grand total). *Primary*
suppression hides every entry with ``0 < count < k``. That alone is not enough: a hidden cell in a
row whose other cells and total are shown is its total minus the others. *Complementary*
suppression hides further entries until no hidden entry can be computed from the published ones
by any combination of the equations — checked exactly, by linear algebra over the rationals: a
hidden entry is disclosed precisely when its unit vector lies in the row space of the equations
restricted to the hidden entries. Complements are chosen among the smallest positive cells first,
so that as little as possible is hidden. Zeros are published: a zero tells no one anything about
a person.

This protects against exact recovery from the published table. It does not compute protection
intervals (how narrowly bounds can pin a hidden value); with every hidden line holding at least
two hidden entries, bounds stay at least as wide as the smaller of them.

Pure functions, no Django: the test that tries to recover hidden cells uses them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

#: Each equation: (the entries that are summed, the entry that is their total).
Equation = tuple[Sequence[int], int]


def _rref(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form (Gauss-Jordan, exact)."""
    matrix = [row[:] for row in rows if any(row)]
    if not matrix:
        return []
    width = len(matrix[0])
    pivot_row = 0
    for column in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        pivot = matrix[pivot_row][column]
        matrix[pivot_row] = [value / pivot for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
        if pivot_row == len(matrix):
            break
    return [row for row in matrix if any(row)]


def disclosed(hidden: set[int], equations: Sequence[Equation]) -> list[int]:
    """The hidden entries that the equations and the published entries determine exactly."""
    order = sorted(hidden)
    position = {entry: i for i, entry in enumerate(order)}
    rows: list[list[Fraction]] = []
    for parts, total in equations:
        row = [Fraction(0)] * len(order)
        for entry in parts:
            if entry in position:
                row[position[entry]] += 1
        if total in position:
            row[position[total]] -= 1
        rows.append(row)
    found = []
    for row in _rref(rows):
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.append(order[nonzero[0]])
    return sorted(found)


@dataclass
class Protected:
    values: list[int]
    hidden: set[int] = field(default_factory=set)
    primary: set[int] = field(default_factory=set)

    def shown(self, entry: int) -> int | None:
        return None if entry in self.hidden else self.values[entry]


def protect(values: Sequence[int], equations: Sequence[Equation], k: int, *, inner: set[int]) -> Protected:
    """Hide every ``0 < value < k`` and enough complements that none can be recovered.

    ``inner`` are the cells (not totals): complements are taken from cells before totals."""
    primary = {i for i, value in enumerate(values) if 0 < value < k}
    hidden = set(primary)
    while True:
        exposed = disclosed(hidden, equations)
        if not exposed:
            return Protected(list(values), hidden, primary)
        target = exposed[0]
        candidates = {
            entry
            for parts, total in equations
            if target in parts or target == total
            for entry in (*parts, total)
            if entry not in hidden
        }
        if not candidates:  # disclosed through a combination of lines: widen anywhere nearby
            candidates = {
                entry
                for parts, total in equations
                if any(e in hidden for e in (*parts, total))
                for entry in (*parts, total)
                if entry not in hidden
            }
        if not candidates:
            candidates = set(range(len(values))) - hidden
        if not candidates:
            return Protected(list(values), hidden, primary)
        best = min(candidates, key=lambda e: (e not in inner, values[e] == 0, values[e], e))
        hidden.add(best)


@dataclass
class Grid:
    """A two-way table with its margins, laid out as entries for :func:`protect`."""

    rows: int
    columns: int

    def cell(self, r: int, c: int) -> int:
        return r * self.columns + c

    def row_total(self, r: int) -> int:
        return self.rows * self.columns + r

    def column_total(self, c: int) -> int:
        return self.rows * self.columns + self.rows + c

    @property
    def grand_total(self) -> int:
        return self.rows * self.columns + self.rows + self.columns

    @property
    def size(self) -> int:
        return self.grand_total + 1

    @property
    def inner(self) -> set[int]:
        return set(range(self.rows * self.columns))

    def equations(self) -> list[Equation]:
        equations: list[Equation] = []
        for r in range(self.rows):
            equations.append(([self.cell(r, c) for c in range(self.columns)], self.row_total(r)))
        for c in range(self.columns):
            equations.append(([self.cell(r, c) for r in range(self.rows)], self.column_total(c)))
        equations.append(([self.row_total(r) for r in range(self.rows)], self.grand_total))
        equations.append(([self.column_total(c) for c in range(self.columns)], self.grand_total))
        return equations

    def entries(self, cells: Sequence[Sequence[int]]) -> list[int]:
        values = [cells[r][c] for r in range(self.rows) for c in range(self.columns)]
        values += [sum(cells[r]) for r in range(self.rows)]
        values += [sum(cells[r][c] for r in range(self.rows)) for c in range(self.columns)]
        values.append(sum(values[: self.rows * self.columns]))
        return values


def protect_grid(cells: Sequence[Sequence[int]], k: int) -> tuple[Grid, Protected]:
    grid = Grid(len(cells), len(cells[0]) if cells else 0)
    return grid, protect(grid.entries(cells), grid.equations(), k, inner=grid.inner)
