# SPDX-License-Identifier: EUPL-1.2
"""Writing to the audit log. Other apps call these functions; none of them reads the log.

Call :func:`audit` inside the same ``transaction.atomic`` block as the change it records: if the
change rolls back, so does its audit row, and a change cannot commit without one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from weerbaar.audit.chain import GENESIS, row_hash
from weerbaar.audit.models import AuditChainHead, AuditEvent, AuditResult

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor


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
) -> AuditEvent:
    """Append one row to the chain (the low-level form; prefer :func:`audit`)."""
    # savepoint=False: the row belongs to the caller's transaction (or to its own, if none).
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the migration creates it; this only happens after a test flush
            head = AuditChainHead.objects.create(pk=1, last_id=0, last_hash=GENESIS)
        fields: dict[str, Any] = {
            "id": head.last_id + 1,
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
            "prev_hash": head.last_hash,
        }
        fields["hash"] = row_hash(fields)
        event = AuditEvent.objects.create(**fields)
        AuditChainHead.objects.filter(pk=1).update(last_id=event.id, last_hash=event.hash)
        return event


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
) -> AuditEvent:
    """Record that ``acting`` did ``action`` on ``obj`` for ``purpose``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return audit_event(
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


def audit_denial(*, actor_id: int | None, actor_label: str, action: str, origin: str) -> AuditEvent:
    """Record a refused authorisation decision."""
    return audit_event(
        actor_id=actor_id,
        actor_label=actor_label,
        role="-",
        action=action,
        origin=origin,
        result=AuditResult.DENIED,
    )
