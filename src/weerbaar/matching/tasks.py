# SPDX-License-Identifier: EUPL-1.2
"""Background jobs of the matching context, run by ``weerbaar worker``."""

from __future__ import annotations

from django_tasks import task

from weerbaar.accounts.authz import system_actor


@task()
def build_index(source_id: int) -> int:
    """Build the index of a source's current snapshot (after an import); returns the records indexed."""
    from weerbaar.matching.services import build_source_index
    from weerbaar.sources.models import Source

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    reports = build_source_index(source, acting=system_actor("matching-index"))
    return sum(report.records for report in reports)
