# SPDX-License-Identifier: EUPL-1.2
"""Reads of step 4: one scope for cases, the case's data items, audited reads of their content.

``case_scope`` is the only place that decides which cases a user may open (need to know = the
case team, widened by ``approach:case:read-all``); the list, the case page, the API and every
write start from it. A case outside the scope is "not found", exactly like one that does not
exist, and the attempt is audited (DENIED).

The data items of a case (what privacy check 2A shares) are named by keys: ``signal:description``,
``signal:location``, ``subject:<id>``, ``query:<id>``, ``content:<id>``. Their *labels* hold no
content (kind, source, number), so the case page and the 2A form can show them; their *values*
are read only through :func:`read_items`, which writes an audit row per item with the purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor, role_granting
from weerbaar.accounts.permissions import Perm
from weerbaar.approach.models import (
    Case,
    Intervention,
    InterventionStep,
    Notification,
    Participant,
    PrivacyCheck2B,
    Referral,
    ShareMatrix,
)
from weerbaar.audit.models import AuditResult
from weerbaar.audit.services import audit
from weerbaar.research.forms import field_label
from weerbaar.research.models import ContentAnswer, Query, QueryStatus
from weerbaar.signals.models import Signal, Subject, SubjectKind
from weerbaar.signals.subjects import subject_label

PURPOSE_MEETING = "case meeting"
PURPOSE_REFERRAL = "RIEC referral"
PURPOSE_CASE = "case handling"


def case_scope(user: Any) -> QuerySet[Case]:
    """Cases this user may open: all with ``approach:case:read-all``, else those whose team they are on."""
    if role_granting(user, Perm.CASE_READ_ALL):
        return Case.objects.all()
    if role_granting(user, Perm.CASE_VIEW) is None:
        return Case.objects.none()
    return Case.objects.filter(team=user)


def view_role(user: Any) -> str:
    return role_granting(user, Perm.CASE_READ_ALL) or role_granting(user, Perm.CASE_VIEW) or "-"


def audit_not_found(user: Any, origin: str, object_type: str, object_id: int | str) -> None:
    """A missing or out-of-scope id is refused like a missing one, and the attempt is logged."""
    audit(
        Actor(user=user, role=view_role(user), origin=origin),
        f"{object_type}:read",
        object_type=object_type.replace(":", "."),
        object_id=str(object_id),
        purpose="-",
        result=AuditResult.DENIED,
    )


def case_in_scope(*, user: Any, case_id: int, origin: str) -> bool:
    """For a write: is the case within the user's scope? A miss is logged like a read probe."""
    if case_scope(user).filter(pk=case_id).exists():
        return True
    audit_not_found(user, origin, "approach:case", case_id)
    return False


def case_get(*, user: Any, case_id: int, origin: str, purpose: str = PURPOSE_CASE, audited: bool = True) -> Case:
    """Open one case: scope check (404 when outside), then an audit row naming the purpose.

    The case page shows the team's reasons (encrypted content), so opening it is a read."""
    case = case_scope(user).filter(pk=case_id).select_related("signal").first()
    if case is None:
        audit_not_found(user, origin, "approach:case", case_id)
        raise Http404("No such case")
    if audited:
        audit(Actor(user=user, role=view_role(user), origin=origin), "approach:case:read", obj=case, purpose=purpose)
    return case


def case_list(user: Any, *, state: str = "", q: str = "") -> QuerySet[Case]:
    """The cases list: the scope, plus cases where the user is a participant of the meeting (so a
    participant can find the meeting view). It shows references, dates and states only: no content."""
    condition = Q(pk__in=case_scope(user).values("pk"))
    if role_granting(user, Perm.CASE_VIEW):
        condition |= Q(participants__user=user)
    qs = Case.objects.filter(condition).distinct()
    if state:
        qs = qs.filter(state=state)
    term = q.strip().upper()
    if term:
        ref = term.removeprefix("Z-").removeprefix("S-").lstrip("0")
        if not ref.isdigit() or len(ref) > 18:  # a longer number is no reference (and no overflow)
            return qs.none()
        if term.startswith("Z-"):
            qs = qs.filter(pk=int(ref))
        elif term.startswith("S-"):
            qs = qs.filter(signal_id=int(ref))
        else:
            qs = qs.filter(Q(pk=int(ref)) | Q(signal_id=int(ref)))
    return qs.select_related("signal").order_by("-opened_at", "-id")


def intervention_get(*, user: Any, intervention_id: int, origin: str, audited: bool = False) -> Intervention:
    """One intervention in the user's scope (404 otherwise). ``audited`` for a read that shows its
    content (reasons, 2B, step notes, outcome notes); a write logs itself."""
    found = (
        Intervention.objects.filter(pk=intervention_id, case__in=case_scope(user))
        .select_related("case", "case__signal", "instrument", "owner_department")
        .first()
    )
    if found is None:
        audit_not_found(user, origin, "approach:intervention", intervention_id)
        raise Http404("No such intervention")
    if audited:
        acting = Actor(user=user, role=view_role(user), origin=origin)
        audit(acting, "approach:intervention:read", obj=found, purpose=PURPOSE_CASE, detail={"case": found.case_id})
    return found


