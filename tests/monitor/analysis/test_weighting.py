# SPDX-License-Identifier: EUPL-1.2
"""Post-stratification by size class: a case where it changes the share in a known way, by hand.

40 municipalities: 30 ``small`` (5 answer, 1 yes) and 10 ``large`` (all 10 answer, 8 yes).
Respondents are mostly large, and large ones say yes far more often, so the plain share flatters.
"""

from __future__ import annotations

import numpy as np
import pytest

from weerbaar.monitor.analysis import Item, ItemType, codebook_of
from weerbaar.monitor.analysis.tables import estimate_wave
from weerbaar.monitor.analysis.weighting import poststratify, response_by_class, weighting_changes

from .frames import population, wave, yes_no

N = None
BOOK = codebook_of([yes_no("policy"), Item("fte", ItemType.NUMBER, scale_min=0)])


def estimates(extra_class: bool = False) -> object:
    classes = ["small"] * 30 + ["large"] * 10 + (["mid"] * 3 if extra_class else [])
    policy = [1] + [0] * 4 + [N] * 25 + [1] * 8 + [0] * 2 + ([N] * 3 if extra_class else [])
    fte = [1, 2, 3, 4, 5] + [N] * 25 + [4, 6] * 5 + ([N] * 3 if extra_class else [])
    frame = population(classes)
    if extra_class:  # "mid" between the two by population
        frame.loc[frame["size_class"] == "mid", "population"] = 15_000
    return estimate_wave(wave(2022, frame, {"policy": policy, "fte": fte}), BOOK)


def test_weighting_corrects_the_share_by_hand() -> None:
    """Unweighted: 9/15 = 0.6. Weights N_h/n_h: small 30/5 = 6, large 10/10 = 1.

    Weighted: (6·1 + 1·8)/(6·5 + 1·10) = 14/40 = 0.35 (= 0.75·0.2 + 0.25·0.8).
    Var = 0.75²·(0.2·0.8/5)·(30 − 5)/(30 − 1) + 0.25²·(0.8·0.2/10)·0 = 0.5625·0.032·0.862069 = 0.015517
    se = 0.124568. Interval: Wilson with design effect deff = Var / Var_srs, with
    Var_srs = 0.35·0.65/15·(40 − 15)/(40 − 1) = 0.009722 → deff = 1.596059;
    z'² = 3.841459·0.641026 = 2.462474, 1/n_eff = deff/15 = 0.106404 →
    centre = (0.35 + 2.462474·0.106404/2)/(1 + 2.462474·0.106404) = 0.481007/1.262017 = 0.381142,
    half = 1.569227/1.262017·sqrt(0.2275·0.106404 + 2.462474·0.106404²/4) = 0.219551 → [0.161591, 0.600694].
    """
    est = estimates()
    weighted = poststratify(est)
    j = est.coded.indicator_keys.index(("policy", ""))
    assert est.total.shares.share[0, j] == pytest.approx(0.6)
    assert weighted.share[j] == pytest.approx(0.35)
    assert weighted.share_se[j] == pytest.approx(0.124568, abs=1e-6)
    assert weighted.share_low[j] == pytest.approx(0.161591, abs=1e-6)
    assert weighted.share_high[j] == pytest.approx(0.600694, abs=1e-6)


def test_weighted_mean_by_hand() -> None:
    """small: 1..5 → mean 3, s² = 2.5; large: 4, 6 five times each → mean 5 (a census of the class).

    Unweighted (15 + 50)/15 = 4.333; weighted 0.75·3 + 0.25·5 = 3.5.
    Var = 0.75²·2.5/5·25/29 = 0.242457, se = 0.492399; df = 15 − 2 strata = 13, t = 2.160369,
    interval 3.5 ± 1.063764 = [2.436236, 4.563764].
    """
    est = estimates()
    weighted = poststratify(est)
    assert est.total.means.mean[0, 0] == pytest.approx(65 / 15)
    assert weighted.mean[0] == pytest.approx(3.5)
    assert weighted.mean_se[0] == pytest.approx(0.492399, abs=1e-6)
    assert (weighted.mean_low[0], weighted.mean_high[0]) == pytest.approx((2.436236, 4.563764), abs=1e-6)


def test_merging_every_class_gives_the_unweighted_share() -> None:
    """One stratum is no weighting at all: 9/15 again."""
    est = estimates()
    weighted = poststratify(est, collapse=np.ones((2, 2), dtype=bool))
    j = est.coded.indicator_keys.index(("policy", ""))
    assert weighted.share[j] == pytest.approx(0.6)
    assert weighted.mean[0] == pytest.approx(65 / 15)
    assert weighted.collapsed.all()


def test_a_class_without_respondents_is_left_out_and_said() -> None:
    """The class "mid" (3 municipalities) answered nothing: weights over small and large only (30/40, 10/40)."""
    est = estimates(extra_class=True)
    weighted = poststratify(est)
    j = est.coded.indicator_keys.index(("policy", ""))
    assert weighted.groups == ["small", "mid", "large"]
    assert weighted.share[j] == pytest.approx(0.35)
    assert weighted.uncovered[:, 0].tolist() == [False, True, False]


def test_the_report_of_what_weighting_changed() -> None:
    est = estimates()
    changed = weighting_changes(est, poststratify(est))
    first = changed.iloc[0]
    # Largest absolute change first: the mean moved by 0.833, the share by 0.25.
    assert (first["item"], first["stat"]) == ("fte", "mean")
    assert first["difference"] == pytest.approx(3.5 - 65 / 15)
    second = changed.iloc[1]
    assert (second["item"], second["unweighted"], second["weighted"]) == (
        "policy",
        pytest.approx(0.6),
        pytest.approx(0.35),
    )


def test_response_by_class() -> None:
    table = response_by_class(estimates())
    assert table.loc["small"].tolist() == pytest.approx([30, 5, 5 / 30, 6.0])
    assert table.loc["large"].tolist() == pytest.approx([10, 10, 1.0, 1.0])
