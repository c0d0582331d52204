# SPDX-License-Identifier: EUPL-1.2
"""The benchmark sheet: a municipality's own answers beside its size class, its RIEC region and the
country, with the published figures' suppression (fewer than 5 → withheld, and complementary
suppression so a withheld cell cannot be worked out from the others)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.utils import translation

from weerbaar.accounts.authz import Actor
from weerbaar.monitor import benchmark, waves
from weerbaar.monitor.analysis import PublishedTable, recover
from weerbaar.monitor.models import Municipality, Response, ResponseStatus, Wave

from .test_waves import YEAR, open_small_wave

pytestmark = pytest.mark.django_db

AMSTERDAM = "GM0363"


def _codes(size_class: str, count: int, exclude_region: str = "Amsterdam-Amstelland") -> list[str]:
    rows = Municipality.objects.filter(year=YEAR, size_class=size_class).exclude(riec_region=exclude_region)
    return list(rows.order_by("cbs_code").values_list("cbs_code", flat=True)[:count])


@pytest.fixture(autouse=True)
def _no_cached_figures() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def closed(small_codebook: Any, acting: Actor) -> dict[str, list[str]]:
    """A closed wave: 6 large municipalities (Amsterdam and 5 outside its region; 4 say yes to
    cannabis), 6 of 50–100k (3 yes), 3 small ones (1 yes)."""
    opened = open_small_wave(acting)
    groups = {
        "100k_plus": [AMSTERDAM, *_codes("100k_plus", 5)],
        "50k_100k": _codes("50k_100k", 6),
        "under_20k": _codes("under_20k", 3),
    }
    yes = {"100k_plus": 4, "50k_100k": 3, "under_20k": 1}
    for size, codes in groups.items():
        for index, code in enumerate(codes):
            answers: dict[str, Any] = {"cannabis": 1 if index < yes[size] else 0, "fte": 2 + index}
            if code == AMSTERDAM:
                answers.update(
                    {"has_policy": 1, "policy_year": 2015, "orientation": "mixed", "sources": ["brp", "kvk"]}
                )
            Response.objects.create(
                wave=opened.wave, municipality_code=code, status=ResponseStatus.PARTIAL, answers=answers
            )
    waves.close_wave(acting=acting, year=YEAR)
    return groups


def _row(sheet: benchmark.Sheet, item_id: str) -> benchmark.Row:
    return next(r for s in sheet.sections for r in s.rows if r.item_id == item_id)


def test_the_sheet_shows_the_own_answers(closed: dict[str, list[str]]) -> None:
    sheet = benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), AMSTERDAM)
    assert sheet.municipality.name == "Amsterdam" and sheet.municipality.riec_region == "Amsterdam-Amstelland"
    assert (sheet.respondents, sheet.population, sheet.min_cell) == (15, 345, 5)
    assert _row(sheet, "cannabis").own == "yes"
    assert _row(sheet, "fte").own == "2 fte"
    assert _row(sheet, "orientation").own == "Mixed"
    assert _row(sheet, "sources").own == "BRP; KvK"
    assert _row(sheet, "satisfaction").own == "not answered"
    assert [s.theme for s in sheet.sections] == [
        "administrative", "organisational", "cooperation", "prevention", "information", "phenomena",
    ]  # fmt: skip
    with translation.override("nl"):
        assert _row(benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), AMSTERDAM), "orientation").own == "Gemengd"


def test_the_figures_are_those_computed_by_hand(closed: dict[str, list[str]]) -> None:
    row = _row(benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), AMSTERDAM), "cannabis")
    assert row.country.n == 15 and row.country.share == pytest.approx(8 / 15) and row.country.text == "53% yes"
    assert row.size_class.n == 6 and row.size_class.share == pytest.approx(4 / 6) and row.size_class.text == "67% yes"
    fte = _row(benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), AMSTERDAM), "fte")
    # fte 2..7 in the large and middle groups, 2..4 in the small one: mean (27 + 27 + 9) / 15 = 4.2
    assert fte.country.text == "4.2 fte" and fte.size_class.text == "4.5 fte"


def test_a_group_of_fewer_than_five_is_withheld(closed: dict[str, list[str]]) -> None:
    wave = Wave.objects.get(year=YEAR)
    amsterdam = _row(benchmark.benchmark_sheet(wave, AMSTERDAM), "cannabis")
    assert amsterdam.region.suppressed and amsterdam.region.text == benchmark.SUPPRESSED  # 1 respondent
    small = _row(benchmark.benchmark_sheet(wave, closed["under_20k"][0]), "cannabis")
    assert small.size_class.suppressed and small.size_class.share is None
    assert small.country.text == "53% yes"  # the national figure is about 15


def test_complementary_suppression_keeps_a_withheld_group_from_being_worked_out(closed: dict[str, list[str]]) -> None:
    """With the small group withheld, the middle group is withheld too: otherwise the national
    total minus the two published groups would give the small group's figure."""
    wave = Wave.objects.get(year=YEAR)
    middle = _row(benchmark.benchmark_sheet(wave, closed["50k_100k"][0]), "cannabis")
    assert middle.size_class.suppressed and middle.size_class.n == 6
    # What every sheet publishes together (each municipality sees its own group's cell):
    cells = {}
    for size, codes in closed.items():
        cells[size] = _row(benchmark.benchmark_sheet(wave, codes[0]), "cannabis").size_class
    national = _row(benchmark.benchmark_sheet(wave, AMSTERDAM), "cannabis").country
    order = ["under_20k", "50k_100k", "100k_plus"]
    table = PublishedTable.from_shares(
        [np.nan if cells[g].suppressed else cells[g].share for g in order],
        [cells[g].n for g in order],
        national.share,
        national.n,
    )
    assert not recover(table).disclosed  # neither withheld group can be pinned down


