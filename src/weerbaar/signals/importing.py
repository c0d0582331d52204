# SPDX-License-Identifier: EUPL-1.2
"""CSV batch intake from a department's export: validated per row, all or nothing.

Format (UTF-8, comma-separated, header row), documented in docs/file-formats.md:
``signal_ref, received_on, description, phenomena, location_area, location_address`` then one
subject per row: ``subject_kind`` and the subject fields of architecture.md. Rows sharing a
``signal_ref`` form one signal with several subjects; its signal fields come from its first row.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit, audit_batch
from weerbaar.signals.models import Channel
from weerbaar.signals.services import SignalInput, signal_create, validate_signal_input
from weerbaar.signals.subjects import FIELDS, parse_date

SIGNAL_COLUMNS = ("signal_ref", "received_on", "description", "phenomena", "location_area", "location_address")
SUBJECT_COLUMNS = tuple(sorted({f for fields in FIELDS.values() for f in fields}))
REQUIRED = ("signal_ref", "received_on", "description", "phenomena", "subject_kind")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class ImportRefused(Exception):
    """The file was refused whole; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported")


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if hasattr(error, "error_dict"):
        for key, value in error.message_dict.items():
            for message in value:
                out.append((key, message))
    else:
        out.extend(("row", m) for m in error.messages)
    return out


def _locate(first_row: int, subject_rows: list[int], column: str, message: str) -> RowError:
    """Put an error on the row it comes from: ``subjects[2].postcode`` is the third subject's row."""
    if column.startswith("subjects[") and "]" in column:
        index = int(column[9 : column.index("]")])
        field = column.split("].", 1)[1] if "]." in column else "subject_kind"
        if index < len(subject_rows):
            return RowError(subject_rows[index], field, message)
    return RowError(first_row, column, message)


def signals_import_csv(*, acting: Actor, content: bytes, department: str | None = None) -> list[int]:
    """Import a department's CSV export; returns the new signal ids or raises ImportRefused."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused([RowError(0, "file", "not UTF-8 text")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in (*SIGNAL_COLUMNS, "subject_kind", *SUBJECT_COLUMNS)]
    if missing or unknown:
        raise ImportRefused(
            [RowError(1, c, "required column missing") for c in missing]
            + [RowError(1, c, "unknown column") for c in unknown]
        )

    # Per signal: its first row, its input, and the row each of its subjects came from.
    groups: dict[str, tuple[int, SignalInput, list[int]]] = {}
    errors: list[RowError] = []
    for number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        ref = row["signal_ref"]
        if not ref:
            errors.append(RowError(number, "signal_ref", "required"))
            continue
        subject = {
            "kind": row.get("subject_kind", ""),
            "data": {k: row[k] for k in FIELDS.get(row.get("subject_kind", ""), ()) if row.get(k)},
        }
        stray = [k for k in SUBJECT_COLUMNS if row.get(k) and k not in FIELDS.get(row.get("subject_kind", ""), ())]
        for column in stray:
            errors.append(RowError(number, column, f"not a field of a {row.get('subject_kind') or '?'} subject"))
        if ref in groups:
            groups[ref][1].subjects.append(subject)
            groups[ref][2].append(number)
            continue
        try:
            received = parse_date(row["received_on"])
        except ValueError:
            errors.append(RowError(number, "received_on", "not a date (use YYYY-MM-DD)"))
            continue
        groups[ref] = (
            number,
            SignalInput(
                channel=Channel.DEPARTMENT,
                received_on=received,
                description=row["description"],
                phenomena=[p.strip() for p in row["phenomena"].split(";") if p.strip()],
                subjects=[subject],
                location_area=row.get("location_area", ""),
                location_address=row.get("location_address", ""),
                reporting_department=department,
            ),
            [number],
        )
    for number, data, subject_rows in groups.values():
        try:
            validate_signal_input(acting, data)
        except ValidationError as exc:
            for column, message in _messages(exc):
                errors.append(_locate(number, subject_rows, column, message))
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic(), audit_batch():
        ids = [signal_create(acting=acting, data=data).pk for _n, data, _rows in groups.values()]
        audit(
            acting,
            "signals:signal:import",
            object_type="import",
            object_id=hashlib.sha256(content).hexdigest()[:64],
            purpose="intake (batch)",
            detail={"signals": len(ids), "signal_ids": ids},
        )
    return ids
