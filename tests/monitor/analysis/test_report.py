# SPDX-License-Identifier: EUPL-1.2
"""The report JSON: issue 5's shape, the shipped JSON Schema, and no recoverable suppressed cell."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pytest

from weerbaar.monitor.analysis import (
    AnalysisConfig,
    Item,
    ItemType,
    ModelSpec,
    PublishedTable,
    SuppressionRule,
    Wave,
    analyse,
    build_report,
    codebook_of,
    load_schema,
    recover,
    report,
)

from .frames import population

DOCS = Path(__file__).resolve().parents[3] / "docs" / "monitor-analysis.md"
CLASSES = {"under_20k": 30, "20k_50k": 20, "50k_100k": 8, "100k_plus": 4}
REGIONS = ("North", "South", "West")
BOOK = codebook_of(
    [
        Item("bibob_old", ItemType.YES_NO, waves=(2016,)),
        Item("bibob", ItemType.YES_NO, waves=(2020, 2022), previous_id="bibob_old"),
        Item("cannabis", ItemType.YES_NO, waves=(2016, 2020, 2022)),
        Item("new_question", ItemType.YES_NO, waves=(2022,)),
        Item("routed", ItemType.YES_NO, waves=(2022,)),
        Item("never_answered", ItemType.YES_NO, waves=(2022,)),
        Item("satisfaction", ItemType.SCALE, scale_min=1, scale_max=5, waves=(2016, 2020, 2022)),
        Item("fte", ItemType.NUMBER, scale_min=0, waves=(2020, 2022)),
        Item("orientation", ItemType.CHOICE, choices=("case", "mixed", "preventive"), waves=(2020, 2022)),
        Item("sources", ItemType.MULTI_CHOICE, choices=("brp", "kvk", "woz"), waves=(2022,)),
    ]
)


def make_waves(seed: int = 11) -> list[Wave]:
    rng = np.random.default_rng(seed)
    waves = []
    for year in (2016, 2020, 2022):
        classes = [c for c, count in CLASSES.items() for _ in range(count)]
        size = len(classes)
        frame = population(classes, list(rng.choice(REGIONS, size)), capacity=np.round(rng.gamma(2, 1, size), 1))
        order = list(CLASSES)
        frame["population"] = [10_000 * (order.index(c) + 1) + i for i, c in enumerate(classes)]
        large = np.array([order.index(c) for c in classes], dtype=float)
        responds = rng.random(size) < 0.55 + 0.12 * large
        answers: dict[str, Any] = {}
        for item in BOOK.values():
            if year not in item.waves or item.id == "never_answered":
                continue
            asked = responds & (rng.random(size) < (0.12 if item.id == "routed" else 1.0))
            if item.type == ItemType.YES_NO:
                values: Any = (rng.random(size) < 0.3 + 0.12 * large).astype(float)
            elif item.type == ItemType.SCALE:
                values = np.clip(np.round(2.5 + 0.3 * large + rng.normal(0, 1, size)), 1, 5)
            elif item.type == ItemType.NUMBER:
                values = np.round(rng.gamma(2, 1, size) * (1 + large), 1)
            elif item.type == ItemType.CHOICE:
                values = rng.choice(item.choices, size).astype(object)
            else:
                values = np.array(
                    [";".join(c for c in item.choices if rng.random() < 0.4) or [] for _ in range(size)], dtype=object
                )
            column = pd.Series(values, index=frame["municipality_code"].to_numpy())
            answers[item.id] = column.where(asked, np.nan if column.dtype != object else None)
        table = pd.DataFrame(answers)
        waves.append(Wave(year, table[table.notna().any(axis=1)], frame))
    return waves


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    config = AnalysisConfig(
        models=(ModelSpec("cannabis", ("size_class", "capacity")), ModelSpec("routed", ("size_class",)))
    )
    return report(make_waves(), BOOK, 2022, config)


def test_the_report_validates_against_the_shipped_schema(published: dict[str, Any]) -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(published)
    json.dumps(published, allow_nan=False)  # plain JSON: no NaN, no numpy types


def test_the_schema_rejects_a_published_suppressed_share(published: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(published))
    cell = broken["items"]["cannabis"]["by"]["size_class"]["100k_plus"]
    cell["suppressed"], cell["share"] = True, 0.5
    assert not jsonschema.Draft202012Validator(load_schema()).is_valid(broken)


def test_a_yes_no_item_has_issue_fives_shape(published: dict[str, Any]) -> None:
    item = published["items"]["cannabis"]
    assert {"n", "share", "ci_low", "ci_high", "by", "trend"} <= set(item)
    assert set(item["by"]) == {"size_class", "riec_region"}
    assert list(item["by"]["size_class"]) == list(CLASSES)
    for cell in [*item["by"]["size_class"].values(), *item["by"]["riec_region"].values()]:
        assert {"n", "share", "suppressed"} <= set(cell)
    assert [p["year"] for p in item["trend"]] == [2016, 2020, 2022]
    assert all({"year", "share"} <= set(p) for p in item["trend"])
    assert item["ci_low"] <= item["share"] <= item["ci_high"]
    assert published["population"]["N"] == sum(CLASSES.values())


def test_no_published_cell_describes_fewer_than_five(published: dict[str, Any]) -> None:
    for item in published["items"].values():
        for cells in item["by"].values():
            for cell in cells.values():
                if 0 < cell["n"] < 5:
                    assert cell["suppressed"]
                if cell["suppressed"]:
                    assert all(cell.get(key) is None for key in ("share", "mean", "shares", "ci_low", "ci_high"))
    # The class of four municipalities can never be shown.
    assert published["items"]["cannabis"]["by"]["size_class"]["100k_plus"]["suppressed"]


def _tables(item: dict[str, Any], spec: Item) -> list[tuple[str, PublishedTable]]:
    """The one-way tables a reader can build from an item's published breakdowns."""
    tables = []
    for by, cells in item["by"].items():
        groups = list(cells.values())
        n = [c["n"] for c in groups]
        if spec.type == ItemType.YES_NO:
            shares = [[c["share"] for c in groups]]
            totals = [item["share"]]
            bounds = {"lo": 0.0, "hi": 1.0}
        elif spec.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            shares = [[(c["shares"] or {}).get(code) for c in groups] for code in spec.choices]
            totals = [item["shares"][code]["share"] for code in spec.choices]
            bounds = {"lo": 0.0, "hi": 1.0}
        else:
            continue
        for row, total in zip(shares, totals, strict=True):
            values = [np.nan if s is None else round(s * size) for s, size in zip(row, n, strict=True)]
            tables.append((by, PublishedTable.one_way(values, n, round(total * item["n"]), **bounds)))
    return tables


