# SPDX-License-Identifier: EUPL-1.2
"""The structured fields of a subject (architecture.md, file formats) and their validation.

The same rules serve the web form, the API and the CSV import, so a subject that one accepts the
others accept too. Errors name the field, in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from weerbaar.signals.models import SubjectKind

ADDRESS_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city")
FIELDS: dict[str, tuple[str, ...]] = {
    SubjectKind.PERSON: ("given_names", "surname_prefix", "surname", "date_of_birth", *ADDRESS_FIELDS, "bsn"),
    SubjectKind.COMPANY: ("kvk_number", "trade_name", "legal_form", *ADDRESS_FIELDS, "sbi_code"),
    SubjectKind.ADDRESS: ("bag_id", *ADDRESS_FIELDS, "usage"),
    SubjectKind.VEHICLE: ("licence_plate", "make", "model", "colour"),
}
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d/%m/%Y")


def parse_date(value: str) -> date:
    """Read a date in the common forms of architecture.md."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def validate_subject(kind: str, raw: dict[str, Any]) -> dict[str, str]:
    """Return the cleaned fields of one subject, or raise ValidationError keyed by field name."""
    if kind not in FIELDS:
        raise ValidationError({"kind": _("Unknown subject kind “%s”.") % kind})
    unknown = sorted(set(raw) - set(FIELDS[kind]))
    if unknown:
        raise ValidationError({unknown[0]: _("Not a field of a %s subject.") % kind})
    data = {k: str(v).strip() for k, v in raw.items() if v not in (None, "") and str(v).strip()}
    errors: dict[str, str] = {}

    if kind == SubjectKind.PERSON and not data.get("surname") and not data.get("bsn"):
        errors["surname"] = _("A person needs at least a surname or a BSN.")
    if kind == SubjectKind.COMPANY and not data.get("trade_name") and not data.get("kvk_number"):
        errors["trade_name"] = _("A company needs a trade name or a KvK number.")
    if kind == SubjectKind.ADDRESS and not (data.get("postcode") or data.get("street")) and not data.get("bag_id"):
        errors["street"] = _("An address needs a street or postcode, or a BAG id.")
    if kind == SubjectKind.VEHICLE and not data.get("licence_plate"):
        errors["licence_plate"] = _("A vehicle needs a licence plate.")

    if "bsn" in data:
        try:
            data["bsn"] = stdnum_bsn.validate(data["bsn"])
        except StdnumError:
            errors["bsn"] = _("Not a valid BSN (the eleven-test fails).")
    if "postcode" in data:
        try:
            data["postcode"] = stdnum_postcode.validate(data["postcode"]).replace(" ", "")
        except StdnumError:
            errors["postcode"] = _("Not a Dutch postcode (four digits, two letters).")
    if "kvk_number" in data and not re.fullmatch(r"\d{8}", data["kvk_number"]):
        errors["kvk_number"] = _("A KvK number has eight digits.")
    if "house_number" in data and not re.fullmatch(r"\d{1,5}", data["house_number"]):
        errors["house_number"] = _("A house number is a whole number; put letters in the addition.")
    if "date_of_birth" in data:
        try:
            born = parse_date(data["date_of_birth"])
        except ValueError:
            errors["date_of_birth"] = _("Not a date (use YYYY-MM-DD).")
        else:
            if born > date.today() or born.year < 1900:
                errors["date_of_birth"] = _("The date of birth is not plausible.")
            data["date_of_birth"] = born.isoformat()
    if "bag_id" in data and not re.fullmatch(r"\d{16}", data["bag_id"]):
        errors["bag_id"] = _("A BAG id has sixteen digits.")
    if "licence_plate" in data:
        data["licence_plate"] = re.sub(r"[^A-Z0-9]", "", data["licence_plate"].upper())
    for key, value in data.items():
        if len(value) > 200:
            errors[key] = _("At most 200 characters.")
    if errors:
        raise ValidationError(errors)
    return data


def subject_label(kind: str, data: dict[str, str] | None) -> str:
    """A one-line description for lists and the signal page."""
    if not data:
        return "—"
    address = " ".join(
        p for p in (data.get("street"), data.get("house_number"), data.get("house_number_addition")) if p
    )
    if data.get("postcode") or data.get("city"):
        address = ", ".join(p for p in (address, data.get("postcode", ""), data.get("city", "")) if p)
    if kind == SubjectKind.PERSON:
        name = " ".join(p for p in (data.get("given_names"), data.get("surname_prefix"), data.get("surname")) if p)
        born = f" (°{data['date_of_birth']})" if data.get("date_of_birth") else ""
        return f"{name or data.get('bsn', '')}{born}" + (f" — {address}" if address else "")
    if kind == SubjectKind.COMPANY:
        name = " ".join(p for p in (data.get("trade_name"), data.get("legal_form")) if p)
        kvk = f" (KvK {data['kvk_number']})" if data.get("kvk_number") else ""
        return f"{name}{kvk}" + (f" — {address}" if address else "")
    if kind == SubjectKind.ADDRESS:
        return address or data.get("bag_id", "")
    return " ".join(p for p in (data.get("licence_plate"), data.get("make"), data.get("model")) if p)
