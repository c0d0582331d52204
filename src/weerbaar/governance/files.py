# SPDX-License-Identifier: EUPL-1.2
"""Generated files: stored encrypted with an expiry, read back through an audited door, and the
CSV writer every export uses (formula prefixes neutralised, OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from weerbaar.accounts.authz import Actor
from weerbaar.governance.crypto import decrypt_bytes, encrypt_bytes
from weerbaar.governance.models import DataSubjectRequest, FileKind, GeneratedFile

#: How long a generated file is kept before retention destroys it (days), per kind. An access
#: report stays long enough to answer questions about what was sent; an audit export only as long
#: as a review takes. Both are documented in docs/governance.md.
FILE_DAYS: dict[str, int] = {FileKind.ACCESS_REPORT: 90, FileKind.AUDIT_EXPORT: 30}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}

#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, preamble: Sequence[Sequence[Any]] = ()) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs read the accents) with every cell neutralised.

    ``preamble`` rows come first, followed by an empty line (used for an export's metadata)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([neutralise(v) for v in line])
    if preamble:
        writer.writerow([])
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def store_file(
    *,
    acting: Actor,
    kind: str,
    file_format: str,
    content: bytes,
    request: DataSubjectRequest | None = None,
    signal_ids: Iterable[int] = (),
) -> GeneratedFile:
    """Store ``content`` encrypted, with its expiry; call inside the caller's transaction.

    The caller deletes the written file if its transaction rolls back (see ``delete_files``)."""
    record = GeneratedFile(
        kind=kind,
        request=request,
        file_format=file_format,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=acting.user,
        created_label=acting.label,
        created_role=acting.role,
        expires_on=timezone.localdate() + timedelta(days=FILE_DAYS[kind]),
    )
    record.stored_file.save("generated.bin", ContentFile(encrypt_bytes(content)), save=False)
    record.save()
    ids = sorted(set(signal_ids))
    if ids:
        record.signals.set(ids)
    return record


def read_file(record: GeneratedFile) -> bytes:
    with record.stored_file.open("rb") as handle:
        return decrypt_bytes(handle.read())


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files (after a destruction has committed, or after a rolled-back write)."""
    storage = GeneratedFile._meta.get_field("stored_file").storage
    for name in names:
        if name:
            storage.delete(name)


def download_name(record: GeneratedFile) -> str:
    prefix = record.request.reference if record.request is not None else record.kind.replace("_", "-")
    return f"{prefix}-{record.reference}.{record.file_format}"
