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
from weerbaar.signals.models import Attachment, Qualification, Signal, StatusChange, Subject, Weighing
from weerbaar.signals.states import RETAINED_STATES, State, check_transition

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
        check_transition(signal.state, State.DESTROYED, "destroy")
        files = [a.stored_file.name for a in Attachment.objects.filter(signal=signal)]
        Attachment.objects.filter(signal=signal).delete()
        Subject.objects.filter(signal=signal).delete()
        StatusChange.objects.filter(signal=signal).update(reasons=None)
        Qualification.objects.filter(signal=signal).update(reasons=None, referred_to="")
        Weighing.objects.filter(signal=signal).update(reasons=None, explanations=None)
        last = signal.history.order_by("-seq").values_list("seq", flat=True).first() or 0
        StatusChange.objects.create(
            signal=signal,
            seq=last + 1,
            from_state=signal.state,
            to_state=State.DESTROYED,
            actor=acting.user,
            actor_label=acting.label,
            role=acting.role,
            reasons=None,
        )
        Signal.objects.filter(pk=signal.pk).update(
            description=None,
            location_area="",
            reporter_name=None,
            reporter_contact=None,
            location_address=None,
            state=State.DESTROYED,
            state_changed_at=timezone.now(),
            destroyed_at=timezone.now(),
            destroy_after=None,
        )
        audit(
            acting,
            "signals:signal:destroy",
            obj=signal,
            purpose="retention",
            detail={"from_state": signal.state, "files": len(files)},
        )
        storage = Attachment._meta.get_field("stored_file").storage

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
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
