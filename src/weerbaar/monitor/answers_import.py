# SPDX-License-Identifier: EUPL-1.2
"""``weerbaar monitor import-wave``: answers exported from a survey tool, checked and stored whole.

The file is the answers format of architecture.md: one row per municipality, ``municipality_code``
(CBS code of that year, ``GM0363``) then one column per item id; yes/no as 1/0, scales as integers,
multiple choice as ``a;b``, an empty cell is "not answered". CSV (``,`` or ``;``, UTF-8 with or
without BOM, or Windows-1252) and XLSX are read by the same reader as registry imports.

Every row and every cell is checked against the wave's codebook and the municipal lineage of the
year before anything is written: an unknown municipality code, a duplicate row, an unknown or
unasked column, a value out of range or not among the choices, and an answer that routing says
should not be there (its ``ask_if`` is false) are all errors, and any error refuses the whole
file. The refusal lists row, column and message for each problem.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.monitor import lineage
from weerbaar.monitor.codebook import codebook_by_version, load_spec
from weerbaar.monitor.codebook_schema import (
    ItemSpec,
    Value,
    asked,
    condition_holds,
    condition_items,
    describe,
    parse_value,
)
from weerbaar.monitor.models import Codebook, Response, ResponseSource, ResponseStatus, Wave, WaveState
from weerbaar.sources.reading import Row, UnreadableFile, open_table

CODE_COLUMN = "municipality_code"
#: How many problems a refusal lists; the count covers them all.
MAX_ERRORS = 1000
_CBS_CODE = re.compile(r"^(?:GM)?(\d{1,4})$")


@dataclass(frozen=True)
class CellError:
    """A problem in the file: ``row`` as a spreadsheet numbers it (header = 1; 0 = the file as a whole)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"row {self.row}, {self.column}: {self.message}"


class WaveImportRefused(Exception):
    """The file was refused whole; nothing was stored."""

    def __init__(self, errors: list[CellError], count: int | None = None) -> None:
        self.errors = errors[:MAX_ERRORS]
        self.count = max(count or 0, len(errors))
        super().__init__(f"{self.count} error(s); nothing was imported")


@dataclass(frozen=True)
class WaveImportResult:
    wave: Wave
    wave_created: bool
    responses: int
    complete: int
    replaced: int
    read_as: str
    seconds: float


@dataclass
class _Checked:
    code: str
    answers: dict[str, Value]
    complete: bool


def normalise_code(text: str) -> str | None:
    """``GM0363``, ``gm0363``, ``0363`` and ``363`` (a code a spreadsheet read as a number) → ``GM0363``."""
    match = _CBS_CODE.match(text.strip().upper())
    return f"GM{int(match.group(1)):04d}" if match else None


def _bar(progress: bool, **kwargs: Any) -> Any:
    return tqdm(disable=not progress, file=sys.stderr, dynamic_ncols=True, leave=False, **kwargs)


