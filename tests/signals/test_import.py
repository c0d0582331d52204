# SPDX-License-Identifier: EUPL-1.2
"""CSV batch intake: a file with bad rows is refused whole with a per-row error list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import actor
from weerbaar.cli import main
from weerbaar.signals.importing import ImportRefused, signals_import_csv
from weerbaar.signals.models import Signal

pytestmark = pytest.mark.django_db

HEADER = (
    "signal_ref,received_on,description,phenomena,location_area,subject_kind,surname,postcode,trade_name,kvk_number\n"
)
GOOD = HEADER + (
    "A1,2026-01-05,Loods met hennepgeur,cannabis,Haven-Oost,person,Fictief,9999 ZZ,,\n"
    "A1,2026-01-05,,,,company,,,Proef Opslag,91234567\n"
    "A2,05-02-2026,Kapsalon zonder klanten,money_laundering;address_fraud,Centrum,address,,9999AB,,\n"
)


def test_good_file_imports_grouped_signals(users: Any) -> None:
    ids = signals_import_csv(acting=actor(users["regisseur"], "regisseur"), content=GOOD.encode())
    assert len(ids) == 2
    first = Signal.objects.get(pk=ids[0])
    assert first.subjects.count() == 2 and first.channel == "department"


def test_bad_rows_refuse_the_whole_file(users: Any) -> None:
    bad = GOOD + "A3,2026-13-01,x,cannabis,,person,Y,,,\nA4,2026-01-01,y,unknown,,vehicle,,,,\n"
    before = Signal.objects.count()
    with pytest.raises(ImportRefused) as info:
        signals_import_csv(acting=actor(users["regisseur"], "regisseur"), content=bad.encode())
    messages = [str(e) for e in info.value.errors]
    assert "row 5, received_on: not a date (use YYYY-MM-DD)" in messages
    assert any(m.startswith("row 6, phenomena") for m in messages)
    assert any(m.startswith("row 6, licence_plate") for m in messages)
    assert Signal.objects.count() == before


def test_cli_import_reports_rows_and_exit_code(users: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "B1,2026-01-05,Tekst,cannabis,,person,Fictief,12,,\n")
    assert main(["signals", "import", str(path), "--user", "regisseur"]) == 1
    assert "row 2, postcode" in capsys.readouterr().err
    path.write_text(GOOD)
    assert main(["signals", "import", str(path), "--user", "regisseur"]) == 0
    assert main(["signals", "import", str(path), "--user", "department_officer"]) == 2


def test_web_import_lists_row_errors_and_imports_nothing(users: Any, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["regisseur"])
    before = Signal.objects.count()
    bad = SimpleUploadedFile("export.csv", (GOOD + "A3,2026-13-01,x,cannabis,,person,Y,,,\n").encode())
    page = client.post("/signals/import", {"file": bad})
    assert page.status_code == 200 and Signal.objects.count() == before
    assert "received_on" in page.content.decode() and '<td class="utrecht-table__cell">5</td>' in page.content.decode()
    good = SimpleUploadedFile("export.csv", GOOD.encode())
    done = client.post("/signals/import", {"file": good, "department": "handhaving"})
    assert done.status_code == 302 and Signal.objects.count() == before + 2
    assert Signal.objects.order_by("-id").first().reporting_department.code == "handhaving"
    client.force_login(users["department_officer"])
    assert client.get("/signals/import").status_code == 403


def test_an_error_in_a_later_subject_names_its_own_row(users: Any) -> None:
    grouped = HEADER + ("C1,2026-01-05,Loods,cannabis,,person,Fictief,9999 ZZ,,\nC1,,,,,company,,,Proef Opslag,12\n")
    with pytest.raises(ImportRefused) as info:
        signals_import_csv(acting=actor(users["regisseur"], "regisseur"), content=grouped.encode())
    assert [str(e) for e in info.value.errors] == ["row 3, kvk_number: A KvK number has eight digits."]
