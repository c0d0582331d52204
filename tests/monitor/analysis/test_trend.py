# SPDX-License-Identifier: EUPL-1.2
"""Trends follow ``previous_id`` between comparable items only; the change tests, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weerbaar.monitor.analysis import Item, ItemType, codebook_of
from weerbaar.monitor.analysis.tables import estimate_wave
from weerbaar.monitor.analysis.trend import change_test, changes, lineage, pooled_se, trend

from .frames import population, scale, wave, yes_no

N = None
BOOK = codebook_of(
    [
        yes_no("bibob_old", waves=(2016,)),
        yes_no("bibob", waves=(2022,), previous_id="bibob_old"),
        yes_no("census", waves=(2016, 2022)),
        yes_no("reworded", waves=(2022,)),  # no previous_id: a new line
        yes_no("reworded_old", waves=(2016,)),
        scale("satisfaction_old", 1, 5, waves=(2016,)),
        scale("satisfaction", 1, 7, waves=(2022,), previous_id="satisfaction_old"),  # other scale: a break
        Item("fte", ItemType.NUMBER, scale_min=0, waves=(2016, 2022)),
    ]
)


def waves() -> dict[int, object]:
    """2016: N = 20, bibob_old 10 answers (4 yes); 2022: N = 20, bibob 16 answers (12 yes).
    census: everyone answers, 10 yes in 2016, 15 in 2022. fte: 2, 4, 4, 5, 5 (2016); 1, 2, 3 (2022).
    """
    frame = population(["a"] * 20, prefix="GM")
    first = wave(
        2016,
        frame,
        {
            "bibob_old": [1] * 4 + [0] * 6 + [N] * 10,
            "census": [1] * 10 + [0] * 10,
            "reworded_old": [1] * 20,
            "satisfaction_old": [3] * 20,
            "fte": [2, 4, 4, 5, 5] + [N] * 15,
        },
    )
    second = wave(
        2022,
        frame,
        {
            "bibob": [1] * 12 + [0] * 4 + [N] * 4,
            "census": [1] * 15 + [0] * 5,
            "reworded": [0] * 20,
            "satisfaction": [6] * 20,
            "fte": [1, 2, 3] + [N] * 17,
        },
    )
    return {w.year: estimate_wave(w, BOOK) for w in (first, second)}


def test_lineage_follows_previous_id_and_stops_at_a_break() -> None:
    assert [i.id for i in lineage("bibob", BOOK)] == ["bibob", "bibob_old"]
    assert [i.id for i in lineage("reworded", BOOK)] == ["reworded"]
    # 1–7 is not 1–5: no line across the break even though previous_id says so.
    assert [i.id for i in lineage("satisfaction", BOOK)] == ["satisfaction"]


def test_lineage_survives_a_cycle_and_a_missing_predecessor() -> None:
    book = codebook_of([yes_no("a", previous_id="b"), yes_no("b", previous_id="a"), yes_no("c", previous_id="gone")])
    assert [i.id for i in lineage("a", book)] == ["a", "b"]
    assert [i.id for i in lineage("c", book)] == ["c"]


def test_trend_joins_only_comparable_items() -> None:
    line = trend(waves(), BOOK, 2022)
    bibob = line[line["item"] == "bibob"]
    assert bibob[["year", "member", "n", "estimate"]].values.tolist() == [
        [2016, "bibob_old", 10, 0.4],
        [2022, "bibob", 16, 0.75],
    ]
    assert line[line["item"] == "reworded"]["year"].tolist() == [2022]
    assert line[(line["item"] == "satisfaction") & (line["stat"] == "mean")]["year"].tolist() == [2022]
    # Each wave's own population: N of 2016 and 2022 both 20 here, taken from each frame.
    assert set(bibob["N"]) == {20}


def test_change_of_a_share_by_hand() -> None:
    """2016: N = 20, n = 10, p₁ = 0.4; 2022: N = 20, n = 16, p₂ = 0.75. Difference 0.35.

    se₁² = 0.4·0.6/10·(20 − 10)/19 = 0.012632; se₂² = 0.75·0.25/16·(20 − 16)/19 = 0.002467
    se = sqrt(0.015099) = 0.122877; interval 0.35 ± 1.959964·0.122877 = [0.109166, 0.590834]
    Test under "no change": p̄ = 16/26 = 0.615385;
    se₀ = sqrt(0.615385·0.384615·(10/19/10 + 4/19/16)) = sqrt(0.236686·0.065789) = 0.124786
    z = 0.35/0.124786 = 2.804808; p = 2·(1 − Φ(2.804808)) = 0.005035
    """
    tests = changes(trend(waves(), BOOK, 2022))
    row = tests[tests["item"] == "bibob"].iloc[0]
    assert (row["from_year"], row["to_year"]) == (2016, 2022)
    assert row["difference"] == pytest.approx(0.35)
    assert row["se"] == pytest.approx(0.122877, abs=1e-6)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.109166, 0.590834), abs=1e-6)
    assert row["z"] == pytest.approx(2.804808, abs=1e-6)
    assert row["p_value"] == pytest.approx(0.005035, abs=1e-6)
    assert pooled_se(4, 10, 20, 12, 16, 20)[()] == pytest.approx(0.124786, abs=1e-6)


def test_change_between_two_censuses_is_exact() -> None:
    """Everybody answered both times: 0.5 → 0.75 is the change itself; no sampling, so no test."""
    tests = changes(trend(waves(), BOOK, 2022))
    row = tests[tests["item"] == "census"].iloc[0]
    assert row["difference"] == pytest.approx(0.25)
    assert row["se"] == 0
    assert row["ci_low"] == row["ci_high"] == pytest.approx(0.25)
    assert np.isnan(row["z"]) and np.isnan(row["p_value"])


def test_change_of_a_mean_by_hand() -> None:
    """2016: 2, 4, 4, 5, 5 of N = 20: mean 4, se₁² = 1.5/5·15/19 = 0.236842.
    2022: 1, 2, 3 of N = 20: mean 2, se₂² = 1/3·17/19 = 0.298246.
    Difference −2, se = sqrt(0.535088) = 0.731497, z = −2.734120, p = 0.006255,
    interval −2 ± 1.959964·0.731497 = [−3.433708, −0.566292].
    """
    tests = changes(trend(waves(), BOOK, 2022))
    row = tests[(tests["item"] == "fte") & (tests["stat"] == "mean")].iloc[0]
    assert row["difference"] == pytest.approx(-2.0)
    assert row["se"] == pytest.approx(0.731497, abs=1e-6)
    assert row["z"] == pytest.approx(-2.734120, abs=1e-6)
    assert row["p_value"] == pytest.approx(0.006255, abs=1e-6)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((-3.433708, -0.566292), abs=1e-6)


def test_no_change_test_across_a_break() -> None:
    tests = changes(trend(waves(), BOOK, 2022))
    assert "reworded" not in set(tests["item"])
    assert "satisfaction" not in set(tests["item"])


def test_change_test_arrays() -> None:
    result = change_test([0.4, 0.5], [0.1, 0.0], [0.6, 0.5], [0.0, 0.0])
    assert result.difference == pytest.approx([0.2, 0.0])
    assert result.z[0] == pytest.approx(2.0)
    assert np.isnan(result.z[1])


def test_a_missing_figure_is_skipped_not_tested() -> None:
    points = pd.DataFrame(
        {
            "item": ["x"] * 3,
            "stat": ["share"] * 3,
            "category": [""] * 3,
            "year": [2009, 2012, 2016],
            "member": ["x"] * 3,
            "N": [10.0] * 3,
            "n": [5.0, 0.0, 5.0],
            "count": [1.0, np.nan, 4.0],
            "estimate": [0.2, np.nan, 0.8],
            "se": [0.1, np.nan, 0.1],
            "ci_low": [0.0] * 3,
            "ci_high": [1.0] * 3,
        }
    )
    tests = changes(points)
    # No figure in 2012: the test compares 2009 with the next wave that has one.
    assert tests[["from_year", "to_year"]].values.tolist() == [[2009, 2016]]
