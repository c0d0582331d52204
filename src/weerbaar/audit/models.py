# SPDX-License-Identifier: EUPL-1.2
"""The append-only audit log and the head of its hash chain.

Rows hold references (ids, action names, purposes), never content: destroying a signal's
content leaves its audit trail intact and meaningful, and the log itself never becomes a copy
of what retention must destroy. Ids are assigned by the chain (1, 2, 3, …), so a deleted row
shows as a gap and a truncated tail as a mismatch with :class:`AuditChainHead`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    FAILURE = "failure", _("failure")


class AuditEvent(models.Model):
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150)
    role = models.CharField(_("role"), max_length=64)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    origin = models.CharField(_("origin"), max_length=64)
    detail = models.JSONField(_("detail (references only)"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """One row: the last id and hash. Locked by every append, which serialises the chain."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
