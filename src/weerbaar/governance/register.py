# SPDX-License-Identifier: EUPL-1.2
"""The processing register (AVG art. 30), generated from what Weerbaar is configured to do.

Nothing in it is typed twice: the sources with their owner, law, regime, mode and retention come
from the source catalogue; the retention terms from ``signals.RetentionTerm`` and the approach's
``CasePolicy``; the categories of recipients from the roles (``accounts.Role``); the purposes from
the processing steps and from the purposes actually recorded in the audit log. It holds no
personal data, so generating it is audited as one event without a read of content.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.accounts.models import Role
from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import audit
from weerbaar.governance.files import FILE_DAYS
from weerbaar.governance.models import FileKind
from weerbaar.governance.retention import REQUEST_RETENTION_MONTHS
from weerbaar.signals.models import RetentionTerm, SubjectKind
from weerbaar.signals.states import State
from weerbaar.signals.subjects import FIELDS
from weerbaar.sources.models import Source


def _activities() -> list[dict[str, str]]:
    criminal = _("Criminal-offence data (AVG art. 10, UAVG art. 33): suspicions in signals and findings.")
    return [
        {
            "name": _("Intake, qualification and weighing of signals (steps 1-2)"),
            "purpose": _("Establishing whether a signal concerns undermining crime within the municipality's tasks."),
            "legal_basis": _("AVG art. 6(1)(e); Gemeentewet (public order), Wet Bibob, Opiumwet art. 13b."),
            "data_subjects": _("Persons and companies named in signals; reporters; staff."),
            "special": criminal,
        },
        {
            "name": _("Source research (step 3)"),
            "purpose": _("Checking a signal against municipal sources after privacy check 1, hit/no-hit first."),
            "legal_basis": _("AVG art. 6(1)(e) and art. 6(4) (compatible further use), per source as listed below."),
            "data_subjects": _("Subjects of signals in research."),
            "special": criminal,
        },
        {
            "name": _("Administrative approach (step 4)"),
            "purpose": _("Case meeting, interventions by the competent organ, referral to the RIEC."),
            "legal_basis": _("AVG art. 6(1)(e); the legal basis of each instrument (catalogue)."),
            "data_subjects": _("Subjects of cases."),
            "special": criminal,
        },
        {
            "name": _("Data-subject rights, accountability and retention"),
            "purpose": _("Answering requests under AVG art. 15-21; the access log; destruction after the terms."),
            "legal_basis": _("AVG art. 6(1)(c) (legal obligation: art. 5(2), 12-21, 30 AVG)."),
            "data_subjects": _("Requesters; staff (in the access log)."),
            "special": "",
        },
    ]


def _security_measures() -> list[str]:
    return [
        _("Content encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256), also attachments and generated files."),
        _("Second factor (TOTP) for every account; idle and absolute session time-outs; lockout after failures."),
        _("Need to know: roles as data, a permission per page and API operation, case teams, field-level views."),
        _("Hit/no-hit first; content only on an approved request; excluded sources never searched."),
        _("Append-only, hash-chained access log holding references only; reading it needs the second factor."),
        _("Retention enforced daily by the background worker; destruction leaves a content-free tombstone."),
        _("Exports for publication strip personal data and suppress small counts."),
        _("Content Security Policy, CSRF protection, HTTPS-only cookies and HSTS in production."),
    ]


def register_data() -> dict[str, Any]:
    """The register as data (JSON); the HTML forms render the same."""
    sources = [
        {
            "code": s.slug,
            "name": s.name,
            "owner": s.owner_department.name if s.owner_department else "",
            "law": s.law,
            "legal_regime": s.legal_regime,
            "mode": s.mode,
            "mode_label": str(s.get_mode_display()),
            "content_fields": list(s.content_fields or []),
            "retention_days": s.retention_days,
            "active": s.active,
        }
        for s in Source.objects.select_related("owner_department").order_by("name")
    ]
    terms = [
        {"state": t.state, "state_label": str(State(t.state).label), "months": t.months}
        for t in RetentionTerm.objects.order_by("state")
    ]
    from weerbaar.approach.models import CasePolicy

    policy = CasePolicy.objects.first() or CasePolicy()
    roles = [
        {"code": r.code, "name": r.name, "description": r.description, "permissions": sorted(r.permissions)}
        for r in Role.objects.order_by("name")
    ]
    purposes = [
        {"purpose": row["purpose"], "events": row["events"]}
        for row in AuditEvent.objects.exclude(purpose__in=["", "-"])
        .values("purpose")
        .annotate(events=Count("id"))
        .order_by("purpose")
    ]
    return {
        "controller": settings.MUNICIPALITY_NAME,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "activities": _activities(),
        "purposes_in_audit": purposes,
        "data_categories": [
            {"kind": kind, "kind_label": str(SubjectKind(kind).label), "fields": list(fields)}
            for kind, fields in FIELDS.items()
        ],
        "sources": sources,
        "retention": {
            "signal_terms": terms,
            "case_monitoring_months": policy.monitoring_months,
            "case_retention_months": policy.retention_months,
            "access_report_days": FILE_DAYS[FileKind.ACCESS_REPORT],
            "audit_export_days": FILE_DAYS[FileKind.AUDIT_EXPORT],
            "request_months_after_handling": REQUEST_RETENTION_MONTHS,
            "audit_log": _("Kept without end: it holds references, never content."),
        },
        "recipients": roles,
        "external_recipients": [
            _("RIEC (referral package, only what privacy checks 2A/2B allowed)."),
            _("Competent bodies a signal is referred to (W2A/W2B)."),
        ],
        "transfers_outside_eea": _("None."),
        "security_measures": _security_measures(),
    }


def register_generate(*, acting: Actor, file_format: str = "json") -> tuple[dict[str, Any], bytes]:
    """The register in ``json`` or ``html`` (a standalone document); one audit row."""
    import json

    data = register_data()
    if file_format == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        content = render_to_string("governance/register_document.html", {"register": data}).encode("utf-8")
    with transaction.atomic():
        audit(
            acting,
            "governance:register:generate",
            object_type="governance.register",
            purpose="processing register (AVG art. 30)",
            detail={"format": file_format, "sources": len(data["sources"])},
        )
    return data, content
