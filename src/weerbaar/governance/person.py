# SPDX-License-Identifier: EUPL-1.2
"""Is this record about the person who asked? The rules of a data-subject search, with reasons.

Built on the matching engine's normalisation and field comparisons (``Berg, van der`` and
``van der Berg`` are one surname, ``03-02-1980`` and ``1980-02-03`` one date), but deciding by
fixed, explainable rules rather than a score, because the answer goes to a person and a wrong
inclusion discloses someone else's data:

* the same BSN (a different BSN excludes, whatever the name);
* the same surname and compatible given names, and the same date of birth;
* the same surname and compatible given names, and the same dwelling, when the two do not state
  different dates of birth (a namesake at the same address with another birth date is excluded).

Each match carries the reasons in words, which the handler sees beside every item found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from weerbaar.matching import normalise
from weerbaar.matching.compare import COMPARISONS, MISSING, address_level
from weerbaar.matching.records import Person, address_of, person_of

_PERSON = {c.name: c.compare for c in COMPARISONS["person"]}
_GIVEN_LEVELS = {0: "exact", 1: "first name", 2: "initials"}


def requester_person(requester: Mapping[str, Any]) -> Person:
    return person_of(dict(requester))


def person_reasons(who: Person, subject: Person) -> list[str] | None:
    """Why ``subject`` is the person ``who``, or ``None`` when it is not (or not surely)."""
    if who.national_id and subject.national_id:
        if who.national_id == subject.national_id:
            return [_("same BSN")]
        return None
    if _PERSON["surname"](who, subject) != 0:
        return None
    given = _PERSON["given_names"](who, subject)
    if given not in (0, 1, 2, MISSING):
        return None
    name = _("same surname") + (
        ", " + _("given names not recorded") if given == MISSING else ", " + _("given names agree")
    )
    dob = _PERSON["date_of_birth"](who, subject)
    if dob == 0:
        return [name, _("same date of birth")]
    if dob != MISSING:
        return None  # a different date of birth: a namesake
    if address_level(who.address, subject.address) == 0:
        return [name, _("same address"), _("no date of birth to compare")]
    return None


def address_reasons(requester: Mapping[str, Any], subject: Mapping[str, Any]) -> list[str] | None:
    """An address subject at the requester's own dwelling."""
    mine = address_of(dict(requester))
    if not mine.present or address_level(mine, address_of(dict(subject))) != 0:
        return None
    return [_("the requester's own address")]


def company_reasons(requester: Mapping[str, Any], subject: Mapping[str, Any]) -> list[str] | None:
    """A company with the requester's KvK number (a sole trader's business is personal data)."""
    mine = normalise.kvk_number(str(requester.get("kvk_number") or ""))
    if mine and mine == normalise.kvk_number(str(subject.get("kvk_number") or "")):
        return [_("same KvK number")]
    return None


def vehicle_reasons(requester: Mapping[str, Any], subject: Mapping[str, Any]) -> list[str] | None:
    mine = re.sub(r"[^A-Z0-9]", "", str(requester.get("licence_plate") or "").upper())
    theirs = re.sub(r"[^A-Z0-9]", "", str(subject.get("licence_plate") or "").upper())
    if mine and mine == theirs:
        return [_("same licence plate")]
    return None


def _contact(value: str) -> str:
    text = value.strip().lower()
    if "@" in text:
        return text.replace(" ", "")
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _name_splits(full: str) -> list[dict[str, str]]:
    """Ways to read a name written in one field: "Jan van der Berg", "Berg, van der, Jan",
    "Berg, Jan van der", "J. van der Berg"."""
    text = full.strip()
    if not text:
        return []
    candidates: list[dict[str, str]] = []
    if "," in text:
        head, _sep, tail = text.partition(",")
        parts = [p.strip() for p in tail.replace(",", " ").split() if p.strip()]
        prefix = [p for p in parts if p.lower() in normalise._PREFIX_WORDS]
        given = [p for p in parts if p.lower() not in normalise._PREFIX_WORDS]
        candidates.append({"surname": head.strip(), "surname_prefix": " ".join(prefix), "given_names": " ".join(given)})
    words = text.replace(",", " ").split()
    for cut in range(1, len(words)):
        candidates.append({"given_names": " ".join(words[:cut]), "surname": " ".join(words[cut:])})
    return candidates


def reporter_reasons(requester: Mapping[str, Any], name: str | None, contact: str | None) -> list[str] | None:
    """Is the requester the recorded reporter? By name (given names and surname agree) or by the
    same e-mail address or telephone number."""
    reasons: list[str] = []
    mine = str(requester.get("contact") or "")
    if mine and contact and _contact(mine) and _contact(mine) == _contact(contact):
        reasons.append(_("same contact details as the reporter"))
    who = requester_person(requester)
    if name and who.surname_core and who.given:
        for split in _name_splits(name):
            candidate = person_of(split)
            if _PERSON["surname"](who, candidate) == 0 and _PERSON["given_names"](who, candidate) in (0, 1, 2):
                reasons.append(_("same name as the reporter (no date of birth recorded: check before sending)"))
                break
    return reasons or None
