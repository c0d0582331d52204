# SPDX-License-Identifier: EUPL-1.2
"""Coding of answers and the estimates per size class and region, each group its own population.

Twelve municipalities: GM0001–GM0008 are ``small``, GM0009–GM0012 ``large``; GM0001–0004 and
GM0009–0010 are in region ``North``, the rest in ``South``.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from weerbaar.monitor.analysis import Item, ItemType, Wave, codebook_of
from weerbaar.monitor.analysis.coding import code_wave
from weerbaar.monitor.analysis.inputs import group_order
from weerbaar.monitor.analysis.tables import estimate_wave

from .frames import population, scale, wave, yes_no

CLASSES = ["small"] * 8 + ["large"] * 4
REGIONS = ["North"] * 4 + ["South"] * 4 + ["North"] * 2 + ["South"] * 2
N = None
POLICY = [1, 1, 0, N, 1, 0, N, N, 1, 1, 1, N]
SCORE = [2, 4, 4, 5, 5, N, N, N, 1, 2, 3, N]
BOOK = codebook_of(
    [
        yes_no("policy"),
        scale("score"),
        Item("orientation", ItemType.CHOICE, choices=("case", "mixed", "preventive")),
        Item("sources", ItemType.MULTI_CHOICE, choices=("brp", "kvk", "woz")),
        Item("fte", ItemType.NUMBER, scale_min=0),
    ]
)


def make_wave(**extra: list[object]) -> Wave:
    answers: dict[str, list[object]] = {"policy": POLICY, "score": SCORE, **extra}
    return wave(2022, population(CLASSES, REGIONS), answers)


def test_group_order_is_small_to_large_and_regions_alphabetical() -> None:
    frame = make_wave().frame
    assert group_order(frame, "size_class") == ["small", "large"]
    assert group_order(frame, "riec_region") == ["North", "South"]


def test_share_per_size_class_uses_the_class_as_population() -> None:
    """National: N = 12, n = 8, 6 yes → 0.75. small: N = 8, n = 5, 3 yes → 0.6,
    se = sqrt(0.6·0.4/5)·sqrt((8 − 5)/(8 − 1)) = sqrt(0.048·0.428571) = 0.143427.
    large: N = 4, n = 3, 3 yes → 1.0, se = 0. North: N = 6, n = 5, 4 yes → 0.8; South: N = 6, n = 3, 2 yes.
    """
    est = estimate_wave(make_wave(), BOOK)
    j = est.coded.indicator_keys.index(("policy", ""))
    assert est.total.shares.n[0, j] == 8
    assert est.total.shares.share[0, j] == 0.75
    by_size = est.by["size_class"]
    assert by_size.groups == ["small", "large"]
    assert list(by_size.N) == [8, 4]
    assert list(by_size.shares.n[:, j]) == [5, 3]
    assert list(by_size.shares.share[:, j]) == pytest.approx([0.6, 1.0])
    assert by_size.shares.se[0, j] == pytest.approx(0.143427, abs=1e-6)
    assert by_size.shares.se[1, j] == 0.0
    by_region = est.by["riec_region"]
    assert list(by_region.N) == [6, 6]
    assert list(by_region.shares.share[:, j]) == pytest.approx([0.8, 2 / 3])


def test_mean_per_size_class() -> None:
    """small: 2, 4, 4, 5, 5 → mean 4, s² = 1.5, se = sqrt(1.5/5)·sqrt(3/7) = sqrt(0.128571) = 0.358569.
    large: 1, 2, 3 → mean 2, s² = 1, se = sqrt(1/3)·sqrt(1/3) = 1/3. National: 8 values, mean 26/8 = 3.25.
    """
    est = estimate_wave(make_wave(), BOOK)
    j = [i.id for i in est.coded.number_items].index("score")
    assert est.total.means.mean[0, j] == 3.25
    by_size = est.by["size_class"].means
    assert list(by_size.mean[:, j]) == pytest.approx([4.0, 2.0])
    assert by_size.sd[:, j] ** 2 == pytest.approx([1.5, 1.0])
    assert by_size.se[:, j] == pytest.approx([0.358569, 1 / 3], abs=1e-6)


def test_the_distribution_of_a_scale_is_estimated_per_value() -> None:
    est = estimate_wave(make_wave(), BOOK)
    keys = [k for k in est.coded.indicator_keys if k[0] == "score"]
    assert keys == [("score", v) for v in "12345"]
    columns = [est.coded.indicator_keys.index(k) for k in keys]
    # 1, 2, 2, 3, 4, 4, 5, 5 → 1/8, 2/8, 1/8, 2/8, 2/8
    assert list(est.total.shares.share[0, columns]) == pytest.approx([1 / 8, 2 / 8, 1 / 8, 2 / 8, 2 / 8])


def test_choices_and_every_form_of_multiple_choice() -> None:
    """Multiple choice as "a;b", a set, a list; an empty list is an answer (none chosen), "" is not."""
    multi = ["brp;kvk", {"kvk"}, ["brp", "woz"], [], "", N, "woz", N, N, N, N, N]
    choice = ["case", "case", "mixed", N, "preventive", N, N, N, N, N, N, N]
    est = estimate_wave(make_wave(orientation=choice, sources=multi), BOOK)
    coded = est.coded
    answered = coded.answered[:, [i.id for i in coded.items].index("sources")]
    assert answered.sum() == 5  # the empty list counts, the empty string does not
    shares = {k[1]: est.total.shares.share[0, j] for j, k in enumerate(coded.indicator_keys) if k[0] == "sources"}
    # brp: 2 of 5, kvk: 2 of 5, woz: 2 of 5 — several per respondent, so they add up to more than 1.
    assert shares == pytest.approx({"brp": 0.4, "kvk": 0.4, "woz": 0.4})
    single = {k[1]: est.total.shares.share[0, j] for j, k in enumerate(coded.indicator_keys) if k[0] == "orientation"}
    assert single == pytest.approx({"case": 0.5, "mixed": 0.25, "preventive": 0.25})


def test_an_item_of_the_wave_without_answers_has_no_figures() -> None:
    book = codebook_of([*BOOK.values(), yes_no("late", waves=(2022,))])
    est = estimate_wave(make_wave(), book)
    j = est.coded.indicator_keys.index(("late", ""))
    assert est.total.shares.n[0, j] == 0
    assert np.isnan(est.total.shares.share[0, j])
    assert np.isnan(est.by["size_class"].shares.ci_low[:, j]).all()


def test_numbers_from_a_csv_export_and_strings() -> None:
    """A CSV reader may give "1" and 1.0; both are the same answer. "" and None are not answers: n = 5, 3 yes."""
    est = estimate_wave(make_wave(policy=["1", "0", "", N, "1", 1.0, 0, N, N, N, N, N]), BOOK)
    j = est.coded.indicator_keys.index(("policy", ""))
    assert (est.total.shares.n[0, j], est.total.shares.count[0, j]) == (5, 3)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"policy": [2, *POLICY[1:]]}, r"item policy: a yes/no answer must be 1 or 0 \(GM0001=2"),
        ({"policy": ["ja", *POLICY[1:]]}, r"item policy: not a number \(GM0001='ja'"),
        ({"score": [6, *SCORE[1:]]}, r"item score: outside 1..5 \(GM0001=6\)"),
        ({"score": [2.5, *SCORE[1:]]}, r"item score: not a value of the scale"),
        ({"orientation": ["none", *[N] * 11]}, r"item orientation: not one of the choices"),
        ({"sources": ["brp;bag", *[N] * 11]}, r"item sources: contains a code that is not a choice"),
        ({"fte": [-1, *[N] * 11]}, r"item fte: below the minimum 0 \(GM0001=-1\)"),
        ({"typo": [1] * 12}, r"answer columns not in the codebook: typo"),
    ],
)
def test_wrong_answers_are_named(answers: dict[str, list[object]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        code_wave(make_wave(**answers), BOOK)


def test_wrong_frames_are_refused() -> None:
    frame = population(CLASSES, REGIONS)
    with pytest.raises(ValueError, match="not in the 2022 population: GM9999"):
        Wave(2022, pd.DataFrame({"policy": [1]}, index=["GM9999"]), frame)
    with pytest.raises(ValueError, match="repeat in the population"):
        Wave(2022, pd.DataFrame(), pd.concat([frame, frame.head(1)]))
    with pytest.raises(ValueError, match="riec_region missing for GM0001"):
        Wave(2022, pd.DataFrame(), frame.assign(riec_region=[None, *REGIONS[1:]]))
    with pytest.raises(ValueError, match="lacks population"):
        Wave(2022, pd.DataFrame(), frame.drop(columns="population"))
    with pytest.raises(ValueError, match="more than one response for GM0001"):
        Wave(2022, pd.DataFrame({"policy": [1, 0]}, index=["GM0001", "GM0001"]), frame)


def test_items_need_their_metadata() -> None:
    with pytest.raises(ValueError, match="scale_min < scale_max"):
        Item("s", ItemType.SCALE, scale_min=3, scale_max=3)
    with pytest.raises(ValueError, match="needs choices"):
        Item("c", ItemType.CHOICE)
    with pytest.raises(ValueError, match="appears twice"):
        codebook_of([yes_no("a"), yes_no("a")])


def test_item_from_a_codebook_entry() -> None:
    """The codebook YAML's shapes: ``scale: {min, max}``, choices as mappings, numbers with ``min``."""
    scale_item = Item.from_mapping({"id": "sat", "type": "scale", "scale": {"min": 1, "max": 5}, "waves": [2022]})
    assert (scale_item.scale_min, scale_item.scale_max, scale_item.categories()) == (1, 5, ("1", "2", "3", "4", "5"))
    choice = Item.from_mapping(
        {"id": "o", "type": "choice", "choices": [{"code": "case"}, {"code": 2}], "previous_id": ""}
    )
    assert (choice.choices, choice.previous_id) == (("case", "2"), None)
    number = Item.from_mapping({"id": "fte", "type": "number", "min": 0, "previous_id": "fte_old"})
    assert (number.scale_min, number.scale_max, number.previous_id) == (0, None, "fte_old")
    row = {"id": 17, "item_id": "fte", "type": "number", "scale_min": None, "number_min": 0.0, "number_max": 60.0}
    from_model = Item.from_mapping(
        {**row, "choices": [], "waves": [2022], "previous_id": "", "theme": "organisational"}
    )
    assert (from_model.id, from_model.scale_min, from_model.scale_max) == ("fte", 0.0, 60.0)
    assert (from_model.waves, from_model.previous_id, from_model.theme) == ((2022,), None, "organisational")


def test_a_csv_export_read_by_pandas() -> None:
    """The answers format of architecture.md as pandas 3 reads it (text columns as its string dtype),
    with and without ``dtype=str``: the same figures either way."""
    text = (
        "municipality_code,policy,orientation,sources,score\n"
        "GM0001,1,case,brp;kvk,3\nGM0002,0,mixed,,\nGM0003,,case,woz,5\n"
    )
    frame = population(CLASSES, REGIONS)
    figures = []
    for options in ({}, {"dtype": str, "keep_default_na": False}):
        answers = pd.read_csv(io.StringIO(text), index_col="municipality_code", **options)
        est = estimate_wave(Wave(2022, answers, frame), BOOK)
        keys = est.coded.indicator_keys
        figures.append(
            (
                est.total.shares.share[0, keys.index(("policy", ""))],
                est.total.shares.share[0, keys.index(("orientation", "case"))],
                est.total.shares.n[0, keys.index(("sources", "brp"))],
                est.total.means.mean[0, 0],
            )
        )
    assert figures[0] == figures[1] == (0.5, pytest.approx(2 / 3), 2, 4.0)
