# SPDX-License-Identifier: EUPL-1.2
"""Backup and a verified restore (BIO2 8.13; security test 12).

A backup is a folder with three things: the database (SQLite's online backup API, or
``pg_dump --format=custom``), the stored files (encrypted attachments and generated files, as a
tar), and ``manifest.json`` with, per table, the row count and a checksum of its rows in primary
key order, plus the audit chain's head. ``restore`` loads a backup into an *empty* database and
then proves it: the same counts and checksums, and the audit chain verifies end to end.

The encryption keys are not in the backup, on purpose: a stolen backup reveals nothing. Keep the
keys (``WEERBAAR_ENCRYPTION_KEYS``) in the municipality's key store and back them up separately.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FILES = "files.tar"


class BackupError(Exception):
    """A backup or restore that cannot be made or does not verify; the message says why."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def _vendor() -> str:
    return str(connection.vendor)


def _files_root() -> Path:
    storage: Any = settings.STORAGES["default"]
    options: dict[str, Any] = dict(storage.get("OPTIONS") or {})
    location = options.get("location") or settings.MEDIA_ROOT
    return Path(str(location))


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def table_sums() -> dict[str, TableSum]:
    """Row count and checksum per table, rows in primary-key (else full-row) order.

    Values are hashed through their text form, which is the same on both sides of a round trip
    on one database engine; the checksum proves nothing was lost, added or changed."""
    sums: dict[str, TableSum] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608  # nosec B608 - names from introspection
            rows = [
                tuple("" if v is None else str(bytes(v) if isinstance(v, memoryview) else v) for v in r)
                for r in cursor.fetchall()
            ]
            rows.sort()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(json.dumps(row).encode())
            sums[table] = TableSum(len(rows), digest.hexdigest())
    return sums


def _chain_head() -> dict[str, Any]:
    from weerbaar.audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).values("last_id", "last_hash").first()
    return dict(head) if head else {"last_id": 0, "last_hash": ""}


def backup(out: Path) -> dict[str, Any]:
    """Write a backup folder at ``out`` (which must not exist yet); return the manifest."""
    if out.exists():
        raise BackupError(f"{out} exists already; a backup never overwrites another")
    out.mkdir(parents=True, mode=0o700)  # a full dump: readable by the operator only
    vendor = _vendor()
    db = settings.DATABASES["default"]
    if vendor == "sqlite":
        target = sqlite3.connect(out / "database.sqlite3")
        connection.ensure_connection()
        raw = connection.connection
        with target:
            raw.backup(target)
        target.close()
    elif vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out / 'database.dump'}"], _pg_env(db))
    else:
        raise BackupError(f"no backup for the {vendor} database engine")
    root = _files_root()
    with tarfile.open(out / FILES, "w") as tar:
        if root.exists():
            tar.add(root, arcname="files")
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "engine": vendor,
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in table_sums().items()},
        "files_sha256": _sha256(out / FILES),
        "audit_head": _chain_head(),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(source: Path) -> dict[str, Any]:
    """Load the backup at ``source`` into the configured, empty database and verify it.

    Refuses a database that holds data (a restore never merges). Returns a report with the
    tables compared and the audit verification; raises :class:`BackupError` on any difference."""
    manifest = json.loads((source / MANIFEST).read_text())
    if _sha256(source / FILES) != manifest["files_sha256"]:
        raise BackupError("the files archive does not match its checksum in the manifest")
    vendor = _vendor()
    if vendor != manifest["engine"]:
        raise BackupError(f"the backup is of {manifest['engine']}; this database is {vendor}")
    if any(t in _tables() for t in ("audit_auditevent", "signals_signal")):
        from weerbaar.audit.models import AuditEvent

        if AuditEvent.objects.exists():
            raise BackupError("the target database holds data; restore only into an empty database")
    db = settings.DATABASES["default"]
    connection.close()
    if vendor == "sqlite":
        shutil.copyfile(source / "database.sqlite3", str(db["NAME"]))
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--clean",
                "--if-exists",
                f"--dbname={db['NAME']}",
                str(source / "database.dump"),
            ],
            _pg_env(db),
        )
    root = _files_root()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / FILES) as tar:
        for member in tar.getmembers():
            if (
                not member.name.startswith("files")
                or ".." in Path(member.name).parts
                or member.issym()
                or member.islnk()
            ):
                raise BackupError(f"unexpected entry in the files archive: {member.name}")
        tar.extractall(root.parent / ".restore", filter="data")
    restored = root.parent / ".restore" / "files"
    if restored.exists():
        shutil.copytree(restored, root, dirs_exist_ok=True)
    shutil.rmtree(root.parent / ".restore", ignore_errors=True)
    now = table_sums()
    differences = [
        name
        for name, expected in manifest["tables"].items()
        if name not in now or (now[name].rows, now[name].sha256) != (expected["rows"], expected["sha256"])
    ]
    if differences:
        raise BackupError("restored tables differ from the backup: " + ", ".join(differences))
    from weerbaar.audit.selectors import audit_verify

    result = audit_verify()
    if not result.ok:
        raise BackupError(f"the restored audit chain does not verify: {result.message}")
    return {"tables": len(now), "rows": sum(s.rows for s in now.values()), "audit": "verified"}


def _pg_env(db: Any) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: the password never appears on a command line
    (where ``ps`` would show it), and no URL quoting can go wrong."""
    values = {
        "PGHOST": db.get("HOST") or "localhost",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    return {k: v for k, v in values.items() if v}


def _run(command: list[str], extra_env: dict[str, str] | None = None) -> None:
    env = {**os.environ, **(extra_env or {})}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def register(sub: Any, *, setup: Any, origin: Any) -> None:
    """``weerbaar backup --out DIR`` and ``weerbaar restore DIR``."""
    import argparse
    import sys

    def cmd_backup(args: argparse.Namespace) -> int:
        setup()
        try:
            manifest = backup(Path(args.out))
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        rows = sum(t["rows"] for t in manifest["tables"].values())
        print(f"Backup written to {args.out}: {len(manifest['tables'])} tables, {rows} rows, files and manifest.")
        print("The encryption keys are not in the backup: keep WEERBAAR_ENCRYPTION_KEYS safe separately.")
        return 0

    def cmd_restore(args: argparse.Namespace) -> int:
        setup()
        try:
            report = restore(Path(args.folder))
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(
            f"Restored {report['tables']} tables, {report['rows']} rows; counts and checksums equal; "
            f"audit chain {report['audit']}."
        )
        return 0

    made = sub.add_parser("backup", help="back up the database, the stored files and a manifest")
    made.add_argument("--out", required=True, help="a folder that does not exist yet")
    made.set_defaults(func=cmd_backup)
    back = sub.add_parser("restore", help="restore a backup into an empty database and verify it")
    back.add_argument("folder")
    back.set_defaults(func=cmd_restore)
