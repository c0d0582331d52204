# SPDX-License-Identifier: EUPL-1.2
"""Loading a snapshot of a source: every row checked first, then all of it or nothing.

Two phases, on purpose:

1. *Check* (no database writes, no transaction): read the file, check and normalise every row,
   encrypt the rows that passed. Any error, and the whole file is refused with every row error
   (the first :data:`MAX_ERRORS` of them, and their number); the current snapshot is untouched.
2. *Write* (one transaction): a new :class:`Snapshot`, its records in bulk (``COPY`` on
   PostgreSQL), the previous snapshot marked replaced (it keeps its load date; its records are
   deleted), one audit row. Checking and encrypting outside the transaction keeps it short, so an
   import of a million rows holds the database's write lock for seconds, not a minute.

After the commit, :data:`weerbaar.sources.events.snapshot_activated` is sent.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.sources.crypto import fernet
from weerbaar.sources.events import snapshot_activated
from weerbaar.sources.formats import ID_COLUMN, FileFormat, format_for
from weerbaar.sources.models import Mode, Snapshot, Source, SourceRecord
from weerbaar.sources.reading import Row, Table, UnreadableFile, open_table
from weerbaar.sources.validation import RowValidator

#: How many row errors a refusal lists; the count covers them all.
MAX_ERRORS = 1000
#: Rows per INSERT batch where COPY is not available.
INSERT_BATCH = 5000
#: Rows checked as one unit of work (and between progress bar updates).
_CHUNK_ROWS = 2000


@dataclass(frozen=True)
class RowError:
    """A problem in one row (``row`` is 1-based, the header is row 1; 0 means the file)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.column}: {self.message}"
        return f"row {self.row}, {self.column}: {self.message}"


class SnapshotRefused(Exception):
    """The file was refused whole; nothing was imported and the current snapshot is unchanged."""

    def __init__(self, errors: list[RowError], count: int | None = None) -> None:
        self.errors = errors[:MAX_ERRORS]
        self.count = max(count or 0, len(errors))
        super().__init__(f"{self.count} error(s); nothing was imported")


class SourceNotImportable(Exception):
    """The source may not be loaded at all (excluded, or switched off)."""


@dataclass(frozen=True)
class ImportResult:
    snapshot: Snapshot
    replaced: Snapshot | None
    rows: int
    seconds: float
    #: How the file was read ("CSV, Windows-1252, ';'"): the operator should see a guessed encoding.
    read_as: str
    #: Columns outside the format, kept unchecked as attributes of each record.
    attributes: list[str] = field(default_factory=list)
    #: Seconds spent reading and checking, and in the write transaction (for the operator and benchmarks).
    check_seconds: float = 0.0
    write_seconds: float = 0.0


def check_owner(acting: Actor, source: Source) -> None:
    """Only the source's own department loads it: a permit officer holding the import permission
    must not replace the BRP. The system (demo, benchmarks, migrations) is not a department."""
    if acting.user is None or source.owner_department_id is None:
        return
    if acting.user.department_id != source.owner_department_id:
        raise SourceNotImportable(
            _("%(source)s belongs to %(owner)s; only that department loads it.")
            % {"source": source.name, "owner": source.owner_department.name if source.owner_department else "?"}
        )


def check_importable(source: Source) -> None:
    if source.mode == Mode.EXCLUDED:
        raise SourceNotImportable(
            _("%s is excluded as a source: its data may not be loaded into Weerbaar.") % source.name
        )
    if not source.active:
        raise SourceNotImportable(_("%s is switched off.") % source.name)


def header_errors(file_format: FileFormat, columns: list[str]) -> list[RowError]:
    """Columns the format needs but the header lacks: one error for the file, naming them all."""
    missing = [name for name in file_format.header_columns if name not in columns]
    errors = []
    if missing:
        errors.append(
            RowError(1, ", ".join(missing), _("Required column missing (columns found: %s).") % ", ".join(columns))
        )
    if file_format.any_of and not any(name in columns for name in file_format.any_of):
        errors.append(
            RowError(1, "header", _("The file needs at least one of the columns %s.") % ", ".join(file_format.any_of))
        )
    return errors


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _bar(progress: bool, **kwargs: Any) -> Any:
    return tqdm(disable=not progress, file=sys.stderr, dynamic_ncols=True, leave=False, **kwargs)


#: What a checked row comes back as: row number, ext_id, encrypted fields (None if not encrypted), problems.
Checked = tuple[int, str, str | None, list[tuple[str, str]]]


def _check_chunk(validator: RowValidator, chunk: list[Row], encrypt: bool = True) -> list[Checked]:
    """Check, normalise and encrypt a run of rows."""
    seal = fernet().encrypt
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out: list[Checked] = []
    for number, values, problem in chunk:
        if problem is not None:
            out.append((number, "", None, [("row", problem)]))
            continue
        data, problems = validator.check(values)
        ext_id = data.pop(ID_COLUMN, "")
        token = seal(dumps(data).encode()).decode() if encrypt and not problems else None
        out.append((number, ext_id, token, problems))
    return out


