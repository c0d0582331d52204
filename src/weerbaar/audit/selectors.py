# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit log: only :mod:`weerbaar.audit` itself and its operators do this."""

from __future__ import annotations

from weerbaar.audit.chain import GENESIS, HASHED_FIELDS, VerifyResult, verify_rows
from weerbaar.audit.models import AuditChainHead, AuditEvent


def audit_verify() -> VerifyResult:
    """Recompute the hash chain over every row and compare its end with the chain head."""
    head = AuditChainHead.objects.filter(pk=1).values("last_id", "last_hash").first()
    head_id = head["last_id"] if head else 0
    head_hash = head["last_hash"] if head else GENESIS
    rows = AuditEvent.objects.order_by("id").values(*HASHED_FIELDS, "hash").iterator(chunk_size=5000)
    return verify_rows(rows, head_id, head_hash)
