# SPDX-License-Identifier: EUPL-1.2
"""Security test 12: a backup restores into an empty database with equal row counts and
checksums per table, the stored files back, and the audit chain verified.

Runs the real commands in subprocesses against their own data folders (and, for PostgreSQL, two
fresh databases), because a restore replaces the whole database underneath Django.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

LOAD = (
    "from weerbaar.signals.demo_data import load_demo_data; load_demo_data(signals=24); "
    "from weerbaar.signals.models import Attachment; print(Attachment.objects.count())"
)


def _weerbaar(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "weerbaar.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check and done.returncode != 0:
        raise AssertionError(f"weerbaar {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update({"WEERBAAR_DATA_DIR": str(data_dir), "WEERBAAR_PROFILE": "demo"})
    if database_url:
        env["DATABASE_URL"] = database_url
        env["WEERBAAR_PROFILE"] = "demo"
    return env


def _round_trip(tmp_path: Path, source_url: str | None, target_url: str | None) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    keys = tmp_path / "keys"
    first.mkdir(), second.mkdir(), keys.mkdir()
    env_a, env_b = _env(first, source_url), _env(second, target_url)
    _weerbaar(env_a, "manage", "migrate", "--verbosity", "0")
    _weerbaar(env_a, "manage", "shell", "-c", LOAD)
    # The same keys on both sides: the restored content must stay readable.
    secrets = first / "demo-secrets.json"
    if secrets.exists():
        (second / "demo-secrets.json").write_text(secrets.read_text())
    out = tmp_path / "backup"
    _weerbaar(env_a, "backup", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["signals_signal"]["rows"] == 24
    assert manifest["tables"]["audit_auditevent"]["rows"] >= 24
    _weerbaar(env_b, "manage", "migrate", "--verbosity", "0")
    report = _weerbaar(env_b, "restore", str(out))
    assert "verified" in report.stdout
    verify = _weerbaar(env_b, "audit", "verify")
    assert verify.returncode == 0
    # A second restore into the now filled database is refused, and changes nothing.
    again = _weerbaar(env_b, "restore", str(out), check=False)
    assert again.returncode != 0 and "empty database" in again.stderr + again.stdout


def test_backup_restore_round_trip_on_sqlite(tmp_path: Path) -> None:
    _round_trip(tmp_path, None, None)


def test_a_tampered_backup_is_refused(tmp_path: Path) -> None:
    data, target = tmp_path / "a", tmp_path / "b"
    data.mkdir(), target.mkdir()
    env = _env(data, None)
    _weerbaar(env, "manage", "migrate", "--verbosity", "0")
    _weerbaar(env, "manage", "shell", "-c", LOAD)
    out = tmp_path / "backup"
    _weerbaar(env, "backup", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["tables"]["signals_signal"]["rows"] += 1  # the manifest no longer matches the data
    (out / "manifest.json").write_text(json.dumps(manifest))
    env_b = _env(target, None)
    (target / "demo-secrets.json").write_text((data / "demo-secrets.json").read_text())
    _weerbaar(env_b, "manage", "migrate", "--verbosity", "0")
    done = _weerbaar(env_b, "restore", str(out), check=False)
    assert done.returncode != 0 and "signals_signal" in done.stderr + done.stdout


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL run only")
def test_backup_restore_round_trip_on_postgresql(tmp_path: Path) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"weerbaar_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _round_trip(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_password_never_reaches_a_command_line() -> None:
    """pg_dump/pg_restore get the connection through libpq's environment (``ps`` shows arguments)."""
    from weerbaar.backup import _pg_env

    env = _pg_env({"HOST": "db", "PORT": 5432, "USER": "weerbaar", "PASSWORD": "p@ss/word", "NAME": "weerbaar"})
    assert env == {
        "PGHOST": "db",
        "PGPORT": "5432",
        "PGUSER": "weerbaar",
        "PGPASSWORD": "p@ss/word",
        "PGDATABASE": "weerbaar",
    }
