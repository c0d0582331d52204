# SPDX-License-Identifier: EUPL-1.2
"""Writing to the audit log. Other apps call these functions; none of them reads the log.

Call :func:`audit` inside the same ``transaction.atomic`` block as the change it records: if the
change rolls back, so does its audit row, and a change cannot commit without one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from weerbaar.audit.chain import GENESIS, row_hash
from weerbaar.audit.models import AuditChainHead, AuditEvent, AuditResult

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor


_batch: ContextVar[list[dict[str, Any]] | None] = ContextVar("weerbaar_audit_batch", default=None)


def audit_event(
    *,
    actor_id: int | None,
    actor_label: str,
    role: str,
    action: str,
    origin: str,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    result: str = AuditResult.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one row to the chain (the low-level form; prefer :func:`audit`)."""
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor_label[:150],
        "role": role[:64],
        "action": action[:80],
        "object_type": object_type[:40],
        "object_id": str(object_id)[:64],
        "purpose": purpose[:200],
        "result": str(result),
        "origin": origin[:64],
        "detail": detail or {},
    }
    pending = _batch.get()
    if pending is not None:
        pending.append(fields)
    else:
        _append([fields])


@contextmanager
def audit_batch() -> Iterator[None]:
    """Collect the audit rows of a long transaction and append them together at its end.

    Why: appending locks the chain head until the transaction commits. A batch import that
    appended row by row would hold that lock for its whole run and stall every audited read;
    batched, the lock is held only from the final append to the commit. Use inside the same
    ``transaction.atomic`` block as the changes: if the block fails, nothing is appended.
    """
    if _batch.get() is not None:  # already batching: the outer batch appends
        yield
        return
    pending: list[dict[str, Any]] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    _append(pending)


def _append(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    # savepoint=False: the rows belong to the caller's transaction (or to their own, if none).
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the migration creates it; this only happens after a test flush
            head = AuditChainHead.objects.create(pk=1, last_id=0, last_hash=GENESIS)
        last_id, last_hash = head.last_id, head.last_hash
        events = []
        for fields in rows:
            last_id += 1
            row = {**fields, "id": last_id, "prev_hash": last_hash}
            row["hash"] = last_hash = row_hash(row)
            events.append(AuditEvent(**row))
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(pk=1).update(last_id=last_id, last_hash=last_hash)


def audit(
    acting: Actor,
    action: str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    result: str = AuditResult.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record that ``acting`` did ``action`` on ``obj`` for ``purpose``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    audit_event(
        actor_id=acting.user_id,
        actor_label=acting.label,
        role=acting.role,
        action=action,
        origin=acting.origin,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        result=result,
        detail=detail,
    )


def audit_denial(*, actor_id: int | None, actor_label: str, action: str, origin: str) -> None:
    """Record a refused authorisation decision."""
    audit_event(
        actor_id=actor_id,
        actor_label=actor_label,
        role="-",
        action=action,
        origin=origin,
        result=AuditResult.DENIED,
    )
