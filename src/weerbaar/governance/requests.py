# SPDX-License-Identifier: EUPL-1.2
"""Data-subject requests (AVG art. 12 and 15-21): record, search, restrict, report, close.

The search finds everything Weerbaar holds about the person who asked, across steps 1-4: the
subjects of signals (compared with the matching engine's normalisation, see ``person``), signals
they reported, the hit/no-hit queries and content answers about those subjects, and the case of
each signal with its interventions and RIEC referrals; for each item, the audit rows that show who
(by role) read it and for which purpose. Every search is an audited read with the purpose
"data-subject request", one row per signal it opened.

Restrictions are decisions (append-only, who/role/when/why) to withhold an item under art. 41
UAVG, art. 23 AVG, art. 28 Wet Bibob or the rights of others (AVG art. 15(4)). Withholding a
signal withholds everything found under it. Items from a Bibob procedure are withheld by law,
without a decision. The access report never names the reporter of a signal about the person, nor
the staff who handled it (only their roles), and always carries the same restriction notice, so
that its presence says nothing about whether anything was withheld (art. 41(2)(h) UAVG: informing
of a restriction may be left out where it would defeat its purpose).
"""

from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent, AuditResult
from weerbaar.audit.services import audit, audit_batch
from weerbaar.governance import person as match
from weerbaar.governance.files import delete_files, store_file
from weerbaar.governance.models import (
    DataSubjectRequest,
    FileKind,
    GeneratedFile,
    RequestKind,
    RequestStatus,
    Restriction,
    RestrictionGround,
)
from weerbaar.signals.models import Channel, Signal, Subject, SubjectKind
from weerbaar.signals.states import State
from weerbaar.signals.subjects import parse_date

PURPOSE = "data-subject request"
REQUESTER_FIELDS = (
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "bsn",
    "kvk_number",
    "licence_plate",
    "contact",
)
#: AVG art. 12(3): an answer within one month of receipt.
DEADLINE_MONTHS = 1
ITEM_PATTERN = re.compile(r"^(?P<model>[a-z_]+\.[a-z0-9_]+):(?P<pk>\d+)(?P<reporter>:reporter)?$")
FORMATS = ("html", "json", "pdf")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def field_labels() -> dict[str, str]:
    return {
        "given_names": _("Given names"),
        "surname_prefix": _("Surname prefix"),
        "surname": _("Surname"),
        "date_of_birth": _("Date of birth"),
        "street": _("Street"),
        "house_number": _("House number"),
        "house_number_addition": _("Addition"),
        "postcode": _("Postcode"),
        "city": _("City"),
        "bsn": _("BSN"),
        "kvk_number": _("KvK number"),
        "licence_plate": _("Licence plate"),
        "contact": _("E-mail or telephone"),
        "trade_name": _("Trade name"),
        "legal_form": _("Legal form"),
        "sbi_code": _("SBI code"),
        "bag_id": _("BAG id"),
        "usage": _("Use"),
        "make": _("Make"),
        "model": _("Model"),
        "colour": _("Colour"),
    }


# Recording --------------------------------------------------------------------------------------


@dataclass
class RequestInput:
    kind: str
    received_on: date
    requester: dict[str, str]
    notes: str = ""


