# SPDX-License-Identifier: EUPL-1.2
"""Background jobs of governance, run by ``weerbaar worker``."""

from __future__ import annotations

from django_tasks import task

from weerbaar.accounts.authz import system_actor
from weerbaar.governance.retention import retention_run


@task()
def run_retention() -> int:
    """Daily: destroy whatever has passed its term, in every category (signals with everything of
    research and approach about them, old source snapshots and index files, generated files,
    handled data-subject requests). Returns how many items were destroyed."""
    return len(retention_run(acting=system_actor("retention")).items)