def test_the_sheet_uses_the_analysis_packages_suppression(closed: dict[str, list[str]]) -> None:
    wave = Wave.objects.get(year=YEAR)
    figures = benchmark.wave_figures(wave)
    for code in (AMSTERDAM, closed["50k_100k"][1], closed["under_20k"][2]):
        sheet = benchmark.benchmark_sheet(wave, code)
        m = sheet.municipality
        for section in sheet.sections:
            for row in section.rows:
                by = figures["items"][row.item_id]["by"]
                assert row.size_class.suppressed == by["size_class"][m.size_class]["suppressed"]
                assert row.region.suppressed == by["riec_region"][m.riec_region]["suppressed"]


def test_a_municipality_that_did_not_respond_still_gets_the_comparison(closed: dict[str, list[str]]) -> None:
    sheet = benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), "GM0599")  # Rotterdam did not answer
    assert sheet.status == "not_started"
    row = _row(sheet, "cannabis")
    assert row.own == "not answered" and row.country.text == "53% yes"


def test_the_figures_are_cached_until_a_response_changes(closed: dict[str, list[str]]) -> None:
    wave = Wave.objects.get(year=YEAR)
    first = benchmark.wave_figures(wave)
    assert benchmark.wave_figures(wave) is first or benchmark.wave_figures(wave) == first
    response = Response.objects.get(wave=wave, municipality_code=AMSTERDAM)
    response.answers = {**response.answers, "cannabis": 0}
    response.save()
    assert benchmark.wave_figures(wave)["items"]["cannabis"]["share"] == pytest.approx(7 / 15)


def test_choice_items_show_the_share_giving_the_same_answer(closed: dict[str, list[str]]) -> None:
    row = _row(benchmark.benchmark_sheet(Wave.objects.get(year=YEAR), AMSTERDAM), "orientation")
    # Only Amsterdam answered: one respondent nationally, so the national figure is withheld too.
    assert row.country.suppressed and row.country.n == 1


def test_a_sheet_renders_as_a_standalone_document(closed: dict[str, list[str]]) -> None:
    html = benchmark.render_sheet(Wave.objects.get(year=YEAR), AMSTERDAM)
    assert html.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in html[:200]
    assert "Benchmarkblad 2022: Amsterdam" in html and 'data-item="cannabis"' in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # nothing to fetch
    english = benchmark.render_sheet(Wave.objects.get(year=YEAR), AMSTERDAM, language="en")
    assert "Benchmark sheet 2022: Amsterdam" in english and 'lang="en"' in english


def test_a_municipality_cannot_take_itself_out_to_read_its_peers() -> None:
    """Published rule: no cell of fewer than five. On its own sheet a municipality also knows its own
    answer, so a group of five is four others to it, and a group whose others all said yes gives them
    away: both are withheld on that sheet (reviewed finding; the public figures are unchanged)."""
    from types import SimpleNamespace

    from weerbaar.monitor.benchmark import _cell

    yes_no = SimpleNamespace(type="yes_no", unit="")
    five = {"n": 5, "share": 0.8, "suppressed": False}
    assert _cell(yes_no, five, 0, national=False).suppressed  # four others
    assert not _cell(yes_no, five, None, national=False).suppressed  # not answered: nothing to subtract
    six_others_all_yes = {"n": 6, "share": 5 / 6, "suppressed": False}
    assert _cell(yes_no, six_others_all_yes, 0, national=False).suppressed  # the other five all said yes
    mixed = {"n": 6, "share": 4 / 6, "suppressed": False}
    assert not _cell(yes_no, mixed, 0, national=False).suppressed  # others: 4 yes, 1 no
