# SPDX-License-Identifier: EUPL-1.2
"""Normalised records: what the comparator sees of a person, company or address.

A raw row (a dict of column → text, in the canonical roles of ``docs/file-formats.md``) is turned
into one of these once, when it enters an index or a query; comparing then costs no parsing.
They serialise to plain lists so that an on-disk index stores them compactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from weerbaar.matching import normalise as n

#: The roles a column can play (``--map role=column``), as in architecture.md.
ROLES: tuple[str, ...] = (
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
    "national_id",
    "kvk_number",
    "trade_name",
    "legal_form",
)
#: Column names accepted for a role without a ``--map`` (the canonical formats use ``bsn``).
ALIASES: dict[str, tuple[str, ...]] = {"national_id": ("national_id", "bsn")}

KINDS = ("person", "company", "address")


@dataclass(frozen=True, slots=True)
class Address:
    postcode: str
    number: int | None
    addition: str
    street: str
    city: str

    @property
    def present(self) -> bool:
        return bool(self.postcode or self.street or self.city)


@dataclass(slots=True)
class Person:
    ext_id: str
    given: tuple[str, ...]
    initials_only: bool
    surname_core: str
    surname_glued: str
    dob: tuple[int, int, int] | None
    address: Address
    national_id: str


@dataclass(slots=True)
class Company:
    ext_id: str
    kvk: str
    name_core: str
    name_tokens: tuple[str, ...]
    legal_form: str
    address: Address


@dataclass(slots=True)
class Place:
    ext_id: str
    address: Address


Record = Person | Company | Place


def _get(row: Mapping[str, Any], role: str) -> str:
    for column in ALIASES.get(role, (role,)):
        value = row.get(column)
        if value not in (None, ""):
            return str(value)
    return ""


def address_of(row: Mapping[str, Any]) -> Address:
    return _address(
        _get(row, "house_number"), _get(row, "house_number_addition"), _get(row, "postcode"), _get(row, "street"),
        _get(row, "city"),
    )  # fmt: skip


@lru_cache(maxsize=300_000)
def _address(number: str, addition: str, postcode: str, street: str, city: str) -> Address:
    """Cached: a household shares its address, a registry repeats it many times. Treat as read-only."""
    house, extra = n.house_number(number, addition)
    return Address(
        postcode=n.postcode(postcode), number=house, addition=extra, street=n.street(street), city=n.city(city)
    )


def person_of(row: Mapping[str, Any]) -> Person:
    given = n.given_names(_get(row, "given_names"))
    name = n.surname(_get(row, "surname_prefix"), _get(row, "surname"))
    return Person(
        ext_id=_get(row, "id"),
        given=given.names,
        initials_only=given.initials_only,
        surname_core=name.core,
        surname_glued=name.glued,
        dob=n.parse_date(_get(row, "date_of_birth")),
        address=address_of(row),
        national_id=n.national_id(_get(row, "national_id")),
    )


def company_of(row: Mapping[str, Any]) -> Company:
    name = n.company_name(_get(row, "trade_name"), _get(row, "legal_form"))
    return Company(
        ext_id=_get(row, "id"),
        kvk=n.kvk_number(_get(row, "kvk_number")),
        name_core=name.core,
        name_tokens=name.tokens,
        legal_form=name.legal_form,
        address=address_of(row),
    )


def place_of(row: Mapping[str, Any]) -> Place:
    return Place(ext_id=_get(row, "id"), address=address_of(row))


def normalise_row(kind: str, row: Mapping[str, Any]) -> Record:
    """The normalised record of ``kind`` for one row of canonical roles."""
    if kind == "person":
        return person_of(row)
    if kind == "company":
        return company_of(row)
    if kind == "address":
        return place_of(row)
    raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


def has_identity(kind: str, record: Record) -> bool:
    """Whether the record says enough to be matched at all (a person needs a surname or an id)."""
    if isinstance(record, Person):
        return bool(record.surname_core or record.national_id)
    if isinstance(record, Company):
        return bool(record.kvk or record.name_core)
    return record.address.present and (bool(record.address.postcode) or bool(record.address.street))


# Compact serialisation for the on-disk index ---------------------------------------------------


def _addr_dump(a: Address) -> list[Any]:
    return [a.postcode, a.number, a.addition, a.street, a.city]


def _addr_load(v: list[Any]) -> Address:
    return Address(v[0], v[1], v[2], v[3], v[4])


def dump(record: Record) -> list[Any]:
    """A JSON-able list for the index (no keys: a city's worth of records stays small)."""
    if isinstance(record, Person):
        return [
            "p",
            record.ext_id,
            list(record.given),
            record.initials_only,
            record.surname_core,
            record.surname_glued,
            list(record.dob) if record.dob else None,
            _addr_dump(record.address),
            record.national_id,
        ]
    if isinstance(record, Company):
        return [
            "c",
            record.ext_id,
            record.kvk,
            record.name_core,
            list(record.name_tokens),
            record.legal_form,
            _addr_dump(record.address),
        ]
    return ["a", record.ext_id, _addr_dump(record.address)]


def load(value: list[Any]) -> Record:
    tag = value[0]
    if tag == "p":
        dob = value[6]
        return Person(
            value[1],
            tuple(value[2]),
            bool(value[3]),
            value[4],
            value[5],
            (dob[0], dob[1], dob[2]) if dob else None,
            _addr_load(value[7]),
            value[8],
        )
    if tag == "c":
        return Company(value[1], value[2], value[3], tuple(value[4]), value[5], _addr_load(value[6]))
    return Place(value[1], _addr_load(value[2]))
