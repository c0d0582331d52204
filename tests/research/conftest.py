# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for step 3: small sources loaded through the real import, and actors per role."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import actor
from tests.matching.conftest import index_dir, load_source  # noqa: F401  (fixtures used here)
from weerbaar.accounts.authz import Actor
from weerbaar.accounts.models import Department, Role, User
from weerbaar.sources.models import Source

#: The subject of ``tests.conftest.signal_input``: registered in the sources below.
JAN = {"given_names": "Jan", "surname": "Fictief", "date_of_birth": "1980-02-03", "postcode": "9999ZZ"}
#: Someone in no source.
NOBODY = {"given_names": "Piet", "surname": "Nergensbekend", "date_of_birth": "1955-05-05", "postcode": "1111AA"}

_PLACE = {"street": "Proefweg", "city": "Demodam"}
_RECORD = {"record_type": "controle", "status": "afgerond"}
VTH_ROWS = [
    {"id": "V1", **_RECORD, "date": "2025-03-01", "summary": "Hennepgeur geconstateerd", "given_names": "Jan",
     "surname": "Fictief", "date_of_birth": "1980-02-03", **_PLACE, "house_number": "1", "postcode": "9999ZZ"},
    {"id": "V2", **_RECORD, "date": "2025-04-02", "summary": "Geen bijzonderheden", "given_names": "Anna",
     "surname": "Voorbeeld", "date_of_birth": "1970-07-07", **_PLACE, "house_number": "3", "postcode": "9999ZZ"},
    {"id": "V3", **_RECORD, "date": "2025-05-03", "summary": "Waarschuwing", "given_names": "Willem",
     "surname": "Proef", "date_of_birth": "1966-06-06", **_PLACE, "house_number": "5", "postcode": "9999ZZ"},
    {"id": "V4", **_RECORD, "date": "2025-06-04", "summary": "Last onder dwangsom", "given_names": "Fatima",
     "surname": "Testmans", "date_of_birth": "1985-11-23", **_PLACE, "house_number": "7", "postcode": "9999ZZ"},
]  # fmt: skip
BRP_ROWS = [
    {"id": "P1", "given_names": "Jan", "surname": "Fictief", "date_of_birth": "1980-02-03", **_PLACE,
     "house_number": "1", "postcode": "9999ZZ"},
    {"id": "P2", "given_names": "Anna", "surname": "Voorbeeld", "date_of_birth": "1970-07-07", **_PLACE,
     "house_number": "3", "postcode": "9999ZZ"},
    {"id": "P3", "given_names": "Willem", "surname": "Proef", "date_of_birth": "1966-06-06", **_PLACE,
     "house_number": "5", "postcode": "9999ZZ"},
    {"id": "P4", "given_names": "Fatima", "surname": "Testmans", "date_of_birth": "1985-11-23", **_PLACE,
     "house_number": "7", "postcode": "9999ZZ"},
]  # fmt: skip


@pytest.fixture
def sources(load_source: Any) -> dict[str, Source]:  # noqa: F811 (the fixture imported above)
    """vth (owned by the test accounts' department, content on approval) and brp (burgerzaken)."""
    return {"vth": load_source("vth", VTH_ROWS), "brp": load_source("brp", BRP_ROWS)}


@pytest.fixture
def brp_owner(make_user: Any) -> User:
    """A source owner of another department (burgerzaken, which owns the BRP)."""
    user = make_user("brp_owner", "source_owner")
    user.department = Department.objects.get(code="burgerzaken")
    user.save(update_fields=["department"])
    return user  # type: ignore[no-any-return]


@pytest.fixture
def acting(users: dict[str, User]) -> dict[str, Actor]:
    return {code: actor(user, code) for code, user in users.items() if Role.objects.filter(code=code).exists()}
