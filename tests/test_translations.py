# SPDX-License-Identifier: EUPL-1.2
"""The Dutch UI is complete: every message has a translation, and the compiled catalogue is current."""

from __future__ import annotations

import re
from pathlib import Path

import weerbaar

LOCALE = Path(weerbaar.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def _entries(text: str) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) per entry, with wrapped continuation lines joined."""
    entries = []
    for block in text.split("\n\n")[1:]:  # the first block is the header
        if "#, fuzzy" in block:
            entries.append(("(fuzzy) " + block, [""]))
            continue
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields:
            entries.append((fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]))
    return entries


def test_every_message_has_a_dutch_translation() -> None:
    text = (LOCALE / "django.po").read_text()
    missing = [m for m, strs in _entries(text) if not all(strs)]
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