def validate_requester(raw: dict[str, Any]) -> dict[str, str]:
    """The cleaned identifying data, or ValidationError keyed ``requester.<field>``."""
    unknown = sorted(set(raw) - set(REQUESTER_FIELDS))
    errors: dict[str, str] = {}
    if unknown:
        errors["requester"] = _("Unknown fields: %s") % ", ".join(unknown)
    data = {
        k: str(v).strip() for k, v in raw.items() if k in REQUESTER_FIELDS and v not in (None, "") and str(v).strip()
    }
    for key, value in data.items():
        if len(value) > 200:
            errors[f"requester.{key}"] = _("At most 200 characters.")
    if "bsn" in data:
        try:
            data["bsn"] = stdnum_bsn.validate(data["bsn"])
        except StdnumError:
            errors["requester.bsn"] = _("Not a valid BSN (the eleven-test fails).")
    if "postcode" in data:
        try:
            data["postcode"] = stdnum_postcode.validate(data["postcode"]).replace(" ", "")
        except StdnumError:
            errors["requester.postcode"] = _("Not a Dutch postcode (four digits, two letters).")
    if "date_of_birth" in data:
        try:
            data["date_of_birth"] = parse_date(data["date_of_birth"]).isoformat()
        except ValueError:
            errors["requester.date_of_birth"] = _("Not a date (use YYYY-MM-DD).")
    if "kvk_number" in data and not re.fullmatch(r"\d{8}", data["kvk_number"]):
        errors["requester.kvk_number"] = _("A KvK number has eight digits.")
    if "licence_plate" in data:
        data["licence_plate"] = re.sub(r"[^A-Z0-9]", "", data["licence_plate"].upper())
    has_address = bool(data.get("house_number") and (data.get("postcode") or data.get("street")))
    identifies = (
        data.get("bsn")
        or data.get("kvk_number")
        or data.get("licence_plate")
        or (data.get("surname") and (data.get("date_of_birth") or has_address))
    )
    if not identifies and not errors:
        errors["requester"] = _(
            "Give a BSN, or a surname with a date of birth or an address (postcode or street and house number)."
        )
    if errors:
        raise ValidationError(errors)
    return data


def dsr_create(*, acting: Actor, data: RequestInput) -> DataSubjectRequest:
    """Record a request; its deadline is one month after receipt (AVG art. 12(3))."""
    errors: dict[str, Any] = {}
    if data.kind not in RequestKind.values:
        errors["kind"] = _("Choose the kind of request.")
    if data.received_on > timezone.localdate():
        errors["received_on"] = _("The received date cannot be in the future.")
    if len(data.notes) > 5000:
        errors["notes"] = _("At most 5,000 characters.")
    try:
        requester = validate_requester(data.requester)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        requester = {}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = DataSubjectRequest.objects.create(
            kind=data.kind,
            received_on=data.received_on,
            deadline=_add_months(data.received_on, DEADLINE_MONTHS),
            requester=requester,  # type: ignore[misc]
            notes=data.notes.strip() or None,
            created_by=acting.user,
            created_label=acting.label,
            created_role=acting.role,
        )
        audit(acting, "governance:dsr:create", obj=request, purpose=PURPOSE, detail={"kind": data.kind})
    return request


def dsr_list() -> QuerySet[DataSubjectRequest]:
    """Every request, without the requester's data (not a read of personal data, so not audited)."""
    return DataSubjectRequest.objects.defer("requester", "notes", "outcome_reasons").order_by(
        "status", "deadline", "id"
    )


def _not_found(acting: Actor, request_id: int) -> Http404:
    audit(
        acting,
        "governance:dsr:read",
        object_type="governance.datasubjectrequest",
        object_id=str(request_id),
        purpose="-",
        result=AuditResult.DENIED,
    )
    return Http404("No such request")


def dsr_get(*, acting: Actor, request_id: int) -> DataSubjectRequest:
    """Open one request with the requester's data; audited (a missing id is audited as denied)."""
    request = DataSubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise _not_found(acting, request_id)
    with transaction.atomic():
        audit(acting, "governance:dsr:read", obj=request, purpose=PURPOSE)
    return request


def dsr_close(*, acting: Actor, request_id: int, outcome: str, reasons: str) -> DataSubjectRequest:
    """Record that the request was answered (or refused, AVG art. 12(5)), by whom and why."""
    errors: dict[str, str] = {}
    if outcome not in (RequestStatus.ANSWERED, RequestStatus.REFUSED):
        errors["outcome"] = _("Choose answered or refused.")
    if not reasons.strip():
        errors["reasons"] = _("Say how the request was answered, or why it was refused.")
    elif len(reasons) > 5000:
        errors["reasons"] = _("At most 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    if not DataSubjectRequest.objects.filter(pk=request_id).exists():
        raise _not_found(acting, request_id)  # audited outside the transaction, so the row stays
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request_id)
        if request.status != RequestStatus.RECEIVED:
            raise ValidationError({"outcome": _("This request has already been handled.")})
        request.status = outcome
        request.handled_by = acting.user
        request.handled_label = acting.label
        request.handled_role = acting.role
        request.handled_at = timezone.now()
        request.outcome_reasons = reasons.strip()
        request.save(
            update_fields=["status", "handled_by", "handled_label", "handled_role", "handled_at", "outcome_reasons"]
        )
        audit(acting, "governance:dsr:close", obj=request, purpose=PURPOSE, detail={"outcome": outcome})
    return request


