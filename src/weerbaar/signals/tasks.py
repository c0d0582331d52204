# SPDX-License-Identifier: EUPL-1.2
"""Background jobs of the signals context, run by ``weerbaar worker``."""

from __future__ import annotations

from django_tasks import task

from weerbaar.accounts.authz import system_actor
from weerbaar.signals.retention import retention_run


@task()
def run_retention() -> int:
    """Destroy signal content whose retention term has passed (signals only).

    The worker now schedules ``governance.tasks.run_retention``, which covers every category and
    runs this same function; this task stays so that jobs queued by an older version still run."""
    return len(retention_run(acting=system_actor("retention")))
