# SPDX-License-Identifier: EUPL-1.2
"""Governance's destroyer for a signal (registered in ``signals.hooks``; runs inside
:func:`signals.retention.signal_destroy`'s transaction).

What governance holds about a signal: the reasons of restrictions decided on its items, and any
generated file (an access report) that copied its content. The reasons are nulled (the restriction
row stays: item reference, ground, who, when); the files are destroyed and returned so that they
are deleted from disk after the commit.
"""

from __future__ import annotations

from django.utils import timezone

from weerbaar.governance.models import GeneratedFile, Restriction


def destroy_signal_content(signal_id: int) -> list[str]:
    Restriction.objects.filter(signal_id=signal_id).update(reasons=None)
    files = list(GeneratedFile.objects.filter(signals=signal_id, destroyed_at__isnull=True))
    names = [f.stored_file.name for f in files if f.stored_file]
    now = timezone.now()
    for record in files:
        record.stored_file = ""
        record.destroyed_at = now
        record.save(update_fields=["stored_file", "destroyed_at"])
        record.signals.clear()
    return names
