# SPDX-License-Identifier: EUPL-1.2
"""The canonical columns of a source file, per kind (docs: architecture.md, "File formats").

A file names its columns in a header row. Per kind some columns are *required* (the column must be
there and every row needs a value), some are *expected* (the column must be there, a value may be
empty: a missing ``date_of_birth`` column is far more likely a misnamed header than a registry
without birth dates, and silently keeping it as an attribute would cripple matching), and the rest
are optional. Columns outside the format are kept as attributes of the record, unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from weerbaar.sources.models import SourceKind


class Check(StrEnum):
    """What a column's values must look like (validation.py holds the rules)."""

    ID = "id"
    TEXT = "text"
    LONG_TEXT = "long_text"
    BSN = "bsn"
    POSTCODE = "postcode"
    KVK = "kvk"
    HOUSE_NUMBER = "house_number"
    DATE = "date"
    BIRTH_DATE = "birth_date"  # a date, and not in the future
    SBI = "sbi"
    INTEGER = "integer"


class Need(StrEnum):
    REQUIRED = "required"
    EXPECTED = "expected"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Column:
    name: str
    check: Check = Check.TEXT
    need: Need = Need.OPTIONAL


@dataclass(frozen=True)
class FileFormat:
    kind: str
    columns: tuple[Column, ...]
    #: Each row needs a value in at least one of these (a record must be about someone or somewhere).
    any_of: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def header_columns(self) -> tuple[str, ...]:
        """The columns a header must contain."""
        return tuple(c.name for c in self.columns if c.need != Need.OPTIONAL)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


ID_COLUMN = "id"

_ID = Column(ID_COLUMN, Check.ID, Need.REQUIRED)
_ADDRESS = (
    Column("street"),
    Column("house_number", Check.HOUSE_NUMBER),
    Column("house_number_addition"),
    Column("postcode", Check.POSTCODE),
    Column("city"),
)

PERSON = FileFormat(
    SourceKind.PERSON,
    (
        _ID,
        Column("given_names", need=Need.EXPECTED),
        Column("surname_prefix"),
        Column("surname", need=Need.REQUIRED),
        Column("date_of_birth", Check.BIRTH_DATE, Need.EXPECTED),
        *_ADDRESS,
        Column("bsn", Check.BSN),
    ),
)

COMPANY = FileFormat(
    SourceKind.COMPANY,
    (
        _ID,
        Column("kvk_number", Check.KVK, Need.REQUIRED),
        Column("trade_name", need=Need.REQUIRED),
        Column("legal_form"),
        *_ADDRESS,
        Column("sbi_code", Check.SBI),
        Column("registration_date", Check.DATE),
    ),
)

ADDRESS = FileFormat(
    SourceKind.ADDRESS,
    (
        _ID,
        Column("street", need=Need.REQUIRED),
        Column("house_number", Check.HOUSE_NUMBER, Need.REQUIRED),
        Column("house_number_addition"),
        Column("postcode", Check.POSTCODE, Need.EXPECTED),
        Column("city", need=Need.REQUIRED),
        Column("usage"),
        Column("surface_m2", Check.INTEGER),
    ),
)

RECORD = FileFormat(
    SourceKind.RECORD,
    (
        _ID,
        Column("record_type", need=Need.REQUIRED),
        Column("date", Check.DATE, Need.REQUIRED),
        Column("status"),
        Column("summary", Check.LONG_TEXT),
        # The subject the record is about: a person, a company, or both, and where.
        Column("given_names"),
        Column("surname_prefix"),
        Column("surname"),
        Column("date_of_birth", Check.BIRTH_DATE),
        Column("bsn", Check.BSN),
        Column("kvk_number", Check.KVK),
        Column("trade_name"),
        Column("legal_form"),
        *_ADDRESS,
    ),
    any_of=("surname", "bsn", "kvk_number", "trade_name", "postcode", "street"),
)

FORMATS: dict[str, FileFormat] = {f.kind: f for f in (PERSON, COMPANY, ADDRESS, RECORD)}


def format_for(kind: str) -> FileFormat:
    return FORMATS[kind]