def step_get(*, user: Any, step_id: int, origin: str) -> InterventionStep:
    found = (
        InterventionStep.objects.filter(pk=step_id, intervention__case__in=case_scope(user))
        .select_related("intervention", "intervention__case", "step")
        .first()
    )
    if found is None:
        audit_not_found(user, origin, "approach:interventionstep", step_id)
        raise Http404("No such step")
    return found


def referral_get(*, user: Any, referral_id: int, origin: str, audited: bool = False) -> Referral:
    """One referral in the user's scope (404 otherwise); ``audited`` for a read of its content."""
    found = Referral.objects.filter(pk=referral_id, case__in=case_scope(user)).select_related("case").first()
    if found is None:
        audit_not_found(user, origin, "approach:referral", referral_id)
        raise Http404("No such referral")
    if audited:
        acting = Actor(user=user, role=view_role(user), origin=origin)
        audit(acting, "approach:referral:read", obj=found, purpose=PURPOSE_CASE, detail={"case": found.case_id})
    return found


def current_matrix(case: Case) -> ShareMatrix | None:
    """The share matrix in force: the latest one that no later matrix superseded."""
    return case.share_matrices.filter(superseded_by__isnull=True).order_by("-at", "-id").first()


def current_2b(intervention: Intervention) -> PrivacyCheck2B | None:
    return intervention.checks_2b.filter(superseded_by__isnull=True).order_by("-at", "-id").first()


def riec_participant(case: Case) -> Participant | None:
    return case.participants.filter(is_riec=True).order_by("id").first()


# --- Data items -------------------------------------------------------------------------------


@dataclass
class DataItem:
    """One item of a case that 2A may share: key, a content-free label, and (once read) its value."""

    key: str
    kind: str
    label: str
    value: Any = None
    text: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    #: a content answer: one list of (label, value) rows per record
    records: list[list[tuple[str, str]]] = field(default_factory=list)


def _subject_numbers(signal: Signal) -> dict[int, int]:
    return {
        pk: i
        for i, pk in enumerate(Subject.objects.filter(signal=signal).order_by("id").values_list("pk", flat=True), 1)
    }


def case_items(case: Case) -> list[DataItem]:
    """Every data item of the case, in a stable order, with labels that hold no content."""
    signal = case.signal
    items = [
        DataItem("signal:description", "signal_description", _("Signal: description")),
        DataItem("signal:location", "signal_location", _("Signal: location (address and area)")),
    ]
    numbers = _subject_numbers(signal)
    kinds = dict(SubjectKind.choices)
    for subject in Subject.objects.filter(signal=signal).order_by("id").only("id", "kind"):
        items.append(
            DataItem(
                f"subject:{subject.pk}",
                "subject",
                _("Subject %(number)d (%(kind)s)")
                % {"number": numbers[subject.pk], "kind": kinds.get(subject.kind, subject.kind)},
            )
        )
    queries = (
        Query.objects.filter(signal=signal)
        .select_related("source")
        .order_by("id")
        .only("id", "subject_id", "subject_kind", "source__name")
    )
    for query in queries:
        items.append(
            DataItem(
                f"query:{query.pk}",
                "query",
                _("Query %(id)d: %(source)s, %(subject)s (answer only)")
                % {"id": query.pk, "source": query.source.name, "subject": _subject_ref(numbers, query)},
            )
        )
    answers = (
        ContentAnswer.objects.filter(decision__request__query__signal=signal)
        .select_related("decision__request__query__source")
        .order_by("id")
        .defer("content")
    )
    for answer in answers:
        query = answer.decision.request.query
        items.append(
            DataItem(
                f"content:{answer.pk}",
                "content",
                _("Content answer %(id)d: %(source)s, %(subject)s")
                % {"id": answer.pk, "source": query.source.name, "subject": _subject_ref(numbers, query)},
            )
        )
    return items


def _subject_ref(numbers: dict[int, int], query: Query) -> str:
    if query.subject_id in numbers:
        return _("subject %d") % numbers[query.subject_id]
    return _("a removed subject")


def item_keys(case: Case) -> set[str]:
    return {item.key for item in case_items(case)}


def allowed_keys(matrix: ShareMatrix | None, participant_ids: set[int]) -> list[str]:
    """The item keys a matrix shares with any of these participants."""
    if matrix is None or not participant_ids:
        return []
    return sorted(key for key, ids in (matrix.cells or {}).items() if participant_ids & {int(i) for i in ids})


