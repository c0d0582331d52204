# SPDX-License-Identifier: EUPL-1.2
"""Background jobs of the approach context, run by ``weerbaar worker``."""

from __future__ import annotations

from django_tasks import task

from weerbaar.accounts.authz import system_actor
from weerbaar.approach.services import warn_deadlines


@task()
def run_deadline_warnings() -> int:
    """Daily: warn the owners of procedure steps whose deadline comes within the warning days."""
    return warn_deadlines(acting=system_actor("deadlines"))
