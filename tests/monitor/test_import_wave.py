# SPDX-License-Identifier: EUPL-1.2
"""import-wave: answers from a survey tool, checked per row and per cell, stored all or nothing."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor.answers_import import WaveImportRefused, import_rows, import_wave, normalise_code
from weerbaar.monitor.cli import register
from weerbaar.monitor.codebook import import_codebook
from weerbaar.monitor.models import Response, ResponseSource, ResponseStatus, Wave, WaveState

from .conftest import SMALL_CODEBOOK

pytestmark = pytest.mark.django_db

HEADER = [
    "municipality_code",
    "has_policy",
    "policy_year",
    "fte",
    "satisfaction",
    "orientation",
    "sources",
    "woz_ok",
    "cannabis",
]
GOOD = [
    ["GM0363", "1", "2015", "12,5", "4", "mixed", "brp;woz", "1", "1"],  # complete
    ["GM0599", "0", "", "8", "3", "case", "brp", "", "1"],  # complete: routing skips policy_year and woz_ok
    ["GM0457", "1", "", "", "", "", "", "", "0"],  # partial (Weesp still exists in 2022)
]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, sep: str = ",", bom: bool = False) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8"))
    return path


def _xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _refusal(acting: Actor, year: int, path: Path, **kwargs: Any) -> list[tuple[int, str, str]]:
    with pytest.raises(WaveImportRefused) as caught:
        import_wave(acting=acting, year=year, path=path, **kwargs)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_a_good_csv_is_stored(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    result = import_wave(acting=acting, year=2022, path=_csv(tmp_path / "w.csv", GOOD))
    assert (result.responses, result.complete, result.replaced, result.wave_created) == (3, 2, 0, True)
    wave = Wave.objects.get(year=2022)
    assert (wave.state, wave.source, wave.codebook_id, wave.synthetic) == (
        WaveState.CLOSED,
        ResponseSource.IMPORT,
        small_codebook.pk,
        False,
    )
    amsterdam = Response.objects.get(wave=wave, municipality_code="GM0363")
    assert amsterdam.answers == {
        "has_policy": 1,
        "policy_year": 2015,
        "fte": 12.5,
        "satisfaction": 4,
        "orientation": "mixed",
        "sources": ["brp", "woz"],
        "woz_ok": 1,
        "cannabis": 1,
    }
    assert amsterdam.status == ResponseStatus.COMPLETE and amsterdam.source == ResponseSource.IMPORT
    assert Response.objects.get(wave=wave, municipality_code="GM0599").status == ResponseStatus.COMPLETE
    assert Response.objects.get(wave=wave, municipality_code="GM0457").status == ResponseStatus.PARTIAL
    event = AuditEvent.objects.get(action="monitor.wave.import")
    assert event.detail["responses"] == 3 and len(event.detail["sha256"]) == 64


def test_semicolons_and_a_bom_and_digits_only_codes(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [["363", *GOOD[0][1:]], ["gm0599", *GOOD[1][1:]]]
    result = import_wave(acting=acting, year=2022, path=_csv(tmp_path / "w.csv", rows, sep=";", bom=True))
    assert result.responses == 2 and "';'" in result.read_as and "BOM" in result.read_as
    assert set(Response.objects.values_list("municipality_code", flat=True)) == {"GM0363", "GM0599"}


def test_an_xlsx_with_typed_cells(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [["GM0363", 1, 2015, 12.5, 4, "mixed", "brp;woz", 1, 1], ["GM0599", 0, None, 8, 3, "case", "brp", None, 0]]
    result = import_wave(acting=acting, year=2022, path=_xlsx(tmp_path / "w.xlsx", rows))
    assert result.responses == 2 and result.read_as == "XLSX"
    assert Response.objects.get(municipality_code="GM0363").answers["fte"] == 12.5


def test_an_xlsx_with_errors_is_refused_whole(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [["GM0363", 1, 2015, 12.5, 4, "mixed", "brp", None, 1], ["GM0599", 3, None, 8, 3, "case", "brp", None, 0]]
    assert _refusal(acting, 2022, _xlsx(tmp_path / "w.xlsx", rows)) == [
        (3, "has_policy", "'3' is not a yes/no answer: expected 1 (yes) or 0 (no)")
    ]
    assert not Response.objects.exists() and not Wave.objects.exists()


# Each bad cell, alone in an otherwise good file: (column, bad text, expected message part).
BAD_CELLS = [
    ("has_policy", "2", "not a yes/no answer"),
    ("policy_year", "1999", "below the minimum 2000"),
    ("fte", "-3", "below the minimum 0"),
    ("fte", "twelve", "is not a number"),
    ("satisfaction", "6", "outside the scale 1–5"),
    ("satisfaction", "4.5", "not a whole number"),
    ("orientation", "both", "not one of the choices"),
    ("sources", "brp;bag", "'bag' is not one of the choices"),
    ("woz_ok", "maybe", "not a yes/no answer"),
]


@pytest.mark.parametrize(("column", "text", "message"), BAD_CELLS)
def test_every_kind_of_bad_cell(
    small_codebook: Any, acting: Actor, tmp_path: Path, column: str, text: str, message: str
) -> None:
    rows = [list(r) for r in GOOD]
    rows[0][HEADER.index(column)] = text
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", rows))
    assert len(errors) == 1 and errors[0][:2] == (2, column) and message in errors[0][2], errors
    assert not Response.objects.exists() and not Wave.objects.exists()


def test_unknown_and_duplicate_municipalities(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [
        GOOD[0],
        ["GM9999", *GOOD[1][1:]],
        ["GM1992", *GOOD[1][1:]],  # Voorne aan Zee: exists from 2023
        ["GM0363", *GOOD[1][1:]],
        ["", *GOOD[1][1:]],
        ["Amsterdam", *GOOD[1][1:]],
    ]
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", rows))
    assert errors == [
        (3, "municipality_code", "GM9999 is not a municipality on 1 January 2022"),
        (4, "municipality_code", "GM1992 is not a municipality on 1 January 2022"),
        (5, "municipality_code", "GM0363 appears more than once (also on row 2)"),
        (6, "municipality_code", "empty: every row must name a municipality"),
        (7, "municipality_code", "'Amsterdam' is not a CBS municipality code (GM + 4 digits)"),
    ]


def test_codes_are_those_of_the_wave_year(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    """A 2016 wave knows Haren (merged into Groningen in 2019) and not Het Hogeland (2019)."""
    header = ["municipality_code", "has_policy", "cannabis"]
    ok = import_wave(acting=acting, year=2016, path=_csv(tmp_path / "a.csv", [["GM0017", "1", "0"]], header=header))
    assert ok.responses == 1
    errors = _refusal(acting, 2016, _csv(tmp_path / "b.csv", [["GM1966", "1", "0"]], header=header))
    assert errors == [(2, "municipality_code", "GM1966 is not a municipality on 1 January 2016")]


def test_unknown_column_and_item_not_asked_that_year(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    header = ["municipality_code", "has_policy", "colour", "satisfaction"]
    errors = _refusal(acting, 2016, _csv(tmp_path / "w.csv", [["GM0363", "1", "red", "3"]], header=header))
    assert errors == [
        (1, "colour", "unknown column: no item with this id in the codebook"),
        (1, "satisfaction", "item satisfaction was not asked in 2016 (asked in 2022)"),
    ]


def test_no_code_column(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", [["1"]], header=["has_policy"]))
    assert errors[0][:2] == (1, "municipality_code")


def test_routing_violations_are_errors(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [
        ["GM0363", "0", "2015", "", "", "", "", "", ""],  # policy_year while has_policy = 0
        ["GM0599", "", "2015", "", "", "", "", "", ""],  # policy_year while has_policy is unanswered
        ["GM0014", "1", "", "", "", "", "brp", "1", ""],  # woz_ok while sources lacks woz
    ]
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", rows))
    assert [(r, c) for r, c, _ in errors] == [(2, "policy_year"), (3, "policy_year"), (4, "woz_ok")]
    assert "routing skips this item" in errors[0][2] and "asked if has_policy = 1" in errors[0][2]
    assert "asked if sources includes woz" in errors[2][2]


def test_all_or_nothing_with_many_errors(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    rows = [*GOOD, ["GM0014", "x", "", "", "9", "", "", "", ""]]
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", rows))
    assert [(r, c) for r, c, _ in errors] == [(5, "has_policy"), (5, "satisfaction")]
    assert not Response.objects.exists() and not Wave.objects.exists()
    assert not AuditEvent.objects.filter(action="monitor.wave.import").exists()


def test_existing_response_needs_replace(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    import_wave(acting=acting, year=2022, path=_csv(tmp_path / "a.csv", GOOD[:2]))
    again = [["GM0363", "0", "", "1", "2", "case", "kvk", "", "0"], GOOD[2]]
    errors = _refusal(acting, 2022, _csv(tmp_path / "b.csv", again))
    assert errors == [
        (2, "municipality_code", "GM0363 already has a response in wave 2022; use --replace to overwrite it")
    ]
    assert Response.objects.count() == 2  # Weesp's row was not stored either
    result = import_wave(acting=acting, year=2022, path=_csv(tmp_path / "b.csv", again), replace=True)
    assert (result.responses, result.replaced, result.wave_created) == (2, 1, False)
    assert Response.objects.count() == 3
    assert Response.objects.get(municipality_code="GM0363").answers["sources"] == ["kvk"]


def test_codebook_version(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    import_codebook(acting=acting, content=(SMALL_CODEBOOK + "# v2\n").encode())
    path = _csv(tmp_path / "w.csv", GOOD)
    assert _refusal(acting, 2022, path, codebook_version=7)[0] == (0, "codebook", "there is no codebook version 7")
    result = import_wave(acting=acting, year=2022, path=path, codebook_version=1)
    assert result.wave.codebook.version == 1
    errors = _refusal(acting, 2022, path, codebook_version=2, replace=True)
    assert errors == [(0, "codebook", "wave 2022 uses codebook version 1, not 2")]


def test_no_codebook_yet(db: Any, acting: Actor, tmp_path: Path) -> None:
    errors = _refusal(acting, 2022, _csv(tmp_path / "w.csv", GOOD))
    assert "import one first" in errors[0][2]


def test_unreadable_files(small_codebook: Any, acting: Actor, tmp_path: Path) -> None:
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    assert _refusal(acting, 2022, empty)[0][1] == "file"
    header_only = _csv(tmp_path / "h.csv", [])
    assert _refusal(acting, 2022, header_only) == [(2, "row", "the file has a header but no rows")]
    ragged = tmp_path / "r.csv"
    ragged.write_text("municipality_code,has_policy\nGM0363,1,1,1\n", encoding="utf-8")
    assert _refusal(acting, 2022, ragged)[0][:2] == (2, "row")


def test_rows_in_memory_take_the_same_path(small_codebook: Any, acting: Actor) -> None:
    rows = [{"municipality_code": "GM0363", "has_policy": True, "sources": ["brp", "woz"], "woz_ok": 1, "fte": 2.0}]
    result = import_rows(acting=acting, year=2022, rows=rows, synthetic=True)
    assert result.responses == 1 and result.wave.synthetic
    assert Response.objects.get().answers == {"has_policy": 1, "sources": ["brp", "woz"], "woz_ok": 1, "fte": 2}
    with pytest.raises(WaveImportRefused):
        import_rows(acting=acting, year=2022, rows=[{"municipality_code": "GM0014", "satisfaction": 0}])


def test_normalise_code() -> None:
    assert normalise_code("GM0363") == normalise_code("363") == normalise_code(" gm0363 ") == "GM0363"
    assert normalise_code("GM03631") is None and normalise_code("Amsterdam") is None


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"), setup=lambda: None, origin=lambda: "cli:test")
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_cli_import_wave(small_codebook: Any, tmp_path: Path, capsys: Any) -> None:
    good = _csv(tmp_path / "good.csv", GOOD)
    assert _run(["monitor", "import-wave", "2022", str(good), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Imported 3 responses into wave 2022 (wave created, closed): 2 complete, 1 partial" in out
    assert _run(["monitor", "import-wave", "2022", str(good)]) == 1
    err = capsys.readouterr().err
    assert "Refused: 3 error(s)" in err and "row 2, municipality_code: GM0363 already has a response" in err
    assert _run(["monitor", "import-wave", "2022", str(good), "--replace", "--progress"]) == 0
    assert "Replaced 3 earlier response(s)." in capsys.readouterr().out
    assert _run(["monitor", "import-wave", "2022", str(tmp_path / "nope.csv")]) == 2
    assert _run(["monitor", "municipalities", "2022"]) == 0
    assert "345 municipalities on 1 January 2022" in capsys.readouterr().out


def test_a_wave_beyond_the_lineage_takes_the_latest_municipalities() -> None:
    """A 2026 wave (the list ends in 2024) accepts today's codes, as opening a wave does."""
    from weerbaar.monitor import lineage

    assert lineage.codes(2026) == lineage.codes(2024) and "GM0363" in lineage.codes(2026)
    assert lineage.codes(2008) == set()
