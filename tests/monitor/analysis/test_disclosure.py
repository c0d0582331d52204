# SPDX-License-Identifier: EUPL-1.2
"""Disclosure control, proven by trying to recover suppressed cells (and failing).

Each test publishes a table the way the report does (shares → counts ``share·n``, every *n*
known, the total published) and hands it to :func:`recover`, which solves the margins' equations
and bounds each withheld cell by linear programming. Where only primary suppression is applied
the attack succeeds (so the audit is not toothless); with the rule it fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from weerbaar.monitor.analysis import PublishedTable, SuppressionRule, recover, suppress_cells
from weerbaar.monitor.analysis.disclosure import _pinned, suppress_one_way, suppress_two_way

RULE = SuppressionRule()


def publish(n: list[int], counts: list[float], mask: np.ndarray, **bounds: float) -> PublishedTable:
    values = np.where(mask, np.nan, np.asarray(counts, dtype=float))
    return PublishedTable.one_way(values, n, float(sum(counts)), **bounds)


def test_the_default_rule() -> None:
    assert RULE.as_dict() == {"min_cell": 5, "complementary": True}
    with pytest.raises(ValueError, match="at least 1"):
        SuppressionRule(min_cell=0)


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    """n = 3, 10, 12, 20 with 1, 5, 6, 10 yes; total 22 of 45.

    Primary: the cell of 3. Alone it is the total minus the rest: 22 − 5 − 6 − 10 = 1.
    So the next-smallest (10) goes too: now the two add up to 6, and the small cell can be
    anything from max(0, 6 − 10) = 0 to min(3, 6) = 3.
    """
    n, counts = [3, 10, 12, 20], [1, 5, 6, 10]
    primary = suppress_cells(n, counts, SuppressionRule(complementary=False))
    assert primary.tolist() == [True, False, False, False]
    attack = recover(publish(n, counts, primary))
    assert [(u.where, u.value) for u in attack.disclosed] == [(("cell", 0, 0), 1.0)]

    mask = suppress_cells(n, counts, RULE)
    assert mask.tolist() == [True, True, False, False]
    attempt = recover(publish(n, counts, mask))
    assert attempt.disclosed == []
    small = attempt.unknowns[0]
    assert (small.low, small.high) == (0.0, 3.0)


def test_all_no_in_the_suppressed_cells_needs_one_more() -> None:
    """n = 3, 6, 10, 20 with 0, 0, 4, 10 yes. The cells of 3 and 6 together have 0 yes: both are
    then known to be 0 (all no). The next-smallest (10, with 4 yes) is withheld too: the three add
    up to 4 and the cell of 3 can be 0 to 3."""
    n, counts = [3, 6, 10, 20], [0, 0, 4, 10]
    two = np.array([True, True, False, False])
    attack = recover(publish(n, counts, two))
    assert sorted(u.where[2] for u in attack.disclosed) == [0, 1]
    mask = suppress_cells(n, counts, RULE)
    assert mask.tolist() == [True, True, True, False]
    assert recover(publish(n, counts, mask)).disclosed == []


def test_all_yes_is_as_revealing_as_all_no() -> None:
    n, counts = [2, 4, 9, 9], [2, 4, 3, 5]
    mask = suppress_cells(n, counts, RULE)
    assert mask.tolist() == [True, True, True, False]
    assert recover(publish(n, counts, mask)).disclosed == []


def test_means_are_bounded_by_the_scale() -> None:
    """A 1–5 scale: the cells of 2 and 5 answer 1 throughout (sums 2 and 5 = their minimum), so both
    are known from their combined sum 7; the next-smallest cell (8) is withheld too."""
    n, sums = [2, 5, 10, 8], [2.0, 5.0, 33.0, 30.0]
    mask = suppress_cells(n, sums, RULE, lo=1, hi=5)
    assert mask.tolist() == [True, True, False, True]
    assert recover(publish(n, sums, mask, lo=1, hi=5)).disclosed == []
    assert recover(publish(n, sums, np.array([True, True, False, False]), lo=1, hi=5)).disclosed != []


def test_without_complementary_suppression_only_small_cells_go() -> None:
    mask = suppress_cells([3, 10, 12], [1, 2, 3], SuppressionRule(min_cell=5, complementary=False))
    assert mask.tolist() == [True, False, False]


def test_empty_cells_are_not_suppressed_and_do_not_protect() -> None:
    """A cell without respondents publishes nothing and is known to be 0, so it cannot hide another."""
    mask = suppress_cells([0, 3, 10, 10], [0, 1, 5, 5], RULE)
    assert mask.tolist() == [False, True, True, False]


def test_a_larger_threshold() -> None:
    mask = suppress_cells([8, 9, 30, 40], [4, 4, 10, 10], SuppressionRule(min_cell=10))
    assert mask.tolist() == [True, True, False, False]


def test_many_tables_at_once_share_an_item_mask() -> None:
    """Two choices of one item in one table, and a second item: each item gets one mask for its groups."""
    n = np.array([[3, 8], [10, 8], [12, 8]], dtype=float)  # groups × items
    values = np.array([[1, 2, 4], [5, 5, 4], [6, 6, 4]], dtype=float)  # groups × quantities
    mask = suppress_one_way(n, values, [0, 0, 1], [0, 0, 0], [1, 1, 1], RULE)
    assert mask[:, 0].tolist() == [True, True, False]
    assert mask[:, 1].tolist() == [False, False, False]


def test_two_way_table_cannot_be_recovered_from_its_margins() -> None:
    """Size class × region with row, column and grand totals published.

    Primary suppression alone: a cell alone in its row is the row total minus the rest.
    """
    n = np.array([[3, 12, 15, 9], [20, 2, 18, 11], [14, 16, 25, 30]], dtype=float)
    counts = np.array([[1, 6, 7, 4], [10, 1, 9, 5], [7, 8, 12, 14]], dtype=float)

    def published(mask: np.ndarray) -> PublishedTable:
        return PublishedTable(
            cells=np.where(mask, np.nan, counts),
            n=n,
            row_totals=counts.sum(axis=1),
            col_totals=counts.sum(axis=0),
            grand_total=float(counts.sum()),
        )

    primary, _, _ = suppress_two_way(n, counts, SuppressionRule(complementary=False))
    assert primary.sum() == 2
    assert {u.where for u in recover(published(primary)).disclosed} == {("cell", 0, 0), ("cell", 1, 1)}

    mask, rows, cols = suppress_two_way(n, counts, RULE)
    assert not rows.any() and not cols.any()
    assert mask.sum() >= 4
    for r in range(3):
        assert mask[r].sum() != 1
    for c in range(4):
        assert mask[:, c].sum() != 1
    assert recover(published(mask)).disclosed == []


def test_two_way_zero_block_is_protected() -> None:
    """A 2×2 block of all-no cells is pinned by the bounds even with two per row and column."""
    n = np.array([[3, 4, 10], [4, 3, 12], [20, 20, 30]], dtype=float)
    counts = np.array([[0, 0, 5], [0, 0, 6], [10, 10, 15]], dtype=float)
    mask, _, _ = suppress_two_way(n, counts, RULE)
    table = PublishedTable(
        cells=np.where(mask, np.nan, counts),
        n=n,
        row_totals=counts.sum(axis=1),
        col_totals=counts.sum(axis=0),
        grand_total=float(counts.sum()),
    )
    assert recover(table).disclosed == []


def test_weighted_total_over_separate_classes_would_give_two_cells_away() -> None:
    """Classes with n = 3, 4, 20 (N = 10, 10, 30), 1, 3, 12 yes; the two small ones are withheld.

    The unweighted total says k₀ + k₁ = 4. A weighted total over separate strata,
    Σ (N_h/N)·k_h/n_h, is a second equation (0.2/3)·k₀ + (0.2/4)·k₁ = known: two equations, two
    unknowns, both recovered. Weighting over the merged stratum makes it (0.4/7)·(k₀ + k₁): the
    same equation again, so nothing new.
    """
    n, counts, big = np.array([3.0, 4.0, 20.0]), np.array([1.0, 3.0, 12.0]), np.array([10.0, 10.0, 30.0])
    weight = big / big.sum()
    mask = suppress_cells(n, counts, RULE)
    assert mask.tolist() == [True, True, False]
    cells = np.where(mask, np.nan, counts)
    separate = (weight / n)[None, :]
    attack = PublishedTable.one_way(cells, n, counts.sum())
    attack = PublishedTable(**{**attack.__dict__, "extra": ((separate, float((separate * counts).sum())),)})
    assert {u.where[2]: u.value for u in recover(attack).disclosed} == {0: 1.0, 1: 3.0}

    merged_weight = weight[:2].sum() / n[:2].sum()
    merged = np.array([[merged_weight, merged_weight, weight[2] / n[2]]])
    safe = PublishedTable(**{**attack.__dict__, "extra": ((merged, float((merged * counts).sum())),)})
    assert recover(safe).disclosed == []


@st.composite
def one_way_tables(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    n = draw(st.lists(st.integers(0, 25), min_size=2, max_size=8))
    counts = [draw(st.integers(0, size)) for size in n]
    return n, counts


@given(one_way_tables(), st.integers(2, 8))
def test_no_suppressed_cell_can_be_recovered(table: tuple[list[int], list[int]], k: int) -> None:
    """Whatever the table: the audit recovers nothing, unless every occupied cell is withheld and
    the national figure is itself unanimous (all no or all yes: then nothing can hide an answer)."""
    n, counts = table
    mask = suppress_cells(n, counts, SuppressionRule(min_cell=k))
    occupied = np.asarray(n) > 0
    assert not (mask & ~occupied).any()
    assert (mask | ~occupied | (np.asarray(n) >= k)).all()
    found = recover(publish(n, counts, mask)).disclosed
    if found:
        assert (mask | ~occupied).all()
        assert sum(counts) in (0, sum(n))


@given(one_way_tables(), st.lists(st.booleans(), min_size=8, max_size=8))
def test_closed_form_bounds_equal_linear_programming(table: tuple[list[int], list[int]], flags: list[bool]) -> None:
    """The fast check the report uses finds exactly the cells the LP audit recovers."""
    n, counts = table
    mask = np.array(flags[: len(n)]) & (np.asarray(n) > 0)
    fast = _pinned(
        mask[:, None], np.asarray(n, float)[:, None], np.asarray(counts, float)[:, None],
        np.array([0]), np.array([0.0]), np.array([1.0]),
    )[:, 0]  # fmt: skip
    slow = {u.where[2] for u in recover(publish(n, counts, mask)).disclosed}
    assert set(np.nonzero(fast)[0].tolist()) == slow


def test_the_documented_example() -> None:
    """docs/monitor-analysis.md: shares 0.5 of 10 and 0.75 of 20 published, 0.6 of 40 in total; the
    cells of 3 and 7 hold 24 − 5 − 15 = 4 yes between them: 0–3 and 1–4, neither known."""
    table = PublishedTable.from_shares(shares=[None, None, 0.5, 0.75], n=[3, 7, 10, 20], total_share=0.6, total_n=40)
    result = recover(table)
    assert result.disclosed == []
    assert [(u.low, u.high) for u in result.unknowns] == [(0.0, 3.0), (1.0, 4.0)]
    leaky = PublishedTable.from_shares(shares=[None, 1 / 7, 0.5, 0.75], n=[3, 7, 10, 20], total_share=0.6, total_n=40)
    assert [u.value for u in recover(leaky).disclosed] == [pytest.approx(3.0)]
