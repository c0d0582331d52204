# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit log for the privacyfunctionaris (NEN 7513 style), and exporting it.

Two views answer "who saw what, when, for which case and purpose": **per subject** (the objects
a data-subject search found, or one object by type and id) and **per employee** (every row of one
actor). Both filter by date and page through the rows. The log holds references, not content, so
these views show ids, actions, roles and purposes, never what was read. Reading the log is itself
audited (``audit:log:read``), and so is an export (``audit:log:export``). The views check the
second factor in the web and API adapters (``views.second_factor_required``); these functions
take an ``Actor`` that is already authorised.

The **export** for an external reviewer holds every row of a date range with the hash-chain
fields, so that the reviewer can recompute each row's hash (``audit.chain.row_hash`` over
``HASHED_FIELDS``), and the result of ``weerbaar audit verify`` over the whole log at the moment
of export. The CSV is formula-neutralised; the JSON is not (it is for machines, and neutralising
would change the hashed values).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.accounts.models import User
from weerbaar.audit.chain import GENESIS, HASHED_FIELDS
from weerbaar.audit.models import AuditEvent, AuditResult
from weerbaar.audit.selectors import audit_verify
from weerbaar.audit.services import audit
from weerbaar.governance.files import csv_bytes, delete_files, read_file, store_file
from weerbaar.governance.models import FileKind, GeneratedFile

PAGE_SIZE = 50
PURPOSE = "audit review"
FORMATS = ("csv", "json")
COLUMNS = (*HASHED_FIELDS, "hash")


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None

    def validate(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"to": _("The period ends before it starts.")})

    def apply(self, rows: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        zone = timezone.get_current_timezone()
        if self.start:
            rows = rows.filter(at__gte=datetime.combine(self.start, time.min, tzinfo=zone))
        if self.end:
            rows = rows.filter(at__lt=datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone))
        return rows

    def as_detail(self) -> dict[str, str | None]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


@dataclass
class AuditPage:
    rows: list[dict[str, Any]]
    number: int
    pages: int
    count: int

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def case_of(event: AuditEvent) -> str:
    """The signal or case a row belongs to, as a reference (what NEN 7513 calls the case)."""
    if event.object_type == "signals.signal" and event.object_id.isdigit():
        return f"S-{int(event.object_id):06d}"
    if event.object_type == "approach.case" and event.object_id.isdigit():
        return f"Z-{int(event.object_id):06d}"
    if event.object_type == "matching.subject" and event.object_id.startswith("S-"):
        return event.object_id
    detail = event.detail if isinstance(event.detail, dict) else {}
    for key, prefix in (("signal", "S"), ("case", "Z")):
        value = detail.get(key)
        if isinstance(value, int):
            return f"{prefix}-{value:06d}"
    return ""


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case": case_of(event),
        "purpose": event.purpose,
        "result": event.result,
        "origin": event.origin,
    }


def _page(rows: QuerySet[AuditEvent], page: int) -> AuditPage:
    paginator = Paginator(rows.order_by("-id"), PAGE_SIZE)
    current = paginator.get_page(page)
    return AuditPage(
        rows=[_row(e) for e in current.object_list],
        number=current.number,
        pages=paginator.num_pages,
        count=paginator.count,
    )


def _read(acting: Actor, view: str, detail: dict[str, Any], result: AuditPage) -> None:
    with transaction.atomic():
        audit(
            acting,
            "audit:log:read",
            object_type="audit.log",
            object_id=view,
            purpose=PURPOSE,
            detail={**detail, "page": result.number, "rows": len(result.rows)},
        )


def refs_condition(refs: list[tuple[str, str]], signal_ids: list[int]) -> Q:
    """Rows about these objects, and rows whose detail names one of these signals."""
    condition = Q(pk__in=[])
    for object_type, object_id in refs:
        condition |= Q(object_type=object_type, object_id=object_id)
    for signal_id in signal_ids:
        condition |= Q(object_type="matching.subject", object_id=f"S-{signal_id:06d}")
    if signal_ids:
        condition |= Q(detail__signal__in=signal_ids)
    return condition


def audit_for_subject(
    *, acting: Actor, object_type: str, object_id: str, period: DateRange, page: int = 1
) -> AuditPage:
    """Every row about one object (for a signal also the rows that name it in their detail)."""
    period.validate()
    object_type, object_id = object_type.strip(), object_id.strip()
    errors = {}
    if not object_type or len(object_type) > 40:
        errors["object_type"] = _("Give the object type, such as signals.signal.")
    if not object_id or len(object_id) > 64:
        errors["object_id"] = _("Give the object id.")
    if errors:
        raise ValidationError(errors)
    signal_ids = [int(object_id)] if object_type == "signals.signal" and object_id.isdigit() else []
    rows = period.apply(AuditEvent.objects.filter(refs_condition([(object_type, object_id)], signal_ids)))
    result = _page(rows, page)
    _read(acting, "subject", {"object_type": object_type, "object_id": object_id, **period.as_detail()}, result)
    return result