def _chunks(table: Table, size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in table.rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_rows(table: Table, validator: RowValidator, progress: bool) -> list[tuple[str, str]]:
    """Check every row; return ``(ext_id, encrypted fields)`` per row, or raise SnapshotRefused.

    After a failed row, later rows are still checked (the operator gets every error at once), but
    nothing more is kept: nothing will be stored.
    """
    first_row: dict[str, int] = {}
    prepared: list[tuple[str, str]] = []
    errors: list[RowError] = []
    count = 0
    # Lazily, chunk by chunk, so that encrypting stops as soon as a row has failed.
    results = (_check_chunk(validator, chunk, encrypt=not count) for chunk in _chunks(table, _CHUNK_ROWS))
    with _bar(progress, total=table.total, unit=table.unit, unit_scale=True, desc="checking") as bar:
        for checked in results:
            for number, ext_id, token, problems in checked:
                if ext_id:
                    first = first_row.setdefault(ext_id, number)
                    if first != number:
                        problems.append(
                            (ID_COLUMN, _("Id %(id)s is also on row %(row)d.") % {"id": ext_id, "row": first})
                        )
                if problems:
                    if not count:
                        prepared.clear()  # nothing will be stored: free the memory now
                    count += len(problems)
                    errors.extend(RowError(number, column, message) for column, message in problems)
                    del errors[MAX_ERRORS:]
                elif not count and token is not None:
                    prepared.append((ext_id, token))
            bar.update(table.position() - bar.n)
    if count:
        raise SnapshotRefused(errors, count)
    if not prepared:
        raise SnapshotRefused([RowError(2, "row", _("The file has a header but no rows."))])
    return prepared


def _insert(snapshot_id: int, prepared: list[tuple[str, str]], progress: bool) -> None:
    """Insert the records with the fastest means the database offers, bypassing the ORM.

    The values are already encrypted; going through model instances would cost more than
    the whole check phase. PostgreSQL gets ``COPY`` (the floor the target is measured against),
    other databases batched ``executemany``.
    """
    quote = connection.ops.quote_name
    table = quote(SourceRecord._meta.db_table)
    columns = ", ".join(quote(name) for name in ("snapshot_id", "ext_id", "data"))
    with connection.cursor() as cursor, _bar(progress, total=len(prepared), unit="rows", desc="writing") as bar:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(prepared), INSERT_BATCH):
                    for ext_id, token in prepared[start : start + INSERT_BATCH]:
                        copy.write_row((snapshot_id, ext_id, token))
                    bar.update(min(INSERT_BATCH, len(prepared) - start))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608  # nosec B608: names from the model
        for start in range(0, len(prepared), INSERT_BATCH):
            batch = [(snapshot_id, ext_id, token) for ext_id, token in prepared[start : start + INSERT_BATCH]]
            cursor.executemany(sql, batch)
            bar.update(len(batch))


@contextmanager
def _opened(path: Path) -> Iterator[Table]:
    with ExitStack() as stack:
        try:
            table = open_table(path, stack)
        except UnreadableFile as exc:
            raise SnapshotRefused([RowError(0, "file", str(exc))]) from exc
        yield table


def import_snapshot(*, acting: Actor, source: Source, path: Path, progress: bool = False) -> ImportResult:
    """Load ``path`` as the new current snapshot of ``source``, or refuse it whole.

    The caller authorises ``acting`` (``sources:snapshot:import``; the CLI does so with
    ``authorize``). Raises :class:`SourceNotImportable` for an excluded or inactive source and
    :class:`SnapshotRefused` for a file with any error; in both cases nothing is written.
    """
    started = time.monotonic()
    check_importable(source)
    check_owner(acting, source)
    file_format = format_for(source.kind)
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise SnapshotRefused([RowError(0, "file", _("Cannot open the file: %s.") % (exc.strerror or exc))]) from exc
    with _opened(path) as table:
        problems = header_errors(file_format, table.columns)
        if problems:
            raise SnapshotRefused(problems)
        validator = RowValidator(file_format, table.columns)
        try:
            prepared = _check_rows(table, validator, progress)
        except UnreadableFile as exc:  # a damaged file found halfway
            raise SnapshotRefused([RowError(0, "file", str(exc))]) from exc
    if file_sha256(path) != digest:  # the audit row must name the bytes that were loaded
        raise SnapshotRefused([RowError(0, "file", _("The file changed while it was being read."))])
    checked = time.monotonic()

    with transaction.atomic():
        # Lock the source: two imports of one source run one after the other, and a mode changed
        # to "excluded" meanwhile is seen.
        source = Source.objects.select_for_update().get(pk=source.pk)
        check_importable(source)
        now = timezone.now()
        previous = Snapshot.objects.filter(source=source, is_current=True).first()
        snapshot = Snapshot.objects.create(
            source=source,
            loaded_at=now,
            loaded_by=acting.user,
            origin=acting.origin[:64],
            file_name=path.name[:255],
            file_sha256=digest,
            row_count=len(prepared),
        )
        _insert(snapshot.pk, prepared, progress)
        del prepared
        if previous is not None:
            Snapshot.objects.filter(pk=previous.pk).update(is_current=False, replaced_at=now)
            SourceRecord.objects.filter(snapshot=previous).delete()
            previous.is_current, previous.replaced_at = False, now
        Snapshot.objects.filter(pk=snapshot.pk).update(is_current=True)
        snapshot.is_current = True
        audit(
            acting,
            "sources:snapshot:import",
            obj=snapshot,
            purpose="source snapshot load",
            detail={
                "source": source.slug,
                "rows": snapshot.row_count,
                "file_sha256": digest,
                "replaced_snapshot": previous.pk if previous is not None else None,
            },
        )
        # Callbacks run in order: note the commit time first, so listeners (the matching index
        # rebuild) do not count as import time.
        committed: list[float] = []
        transaction.on_commit(lambda: committed.append(time.monotonic()))
        transaction.on_commit(lambda: snapshot_activated.send(sender=Source, source=source, snapshot=snapshot))
    done = committed[0] if committed else time.monotonic()
    return ImportResult(
        snapshot=snapshot,
        replaced=previous,
        rows=snapshot.row_count,
        seconds=done - started,
        check_seconds=checked - started,
        write_seconds=done - checked,
        read_as=table.description,
        attributes=validator.attributes,
    )