def read_items(*, acting: Actor, case: Case, keys: list[str], purpose: str) -> list[DataItem]:
    """The values of exactly these items of the case, each read audited with ``purpose``.

    Why one audit row per item: afterwards one must be able to establish who saw which record, for
    which case and purpose (NEN 7513). Keys that are not items of this case are skipped."""
    wanted = set(keys)
    items = [item for item in case_items(case) if item.key in wanted]
    if not items:
        return []
    signal = Signal.objects.get(pk=case.signal_id)
    numbers = _subject_numbers(signal)
    for item in items:
        prefix, _sep, ident = item.key.partition(":")
        if item.key == "signal:description":
            item.value = signal.description
            item.text = signal.description or ""
            audit(
                acting, "signals:signal:read", obj=signal, purpose=purpose, detail={"case": case.pk, "item": item.key}
            )
        elif item.key == "signal:location":
            item.value = {"address": signal.location_address or "", "area": signal.location_area}
            item.text = " · ".join(p for p in (signal.location_address or "", signal.location_area) if p)
            audit(
                acting, "signals:signal:read", obj=signal, purpose=purpose, detail={"case": case.pk, "item": item.key}
            )
        elif prefix == "subject":
            subject = Subject.objects.get(pk=int(ident), signal=signal)
            data = dict(subject.data or {})
            item.value = {"kind": subject.kind, "fields": data}
            item.text = subject_label(subject.kind, data)
            audit(acting, "signals:subject:read", obj=subject, purpose=purpose, detail={"case": case.pk})
        elif prefix == "query":
            query = Query.objects.select_related("source").get(pk=int(ident), signal=signal)
            status = QueryStatus(query.status)
            item.value = {
                "source": query.source.name,
                "subject": _subject_ref(numbers, query),
                "answer": query.status,
            }
            item.text = f"{query.source.name}, {_subject_ref(numbers, query)}: {status.label}"
            audit(acting, "research:query:read", obj=query, purpose=purpose, detail={"case": case.pk})
        elif prefix == "content":
            answer = ContentAnswer.objects.select_related("decision__request__query__source").get(
                pk=int(ident), decision__request__query__signal=signal
            )
            query = answer.decision.request.query
            content = dict(answer.content or {}) if isinstance(answer.content, dict) else {"content": answer.content}
            item.value = {"source": query.source.name, "subject": _subject_ref(numbers, query), "fields": content}
            item.records = _content_records(content)
            item.rows = [row for record in item.records for row in record]
            item.text = " / ".join("; ".join(f"{k}: {v}" for k, v in record) for record in item.records)
            audit(acting, "research:contentanswer:read", obj=answer, purpose=purpose, detail={"case": case.pk})
    return items


def _content_records(content: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """An approved content answer as records of (Dutch field label, value) rows.

    The answer is ``{"records": [{field: value}, ...]}`` (research.services); a plain mapping
    is one record. Why labels: the meeting reads "Samenvatting", not the column code ``summary``."""
    records = content.get("records") if isinstance(content.get("records"), list) else [content]
    found: list[list[tuple[str, str]]] = []
    for record in records or []:
        if isinstance(record, dict):
            found.append([(field_label(str(k)), _flat(v)) for k, v in record.items()])
        else:
            found.append([("", _flat(record))])
    return found


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return "" if value is None else str(value)


@dataclass
class MeetingView:
    """What one user sees of the case meeting: the items 2A allows their participant rows."""

    case: Case
    participants: list[Participant]
    matrix: ShareMatrix | None
    items: list[DataItem]


def meeting_view(*, user: Any, case_id: int, origin: str) -> MeetingView:
    """The meeting view: exactly the items the current 2A allows this user's participant rows,
    read with the purpose "case meeting"; nothing else. Open to the case's participants and to
    whoever may open the case; everyone else gets "not found" (audited)."""
    case = (
        Case.objects.filter(Q(pk=case_id) & (Q(pk__in=case_scope(user).values("pk")) | Q(participants__user=user)))
        .select_related("signal")
        .distinct()
        .first()
        if role_granting(user, Perm.CASE_VIEW)
        else None
    )
    if case is None:
        audit_not_found(user, origin, "approach:case", case_id)
        raise Http404("No such case")
    participants = list(case.participants.filter(user=user))
    matrix = current_matrix(case)
    keys = allowed_keys(matrix, {p.pk for p in participants})
    acting = Actor(user=user, role=view_role(user), origin=origin)
    audit(
        acting,
        "approach:meeting:read",
        obj=case,
        purpose=PURPOSE_MEETING,
        detail={"items": len(keys), "matrix": getattr(matrix, "pk", None)},
    )
    items = read_items(acting=acting, case=case, keys=keys, purpose=PURPOSE_MEETING)
    return MeetingView(case=case, participants=participants, matrix=matrix, items=items)


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications (references and dates only, no personal data)."""
    qs = Notification.objects.filter(user=user).select_related("case")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs
