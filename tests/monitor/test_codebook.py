# SPDX-License-Identifier: EUPL-1.2
"""The codebook: its format and validation (every error names item and key), the versioned,
all-or-nothing import, the shipped codebook, and routing."""

from __future__ import annotations

import argparse
import copy
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor.cli import register
from weerbaar.monitor.codebook import import_codebook, load_spec, shipped_codebook_path
from weerbaar.monitor.codebook_schema import (
    THEMES,
    CodebookInvalid,
    ItemSpec,
    condition_holds,
    describe,
    parse_codebook,
    parse_value,
    routing_errors,
)
from weerbaar.monitor.models import Codebook, Item

from .conftest import SMALL_CODEBOOK


def _doc() -> dict[str, Any]:
    return yaml.safe_load(SMALL_CODEBOOK)


def _errors(doc: Any) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(CodebookInvalid) as caught:
        parse_codebook(yaml.safe_dump(doc, allow_unicode=True))
    return [(e.item, e.key, e.message) for e in caught.value.errors]


def _item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in doc["items"] if i["id"] == item_id)


def test_the_small_codebook_is_valid() -> None:
    spec = parse_codebook(SMALL_CODEBOOK)
    assert [i.id for i in spec.items][:2] == ["has_policy", "policy_year"]
    assert spec.by_id()["satisfaction"].scale_max == 5
    assert spec.by_id()["fte"].number_min == 0 and spec.by_id()["fte"].unit == "fte"


# Each case: how to break the small codebook, and the (item, key) the error must name.
BREAKAGES = [
    ("unknown theme", lambda d: _item(d, "fte").update(theme="weather"), ("fte", "theme")),
    ("bad type", lambda d: _item(d, "fte").update(type="float"), ("fte", "type")),
    (
        "scale min ≥ max",
        lambda d: _item(d, "satisfaction").update(scale={"min": 5, "max": 1}),
        ("satisfaction", "scale"),
    ),
    (
        "scale min = max",
        lambda d: _item(d, "satisfaction").update(scale={"min": 3, "max": 3}),
        ("satisfaction", "scale"),
    ),
    ("scale missing", lambda d: _item(d, "satisfaction").pop("scale"), ("satisfaction", "scale")),
    ("choices missing", lambda d: _item(d, "orientation").pop("choices"), ("orientation", "choices")),
    ("multi choices missing", lambda d: _item(d, "sources").update(choices=[]), ("sources", "choices")),
    (
        "choice code twice",
        lambda d: _item(d, "orientation")["choices"].append({"code": "case", "label_nl": "x", "label_en": "x"}),
        ("orientation", "choices"),
    ),
    ("choices on yes/no", lambda d: _item(d, "has_policy").update(choices=[{"code": "a"}]), ("has_policy", "choices")),
    ("duplicate id", lambda d: d["items"].append(copy.deepcopy(_item(d, "fte"))), ("fte", "id")),
    (
        "previous_id unknown",
        lambda d: _item(d, "satisfaction").update(previous_id="satisfaction_old"),
        ("satisfaction", "previous_id"),
    ),
    (
        "previous_id not earlier",
        lambda d: _item(d, "satisfaction").update(previous_id="fte"),
        ("satisfaction", "previous_id"),
    ),
    (
        "ask_if unknown item",
        lambda d: _item(d, "policy_year").update(ask_if={"item": "nope", "equals": 1}),
        ("policy_year", "ask_if"),
    ),
    (
        "ask_if later item",
        lambda d: _item(d, "has_policy").update(ask_if={"item": "fte", "min": 1}),
        ("has_policy", "ask_if"),
    ),
    (
        "ask_if impossible value",
        lambda d: _item(d, "policy_year").update(ask_if={"item": "has_policy", "equals": 7}),
        ("policy_year", "ask_if"),
    ),
    (
        "ask_if bad code",
        lambda d: _item(d, "woz_ok").update(ask_if={"item": "sources", "includes": "bag"}),
        ("woz_ok", "ask_if"),
    ),
    (
        "ask_if item not asked that year",
        lambda d: _item(d, "cannabis").update(ask_if={"item": "has_policy", "equals": 1}),
        ("cannabis", "ask_if"),
    ),
    ("unknown key", lambda d: _item(d, "fte").update(lable_nl="typo"), ("fte", "lable_nl")),
    ("label missing", lambda d: _item(d, "fte").pop("label_en"), ("fte", "label_en")),
    ("waves empty", lambda d: _item(d, "fte").update(waves=[]), ("fte", "waves")),
    ("number bounds reversed", lambda d: _item(d, "fte").update(min=10, max=1), ("fte", "max")),
    ("min on a scale", lambda d: _item(d, "satisfaction").update(min=0), ("satisfaction", "min")),
    ("id with capitals", lambda d: _item(d, "fte").update(id="FTE"), ("#3", "id")),
]


@pytest.mark.parametrize(("what", "breaks", "where"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_every_error_names_the_item_and_the_key(what: str, breaks: Any, where: tuple[str, str]) -> None:
    doc = _doc()
    breaks(doc)
    errors = _errors(doc)
    assert where in [(item, key) for item, key, _ in errors], errors
    text = str(next(e for e in _exceptions(doc) if (e.item, e.key) == where))
    assert f"item {where[0]}" in text and f"key '{where[1]}'" in text


def _exceptions(doc: Any) -> list[Any]:
    with pytest.raises(CodebookInvalid) as caught:
        parse_codebook(yaml.safe_dump(doc, allow_unicode=True))
    return caught.value.errors


def test_all_errors_are_reported_at_once() -> None:
    doc = _doc()
    _item(doc, "fte")["theme"] = "weather"
    _item(doc, "satisfaction")["scale"] = {"min": 5, "max": 1}
    _item(doc, "orientation").pop("choices")
    assert len(_errors(doc)) == 3


def test_a_reference_to_a_broken_item_is_not_reported_as_unknown() -> None:
    doc = _doc()
    _item(doc, "has_policy")["theme"] = "weather"
    assert [(i, k) for i, k, _ in _errors(doc)] == [("has_policy", "theme")]


def test_not_yaml_or_no_items() -> None:
    with pytest.raises(CodebookInvalid, match="1 error") as caught:
        parse_codebook("items: [unclosed")
    assert "not valid YAML" in str(caught.value.errors[0])
    with pytest.raises(CodebookInvalid):
        parse_codebook("title: nothing")
    with pytest.raises(CodebookInvalid) as caught:
        parse_codebook("items: []\nextra: 1\n")
    assert caught.value.errors[0].key == "extra"


def test_a_bare_list_of_items_is_a_codebook_too() -> None:
    assert len(parse_codebook(yaml.safe_dump(_doc()["items"])).items) == 8


# --- the shipped codebook ----------------------------------------------------------------------


def test_the_shipped_codebook_is_valid_and_full() -> None:
    spec = parse_codebook(shipped_codebook_path().read_bytes())
    assert 150 <= len(spec.items) <= 250
    assert set(Counter(i.theme for i in spec.items)) == set(THEMES)
    assert {i.type for i in spec.items} == {"yes_no", "scale", "number", "choice", "multi_choice"}
    assert all(i.label_nl and i.label_en and i.label_nl != i.label_en for i in spec.items)
    assert sum(1 for i in spec.items if i.previous_id) >= 5
    assert sum(1 for i in spec.items if i.ask_if) >= 30
    for year in (2009, 2012, 2016, 2022):
        assert sum(1 for i in spec.items if year in i.waves) >= 40
    assert any(min(i.waves) == 2016 for i in spec.items) and any(min(i.waves) == 2022 for i in spec.items)


def test_the_shipped_codebook_holds_what_the_monitor_reports() -> None:
    by_id = parse_codebook(shipped_codebook_path().read_bytes()).by_id()
    published = [
        "cannabis",
        "laundering",
        "families",
        "synthetic",
        "trafficking",
        "care_fraud",
        "violence",
        "gangs",
        "environment",
    ]
    for name in published:
        assert by_id[f"ph_{name}"].type == "yes_no" and 2022 in by_id[f"ph_{name}"].waves
    assert by_id["or_fte_total"].type == "number" and by_id["or_fte_total"].unit == "fte"
    assert by_id["co_riec_satisfaction"].scale_max == 5
    for key in (
        "or_expertise_risk",
        "or_expertise_bibob",
        "or_expertise_enforcement",
        "in_13b_used",
        "in_174a_used",
        "in_bibob_used",
        "if_position",
        "pr_orientation",
    ):
        assert key in by_id


# --- values and routing --------------------------------------------------------------------------


def _spec_item(item_id: str) -> ItemSpec:
    return parse_codebook(SMALL_CODEBOOK).by_id()[item_id]


@pytest.mark.parametrize(
    ("item_id", "raw", "value"),
    [
        ("has_policy", "1", 1),
        ("has_policy", "0", 0),
        ("has_policy", "ja", 1),
        ("satisfaction", "4", 4),
        ("fte", "2,5", 2.5),
        ("fte", "3", 3),
        ("orientation", "Mixed", "mixed"),
        ("sources", "woz; brp", ["brp", "woz"]),
    ],
)
def test_cells_are_read_in_canonical_form(item_id: str, raw: str, value: Any) -> None:
    assert parse_value(_spec_item(item_id), raw) == value


@pytest.mark.parametrize(
    ("item_id", "raw", "message"),
    [
        ("has_policy", "2", "1 (yes) or 0 (no)"),
        ("satisfaction", "6", "outside the scale 1–5"),
        ("satisfaction", "3.5", "whole number"),
        ("fte", "-1", "below the minimum 0"),
        ("fte", "veel", "is not a number"),
        ("orientation", "other", "not one of the choices"),
        ("sources", "brp;bag", "'bag' is not one of the choices"),
        ("sources", "brp;brp", "named twice"),
        ("policy_year", "1999", "below the minimum 2000"),
    ],
)
def test_bad_cells_say_why(item_id: str, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_value(_spec_item(item_id), raw)


def test_routing_conditions() -> None:
    assert condition_holds(None, {})
    assert condition_holds({"item": "a", "equals": 1}, {"a": 1})
    assert not condition_holds({"item": "a", "equals": 1}, {"a": 0})
    assert not condition_holds({"item": "a", "equals": 1}, {})  # unanswered → not asked
    assert condition_holds({"item": "s", "includes": "woz"}, {"s": ["brp", "woz"]})
    assert condition_holds({"item": "n", "min": 1, "max": 3}, {"n": 2.5})
    assert not condition_holds({"item": "n", "min": 1}, {"n": 0.5})
    assert condition_holds({"item": "c", "in": ["x", "y"]}, {"c": "y"})
    assert condition_holds({"any": [{"item": "a", "equals": 1}, {"item": "b", "equals": 1}]}, {"b": 1})
    assert not condition_holds({"all": [{"item": "a", "equals": 1}, {"item": "b", "equals": 1}]}, {"b": 1})
    assert describe({"item": "a", "equals": 1}) == "asked if a = 1"


def test_routing_errors_name_the_skipped_item() -> None:
    items = parse_codebook(SMALL_CODEBOOK).items
    assert routing_errors(items, 2022, {"has_policy": 0, "policy_year": 2010})[0][0] == "policy_year"
    assert routing_errors(items, 2016, {"satisfaction": 3})[0][1] == "satisfaction was not asked in 2016"
    assert routing_errors(items, 2022, {"has_policy": 1, "policy_year": 2010}) == []


# --- import: versioned, all or nothing ---------------------------------------------------------


@pytest.mark.django_db
def test_import_makes_a_version_with_its_items(acting: Actor) -> None:
    result = import_codebook(acting=acting, content=SMALL_CODEBOOK.encode(), name="small.yaml")
    assert result.created and result.codebook.version == 1 and result.items == 8
    item = Item.objects.get(codebook=result.codebook, item_id="policy_year")
    assert item.ask_if == {"item": "has_policy", "equals": 1} and item.number_min == 2000
    assert result.codebook.source_text == SMALL_CODEBOOK
    assert AuditEvent.objects.filter(action="monitor.codebook.import", object_id=str(result.codebook.pk)).exists()
    spec = load_spec(result.codebook)
    assert [i.id for i in spec.items] == [i.id for i in parse_codebook(SMALL_CODEBOOK).items]
    assert spec.by_id()["sources"].choice_codes() == ["brp", "kvk", "woz"]


@pytest.mark.django_db
def test_identical_file_is_recognised_and_a_changed_one_is_a_new_version(acting: Actor) -> None:
    first = import_codebook(acting=acting, content=SMALL_CODEBOOK.encode())
    again = import_codebook(acting=acting, content=SMALL_CODEBOOK.encode())
    assert not again.created and again.codebook.pk == first.codebook.pk
    changed = import_codebook(acting=acting, content=(SMALL_CODEBOOK + "\n# reworded\n").encode())
    assert changed.created and changed.codebook.version == 2
    assert Codebook.objects.count() == 2 and Item.objects.count() == 16


@pytest.mark.django_db
def test_an_invalid_file_stores_nothing(acting: Actor) -> None:
    import_codebook(acting=acting, content=SMALL_CODEBOOK.encode())
    doc = _doc()
    _item(doc, "cannabis")["type"] = "boolean"
    before = (Codebook.objects.count(), Item.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CodebookInvalid):
        import_codebook(acting=acting, content=yaml.safe_dump(doc).encode())
    assert (Codebook.objects.count(), Item.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_shipped_codebook_imports(acting: Actor) -> None:
    result = import_codebook(acting=acting, content=shipped_codebook_path().read_bytes())
    assert result.items == Item.objects.filter(codebook=result.codebook).count() >= 150


# --- the command line ------------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"), setup=lambda: None, origin=lambda: "cli:test")
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.mark.django_db
def test_cli_import_codebook(tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "codebook.yaml"
    good.write_text(SMALL_CODEBOOK, encoding="utf-8")
    assert _run(["monitor", "import-codebook", str(good)]) == 0
    assert "version 1: 8 items" in capsys.readouterr().out
    assert _run(["monitor", "import-codebook", str(good)]) == 0
    assert "identical to codebook version 1" in capsys.readouterr().out
    doc = _doc()
    _item(doc, "satisfaction")["scale"] = {"min": 5, "max": 1}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert _run(["monitor", "import-codebook", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "item satisfaction, key 'scale': min 5 must be below max 1" in err and "nothing was stored" in err
    assert _run(["monitor", "import-codebook", str(tmp_path / "missing.yaml")]) == 2
    assert _run(["monitor", "import-codebook", str(good), "--user", "nobody"]) == 2
    assert Codebook.objects.count() == 1
