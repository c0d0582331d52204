# SPDX-License-Identifier: EUPL-1.2
"""Governance's section of the work queue (``signals.hooks.register_queue``): data-subject
requests still to answer, oldest deadline first. References and dates only, no personal data."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import has_perm
from weerbaar.accounts.permissions import Perm
from weerbaar.governance.models import DataSubjectRequest, RequestStatus
from weerbaar.signals.hooks import QueueRow, QueueSection


def queue(user: Any) -> list[QueueSection]:
    if not has_perm(user, Perm.DSR_HANDLE):
        return []
    open_requests = DataSubjectRequest.objects.filter(status=RequestStatus.RECEIVED).order_by("deadline", "id")
    today = timezone.localdate()
    rows = [
        QueueRow(
            reference=r.reference,
            url=reverse("governance:request", args=[r.pk]),
            text=(_("Overdue: %s") if r.deadline < today else "%s") % r.get_kind_display(),
            due=r.deadline,
        )
        for r in open_requests.only("id", "kind", "deadline")[:20]
    ]
    return [QueueSection(title=_("Data-subject requests to answer"), rows=rows, count=open_requests.count())]