def audit_for_request(*, acting: Actor, request_id: int, period: DateRange, page: int = 1) -> AuditPage:
    """Every row about the objects a data-subject search finds for this request (the search
    itself is audited with the purpose "data-subject request")."""
    from weerbaar.governance.requests import dsr_search

    period.validate()
    found = dsr_search(acting=acting, request_id=request_id)
    rows = period.apply(AuditEvent.objects.filter(refs_condition(found.refs(), found.signal_ids)))
    result = _page(rows, page)
    _read(acting, "subject", {"request": request_id, **period.as_detail()}, result)
    return result


def audit_for_employee(*, acting: Actor, employee: str, period: DateRange, page: int = 1) -> AuditPage:
    """Every row of one actor (by username or user id)."""
    period.validate()
    text = employee.strip()
    user = User.objects.filter(Q(username=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))).first()
    if user is None:
        raise ValidationError({"employee": _("No employee with this username or id.")})
    rows = period.apply(AuditEvent.objects.filter(actor_id=user.pk))
    result = _page(rows, page)
    _read(acting, "employee", {"employee": user.pk, **period.as_detail()}, result)
    return result


# Export ---------------------------------------------------------------------------------------


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    at = out["at"]
    if isinstance(at, datetime):
        out["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return out


def audit_export(*, acting: Actor, period: DateRange, file_format: str) -> tuple[GeneratedFile, bytes]:
    """The rows of a date range with their chain fields and the verification of the whole chain,
    stored encrypted (it names staff) with an expiry, and returned."""
    period.validate()
    if file_format not in FORMATS:
        raise ValidationError({"format": _("Choose csv or json.")})
    verification = audit_verify()
    rows = [_export_row(r) for r in period.apply(AuditEvent.objects.all()).order_by("id").values(*COLUMNS)]
    verified = {
        "ok": verification.ok,
        "rows": verification.rows,
        "first_broken_id": verification.first_broken_id,
        "message": verification.message,
        "verified_at": timezone.now().isoformat(timespec="seconds"),
    }
    if file_format == "json":
        content = json.dumps(
            {
                "range": period.as_detail(),
                "verification": verified,
                "chain": {
                    "algorithm": "sha256 over the JSON array of hash_fields, sort_keys, separators (',', ':')",
                    "hash_fields": list(HASHED_FIELDS),
                    "genesis": GENESIS,
                },
                "rows": rows,
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
    else:
        preamble: list[list[Any]] = [
            ["verification_ok", verified["ok"]],
            ["verification_message", verified["message"]],
            ["verification_first_broken_id", verified["first_broken_id"] or ""],
            ["verified_at", verified["verified_at"]],
            ["range", period.as_detail()["from"] or "", period.as_detail()["to"] or ""],
            ["hash_fields", *HASHED_FIELDS],
        ]
        body = (
            [
                json.dumps(r[c], sort_keys=True, separators=(",", ":"), ensure_ascii=False) if c == "detail" else r[c]
                for c in COLUMNS
            ]
            for r in rows
        )
        content = csv_bytes(list(COLUMNS), body, preamble=preamble)
    written: list[str] = []
    try:
        with transaction.atomic():
            record = store_file(acting=acting, kind=FileKind.AUDIT_EXPORT, file_format=file_format, content=content)
            written.append(record.stored_file.name)
            audit(
                acting,
                "audit:log:export",
                obj=record,
                purpose=PURPOSE,
                detail={**period.as_detail(), "rows": len(rows), "format": file_format, "chain_ok": verification.ok},
            )
    except BaseException:
        delete_files(written)
        raise
    return record, content


def export_files() -> QuerySet[GeneratedFile]:
    return GeneratedFile.objects.filter(kind=FileKind.AUDIT_EXPORT).order_by("-created_at", "-id")


def export_file(*, acting: Actor, file_id: int) -> tuple[GeneratedFile, bytes]:
    record = export_files().filter(pk=file_id, destroyed_at__isnull=True).exclude(stored_file="").first()
    if record is None:
        audit(
            acting,
            "audit:log:export-read",
            object_type="governance.generatedfile",
            object_id=str(file_id),
            purpose="-",
            result=AuditResult.DENIED,
        )
        raise Http404("No such export")
    with transaction.atomic():
        audit(acting, "audit:log:export-read", obj=record, purpose=PURPOSE)
    return record, read_file(record)
