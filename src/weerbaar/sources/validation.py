# SPDX-License-Identifier: EUPL-1.2
"""Checks per field of a source file, and the light normalisation of what passes.

Only what later steps depend on is normalised: dates become ISO (``1980-02-03``), postcodes
``1234AB``, BSNs their nine digits, house numbers and KvK numbers plain digits. Everything else is
kept as written (trimmed): matching does its own, richer normalisation, and the record must still
show what the source said.

Messages name the problem and, where it helps, the value; a BSN is never echoed whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from operator import mul

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from weerbaar.sources.formats import Check, FileFormat, Need

MAX_LENGTH = {Check.ID: 64, Check.LONG_TEXT: 2000}
DEFAULT_MAX_LENGTH = 200
ATTRIBUTE_MAX_LENGTH = 1000
OLDEST_BIRTH_YEAR = 1800

_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DMY = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})")
_MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?")
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)  # the eleven-test
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
_POSTCODE_NEVER = frozenset({"SA", "SD", "SS"})  # letter pairs PostNL does not use (as in stdnum)
_HOUSE_NUMBER = re.compile(r"[0-9]{1,5}")
_KVK = re.compile(r"[0-9]{8}")
_SBI = re.compile(r"[0-9]{2,5}")
_INTEGER = re.compile(r"[0-9]{1,9}")


class Invalid(ValueError):
    """A value fails its check; the message says why, in the user's language."""