def test_no_suppressed_cell_can_be_recovered_from_the_report(published: dict[str, Any]) -> None:
    attempted = 0
    for item_id, item in published["items"].items():
        if item["suppressed"] or item["n"] == 0:
            continue
        for by, table in _tables(item, BOOK[item_id]):
            unknowns = recover(table).unknowns
            attempted += len(unknowns)
            assert [u.where for u in unknowns if u.disclosed] == [], (item_id, by)
    assert attempted > 10  # the report did withhold cells, and each was tried


def test_means_cannot_be_recovered_either(published: dict[str, Any]) -> None:
    item = published["items"]["satisfaction"]
    cells = list(item["by"]["size_class"].values())
    n = [c["n"] for c in cells]
    sums = [np.nan if c["mean"] is None else c["mean"] * c["n"] for c in cells]
    table = PublishedTable.one_way(sums, n, item["mean"] * item["n"], lo=1.0, hi=5.0)
    assert any(np.isnan(sums))
    assert recover(table).disclosed == []


def test_weighting_merges_the_suppressed_classes(published: dict[str, Any]) -> None:
    for item in published["items"].values():
        if item["weighted"] is None:
            continue
        hidden = [g for g, cell in item["by"]["size_class"].items() if cell["suppressed"]]
        assert item["weighted"]["merged_classes"] == hidden
    classes = published["weighting"]["classes"]
    assert set(classes) == set(CLASSES)
    assert classes["under_20k"]["weight"] == pytest.approx(
        classes["under_20k"]["N"] / classes["under_20k"]["respondents"]
    )
    changes = published["weighting"]["largest_changes"]
    assert [abs(c["difference"]) for c in changes] == sorted((abs(c["difference"]) for c in changes), reverse=True)


