# SPDX-License-Identifier: EUPL-1.2
"""``weerbaar screen``: a person screens only for a signal whose privacy check 1 approves the sources."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.matching.test_services import REGISTRY
from weerbaar.audit.models import AuditEvent
from weerbaar.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def subjects_csv(tmp_path: Path, load_source: Any) -> Path:
    load_source("brp", REGISTRY)
    path = tmp_path / "subjects.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "given_names", "surname", "date_of_birth"])
        writer.writerow(["S1", "Fatima", "Öztürk", "1985-11-23"])
        writer.writerow(["S2", "Karel", "Appelaar", "1921-04-25"])
    return path


def screen(subjects: Path, out: Path, *extra: str) -> int:
    return main(["screen", str(subjects), "--out", str(out), "--user", "regisseur", "--purpose", "test", *extra])


def test_screen_names_the_signal_and_its_approved_sources(
    ref: str, subjects_csv: Path, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "out.csv"
    assert screen(subjects_csv, out, "--signal", ref, "--sources", "brp") == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["subject_id", "source", "status"], ["S1", "brp", "hit"], ["S2", "brp", "no-hit"]]
    event = AuditEvent.objects.filter(action="matching:subject:hit-no-hit").latest("id")
    assert event.detail["reference"] == ref and event.detail["batch"] is True
    assert "Screened 2 subjects against 1 sources" in capsys.readouterr().err


def test_screen_refuses_a_source_without_approval_or_a_signal_that_approves_nothing(
    ref: str, subjects_csv: Path, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "out.csv"
    assert screen(subjects_csv, out, "--signal", ref, "--sources", "brp,woz") == 2
    assert "refused:" in capsys.readouterr().err and not out.exists()
    assert screen(subjects_csv, out, "--signal", "S-999999", "--sources", "brp") == 2
    assert "privacy check 1" in capsys.readouterr().err
    assert AuditEvent.objects.filter(action="research:pc1:gate", result="denied").count() == 2


def test_screen_requires_the_signal_option(subjects_csv: Path, tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(SystemExit):
        screen(subjects_csv, tmp_path / "out.csv", "--sources", "brp")
    assert "--signal" in capsys.readouterr().err
