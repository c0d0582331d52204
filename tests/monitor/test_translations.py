# SPDX-License-Identifier: EUPL-1.2
"""The monitor app's own Dutch catalogue is complete and compiled (the project test reads only its own)."""

from __future__ import annotations

import gettext
from pathlib import Path

import weerbaar.monitor
from tests.test_translations import _entries

LOCALE = Path(weerbaar.monitor.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


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


def test_the_survey_and_its_messages_are_dutch_by_default() -> None:
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext("Choose yes or no.") == "Kies ja of nee."
        assert translation.gettext("Benchmark sheet") == "Benchmarkblad"
