# SPDX-License-Identifier: EUPL-1.2
"""The research app's own Dutch catalogue is complete and compiled (the project test reads only its own)."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import pytest

import weerbaar.research
from tests.test_translations import _entries

LOCALE = Path(weerbaar.research.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def test_every_message_has_a_dutch_translation() -> None:
    missing = [m for m, strs in _entries((LOCALE / "django.po").read_text()) if not all(strs)]
    assert not missing, f"untranslated: {missing}"


def test_compiled_catalogue_matches_the_source() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = [(m, s) for m, s in _entries((LOCALE / "django.po").read_text()) if len(s) == 1]
    assert len(entries) > 150
    for msgid, (msgstr,) in entries:
        unescape = lambda v: v.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
        assert compiled.gettext(unescape(msgid)) == unescape(msgstr), msgid


@pytest.mark.django_db
def test_the_research_page_speaks_dutch(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("research")
    client.force_login(users["ondermijningsteam"])
    body = client.get(f"/signals/{signal.pk}/research").content.decode()
    assert "Privacytoets 1 aanvragen" in body and "Hit/no-hit-bevragingen" in body
