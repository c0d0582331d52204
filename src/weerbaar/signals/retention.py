# SPDX-License-Identifier: EUPL-1.2
"""Retention: content past its term is destroyed, a content-free tombstone stays.

Run daily by the background worker and on demand by ``weerbaar retention run``. Destruction is
the one place where append-only rows are touched: their *content* columns (reasons,
explanations) are nulled because the law requires it; their references, dates and outcomes
stay, as does the audit trail, which never held content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.signals.attachments import delete_stored_files
from weerbaar.signals.hooks import retention_hold, run_destroyers
from weerbaar.signals.models import Attachment, Qualification, Signal, StatusChange, Subject, Weighing
from weerbaar.signals.services import apply_transition
from weerbaar.signals.states import RETAINED_STATES, State

log = logging.getLogger("weerbaar.retention")


@dataclass(frozen=True)
class RetentionItem:
    signal_id: int
    reference: str
    state: str
    destroy_after: date


def retention_due(today: date | None = None) -> list[RetentionItem]:
    today = today or timezone.localdate()
    rows = Signal.objects.filter(state__in=RETAINED_STATES, destroy_after__lte=today).order_by("destroy_after", "id")
    return [
        RetentionItem(s.pk, s.reference, s.state, s.destroy_after)  # type: ignore[arg-type]
        for s in rows.only("id", "state", "destroy_after")
    ]


def signal_destroy(*, acting: Actor, signal_id: int, today: date | None = None) -> bool:
    """Destroy one signal's content in every table and its files; keep the tombstone.

    Checks again, under the row lock, that the signal is still due; returns whether it destroyed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal_id)
        if signal.state not in RETAINED_STATES or signal.destroy_after is None or signal.destroy_after > today:
            return False  # changed since the due list was made (e.g. a corrected closure)
        if retention_hold(signal.pk):
            return False  # a later step still needs it (an open case); tried again tomorrow
        from_state = signal.state
        files = [a.stored_file.name for a in Attachment.objects.filter(signal=signal)]
        # Later steps (research, approach, governance) remove their own content first, in this
        # transaction: a failure anywhere leaves everything as it was, to be retried tomorrow.
        files += run_destroyers(signal.pk)
        Attachment.objects.filter(signal=signal).delete()
        Subject.objects.filter(signal=signal).delete()
        StatusChange.objects.filter(signal=signal).update(reasons=None)
        Qualification.objects.filter(signal=signal).update(reasons=None, referred_to="")
        Weighing.objects.filter(signal=signal).update(reasons=None, explanations=None)
        apply_transition(signal, State.DESTROYED, "destroy", acting, None)
        signal.description = signal.reporter_name = signal.reporter_contact = signal.location_address = None
        signal.location_area = ""
        signal.destroyed_at = timezone.now()
        signal.save(
            update_fields=[
                "description",
                "reporter_name",
                "reporter_contact",
                "location_address",
                "location_area",
                "state",
                "state_changed_at",
                "destroy_after",
                "destroyed_at",
            ]
        )
        audit(
            acting,
            "signals:signal:destroy",
            obj=signal,
            purpose="retention",
            detail={"from_state": from_state, "files": len(files)},
        )
        transaction.on_commit(lambda: delete_stored_files(files))
    return True


def retention_run(*, acting: Actor, today: date | None = None, dry_run: bool = False) -> list[RetentionItem]:
    """Destroy everything due (or, with ``dry_run``, list it and change nothing)."""
    due = retention_due(today)
    if dry_run:
        return due
    done = []
    for item in due:
        try:
            if signal_destroy(acting=acting, signal_id=item.signal_id, today=today):
                done.append(item)
        except Exception:  # one broken signal must not keep the others from being destroyed
            log.exception("retention: destroying signal %s failed; the others go on", item.signal_id)
    return done