# Searching --------------------------------------------------------------------------------------


@dataclass
class Item:
    """One thing found about the person: ``key`` is ``app.model:id`` (what a restriction names)."""

    key: str
    kind: str
    title: str
    signal_id: int | None
    reasons: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    parents: tuple[str, ...] = ()
    refs: list[tuple[str, str]] = field(default_factory=list)
    auto_ground: str = ""
    withheld_ground: str = ""
    access_log: list[dict[str, str]] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return bool(self.withheld_ground)

    @property
    def ground_label(self) -> str:
        return str(RestrictionGround(self.withheld_ground).label) if self.withheld_ground else ""


@dataclass
class SearchResult:
    request: DataSubjectRequest
    items: list[Item]
    restrictions: list[Restriction]

    @property
    def released(self) -> list[Item]:
        return [i for i in self.items if not i.withheld]

    @property
    def withheld(self) -> list[Item]:
        return [i for i in self.items if i.withheld]

    @property
    def signal_ids(self) -> list[int]:
        return sorted({i.signal_id for i in self.items if i.signal_id is not None})

    def refs(self) -> list[tuple[str, str]]:
        return sorted({ref for i in self.items for ref in i.refs})


def _key(obj: Any) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _ref(obj: Any) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        local = timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value
        return local.strftime("%Y-%m-%d")
    return str(value)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Rows of (label, text) for an encrypted JSON value of unknown shape (a content answer)."""
    labels = field_labels()
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, inner in value.items():
            label = labels.get(str(key), str(key))
            rows.extend(_flatten(inner, f"{prefix} · {label}" if prefix else label))
        return rows
    if isinstance(value, list):
        rows = []
        for index, inner in enumerate(value, start=1):
            rows.extend(_flatten(inner, f"{prefix} {index}".strip()))
        return rows
    return [(prefix or "—", _fmt(value))]


def _mentions(package: Any, keys: set[str], subjects: list[Subject]) -> bool:
    """Whether a referral package names the person: one of their items by key (``subject:<id>``,
    ``query:<id>``, ``content:<id>``; approach.referral's package format), or, for a package of
    another shape, their BSN or their surname with their date of birth in its text."""
    if not isinstance(package, dict):
        return False
    items = package.get("items")
    if isinstance(items, list) and any(isinstance(i, dict) and i.get("key") in keys for i in items):
        return True
    text = json.dumps(package, ensure_ascii=False, default=str)
    for subject in subjects:
        data = subject.data or {}
        if data.get("bsn") and str(data["bsn"]) in text:
            return True
        named = data.get("surname") and data.get("date_of_birth")
        if named and str(data["surname"]) in text and str(data["date_of_birth"]) in text:
            return True
    return False


def _bibob(*texts: str) -> bool:
    return any("bibob" in (t or "").lower() for t in texts)


class _Collector:
    """Builds the items of one search; each is added once (a signal with two matching subjects
    appears once, with both subjects under it)."""

    def __init__(self) -> None:
        self.items: dict[str, Item] = {}

    def add(self, item: Item) -> Item:
        existing = self.items.get(item.key)
        if existing is not None:
            for reason in item.reasons:
                if reason not in existing.reasons:
                    existing.reasons.append(reason)
            return existing
        self.items[item.key] = item
        return item


def _signal_item(signal: Signal) -> Item:
    decisions = [
        (_("Decision"), f"{_fmt(change.at)}: {State(change.to_state).label} ({change.role})")
        for change in signal.history.all()
    ]
    return Item(
        key=_key(signal),
        kind="signal",
        title=_("Signal %s") % signal.reference,
        signal_id=signal.pk,
        rows=[
            (_("Reference"), signal.reference),
            (_("Received on"), _fmt(signal.received_on)),
            (_("Channel"), str(Channel(signal.channel).label)),
            (_("Phenomena"), ", ".join(p.label for p in signal.phenomena.all()) or "—"),
            (_("State"), str(State(signal.state).label)),
            (_("Area"), _fmt(signal.location_area)),
            (_("Address"), _fmt(signal.location_address)),
            (_("Description"), _fmt(signal.description)),
            (_("Kept until"), _fmt(signal.destroy_after) if signal.destroy_after else _("while the signal is open")),
            *decisions,
        ],
        refs=[_ref(signal), ("matching.subject", signal.reference)],
    )


def _subject_rows(subject: Subject) -> list[tuple[str, str]]:
    labels = field_labels()
    return [(_("Kind"), str(SubjectKind(subject.kind).label))] + [
        (labels.get(k, k), str(v)) for k, v in (subject.data or {}).items()
    ]


def _subject_reasons(requester: dict[str, str], who: Any, subject: Subject) -> list[str] | None:
    data = subject.data or {}
    if subject.kind == SubjectKind.PERSON:
        return match.person_reasons(who, match.person_of(data))
    if subject.kind == SubjectKind.ADDRESS:
        return match.address_reasons(requester, data)
    if subject.kind == SubjectKind.COMPANY:
        return match.company_reasons(requester, data)
    if subject.kind == SubjectKind.VEHICLE:
        return match.vehicle_reasons(requester, data)
    return None


def _find_subjects(requester: dict[str, str]) -> list[tuple[Subject, list[str]]]:
    who = match.requester_person(requester)
    found = []
    for subject in (
        Subject.objects.exclude(signal__state=State.DESTROYED).order_by("signal_id", "id").iterator(chunk_size=2000)
    ):
        reasons = _subject_reasons(requester, who, subject)
        if reasons:
            found.append((subject, reasons))
    return found


def _find_reported(requester: dict[str, str]) -> list[tuple[Signal, list[str]]]:
    found = []
    rows = (
        Signal.objects.exclude(state=State.DESTROYED)
        .filter(Q(reporter_name__isnull=False) | Q(reporter_contact__isnull=False))
        .only("id", "reporter_name", "reporter_contact", "received_on", "state")
        .order_by("id")
    )
    for signal in rows.iterator(chunk_size=2000):
        reasons = match.reporter_reasons(requester, signal.reporter_name, signal.reporter_contact)
        if reasons:
            found.append((signal, reasons))
    return found


def _research_items(collect: _Collector, subjects: dict[int, Subject]) -> None:
    from weerbaar.research.models import ContentAnswer, Query

    queries = Query.objects.filter(subject_id__in=list(subjects)).select_related("source").order_by("at", "id")
    for query in queries:
        subject_key = _key(subjects[query.subject_id])  # type: ignore[index]
        signal_key = f"signals.signal:{query.signal_id}"
        law = query.source.law
        collect.add(
            Item(
                key=_key(query),
                kind="query",
                title=_("Query in %s") % query.source.name,
                signal_id=query.signal_id,
                reasons=[_("about a subject found above")],
                rows=[
                    (_("Source"), query.source.name),
                    (_("Date"), _fmt(query.at)),
                    (_("Answer"), query.get_status_display()),
                ],
                parents=(subject_key, signal_key),
                refs=[_ref(query)],
                auto_ground=RestrictionGround.BIBOB_28 if _bibob(law, query.source.name) else "",
            )
        )
    answers = ContentAnswer.objects.filter(decision__request__query__subject_id__in=list(subjects)).select_related(
        "decision__request__query__source"
    )
    for answer in answers:
        query = answer.decision.request.query
        source = query.source
        collect.add(
            Item(
                key=_key(answer),
                kind="content",
                title=_("Content from %s") % source.name,
                signal_id=query.signal_id,
                reasons=[_("answer to a query about a subject found above")],
                rows=[(_("Source"), source.name), (_("Date"), _fmt(answer.created_at)), *_flatten(answer.content)],
                parents=(_key(query), f"signals.signal:{query.signal_id}"),
                refs=[_ref(answer), _ref(answer.decision), _ref(answer.decision.request)],
                auto_ground=RestrictionGround.BIBOB_28 if _bibob(source.law, source.name) else "",
            )
        )


def _approach_items(collect: _Collector, signal_ids: list[int], subjects: dict[int, Subject]) -> None:
    from weerbaar.approach.models import Case

    # The person's research items by the keys a referral package uses (``query:<id>``, ``content:<id>``).
    found = [
        (kind, int(key.split(":")[1]), item.signal_id)
        for key, item in collect.items.items()
        for kind in [{"query": "query", "content": "content"}.get(item.kind, "")]
        if kind
    ]

    for case in Case.objects.filter(signal_id__in=signal_ids).order_by("id"):
        signal_key = f"signals.signal:{case.signal_id}"
        case_key = _key(case)
        collect.add(
            Item(
                key=case_key,
                kind="case",
                title=_("Case %s") % case.reference,
                signal_id=case.signal_id,
                reasons=[_("case of a signal found above")],
                rows=[
                    (_("Reference"), case.reference),
                    (_("Track"), case.get_track_display()),
                    (_("State"), case.get_state_display()),
                    (_("Opened"), _fmt(case.opened_at)),
                    (_("Closed"), _fmt(case.closed_at)),
                    (_("Monitoring until"), _fmt(case.monitoring_until)),
                ],
                parents=(signal_key,),
                refs=[_ref(case)],
            )
        )
        for intervention in case.interventions.select_related("instrument", "owner_department").order_by("id"):
            instrument = intervention.instrument
            collect.add(
                Item(
                    key=_key(intervention),
                    kind="intervention",
                    title=_("Intervention: %s") % instrument.label,
                    signal_id=case.signal_id,
                    reasons=[_("intervention in a case found above")],
                    rows=[
                        (_("Instrument"), instrument.label),
                        (_("Legal basis"), instrument.legal_basis),
                        (_("Competent organ"), instrument.competent_organ),
                        (_("Department"), intervention.owner_department.name),
                        (_("State"), intervention.get_state_display()),
                        (_("Started on"), _fmt(intervention.started_on)),
                        (_("Outcome"), intervention.get_outcome_display() if intervention.outcome else "—"),
                    ],
                    parents=(case_key, signal_key),
                    refs=[_ref(intervention)],
                    auto_ground=RestrictionGround.BIBOB_28
                    if instrument.category == "screening" or _bibob(instrument.legal_basis, instrument.code)
                    else "",
                )
            )
        case_subjects = [s for s in subjects.values() if s.signal_id == case.signal_id]
        keys = {f"subject:{s.pk}" for s in case_subjects} | {
            f"{kind}:{pk}" for kind, pk, signal_id in found if signal_id == case.signal_id
        }
        for referral in case.referrals.order_by("id"):
            if not _mentions(referral.package, keys, case_subjects):
                continue
            collect.add(
                Item(
                    key=_key(referral),
                    kind="referral",
                    title=_("Referral to the RIEC"),
                    signal_id=case.signal_id,
                    reasons=[_("the referral package names a subject found above")],
                    rows=[
                        (_("Recipient"), _("RIEC (Regional Information and Expertise Centre)")),
                        (_("Date"), _fmt(referral.at)),
                        (_("Status"), referral.get_status_display()),
                    ],
                    parents=(case_key, signal_key),
                    refs=[_ref(referral)],
                )
            )


def _access_logs(items: list[Item]) -> None:
    """Who (by role) read or decided on each item, when, and for which purpose (NEN 7513 style).

    Only the roles are shown: the names of staff are their personal data, not the requester's."""
    refs = sorted({ref for item in items for ref in item.refs})
    if not refs:
        return
    condition = Q(pk__in=[])
    for object_type, object_id in refs:
        condition |= Q(object_type=object_type, object_id=object_id)
    by_ref: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
    events = AuditEvent.objects.filter(condition, result=AuditResult.SUCCESS).only(
        "at", "role", "action", "object_type", "object_id", "purpose"
    )
    for event in events.order_by("id"):
        by_ref[(event.object_type, event.object_id)].append(event)
    for item in items:
        seen = []
        for ref in item.refs:
            seen.extend(by_ref.get(ref, []))
        item.access_log = [
            {"date": _fmt(e.at), "role": e.role, "action": e.action, "purpose": e.purpose}
            for e in sorted(seen, key=lambda e: e.pk)
        ]


def current_restrictions(request: DataSubjectRequest) -> list[Restriction]:
    return list(Restriction.objects.filter(request=request, superseded_by__isnull=True).order_by("at", "id"))


def _apply_restrictions(items: list[Item], restrictions: list[Restriction]) -> None:
    active = {r.item: r.ground for r in restrictions if r.withheld}
    for item in items:
        ground = next((active[k] for k in (item.key, *item.parents) if k in active), "")
        item.withheld_ground = ground or item.auto_ground


def _search(request: DataSubjectRequest) -> SearchResult:
    requester = dict(request.requester or {})
    collect = _Collector()
    found_subjects = _find_subjects(requester)
    subjects = {s.pk: s for s, _r in found_subjects}
    signals = {
        s.pk: s
        for s in Signal.objects.filter(pk__in={s.signal_id for s in subjects.values()}).prefetch_related(
            "phenomena", "history"
        )
    }
    for subject, reasons in found_subjects:
        signal = signals[subject.signal_id]
        signal_item = collect.add(_signal_item(signal))
        for reason in [_("a subject of this signal is the requester")]:
            if reason not in signal_item.reasons:
                signal_item.reasons.append(reason)
        collect.add(
            Item(
                key=_key(subject),
                kind="subject",
                title=_("Subject in signal %s") % signal.reference,
                signal_id=signal.pk,
                reasons=reasons,
                rows=_subject_rows(subject),
                parents=(signal_item.key,),
                refs=[_ref(subject)],
            )
        )
    for signal, reasons in _find_reported(requester):
        collect.add(
            Item(
                key=f"signals.signal:{signal.pk}:reporter",
                kind="reporter",
                title=_("Reporter of signal %s") % signal.reference,
                signal_id=signal.pk,
                reasons=reasons,
                rows=[
                    (_("Reference"), signal.reference),
                    (_("Received on"), _fmt(signal.received_on)),
                    (_("Name as recorded"), _fmt(signal.reporter_name)),
                    (_("Contact as recorded"), _fmt(signal.reporter_contact)),
                ],
                parents=(f"signals.signal:{signal.pk}",),
                refs=[],
            )
        )
    _research_items(collect, subjects)
    _approach_items(collect, sorted(signals), subjects)
    items = list(collect.items.values())
    _access_logs(items)
    restrictions = current_restrictions(request)
    _apply_restrictions(items, restrictions)
    return SearchResult(request=request, items=items, restrictions=restrictions)


def dsr_search(*, acting: Actor, request_id: int) -> SearchResult:
    """Find everything about the requester; audited with the purpose "data-subject request"
    (one row for the search, one per signal whose content it opened)."""
    request = DataSubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise _not_found(acting, request_id)
    if request.destroyed_at is not None or request.requester is None:
        raise ValidationError({"request": _("The requester's data of this request has been destroyed.")})
    result = _search(request)
    with transaction.atomic(), audit_batch():
        audit(
            acting,
            "governance:dsr:search",
            obj=request,
            purpose=PURPOSE,
            detail={"items": len(result.items), "signals": len(result.signal_ids)},
        )
        for signal_id in result.signal_ids:
            audit(
                acting,
                "governance:dsr:read",
                object_type="signals.signal",
                object_id=str(signal_id),
                purpose=PURPOSE,
                detail={"request": request.pk},
            )
    return result


# Restrictions -----------------------------------------------------------------------------------


def _signal_of(item: str) -> int | None:
    """The signal an item belongs to, or ValidationError when the item names nothing known."""
    found = ITEM_PATTERN.match(item)
    if found is None:
        raise ValidationError({"item": _("Name an item as app.model:id, as the search shows it.")})
    model, pk = found["model"], int(found["pk"])
    lookups: dict[str, tuple[str, str]] = {
        "signals.signal": ("signals.Signal", "pk"),
        "signals.subject": ("signals.Subject", "signal_id"),
        "research.query": ("research.Query", "signal_id"),
        "research.contentanswer": ("research.ContentAnswer", "decision__request__query__signal_id"),
        "approach.case": ("approach.Case", "signal_id"),
        "approach.intervention": ("approach.Intervention", "case__signal_id"),
        "approach.referral": ("approach.Referral", "case__signal_id"),
    }
    if model not in lookups or (found["reporter"] and model != "signals.signal"):
        raise ValidationError({"item": _("This kind of item cannot be restricted.")})
    from django.apps import apps

    label, path = lookups[model]
    signal_id = apps.get_model(label).objects.filter(pk=pk).values_list(path, flat=True).first()
    if signal_id is None:
        raise ValidationError({"item": _("No such item.")})
    return int(signal_id)


def dsr_restrict(
    *, acting: Actor, request_id: int, item: str, ground: str, reasons: str, withheld: bool = True
) -> Restriction:
    """Withhold (or, with ``withheld=False``, release again) one item for this request.

    Append-only: the new row supersedes the current one for the same item."""
    item = item.strip()
    errors: dict[str, str] = {}
    if ground not in RestrictionGround.values:
        errors["ground"] = _("Choose the ground of the restriction.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for this decision.")
    elif len(reasons) > 5000:
        errors["reasons"] = _("At most 5,000 characters.")
    try:
        signal_id = _signal_of(item)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        signal_id = None
    if errors:
        raise ValidationError(errors)
    if not DataSubjectRequest.objects.filter(pk=request_id).exists():
        raise _not_found(acting, request_id)
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request_id)
        if request.status != RequestStatus.RECEIVED:
            raise ValidationError({"item": _("This request has already been handled.")})
        previous = Restriction.objects.filter(request=request, item=item, superseded_by__isnull=True).first()
        if not withheld and (previous is None or not previous.withheld):
            raise ValidationError({"item": _("This item is not withheld.")})
        restriction = Restriction.objects.create(
            request=request,
            item=item,
            signal_id=signal_id,
            ground=ground,
            withheld=withheld,
            reasons=reasons.strip(),
            supersedes=previous,
            actor=acting.user,
            actor_label=acting.label,
            role=acting.role,
        )
        audit(
            acting,
            "governance:dsr:restrict" if withheld else "governance:dsr:release",
            obj=request,
            purpose=PURPOSE,
            detail={"item": item, "ground": ground, "supersedes": getattr(previous, "pk", None)},
        )
    return restriction


