# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for governance: actors, sources loaded through the real import, and signals walked
through every step by the services of signals, research and approach (tests.governance.flow)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import actor
from tests.matching.conftest import index_dir, load_source  # noqa: F401  (fixtures used here)
from weerbaar.accounts.authz import Actor
from weerbaar.accounts.models import User


@pytest.fixture
def pf(users: dict[str, User]) -> Actor:
    """The privacyfunctionaris, who handles requests, reads the log and runs retention."""
    return actor(users["privacyfunctionaris"], "privacyfunctionaris")


@pytest.fixture
def vth(load_source: Any) -> Any:  # noqa: F811 (the fixture imported above)
    """The VTH file (owned by the test accounts' department) holding the conftest's subject Jan."""
    from tests.research.conftest import VTH_ROWS

    return load_source("vth", VTH_ROWS)
