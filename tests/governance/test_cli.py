# SPDX-License-Identifier: EUPL-1.2
"""``weerbaar retention run``, ``weerbaar register`` and ``weerbaar publication``: output, files, exit codes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.cli import main
from weerbaar.signals.models import Signal
from weerbaar.signals.states import State

pytestmark = pytest.mark.django_db


def test_retention_dry_run_then_run(new_signal: Any, capsys: Any, django_capture_on_commit_callbacks: Any) -> None:
    signal = new_signal("no_action")
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert main(["retention", "run", "--dry-run"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "Would destroy the content of 1 signal(s)."
        assert out[1].split() == [signal.reference, "no_action", "due", str(signal.destroy_after)]
        assert Signal.objects.get(pk=signal.pk).state == State.NO_ACTION
        with django_capture_on_commit_callbacks(execute=True):
            assert main(["retention", "run"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Destroyed the content of 1 signal(s)."
    assert Signal.objects.get(pk=signal.pk).state == State.DESTROYED
    event = AuditEvent.objects.get(action="governance:retention:run")
    assert event.role == "retention" and event.origin.startswith("cli:") and event.detail["destroyed"] == {"signal": 1}


def test_retention_lists_other_categories(pf: Any, capsys: Any) -> None:
    from weerbaar.governance.auditlog import DateRange, audit_export

    export, _content = audit_export(acting=pf, period=DateRange(), file_format="json")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        assert main(["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would destroy 1 generated file(s)." in out and export.reference in out


def test_retention_failure_exits_non_zero(new_signal: Any, monkeypatch: Any, capsys: Any) -> None:
    from weerbaar.signals import hooks

    new_signal("closed")

    def broken(signal_id: int) -> list[str]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(hooks, "DESTROYERS", [broken])
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert main(["retention", "run"]) == 1
    assert "Failed: 1 item(s)" in capsys.readouterr().err


def test_register_to_a_file_and_to_stdout(users: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "register.json"
    assert main(["register", "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert any(s["code"] == "brp" for s in data["sources"])
    assert main(["register", "--format", "html"]) == 0
    assert "<!DOCTYPE html>" in capsys.readouterr().out


def test_publication_csv_and_errors(new_signal: Any, tmp_path: Path, capsys: Any) -> None:
    for _ in range(5):
        new_signal("no_action")
    out = tmp_path / "figures.csv"
    today = date.today()
    assert main(["publication", "--from", str(today - timedelta(days=30)), "--to", str(today), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "signals_by_phenomenon_and_outcome" in text and ",5\n" in text
    assert main(["publication", "--from", "2026-02-01", "--to", "2026-01-01", "--format", "json"]) == 2
    assert "to: The period ends before it starts." in capsys.readouterr().err
    assert main(["publication", "--from", "gisteren", "--to", "2026-01-01"]) == 2
    event = AuditEvent.objects.get(action="governance:publication:export")
    assert event.role == "publication" and event.origin.startswith("cli:")
