# SPDX-License-Identifier: EUPL-1.2
"""Reading CSV (either delimiter, BOM, cp1252), XLSX and Parquet into rows of text."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from pathlib import Path

import pytest

from weerbaar.sources.reading import Table, UnreadableFile, cell_text, open_table

HEADER = "id;surname;postcode;city\n"


def read(path: Path) -> tuple[Table, list[tuple[int, dict[str, str], str | None]]]:
    with ExitStack() as stack:
        table = open_table(path, stack)
        return table, [tuple(r) for r in table.rows]  # type: ignore[misc]


def test_csv_with_semicolons_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(("\ufeff" + HEADER + "1;Bijl;1234 AB;Demodam\n2;de Vries;;Proefstad\n").encode())
    table, rows = read(path)
    assert table.columns == ["id", "surname", "postcode", "city"]
    assert (table.delimiter, table.encoding) == (";", "UTF-8 (BOM)")
    assert rows[0] == (2, {"id": "1", "surname": "Bijl", "postcode": "1234 AB", "city": "Demodam"}, None)
    assert rows[1][0] == 3


def test_csv_with_commas_without_bom_quoted_fields_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('ID, Surname ,city\n1,"Berg, van der",Demodam\n\n,,\n2,Çelik,"Den\nHaag"\n3,Jansen,X\n')
    table, rows = read(path)
    assert table.columns == ["id", "surname", "city"] and table.delimiter == ","
    assert table.encoding == "UTF-8"
    assert [r[0] for r in rows] == [2, 5, 6]  # the blank line and the empty row are skipped, but counted
    assert rows[0][1]["surname"] == "Berg, van der" and rows[1][1]["city"] == "Den\nHaag"


def test_cp1252_only_when_the_bytes_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes((HEADER + "1;Çelik;;Zoëterwoude\n").encode("cp1252"))
    table, rows = read(path)
    assert table.encoding == "Windows-1252"
    assert rows[0][1]["surname"] == "Çelik" and rows[0][1]["city"] == "Zoëterwoude"
    assert "Windows-1252" in table.description


def test_bytes_that_are_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(HEADER.encode() + b"1;\x81\x8d;;x\n")
    with pytest.raises(UnreadableFile, match="neither UTF-8 nor Windows-1252"):
        read(path)


def test_a_row_with_too_many_or_too_few_values_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "1;A;1234AB;X;extra\n2;B\n3;C;1234AB;X;;\n")
    _table, rows = read(path)
    assert rows[0][2] == "5 values where the header has 4 columns."
    assert rows[1][2] == "2 values where the header has 4 columns."
    assert rows[2][2] is None  # empty trailing cells are only delimiters


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"id;;city\n1;2;3\n", "Column 2 of the header has no name"),
        (b"id;city;ID\n", "more than once: id"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"PAR1garbage", "The file name says CSV, but the file is Parquet"),
        ("id;surname\n".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.4\n\x00\x01\x02", "not a text file"),
    ],
)
def test_file_level_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read(path)


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "surname", "date_of_birth", "house_number", "kvk_number", None])
    sheet.append([1, "Bijl", dt.datetime(1980, 2, 3), 12.0, "01234567", None])
    sheet.append([None, None, None, None, None, None])
    sheet.append([2, "Jansen", dt.date(1990, 1, 2), 7, 12345678])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table, rows = read(path)
    assert table.columns == ["id", "surname", "date_of_birth", "house_number", "kvk_number"]
    assert table.file_format == "xlsx" and table.encoding is None
    assert rows[0] == (
        2,
        {"id": "1", "surname": "Bijl", "date_of_birth": "1980-02-03", "house_number": "12", "kvk_number": "01234567"},
        None,
    )
    assert rows[1][0] == 4 and rows[1][1]["house_number"] == "7" and rows[1][1]["kvk_number"] == "12345678"


def test_parquet_through_duckdb(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "a.parquet"
    duckdb.sql(
        "SELECT * FROM (VALUES ('P1', 'Bijl', DATE '1980-02-03', 12.0::DOUBLE), "
        "('P2', NULL, NULL, NULL)) t(id, surname, date_of_birth, house_number)"
    ).write_parquet(str(path))
    table, rows = read(path)
    assert table.columns == ["id", "surname", "date_of_birth", "house_number"] and table.total == 3
    assert rows == [
        (2, {"id": "P1", "surname": "Bijl", "date_of_birth": "1980-02-03", "house_number": "12"}, None),
        (3, {"id": "P2", "surname": "", "date_of_birth": "", "house_number": ""}, None),
    ]


def test_a_parquet_file_named_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PAR1....")
    with pytest.raises(UnreadableFile, match="says XLSX, but the file is Parquet"):
        read(path)


def test_a_damaged_parquet_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(UnreadableFile, match="Parquet file cannot be read"):
        read(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12.0, "12"),
        (12.5, "12.5"),
        (float("nan"), ""),
        (dt.datetime(2024, 1, 2, 13, 5), "2024-01-02 13:05:00"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
