# SPDX-License-Identifier: EUPL-1.2
"""Reads of step 3: the research overview of a signal, and the task lists per role.

Who sees what (need to know):

* the **team** (a research permission and the signal in scope with the full view): every
  status, every decision and its reasons;
* the **privacyfunctionaris** (privacy check 1, the signal in scope for the check): every status,
  and the reasons of privacy check 1 (request and assessment), not those of content requests or W4;
* a **source owner**: no overview; only the content requests for their own department's sources,
  with the request's justification, never the signal's other content (:func:`owner_requests`);
* anyone else: 403 (no research role) or 404 (signal outside the scope), audited.

No selector returns a matched record id or content; content is read only through
``services.content_read`` (audited with its purpose).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from weerbaar.accounts.authz import Actor, has_perm, role_granting
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit_denial
from weerbaar.research.models import (
    W4,
    ContentDecision,
    ContentRequest,
    Outcome,
    PrivacyCheck1,
    Query,
    SourceApproval,
)
from weerbaar.research.services import current_approvals
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.selectors import ViewLevel, signal_get, signal_scope
from weerbaar.signals.states import State
from weerbaar.signals.subjects import subject_label
from weerbaar.sources.models import Source

#: The team's permissions in step 3; holding one of them (or PC1_DECIDE) makes a research reader.
TEAM_PERMS = (Perm.PC1_REQUEST, Perm.QUERY_RUN, Perm.CONTENT_REQUEST, Perm.W4_DECIDE)
READER_PERMS = (*TEAM_PERMS, Perm.PC1_DECIDE)

PURPOSE = "source research (step 3)"


def reader_role(user: Any) -> str | None:
    for perm in READER_PERMS:
        role = role_granting(user, perm)
        if role:
            return role
    return None


def require_reader(user: Any, origin: str) -> None:
    """The overview is for the team and the privacyfunctionaris; another role never sees it (403)."""
    if reader_role(user) is None:
        audit_denial(
            actor_id=getattr(user, "pk", None),
            actor_label=user.get_username() if getattr(user, "is_authenticated", False) else "anonymous",
            action="research:overview:read",
            origin=origin,
        )
        raise PermissionDenied("research:overview:read")


@dataclass
class SourceRow:
    """One requested source of a privacy check 1: its current decision and the ones it corrected."""

    source: Source
    decision: SourceApproval | None
    history: list[SourceApproval]


@dataclass
class PC1View:
    pc1: PrivacyCheck1
    rows: list[SourceRow]

    @property
    def open(self) -> bool:
        return any(r.decision is None for r in self.rows)


@dataclass
class SubjectQueries:
    """The latest answer per approved source for one subject (statuses only)."""

    index: int
    subject: Subject | None
    kind: str
    label: str
    queries: list[Query]


@dataclass
class RequestView:
    request: ContentRequest
    query: Query
    decision: ContentDecision | None
    answer_id: int | None
    #: The fields as the page names them (filled in by the view, which knows the labels).
    requested_label: str = ""
    approved_label: str = ""


@dataclass
class Overview:
    signal: Signal
    subjects: list[tuple[str, str]]
    pc1s: list[PC1View]
    approved: list[SourceApproval]
    by_subject: list[SubjectQueries]
    runs: int
    requests: list[RequestView]
    w4s: list[W4]
    team: bool
    show_reasons: bool
    show_pc1_reasons: bool
    can: dict[str, bool] = field(default_factory=dict)


def pc1_views(signal_id: int) -> list[PC1View]:
    views = []
    checks = (
        PrivacyCheck1.objects.filter(signal_id=signal_id).prefetch_related("requested_sources").order_by("at", "id")
    )
    decisions = list(
        SourceApproval.objects.filter(pc1__signal_id=signal_id)
        .select_related("source", "superseded_by")
        .order_by("at", "id")
    )
    for pc1 in checks:
        rows = []
        for source in sorted(pc1.requested_sources.all(), key=lambda s: s.name):
            mine = [d for d in decisions if d.pc1_id == pc1.pk and d.source_id == source.pk]
            current = next((d for d in mine if not hasattr(d, "superseded_by")), None)
            rows.append(SourceRow(source=source, decision=current, history=[d for d in mine if d is not current]))
        views.append(PC1View(pc1=pc1, rows=rows))
    return views


def latest_queries(signal: Signal) -> tuple[list[SubjectQueries], int]:
    """Per subject, the latest answer of each source (the run that asked it last)."""
    queries = list(Query.objects.filter(signal=signal).select_related("source").order_by("run", "id"))
    latest: dict[tuple[int | None, int], Query] = {}
    for q in queries:
        latest[(q.subject_id, q.source_id)] = q
    rows = []
    for index, subject in enumerate(signal.subjects.order_by("id"), start=1):
        mine = sorted((q for (sid, _src), q in latest.items() if sid == subject.pk), key=lambda q: q.source.name)
        rows.append(
            SubjectQueries(
                index=index,
                subject=subject,
                kind=subject.kind,
                label=subject_label(subject.kind, subject.data),
                queries=mine,
            )
        )
    orphans = sorted((q for (sid, _src), q in latest.items() if sid is None), key=lambda q: q.source.name)
    if orphans:  # subjects destroyed: statuses stay as tombstone
        rows.append(SubjectQueries(index=0, subject=None, kind="", label="—", queries=orphans))
    return rows, max((q.run for q in queries), default=0)


def request_views(signal_id: int, *, department_id: int | None = None) -> list[RequestView]:
    requests = ContentRequest.objects.filter(query__signal_id=signal_id).select_related("query__source")
    if department_id is not None:
        requests = requests.filter(query__source__owner_department_id=department_id)
    views = []
    for request in requests.order_by("at", "id"):
        decision = ContentDecision.objects.filter(request=request).first()
        answer_id = getattr(getattr(decision, "answer", None), "pk", None) if decision else None
        views.append(RequestView(request=request, query=request.query, decision=decision, answer_id=answer_id))
    return views


def research_overview(*, user: Any, signal_id: int, origin: str) -> Overview:
    """The research state of one signal for the team or the privacyfunctionaris; one audited read.

    Role first (403 when no research role), then scope (404, audited, through ``signal_get``),
    then the read itself is audited with the purpose "source research (step 3)"."""
    require_reader(user, origin)
    signal = signal_get(user=user, signal_id=signal_id, origin=origin, purpose=PURPOSE)
    full = getattr(signal, "view_level", "") == ViewLevel.FULL
    team = full and any(has_perm(user, p) for p in TEAM_PERMS)
    by_subject, runs = latest_queries(signal)
    research = signal.state == State.RESEARCH
    approved = list(current_approvals(signal.pk))
    return Overview(
        signal=signal,
        subjects=[(s.get_kind_display(), subject_label(s.kind, s.data)) for s in signal.subjects.all()],
        pc1s=pc1_views(signal.pk),
        approved=approved,
        by_subject=by_subject,
        runs=runs,
        requests=request_views(signal.pk),
        w4s=list(W4.objects.filter(signal=signal).prefetch_related("departments").order_by("at", "id")),
        team=team,
        show_reasons=full,
        show_pc1_reasons=full or has_perm(user, Perm.PC1_DECIDE),
        can={
            "pc1_request": research and team and has_perm(user, Perm.PC1_REQUEST),
            "query_run": research and team and has_perm(user, Perm.QUERY_RUN) and bool(approved),
            "content_request": research and team and has_perm(user, Perm.CONTENT_REQUEST),
            "content_read": team and has_perm(user, Perm.CONTENT_REQUEST),
            "w4": research and team and has_perm(user, Perm.W4_DECIDE),
            "pc1_decide": research and has_perm(user, Perm.PC1_DECIDE),
        },
    )


def query_get(*, acting: Actor, query_id: int) -> Query:
    """One query of a signal in the user's scope (for the content request form); else audited 404."""
    from weerbaar.research.services import not_found

    query = (
        Query.objects.select_related("source", "signal")
        .filter(pk=query_id, signal__in=signal_scope(acting.user))
        .first()
    )
    if query is None:
        raise not_found(acting, "research.query", query_id)
    return query


