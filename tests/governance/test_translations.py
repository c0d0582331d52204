# SPDX-License-Identifier: EUPL-1.2
"""The governance app's own Dutch catalogue is complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import pytest

import weerbaar.governance
from tests.test_translations import _entries

LOCALE = Path(weerbaar.governance.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def test_every_message_has_a_dutch_translation() -> None:
    missing = [m for m, strs in _entries((LOCALE / "django.po").read_text()) if not all(strs)]
    assert not missing, f"untranslated: {missing}"


def test_compiled_catalogue_matches_the_source() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = [(m, s) for m, s in _entries((LOCALE / "django.po").read_text()) if len(s) == 1]
    assert len(entries) > 100
    for msgid, (msgstr,) in entries:
        unescape = lambda v: v.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
        assert compiled.gettext(unescape(msgid)) == unescape(msgstr), msgid


@pytest.mark.django_db
def test_the_pages_speak_dutch(client: Any, users: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    page = client.get("/governance").content.decode()
    assert "Verzoeken van betrokkenen" in page and "Verwerkingsregister" in page and "Wat uw rollen" in page
