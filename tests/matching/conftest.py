# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for the matching tests: an index directory per test, and sources loaded through the real import."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from weerbaar.accounts.authz import system_actor


@pytest.fixture(autouse=True)
def index_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test builds its own index files; nothing leaks between tests or runs."""
    settings.MATCHING_INDEX_DIR = str(tmp_path / "index")
    return tmp_path / "index"


def bsn(seed: int) -> str:
    """A BSN that passes the eleven-test, derived from ``seed`` (test data only)."""
    base = f"{seed % 10**8:08d}"
    for last in range(10):
        digits = [int(c) for c in base + str(last)]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
        if total % 11 == 0 and base[0] != "0":
            return base + str(last)
    return bsn(seed + 1)


@pytest.fixture
def load_source(
    db: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> Callable[[str, list[dict[str, str]]], Any]:
    """Import rows as the new snapshot of a source (the immediate task backend builds its index)."""
    from weerbaar.sources.importing import import_snapshot
    from weerbaar.sources.models import Source

    counter = {"n": 0}

    def load(slug: str, rows: list[dict[str, str]]) -> Any:
        counter["n"] += 1
        path = tmp_path / f"{slug}-{counter['n']}.csv"
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        source = Source.objects.get(slug=slug)
        # The commit hook is the real one: snapshot_activated → the matching app builds the index.
        with django_capture_on_commit_callbacks(execute=True):
            import_snapshot(acting=system_actor("test-import"), source=source, path=path)
        return source

    return load


@pytest.fixture
def ref(users: Any, new_signal: Any) -> str:
    """A signal in source research whose privacy check 1 approves the sources these tests ask
    (through the research services): a person's hit/no-hit question must name one."""
    from tests.research.helpers import research_reference

    return research_reference(users, new_signal, ["brp", "permits", "vth"])
