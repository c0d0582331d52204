# SPDX-License-Identifier: EUPL-1.2
"""docs/benchmarks.md as one file of sections, each owned by one benchmark script.

Why sections: several scripts measure different things (bench/run.py the foundation, bench/matching.py
matching) at different moments, and the brief asks to keep the last results of each in one place so a
regression is visible. A script that rewrote the whole file would erase the others' figures, so each one
replaces only the text between its own markers::

    <!-- begin: NAME -->
    ...
    <!-- end: NAME -->

A section that is not there yet is added after the last section, before the hand-written notes. Everything
from the first ``<!-- notes:`` marker on is written by people and never touched, nor is anything outside the
markers (the title, for instance).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
PREAMBLE = "<!-- SPDX-License-Identifier: EUPL-1.2 -->\n# Benchmarks\n\n"
NOTES_PREFIX = "<!-- notes:"
DEFAULT_NOTES = "<!-- notes: kept by the bench scripts, written by hand -->\n"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def begin(name: str) -> str:
    return f"<!-- begin: {name} -->"


def end(name: str) -> str:
    return f"<!-- end: {name} -->"


def replace_section(text: str, name: str, body: str) -> str:
    """``text`` with section ``name`` set to ``body``; the rest of the text is returned unchanged.

    Raises ValueError when the markers of ``name`` are unbalanced, rather than guess which text is whose.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"section name {name!r}: lower-case letters, digits, '-' and '_' only")
    block = f"{begin(name)}\n{body.rstrip()}\n{end(name)}\n"
    start, stop = text.find(begin(name)), text.find(end(name))
    if start >= 0 and stop > start:
        after = stop + len(end(name))
        if text[after : after + 1] == "\n":
            after += 1
        return text[:start] + block + text[after:]
    if start >= 0 or stop >= 0:
        raise ValueError(f"docs/benchmarks.md: the markers of section {name!r} are unbalanced; fix them by hand")
    if not text.strip():
        return PREAMBLE + block + "\n" + DEFAULT_NOTES
    notes = text.find(NOTES_PREFIX)
    if notes < 0:
        return text.rstrip("\n") + "\n\n" + block
    head = text[:notes].rstrip("\n")
    return head + "\n\n" + block + "\n" + text[notes:]


def write_section(name: str, body: str, path: Path = BENCHMARKS) -> Path:
    """Replace section ``name`` of ``path`` (docs/benchmarks.md) with ``body``; keep everything else."""
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(replace_section(previous, name, body), encoding="utf-8")
    return path