class _Checker:
    """Checks rows of one file against one codebook and year; collects every error."""

    def __init__(self, items: list[ItemSpec], year: int, valid_codes: set[str], columns: list[str]) -> None:
        self.year = year
        self.valid_codes = valid_codes
        self.by_id = {item.id: item for item in items}
        # The items of this year, in questionnaire order (routing looks back in that order).
        self.asked_items = [item for item in items if year in item.waves]
        self.columns = columns
        self.errors: list[CellError] = []
        self.count = 0
        self.first_row: dict[str, int] = {}
        self.rows: list[_Checked] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(CellError(row, column, message))

    def header(self) -> list[str]:
        """The item columns; header problems are errors of row 1."""
        if CODE_COLUMN not in self.columns:
            self.error(
                1, CODE_COLUMN, f"the file has no {CODE_COLUMN} column (the first column must name the municipality)"
            )
        items = []
        for column in self.columns:
            if column == CODE_COLUMN:
                continue
            item = self.by_id.get(column)
            if item is None:
                self.error(1, column, "unknown column: no item with this id in the codebook")
            elif self.year not in item.waves:
                asked_in = ", ".join(map(str, item.waves))
                self.error(1, column, f"item {column} was not asked in {self.year} (asked in {asked_in})")
            else:
                items.append(column)
        return items

    def row(self, row: Row, item_columns: list[str]) -> None:
        if row.problem is not None:
            self.error(row.number, "row", row.problem)
            return
        raw_code = row.values.get(CODE_COLUMN, "").strip()
        code = normalise_code(raw_code) if raw_code else None
        if not raw_code:
            self.error(row.number, CODE_COLUMN, "empty: every row must name a municipality")
        elif code is None:
            self.error(row.number, CODE_COLUMN, f"{raw_code!r} is not a CBS municipality code (GM + 4 digits)")
        elif code not in self.valid_codes:
            self.error(row.number, CODE_COLUMN, f"{code} is not a municipality on 1 January {self.year}")
            code = None
        else:
            first = self.first_row.setdefault(code, row.number)
            if first != row.number:
                self.error(row.number, CODE_COLUMN, f"{code} appears more than once (also on row {first})")
                code = None
        answers: dict[str, Value] = {}
        unreadable: set[str] = set()
        for column in item_columns:
            text = row.values.get(column, "")
            if not text.strip():
                continue
            try:
                answers[column] = parse_value(self.by_id[column], text)
            except ValueError as exc:
                unreadable.add(column)
                self.error(row.number, column, str(exc))
        ok = not unreadable
        # Routing over the answers that could be read: an answer to a skipped item is an error.
        # (Where routing depends on a cell that could not be read, that cell's error says enough.)
        for item in self.asked_items:
            if unreadable & condition_items(item.ask_if):
                continue
            if item.id in answers and not condition_holds(item.ask_if, answers):
                ok = False
                self.error(
                    row.number,
                    item.id,
                    f"answered, but routing skips this item for this municipality ({describe(item.ask_if)})",
                )
        if code is not None and ok and not self.count:
            self.rows.append(_Checked(code, answers, is_complete(self.asked_items, self.year, answers)))


def is_complete(items: Iterable[ItemSpec], year: int, answers: Mapping[str, Any]) -> bool:
    """Is every item that routing asks this respondent answered?"""
    return all(item.id in answers for item in items if asked(item, year, answers))


def _resolve_codebook(year: int, version: int | None) -> tuple[Wave | None, Codebook]:
    wave = Wave.objects.filter(year=year).select_related("codebook").first()
    if wave is not None:
        if version is not None and wave.codebook.version != version:
            raise WaveImportRefused(
                [
                    CellError(
                        0,
                        "codebook",
                        f"wave {year} uses codebook version {wave.codebook.version}, not {version}",
                    )
                ]
            )
        return wave, wave.codebook
    codebook = codebook_by_version(version)
    if codebook is None:
        message = (
            f"there is no codebook version {version}"
            if version is not None
            else "there is no codebook yet: import one first (weerbaar monitor import-codebook FILE)"
        )
        raise WaveImportRefused([CellError(0, "codebook", message)])
    return None, codebook


def import_wave(
    *,
    acting: Actor,
    year: int,
    path: Path,
    codebook_version: int | None = None,
    replace: bool = False,
    progress: bool = False,
    synthetic: bool = False,
) -> WaveImportResult:
    """Check ``path`` whole against the codebook and the lineage of ``year`` and store its responses,
    or raise :class:`WaveImportRefused` listing every problem (nothing is stored then).

    The wave is created if it does not exist yet (closed, source "import"). A municipality that
    already has a response in this wave is an error unless ``replace`` is set. The caller
    authorises ``acting`` (``monitor:wave:manage``).
    """
    started = time.monotonic()
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise WaveImportRefused([CellError(0, "file", f"cannot open the file: {exc.strerror or exc}")]) from exc
    wave, codebook = _resolve_codebook(year, codebook_version)
    valid_codes = lineage.codes(year)
    if not valid_codes:
        raise WaveImportRefused([CellError(0, "year", f"no municipal lineage for {year}")])
    spec = load_spec(codebook)
    with ExitStack() as stack:
        try:
            table = open_table(path, stack)
        except UnreadableFile as exc:
            raise WaveImportRefused([CellError(0, "file", str(exc))]) from exc
        checker = _Checker(spec.items, year, valid_codes, table.columns)
        item_columns = checker.header()
        with _bar(progress, total=table.total, unit=table.unit, unit_scale=True, desc="checking") as bar:
            for row in table.rows:
                checker.row(row, item_columns)
                bar.update(table.position() - bar.n)
        read_as = table.description
    return _store(
        acting=acting,
        year=year,
        wave=wave,
        codebook=codebook,
        checker=checker,
        replace=replace,
        synthetic=synthetic,
        detail={"file": path.name[:120], "sha256": digest, "read_as": read_as},
        started=started,
        read_as=read_as,
    )