# The access report --------------------------------------------------------------------------------


def restriction_notice() -> str:
    """The same sentence in every report, whether or not anything was withheld."""
    return _(
        "The right of access may be limited where that is necessary to protect the interests named in "
        "article 41 of the Uitvoeringswet AVG (such as the prevention, investigation and prosecution of "
        "criminal offences, and the rights and freedoms of others), or where a law requires secrecy, such "
        "as article 28 of the Wet Bibob. Where such a limitation applies, this report does not say what "
        "or how much it concerns. You may ask the Autoriteit Persoonsgegevens to look into this."
    )


def report_data(result: SearchResult) -> dict[str, Any]:
    """The report as data (JSON format; HTML and PDF render the same dict). Withheld items and
    their access logs are left out; nothing says how many."""
    request = result.request
    requester = request.requester or {}
    name = " ".join(
        p for p in (requester.get("given_names"), requester.get("surname_prefix"), requester.get("surname")) if p
    )
    return {
        "reference": request.reference,
        "kind": request.kind,
        "kind_label": str(RequestKind(request.kind).label),
        "received_on": request.received_on.isoformat(),
        "date": timezone.localdate().isoformat(),
        "controller": settings.MUNICIPALITY_NAME,
        "requester": name or requester.get("bsn", ""),
        "purposes": [
            _(
                "Receiving, assessing and weighing signals of undermining crime (steps 1-2 of the model "
                "privacy protocol)."
            ),
            _("Source research within the municipality after privacy check 1 (step 3)."),
            _("The administrative approach: case meeting, interventions and referral to the RIEC (step 4)."),
        ],
        "legal_basis": _(
            "AVG art. 6(1)(e) (a task carried out in the public interest), with criminal-offence data under "
            "art. 10 AVG and art. 33 UAVG; the instruments have their own legal bases, named with each intervention."
        ),
        "recipients": _(
            "Municipal staff in the roles that need it (need to know); the RIEC, police or other bodies only where "
            "a privacy check allowed it, as shown with each item."
        ),
        "retention": _(
            "A signal that is not taken into treatment is destroyed one year after the decision; a closed case "
            "after its monitoring and retention period. Each signal shows its date."
        ),
        "source_statement": _(
            "Signals come from municipal departments, the police, the RIEC, Meld Misdaad Anoniem or citizens. "
            "Who reported a signal is not disclosed (AVG art. 15(4))."
        ),
        "rights": _(
            "You may ask for rectification (art. 16), erasure (art. 17) or restriction (art. 18), and object "
            "(art. 21). You may complain to the Autoriteit Persoonsgegevens."
        ),
        "restriction_notice": restriction_notice(),
        "items": [
            {
                "kind": item.kind,
                "title": item.title,
                "rows": [[label, value] for label, value in item.rows],
                "access_log": [{k: v for k, v in e.items() if k != "action"} for e in item.access_log],
            }
            for item in result.released
        ],
    }