def shown(value: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short so a message stays one line."""
    return f"“{value}”" if len(value) <= limit else f"“{value[:limit]}…”"


def mask(value: str) -> str:
    """A BSN as it may appear in a message: only its last two characters."""
    kept = value[-2:] if len(value) > 4 else ""
    return "*" * max(len(value) - len(kept), 1) + kept


def parse_date(value: str) -> date:
    """A date in one of the common forms: YYYY-MM-DD, YYYYMMDD, DD-MM-YYYY, DD/MM/YYYY.

    A midnight time after the date (what spreadsheets and Parquet timestamps add) is allowed; a
    date that does not exist (30 February) is refused, never rolled over.
    """
    text = value.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the common case, fast
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # below, for the message that says why
    if len(text) > 10 and _MIDNIGHT.fullmatch(text, 10):
        text = text[:10]
    if (match := _YMD.fullmatch(text)) or (match := _COMPACT.fullmatch(text)):
        year, month, day = match.group(1, 2, 3)
    elif match := _DMY.fullmatch(text):
        day, month, year = match.group(1, 3, 4)
    else:
        raise Invalid(_("%s is not a date (use YYYY-MM-DD, YYYYMMDD, DD-MM-YYYY or DD/MM/YYYY).") % shown(value))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise Invalid(_("%s is not a date that exists.") % shown(value)) from None


def check_date(value: str) -> str:
    return parse_date(value).isoformat()


def birth_date_checker(today: date) -> Callable[[str], str]:
    def check(value: str) -> str:
        born = parse_date(value)
        if born > today:
            raise Invalid(_("%s is a date of birth in the future.") % shown(value))
        if born.year < OLDEST_BIRTH_YEAR:
            raise Invalid(_("%s is not a plausible date of birth.") % shown(value))
        return born.isoformat()

    return check


def check_bsn(value: str) -> str:
    if (
        _NINE_DIGITS.fullmatch(value)
        and value != "000000000"
        and sum(map(mul, map(int, value), _BSN_WEIGHTS)) % 11 == 0
    ):
        # The common form, checked inline: stdnum's generic clean-up costs more than the test itself
        # (tests/sources/test_validation.py holds this to stdnum's answer on random numbers).
        return value
    try:
        return str(stdnum_bsn.validate(value))
    except InvalidChecksum:
        raise Invalid(_("BSN %s fails the eleven-test.") % mask(value)) from None
    except StdnumError:
        raise Invalid(_("BSN %s is not nine digits.") % mask(value)) from None


def check_postcode(value: str) -> str:
    if (match := _POSTCODE.fullmatch(value)) and (letters := match[2].upper()) not in _POSTCODE_NEVER:
        return match[1] + letters  # the common forms, checked here: stdnum's clean-up costs 5x more
    try:
        return str(stdnum_postcode.validate(value)).replace(" ", "")
    except StdnumError:
        raise Invalid(_("%s is not a Dutch postcode (four digits, two letters).") % shown(value)) from None


def check_kvk(value: str) -> str:
    digits = value.replace(" ", "").replace(".", "")
    if _KVK.fullmatch(digits):
        return digits
    if digits.isdigit() and len(digits) < 8:
        raise Invalid(
            _("%s is not a KvK number: it has eight digits (a spreadsheet may have dropped a leading zero).")
            % shown(value)
        )
    raise Invalid(_("%s is not a KvK number: it has eight digits.") % shown(value))


def check_house_number(value: str) -> str:
    if _HOUSE_NUMBER.fullmatch(value) and int(value) > 0:
        return str(int(value))
    raise Invalid(_("%s is not a house number: a whole number; letters go in the addition.") % shown(value))


def check_sbi(value: str) -> str:
    code = value.replace(".", "")
    if _SBI.fullmatch(code):
        return code
    raise Invalid(_("%s is not an SBI code (two to five digits).") % shown(value))


def check_integer(value: str) -> str:
    if _INTEGER.fullmatch(value):
        return str(int(value))
    raise Invalid(_("%s is not a whole number.") % shown(value))


def checker(check: Check, today: date) -> Callable[[str], str] | None:
    """The normalising check of one kind of column, or ``None`` when any text will do."""
    checks: dict[Check, Callable[[str], str]] = {
        Check.BSN: check_bsn,
        Check.POSTCODE: check_postcode,
        Check.KVK: check_kvk,
        Check.HOUSE_NUMBER: check_house_number,
        Check.DATE: check_date,
        Check.BIRTH_DATE: birth_date_checker(today),
        Check.SBI: check_sbi,
        Check.INTEGER: check_integer,
    }
    return checks.get(check)


class RowValidator:
    """Checks the rows of one file: the plan (which check on which column) is made once.

    Why a class: a registry has a million rows; looking up each column's rules per row would cost
    more than the checks themselves.
    """

    def __init__(self, file_format: FileFormat, header: Sequence[str], *, today: date | None = None) -> None:
        today = today or date.today()
        known = set(file_format.names)
        self._plan = [
            (
                column.name,
                checker(column.check, today),
                column.need == Need.REQUIRED,
                MAX_LENGTH.get(column.check, DEFAULT_MAX_LENGTH),
            )
            for column in file_format.columns
            if column.name in header
        ]
        self._attributes = [name for name in header if name not in known]
        self._any_of = [name for name in file_format.any_of if name in header]
        self._any_of_label = ", ".join(file_format.any_of)

    @property
    def attributes(self) -> list[str]:
        """The file's columns outside the format, kept unchecked."""
        return list(self._attributes)

    def check(self, values: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """The cleaned, non-empty fields of one row, and its problems as ``(column, message)``."""
        data: dict[str, str] = {}
        errors: list[tuple[str, str]] = []
        for name, normalise, required, limit in self._plan:
            value = values.get(name, "").strip()
            if not value:
                if required:
                    errors.append((name, _("A value is required.")))
                continue
            if len(value) > limit:
                errors.append((name, _("At most %d characters.") % limit))
                continue
            if normalise is not None:
                try:
                    value = normalise(value)
                except Invalid as exc:
                    errors.append((name, str(exc)))
                    continue
            data[name] = value
        for name in self._attributes:
            value = values.get(name, "").strip()
            if value:
                if len(value) > ATTRIBUTE_MAX_LENGTH:
                    errors.append((name, _("At most %d characters.") % ATTRIBUTE_MAX_LENGTH))
                else:
                    data[name] = value
        if self._any_of and not any(name in data for name in self._any_of) and not errors:
            errors.append(
                (self._any_of[0], _("The row names no one and nowhere: fill at least one of %s.") % self._any_of_label)
            )
        return data, errors
