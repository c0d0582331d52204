# SPDX-License-Identifier: EUPL-1.2
"""The demo's registries: a small fictitious city imported through the real import.

Everything goes through :func:`weerbaar.sources.importing.import_snapshot`, so the demo shows
snapshots, load dates and audit rows exactly as a municipality would see them after its own imports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from weerbaar.accounts.authz import system_actor
from weerbaar.sources.importing import import_snapshot
from weerbaar.sources.models import Snapshot, Source
from weerbaar.sources.synthetic import generate_city, write_city

#: Which generated file feeds which source of the default catalogue.
DEMO_FILES: dict[str, str] = {
    "brp": "persons.csv",
    "handelsregister": "companies.csv",
    "bag": "addresses.csv",
    "permits": "permits.csv",
    "vth": "enforcement.csv",
    "woz": "taxes.csv",
}


def load_demo_sources(*, persons: int = 2000, seed: int = 2026) -> dict[str, int]:
    """Import the fictitious city once; a database that already holds a BRP snapshot is left alone."""
    if Snapshot.objects.filter(source__slug="brp").exists():
        return {}
    city = generate_city(persons, seed=seed)
    acting = system_actor("demo-import", origin="demo")
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="weerbaar-demo-") as folder:
        write_city(city, Path(folder))
        for slug, file_name in DEMO_FILES.items():
            source = Source.objects.filter(slug=slug).first()
            if source is None:
                continue
            result = import_snapshot(acting=acting, source=source, path=Path(folder) / file_name)
            counts[slug] = result.rows
    return counts