def render_report(data: dict[str, Any], file_format: str) -> bytes:
    if file_format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    html = render_to_string("governance/access_report.html", {"report": data})
    if file_format == "html":
        return html.encode("utf-8")
    from weasyprint import HTML  # imported here: loading it costs a second, and only reports need it

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def access_report(*, acting: Actor, request_id: int, file_format: str) -> tuple[GeneratedFile, bytes]:
    """Make the access report (html, json or pdf), store it encrypted with an expiry, and return it.

    Runs the search again (audited), so the report shows what holds now and honours every
    restriction decided until this moment."""
    if file_format not in FORMATS:
        raise ValidationError({"format": _("Choose html, json or pdf.")})
    result = dsr_search(acting=acting, request_id=request_id)
    content = render_report(report_data(result), file_format)
    written: list[str] = []
    try:
        with transaction.atomic():
            record = store_file(
                acting=acting,
                kind=FileKind.ACCESS_REPORT,
                file_format=file_format,
                content=content,
                request=result.request,
                signal_ids=[i.signal_id for i in result.released if i.signal_id is not None],
            )
            written.append(record.stored_file.name)
            audit(
                acting,
                "governance:dsr:report",
                obj=result.request,
                purpose=PURPOSE,
                detail={"format": file_format, "file": record.pk},
            )
    except BaseException:
        delete_files(written)
        raise
    return record, content


def report_file(*, acting: Actor, request_id: int, file_id: int) -> tuple[GeneratedFile, bytes]:
    """Download a stored access report again; audited (a missing or destroyed file is not found)."""
    from weerbaar.governance.files import read_file

    record = (
        GeneratedFile.objects.filter(pk=file_id, request_id=request_id, kind=FileKind.ACCESS_REPORT)
        .exclude(stored_file="")
        .select_related("request")
        .first()
    )
    if record is None or record.destroyed_at is not None:
        audit(
            acting,
            "governance:file:read",
            object_type="governance.generatedfile",
            object_id=str(file_id),
            purpose="-",
            result=AuditResult.DENIED,
        )
        raise Http404("No such file")
    with transaction.atomic():
        audit(acting, "governance:file:read", obj=record, purpose=PURPOSE, detail={"request": request_id})
    return record, read_file(record)