def test_trends_follow_comparable_items_only(published: dict[str, Any]) -> None:
    items = published["items"]
    assert [(p["year"], p["item"]) for p in items["bibob"]["trend"]] == [
        (2016, "bibob_old"),
        (2020, "bibob"),
        (2022, "bibob"),
    ]
    assert [p["year"] for p in items["new_question"]["trend"]] == [2022]
    assert items["new_question"]["changes"] == []
    assert [(c["from"], c["to"]) for c in items["bibob"]["changes"]] == [(2016, 2020), (2020, 2022)]
    assert [p["year"] for p in items["satisfaction"]["trend"]] == [2016, 2020, 2022]
    assert all("mean" in p for p in items["satisfaction"]["trend"])
    choice = items["orientation"]
    assert set(choice["trend"][0]["shares"]) == {"case", "mixed", "preventive"}
    assert {c["choice"] for c in choice["changes"]} == {"case", "mixed", "preventive"}


def test_items_with_few_or_no_respondents(published: dict[str, Any]) -> None:
    never = published["items"]["never_answered"]
    assert (never["n"], never["share"], never["ci_low"], never["suppressed"]) == (0, None, None, False)
    assert all(cell["share"] is None for cell in never["by"]["size_class"].values())
    routed = published["items"]["routed"]
    assert 0 < routed["n"] < 5
    assert routed["suppressed"] and routed["share"] is None and routed["weighted"] is None
    assert all(cell["suppressed"] for cell in routed["by"]["size_class"].values() if cell["n"] > 0)
    assert routed["trend"][0]["share"] is None and routed["trend"][0]["suppressed"]


def test_every_item_type_is_reported(published: dict[str, Any]) -> None:
    items = published["items"]
    scale = items["satisfaction"]
    assert set(scale["distribution"]) == {"1", "2", "3", "4", "5"}
    assert sum(d["share"] for d in scale["distribution"].values()) == pytest.approx(1.0)
    assert 1 <= scale["ci_low"] <= scale["mean"] <= scale["ci_high"] <= 5
    assert items["fte"]["mean"] > 0
    assert sum(s["share"] for s in items["orientation"]["shares"].values()) == pytest.approx(1.0)
    assert set(items["sources"]["shares"]) == {"brp", "kvk", "woz"}


def test_models_in_the_report(published: dict[str, Any]) -> None:
    fitted, refused = published["models"]
    assert fitted["ok"] and fitted["kind"] == "logistic"
    assert {t["name"] for t in fitted["terms"]} >= {"const", "capacity"}
    assert not refused["ok"] and "too few cases" in refused["message"]


def test_the_report_is_reproducible() -> None:
    first = report(make_waves(), BOOK, 2022)
    second = report(make_waves(), BOOK, 2022)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_an_earlier_wave_reports_without_later_ones() -> None:
    analysis = analyse(make_waves(), BOOK, AnalysisConfig(rule=SuppressionRule(min_cell=3)))
    earlier = build_report(analysis, 2020)
    assert earlier["waves"] == [2016, 2020]
    assert earlier["suppression"] == {"min_cell": 3, "complementary": True}
    assert [p["year"] for p in earlier["items"]["cannabis"]["trend"]] == [2016, 2020]
    jsonschema.Draft202012Validator(load_schema()).validate(earlier)


def test_two_waves_of_one_year_are_refused() -> None:
    wave = make_waves()[0]
    with pytest.raises(ValueError, match="share a year"):
        analyse([wave, wave], BOOK)


def test_without_weighting() -> None:
    result = report(make_waves(), BOOK, 2022, AnalysisConfig(weight_by=None))
    assert result["weighting"] is None
    assert "weighted" not in result["items"]["cannabis"]


def test_the_documented_schema_is_the_shipped_one() -> None:
    """docs/monitor-analysis.md carries the schema verbatim, so the docs cannot drift from the code."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- schema:start -->\s*```json\n(.*?)```\s*<!-- schema:end -->", text, re.S)
    assert match, "the schema block is missing from docs/monitor-analysis.md"
    assert json.loads(match.group(1)) == load_schema()


def test_weighting_needs_its_breakdown() -> None:
    with pytest.raises(ValueError, match="must be one of the breakdowns"):
        AnalysisConfig(breakdowns=("riec_region",))
    assert AnalysisConfig(breakdowns=("riec_region",), weight_by=None).weight_by is None
