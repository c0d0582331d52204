# SPDX-License-Identifier: EUPL-1.2
"""``weerbaar sources list`` and ``weerbaar sources import``: output and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.sources.conftest import person
from weerbaar.cli import main
from weerbaar.sources.models import Snapshot

pytestmark = pytest.mark.django_db


def test_list_prints_the_catalogue(users: Any, capsys: Any) -> None:
    assert main(["sources", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["source", "kind", "mode", "owner", "current", "snapshot", "rows"]
    brp = next(line for line in lines if line.startswith("brp "))
    assert brp.split()[:4] == ["brp", "person", "content_on_approval", "burgerzaken"]


def test_import_then_refuse_then_list(users: Any, write_csv: Callable[..., Path], capsys: Any) -> None:
    good = write_csv([person(1), person(2)], name="brp.csv")
    assert main(["sources", "import", "brp", str(good), "--user", "source_owner", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Imported 2 rows into brp in " in out and "(read as CSV, UTF-8, ',')" in out and "loaded 20" in out
    loaded = Snapshot.objects.get(is_current=True)

    bad = write_csv([person(3), person(4, date_of_birth="2023-02-30")], name="bad.csv")
    assert main(["sources", "import", "brp", str(bad), "--user", "source_owner"]) == 1
    err = capsys.readouterr().err
    assert "row 3, date_of_birth: “2023-02-30” is not a date that exists." in err
    assert "Nothing was imported; the previous snapshot (loaded 20" in err and "2 rows) is unchanged." in err
    assert Snapshot.objects.get(is_current=True) == loaded

    assert main(["sources", "list"]) == 0
    brp = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("brp "))
    assert brp.rstrip().endswith(" 2")


def test_a_refusal_without_a_previous_snapshot(users: Any, write_csv: Callable[..., Path], capsys: Any) -> None:
    bad = write_csv([person(1, surname="")])
    assert main(["sources", "import", "brp", str(bad), "--user", "source_owner"]) == 1
    assert "Nothing was imported; brp has no snapshot yet." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["brp", "FILE", "--user", "regisseur"], "is not an active user holding sources:snapshot:import"),
        (["brp", "FILE", "--user", "nobody"], "is not an active user holding"),
        (["nope", "FILE", "--user", "source_owner"], "no source 'nope' (known: "),
        (["bibob", "FILE", "--user", "source_owner"], "excluded as a source"),
        (["brp", "missing.csv", "--user", "source_owner"], "is not a file"),
    ],
)
def test_what_cannot_run_exits_2(
    users: Any, write_csv: Callable[..., Path], capsys: Any, arguments: list[str], message: str
) -> None:
    path = str(write_csv([person(1)]))
    assert main(["sources", "import", *[path if a == "FILE" else a for a in arguments]]) == 2
    assert message in capsys.readouterr().err
    assert not Snapshot.objects.exists()
