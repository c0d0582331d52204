# SPDX-License-Identifier: EUPL-1.2
"""The Dutch UI is complete: every message has a translation, and the compiled catalogue is current."""

from __future__ import annotations

import re
from pathlib import Path

import weerbaar

LOCALE = Path(weerbaar.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def _entries(text: str) -> list[tuple[str, list[str]]]:
    entries = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if not msgid or "#, fuzzy" in block:
            continue
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"(?:\n"(.*)")*', block, re.M)
        entries.append((msgid.group(1), ["".join(s) for s in strings]))
    return entries


def test_every_message_has_a_dutch_translation() -> None:
    text = (LOCALE / "django.po").read_text()
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy entries need review"
    missing = [m for m, strs in _entries(text) if m and not any(strs)]
    assert not missing, f"untranslated: {missing}"


def test_compiled_catalogue_matches_the_source() -> None:
    """A .po edited without recompiling would show stale Dutch; compare single-line entries."""
    import gettext

    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    text = (LOCALE / "django.po").read_text()
    pairs = re.findall(r'^msgid "((?:[^"\\]|\\.)+)"\nmsgstr "((?:[^"\\]|\\.)+)"\n', text, re.M)
    assert len(pairs) > 100
    for msgid, msgstr in pairs:
        unescape = lambda v: v.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
        assert compiled.gettext(unescape(msgid)) == unescape(msgstr), msgid