def pc1_get(*, acting: Actor, pc1_id: int) -> PrivacyCheck1:
    from weerbaar.research.services import not_found

    pc1 = PrivacyCheck1.objects.filter(pk=pc1_id, signal__in=signal_scope(acting.user)).first()
    if pc1 is None:
        raise not_found(acting, "research.privacycheck1", pc1_id)
    return pc1


# Task lists ------------------------------------------------------------------------------------


def open_pc1s(user: Any) -> QuerySet[PrivacyCheck1]:
    """Privacy checks 1 waiting for a decision, for the privacyfunctionaris (signals in research)."""
    if not has_perm(user, Perm.PC1_DECIDE):
        return PrivacyCheck1.objects.none()
    return (
        PrivacyCheck1.objects.filter(
            decided_at__isnull=True, signal__in=signal_scope(user), signal__state=State.RESEARCH
        )
        .select_related("signal")
        .prefetch_related("requested_sources")
        .order_by("at", "id")
    )


def owner_requests(user: Any, *, open_only: bool = True) -> QuerySet[ContentRequest]:
    """Content requests for the sources of the user's department (a source owner's task list).

    No scope on signals: a source owner sees the request (source, fields, justification, the
    signal's reference), never the signal itself."""
    if not has_perm(user, Perm.CONTENT_DECIDE) or getattr(user, "department_id", None) is None:
        return ContentRequest.objects.none()
    requests = ContentRequest.objects.filter(query__source__owner_department_id=user.department_id)
    if open_only:
        requests = requests.filter(decision__isnull=True, query__signal__state=State.RESEARCH)
    return requests.select_related("query__source", "query__signal").order_by("at", "id")


def answers_to_read(user: Any) -> QuerySet[ContentDecision]:
    """Approved content requests of signals in research, for the team (the answers arrived)."""
    if not has_perm(user, Perm.CONTENT_REQUEST):
        return ContentDecision.objects.none()
    return (
        ContentDecision.objects.filter(
            outcome=Outcome.APPROVED,
            request__query__signal__in=signal_scope(user),
            request__query__signal__state=State.RESEARCH,
        )
        .select_related("request__query__source", "request__query__signal")
        .order_by("at", "id")
    )


def research_signals(user: Any) -> QuerySet[Signal]:
    """Signals in source research, for the team."""
    if not any(has_perm(user, p) for p in (Perm.QUERY_RUN, Perm.W4_DECIDE)):
        return Signal.objects.none()
    return signal_scope(user).filter(state=State.RESEARCH).order_by("received_on", "id")