def import_rows(
    *,
    acting: Actor,
    year: int,
    rows: Iterable[Mapping[str, Any]],
    codebook_version: int | None = None,
    replace: bool = False,
    synthetic: bool = False,
) -> WaveImportResult:
    """The same checks and storage for rows already in memory (``{column: text or value}``), e.g.
    the synthetic waves; values are turned into the text a file would hold first."""
    started = time.monotonic()
    wave, codebook = _resolve_codebook(year, codebook_version)
    valid_codes = lineage.codes(year)
    if not valid_codes:
        raise WaveImportRefused([CellError(0, "year", f"no municipal lineage for {year}")])
    materialised = [{str(k).strip().lower(): _cell(v) for k, v in row.items()} for row in rows]
    columns = list(dict.fromkeys(c for row in materialised for c in row))
    checker = _Checker(load_spec(codebook).items, year, valid_codes, columns)
    item_columns = checker.header()
    for number, values in enumerate(materialised, start=2):
        checker.row(Row(number, values), item_columns)
    return _store(
        acting=acting,
        year=year,
        wave=wave,
        codebook=codebook,
        checker=checker,
        replace=replace,
        synthetic=synthetic,
        detail={"file": "(rows)"},
        started=started,
        read_as="rows",
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _store(
    *,
    acting: Actor,
    year: int,
    wave: Wave | None,
    codebook: Codebook,
    checker: _Checker,
    replace: bool,
    synthetic: bool,
    detail: dict[str, Any],
    started: float,
    read_as: str,
) -> WaveImportResult:
    if not checker.count and not checker.rows:
        checker.error(2, "row", "the file has a header but no rows")
    if checker.count:
        raise WaveImportRefused(checker.errors, checker.count)
    codes = [r.code for r in checker.rows]
    with transaction.atomic():
        created = wave is None
        if wave is None:
            wave = Wave.objects.create(
                year=year,
                codebook=codebook,
                state=WaveState.CLOSED,
                source=ResponseSource.IMPORT,
                synthetic=synthetic,
                closed_at=timezone.now(),
            )
        else:
            wave = Wave.objects.select_for_update().get(pk=wave.pk)
        existing = set(
            Response.objects.filter(wave=wave, municipality_code__in=codes).values_list("municipality_code", flat=True)
        )
        if existing and not replace:
            for code in codes:
                if code in existing:
                    checker.error(
                        checker.first_row.get(code, 0),
                        CODE_COLUMN,
                        f"{code} already has a response in wave {year}; use --replace to overwrite it",
                    )
            raise WaveImportRefused(checker.errors, checker.count)
        if existing:
            Response.objects.filter(wave=wave, municipality_code__in=existing).delete()
        now = timezone.now()
        Response.objects.bulk_create(
            [
                Response(
                    wave=wave,
                    municipality_code=r.code,
                    status=ResponseStatus.COMPLETE if r.complete else ResponseStatus.PARTIAL,
                    source=ResponseSource.IMPORT,
                    answers=r.answers,
                    submitted_at=now,
                )
                for r in checker.rows
            ],
            batch_size=500,
        )
        complete = sum(1 for r in checker.rows if r.complete)
        audit(
            acting,
            "monitor.wave.import",
            obj=wave,
            detail={
                **detail,
                "year": year,
                "codebook": codebook.version,
                "responses": len(codes),
                "complete": complete,
                "replaced": len(existing),
                "wave_created": created,
            },
        )
    return WaveImportResult(
        wave=wave,
        wave_created=created,
        responses=len(codes),
        complete=complete,
        replaced=len(existing),
        read_as=read_as,
        seconds=time.monotonic() - started,
    )
