# SPDX-License-Identifier: EUPL-1.2
"""Reading a registry export: CSV, Parquet or XLSX, one stream of rows of text.

Every reader yields :class:`Row` values: the 1-based row number in the file (the header is row 1,
so the number is what a spreadsheet shows; for Parquet, which has no header row, the first record
is row 2 likewise) and the row as ``{column: text}``. Cells become text the way a person would
type them (``12``, not ``12.0``; ``1980-02-03``, not a timestamp), so one set of checks serves all
three formats.

A file that cannot be read as a table at all (wrong format, undecodable text, no header) raises
:class:`UnreadableFile` with one clear message; a row whose shape is wrong carries a ``problem``
so that it becomes a row error like any other.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, cast

from django.utils.translation import gettext as _

CSV, PARQUET, XLSX = "csv", "parquet", "xlsx"
EXTENSIONS = {".csv": CSV, ".txt": CSV, ".tsv": CSV, ".parquet": PARQUET, ".pq": PARQUET, ".xlsx": XLSX}
FORMAT_NAMES = {CSV: "CSV", PARQUET: "Parquet", XLSX: "XLSX"}
DELIMITERS = (",", ";", "\t")
_CHUNK = 1 << 20
_FETCH = 10_000
#: Windows-1252 leaves these bytes undefined: a file containing them is not cp1252 text either.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


class UnreadableFile(Exception):
    """The file as a whole cannot be read as a table; ``str(exc)`` says why."""


class Row(NamedTuple):
    number: int
    values: dict[str, str]
    problem: str | None = None


@dataclass
class Table:
    """An open file: its columns, how it was read, and its rows (iterate once)."""

    file_format: str
    columns: list[str]
    rows: Iterator[Row]
    encoding: str | None = None
    delimiter: str | None = None
    #: For a progress bar: how much there is (``None`` if unknown) and how much has been read.
    total: int | None = None
    unit: str = "rows"
    position: Callable[[], int] = field(default=lambda: 0)

    @property
    def description(self) -> str:
        """How the file was read, for the operator: ``CSV, cp1252, ';'``."""
        parts = [FORMAT_NAMES[self.file_format]]
        if self.encoding:
            parts.append(self.encoding)
        if self.delimiter:
            parts.append(repr(self.delimiter))
        return ", ".join(parts)


def detect_format(path: Path) -> str:
    """The format from the file's own first bytes; a name that says otherwise is refused."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableFile(_("Cannot open the file: %s.") % (exc.strerror or exc)) from exc
    if not head:
        raise UnreadableFile(_("The file is empty."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(_("This is an old Excel (.xls) workbook; save it as .xlsx or CSV."))
    if head.startswith(b"PAR1"):
        found = PARQUET
    elif head.startswith(b"PK\x03\x04"):
        found = XLSX
    else:
        found = CSV
    named = EXTENSIONS.get(path.suffix.lower())
    if named is not None and named != found:
        raise UnreadableFile(
            _("The file name says %(named)s, but the file is %(found)s.")
            % {"named": FORMAT_NAMES[named], "found": FORMAT_NAMES[found]}
        )
    return found


def open_table(path: Path, stack: ExitStack) -> Table:
    """Open ``path`` as a table; files and connections are closed when ``stack`` closes."""
    found = detect_format(path)
    if found == PARQUET:
        return _parquet(path, stack)
    if found == XLSX:
        return _xlsx(path, stack)
    return _csv(path, stack)


def clean_header(names: Sequence[Any]) -> list[str]:
    """Column names trimmed and lower-cased; empty or repeated names make the file unreadable."""
    columns = [str(n if n is not None else "").strip().lower() for n in names]
    while columns and not columns[-1]:  # trailing empty header cells: formatting, not columns
        columns.pop()
    if not columns:
        raise UnreadableFile(_("Row 1 must be a header naming the columns; it is empty."))
    for index, name in enumerate(columns, start=1):
        if not name:
            raise UnreadableFile(_("Column %d of the header has no name.") % index)
    repeated = sorted({n for n in columns if columns.count(n) > 1})
    if repeated:
        raise UnreadableFile(_("The header names a column more than once: %s.") % ", ".join(repeated))
    return columns


def _shape(number: int, columns: list[str], cells: Sequence[str], *, pad: bool) -> Row:
    """A row as a dict; a row wider than the header (with text beyond it), or narrower, is a problem."""
    width = len(columns)
    if len(cells) == width:
        return Row(number, dict(zip(columns, cells, strict=True)))
    if len(cells) > width and not any(str(c).strip() for c in cells[width:]):
        return Row(number, dict(zip(columns, cells[:width], strict=True)))
    if len(cells) < width and pad:
        return Row(number, dict(zip(columns, [*cells, *[""] * (width - len(cells))], strict=True)))
    values = dict(zip(columns, cells, strict=False))
    return Row(
        number,
        values,
        _("%(found)d values where the header has %(expected)d columns.") % {"found": len(cells), "expected": width},
    )


# --- CSV --------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every byte is valid UTF-8; else Windows-1252, else refuse.

    The whole file is checked before a row is read, so a file is never read half in one
    encoding and half in another.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        first = handle.read(_CHUNK)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise UnreadableFile(_("The file is UTF-16 text; save it as CSV in UTF-8."))
        if b"\x00" in first:
            raise UnreadableFile(_("This is not a text file."))
        bom = first.startswith(codecs.BOM_UTF8)
        handle.seek(0)
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            handle.seek(0)
            while chunk := handle.read(_CHUNK):
                if not _CP1252_HOLES.isdisjoint(chunk):
                    raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1252 text.")) from None
            return "cp1252"
    return "utf-8-sig" if bom else "utf-8"


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(path: Path, stack: ExitStack) -> Table:
    encoding = detect_encoding(path)
    handle: io.TextIOWrapper = stack.enter_context(path.open(encoding=encoding, newline=""))
    delimiter = _delimiter(handle.readline())
    handle.seek(0)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        columns = clean_header(next(reader, []))
    except csv.Error as exc:
        raise UnreadableFile(_("Row 1 cannot be read: %s.") % exc) from exc

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not cells or not any(cells):  # a blank line, or only delimiters
                    continue
                yield _shape(number, columns, cells, pad=False)
        except csv.Error as exc:
            raise UnreadableFile(
                _("Row %(row)d cannot be read: %(error)s.") % {"row": number + 1, "error": exc}
            ) from exc

    raw = cast(io.BufferedReader, handle.buffer)  # the bytes read so far, for the progress bar
    return Table(
        CSV,
        columns,
        rows(),
        encoding={"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}[encoding],
        delimiter=delimiter,
        total=path.stat().st_size,
        unit="B",
        position=raw.tell,
    )


# --- XLSX and Parquet ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A typed cell as the text a person would type: ``12`` not ``12.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):  # how pandas writes an empty cell of a numeric column
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _xlsx(path: Path, stack: ExitStack) -> Table:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile(_("The workbook cannot be opened: %s.") % exc) from exc
    stack.callback(workbook.close)
    sheet = workbook.worksheets[0]
    # Some programs write a wrong used range; trusting it could silently cut rows off.
    sheet.reset_dimensions()
    cells = sheet.iter_rows(values_only=True)
    columns = clean_header(next(cells, ()))
    read = 1

    def rows() -> Iterator[Row]:
        nonlocal read
        for number, values in enumerate(cells, start=2):
            read = number
            texts = [cell_text(v) for v in values]
            if not any(t.strip() for t in texts):
                continue
            yield _shape(number, columns, texts, pad=True)

    return Table(XLSX, columns, rows(), position=lambda: read)


def _parquet(path: Path, stack: ExitStack) -> Table:
    import duckdb

    connection = duckdb.connect()
    stack.callback(connection.close)
    try:
        total = int(connection.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0])  # type: ignore[index]
        result = connection.execute("SELECT * FROM read_parquet(?)", [str(path)])
    except duckdb.Error as exc:
        raise UnreadableFile(_("The Parquet file cannot be read: %s.") % exc) from exc
    columns = clean_header([d[0] for d in result.description or []])
    read = 1

    def rows() -> Iterator[Row]:
        nonlocal read
        number = 1
        while batch := result.fetchmany(_FETCH):
            for values in batch:
                number += 1
                texts = [cell_text(v) for v in values]
                if any(texts):
                    yield _shape(number, columns, texts, pad=False)
            read = number

    return Table(PARQUET, columns, rows(), total=total + 1, position=lambda: read)
