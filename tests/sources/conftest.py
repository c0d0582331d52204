# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for the sources app: an importing user, and small registry files written on demand."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import actor
from weerbaar.accounts.authz import Actor
from weerbaar.sources.models import Source

PERSON_HEADER = [
    "id",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "bsn",
]


def bsn(seed: int) -> str:
    """A BSN that passes the eleven-test (fictitious), different for each seed."""
    n = 10_000_000 + seed * 7
    while True:
        digits = f"{n:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return digits + str(check)
        n += 1


def person(i: int, **overrides: str) -> dict[str, str]:
    row = {
        "id": f"P{i:07d}",
        "given_names": "Jan",
        "surname_prefix": "van der",
        "surname": f"Fictief{i}",
        "date_of_birth": "1980-02-03",
        "street": "Proefweg",
        "house_number": str(1 + i % 200),
        "house_number_addition": "",
        "postcode": "9999 zz",
        "city": "Demodam",
        "bsn": bsn(i),
    }
    row.update(overrides)
    return row


@pytest.fixture
def importer(users: dict[str, Any]) -> Actor:
    return actor(users["source_owner"], "source_owner")


@pytest.fixture
def brp(db: Any) -> Source:
    return Source.objects.get(slug="brp")


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        rows: Sequence[dict[str, str]],
        *,
        name: str = "export.csv",
        header: Sequence[str] | None = None,
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> Path:
        path = tmp_path / name
        columns = list(header or (rows[0].keys() if rows else PERSON_HEADER))
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.DictWriter(handle, columns, delimiter=delimiter, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture(autouse=True)
def test_department_owns_the_sources(request: Any) -> None:
    """The test accounts' department owns every source, so a test can load any of them; the
    owner rule itself is tested in test_importing (another department is refused)."""
    if "db" not in request.fixturenames and "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    department = request.getfixturevalue("department")
    if "catalogue" in request.node.name:
        # These check the seeded owners themselves: the test accounts join the BRP's department.
        owner = Source.objects.get(slug="brp").owner_department
        for user in request.getfixturevalue("users").values():
            user.department = owner
            user.save(update_fields=["department"])
        return
    Source.objects.update(owner_department=department)
