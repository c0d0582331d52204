# SPDX-License-Identifier: EUPL-1.2
"""`weerbaar monitor benchmark-sheets`: one private sheet per responding municipality, one command."""

from __future__ import annotations

from pathlib import Path

import pytest

from weerbaar.cli import main
from weerbaar.monitor.models import Response, Wave
from weerbaar.monitor.synthetic import load_synthetic_waves

pytestmark = pytest.mark.django_db


def test_every_responding_municipality_gets_its_own_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_synthetic_waves(years=[2022])
    wave = Wave.objects.get(year=2022)
    codes = sorted(Response.objects.filter(wave=wave).values_list("municipality_code", flat=True))
    assert main(["monitor", "benchmark-sheets", "--wave", "2022", "--out", str(tmp_path)]) == 0
    written = sorted(p.stem for p in tmp_path.glob("*.html"))
    assert written == codes
    sheet = (tmp_path / f"{codes[0]}.html").read_text()
    assert codes[0] in sheet and "synthet" in sheet.lower()  # the demo data say they are synthetic


def test_no_sheets_for_an_open_or_missing_wave(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monitor", "benchmark-sheets", "--wave", "1999", "--out", str(tmp_path)]) == 2
    load_synthetic_waves(years=[2022])
    Wave.objects.filter(year=2022).update(state="open")
    assert main(["monitor", "benchmark-sheets", "--wave", "2022", "--out", str(tmp_path)]) == 2
    assert "after closing" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.html"))
