# SPDX-License-Identifier: EUPL-1.2
"""Every write of step 3 (source research): typed, keyword-only, atomic, with its audit row inside.

The protocol's order is enforced here, in this sequence (domain.md §2, ADR 0008):

1. :func:`pc1_request` — the team asks which sources may be queried, and why;
2. :func:`pc1_decide` — the privacyfunctionaris decides per source (approved / refused, with the
   AVG art. 6(4) assessment); an excluded source can never be approved; a correction supersedes;
3. :func:`run_queries` — hit/no-hit of every subject in every *currently approved* source, through
   ``matching.services.hit_no_hit`` (whose source gate, :func:`pc1_gate`, checks the same again);
4. :func:`content_request` / :func:`content_decide` / :func:`content_read` — content of a hit only
   on a justified request that the source's owner department approves, copied at approval;
5. :func:`w4_decide` — do the hits confirm the signal? stop, department(s), case meeting or RIEC.

Views, the API and demo code call these functions; each takes ``acting`` (who, in which role,
from where). Input errors are ``ValidationError`` keyed by field; a step that the signal's state
does not allow raises :class:`~weerbaar.signals.states.IllegalTransition`; a rule that refuses
(no approval, not approved) raises :class:`Refused` after writing a ``denied`` audit row; an object
outside the user's scope is ``Http404``, audited like a missing one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor, role_granting
from weerbaar.accounts.models import Department
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.models import AuditResult
from weerbaar.audit.services import audit, audit_denial
from weerbaar.matching.services import SEGMENT_KINDS, hit_no_hit, identifies
from weerbaar.research.events import w4_decided
from weerbaar.research.models import (
    W4,
    ContentAnswer,
    ContentDecision,
    ContentRequest,
    Outcome,
    PrivacyCheck1,
    Query,
    QueryStatus,
    SourceApproval,
    W4Outcome,
)
from weerbaar.signals.models import Signal, SubjectKind
from weerbaar.signals.selectors import signal_scope
from weerbaar.signals.services import apply_transition
from weerbaar.signals.states import IllegalTransition, State
from weerbaar.sources.models import Mode, Source, SourceRecord
from weerbaar.sources.selectors import record_content

MAX_REASONS = 5000

#: The assessment of privacy check 1 per source (AVG art. 6(4) and the protocol's tests).
#: ``compatibility`` holds the five factors of art. 6(4); all ten texts are required to approve.
COMPATIBILITY_FIELDS = ("link", "context", "nature", "consequences", "safeguards")
ASSESSMENT_FIELDS = (
    "legal_basis",
    *COMPATIBILITY_FIELDS,
    "necessity",
    "proportionality",
    "subsidiarity",
    "minimisation",
)

#: W4 outcome → the state the signal moves to.
W4_TARGET: dict[str, State] = {
    W4Outcome.STOP: State.STOPPED,
    W4Outcome.DEPARTMENT: State.DEPARTMENT,
    W4Outcome.CASE: State.CASE,
    W4Outcome.RIEC: State.RIEC,
}


class Refused(PermissionDenied):
    """A rule of the protocol refuses the step (no approved privacy check 1, no approved content
    request); the refusal was written to the audit log with result ``denied``. Its message says why."""


class NotInResearch(IllegalTransition):
    """The step belongs to source research, and the signal is not (or no longer) there."""

    def __init__(self, current: str) -> None:
        Exception.__init__(
            self,
            _("This step belongs to source research (step 3); the signal is “%(current)s”.")
            % {"current": State(current).label},
        )
        self.current = current
        self.target = State.RESEARCH


# Shared checks ---------------------------------------------------------------------------------


def _require(acting: Actor, perm: Perm) -> None:
    """Defence in depth: the views declare the permission too; the system actor (demo, jobs) passes."""
    if acting.user is None or role_granting(acting.user, perm) is not None:
        return
    audit_denial(actor_id=acting.user_id, actor_label=acting.label, action=str(perm), origin=acting.origin)
    raise PermissionDenied(str(perm))


def not_found(acting: Actor, object_type: str, object_id: Any) -> Http404:
    """Record a probe for an object the user may not know about; the caller raises the 404.

    Written outside any transaction of the step, so that the refusal stays in the log."""
    audit(
        acting,
        f"{object_type.replace('.', ':')}:read",
        object_type=object_type,
        object_id=str(object_id),
        purpose="-",
        result=AuditResult.DENIED,
    )
    return Http404("Not found")


def _scope(acting: Actor) -> QuerySet[Signal]:
    return Signal.objects.all() if acting.user is None else signal_scope(acting.user)


def _signal_in_scope(acting: Actor, signal_id: int) -> Signal:
    signal = _scope(acting).filter(pk=signal_id).only("id", "state").first()
    if signal is None:
        raise not_found(acting, "signals.signal", signal_id)
    return signal


def _lock_in_research(signal_id: int) -> Signal:
    signal = Signal.objects.select_for_update().get(pk=signal_id)
    if signal.state != State.RESEARCH:
        raise NotInResearch(signal.state)
    return signal


def _refuse(
    acting: Actor, action: str, message: str, *, obj: Any = None, object_type: str = "", detail: dict[str, Any]
) -> Refused:
    """Audit a refusal by a rule (result ``denied``) and return the exception to raise.

    Call it outside the step's transaction (or after it rolled back): the row must stay."""
    object_id = ""
    if obj is None and object_type:
        object_id = str(detail.get("signal_id") or detail.get("reference") or "")[:64]
    audit(
        acting,
        action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        purpose="source research (step 3)",
        result=AuditResult.DENIED,
        detail=detail,
    )
    return Refused(message)


def _reasons(errors: dict[str, Any], reasons: str, key: str = "reasons") -> str:
    text = (reasons or "").strip()
    if not text:
        errors[key] = _("Give the reasons.")
    elif len(text) > MAX_REASONS:
        errors[key] = _("At most 5,000 characters.")
    return text


def current_approvals(signal_id: int) -> QuerySet[SourceApproval]:
    """The signal's current approvals: approved rows of privacy check 1 that no correction superseded."""
    return SourceApproval.objects.filter(
        pc1__signal_id=signal_id, outcome=Outcome.APPROVED, superseded_by__isnull=True
    ).select_related("source")


def _current_decision(pc1: PrivacyCheck1, source: Source) -> SourceApproval | None:
    return SourceApproval.objects.filter(pc1=pc1, source=source, superseded_by__isnull=True).first()


def _decider(acting: Actor) -> dict[str, Any]:
    return {"actor": acting.user, "actor_label": acting.label, "role": acting.role}


# Privacy check 1 -------------------------------------------------------------------------------


def pc1_request(*, acting: Actor, signal_id: int, source_slugs: Sequence[str], reasons: str) -> PrivacyCheck1:
    """Ask the privacyfunctionaris which of these sources may be queried for the signal, and why.

    Refused: an unknown or switched-off source, a source already approved for the signal, a source
    still waiting in an earlier request. An excluded source may be asked for (the privacyfunctionaris
    must then refuse it); the form says it cannot be approved."""
    _require(acting, Perm.PC1_REQUEST)
    _signal_in_scope(acting, signal_id)
    errors: dict[str, Any] = {}
    text = _reasons(errors, reasons)
    slugs = list(dict.fromkeys(source_slugs))
    sources = list(Source.objects.filter(slug__in=slugs, active=True).order_by("name"))
    if not slugs:
        errors["sources"] = _("Choose at least one source.")
    elif len(sources) != len(slugs):
        errors["sources"] = _("Unknown or switched-off source: %s") % ", ".join(
            sorted(set(slugs) - {s.slug for s in sources})
        )
    approved = {a.source_id for a in current_approvals(signal_id)}
    pending = _pending_source_ids(signal_id)
    for source in sources:
        if source.pk in approved:
            errors.setdefault("sources", _("%s is already approved for this signal.") % source.name)
        elif source.pk in pending:
            errors.setdefault("sources", _("%s is already waiting for privacy check 1.") % source.name)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = _lock_in_research(signal_id)
        pc1 = PrivacyCheck1.objects.create(signal=signal, reasons=text, **_decider(acting))
        pc1.requested_sources.set(sources)
        audit(
            acting,
            "research:pc1:request",
            obj=pc1,
            purpose="privacy check 1",
            detail={"signal": signal.pk, "sources": [s.slug for s in sources]},
        )
    return pc1


def unavailable_for_request(signal_id: int) -> set[int]:
    """Sources a new privacy check 1 of the signal cannot ask for: approved, or still waiting."""
    return {a.source_id for a in current_approvals(signal_id)} | _pending_source_ids(signal_id)


def _pending_source_ids(signal_id: int) -> set[int]:
    """Sources requested in a privacy check 1 of the signal that has no decision on them yet."""
    pending: set[int] = set()
    for pc1 in PrivacyCheck1.objects.filter(signal_id=signal_id, decided_at__isnull=True).prefetch_related(
        "requested_sources"
    ):
        decided = set(pc1.approvals.values_list("source_id", flat=True))
        pending |= {s.pk for s in pc1.requested_sources.all()} - decided
    return pending


@dataclass
class SourceDecision:
    """The privacyfunctionaris' decision on one requested source.

    ``assessment`` holds ``legal_basis``, ``compatibility`` (``link``, ``context``, ``nature`` incl.
    art. 9/10 data, ``consequences``, ``safeguards``), ``necessity``, ``proportionality``,
    ``subsidiarity`` and ``minimisation``; the compatibility factors may also be given at the top
    level. ``supersedes`` names the current decision that this one corrects (required when the
    source was decided before: a stale form never overwrites someone else's decision)."""

    source: str
    outcome: str
    reasons: str
    assessment: Mapping[str, Any] = field(default_factory=dict)
    supersedes: int | None = None


def _flat_assessment(raw: Mapping[str, Any]) -> dict[str, str]:
    nested = raw.get("compatibility") or {}
    flat = {name: str(raw.get(name) or "").strip() for name in ASSESSMENT_FIELDS}
    if isinstance(nested, Mapping):
        for name in COMPATIBILITY_FIELDS:
            flat[name] = flat[name] or str(nested.get(name) or "").strip()
    return flat


def _stored_assessment(flat: Mapping[str, str]) -> dict[str, Any]:
    return {
        "legal_basis": flat["legal_basis"],
        "compatibility": {name: flat[name] for name in COMPATIBILITY_FIELDS},
        **{name: flat[name] for name in ("necessity", "proportionality", "subsidiarity", "minimisation")},
    }


def pc1_decide(*, acting: Actor, pc1_id: int, decisions: Sequence[SourceDecision | Mapping[str, Any]]) -> PrivacyCheck1:
    """Privacy check 1: approve or refuse each requested source, with reasons and the assessment.

    Error keys are ``<source>.<field>`` (``brp.necessity``, ``bibob.outcome``). A source in mode
    ``excluded`` cannot be approved (the error names its regime); a switched-off one neither.
    Deciding a source that already has a decision is a correction: a new row that ``supersedes``
    the current one, which the caller must name. The check counts as decided once every
    requested source has a decision."""
    _require(acting, Perm.PC1_DECIDE)
    pc1 = PrivacyCheck1.objects.filter(pk=pc1_id, signal__in=_scope(acting)).first()
    if pc1 is None:
        raise not_found(acting, "research.privacycheck1", pc1_id)
    requested = {s.slug: s for s in pc1.requested_sources.all()}
    errors: dict[str, Any] = {}
    checked: list[tuple[Source, SourceDecision, str, dict[str, str]]] = []
    if not decisions:
        errors["decisions"] = _("Decide on at least one source.")
    seen: set[str] = set()
    for raw in decisions:
        decision = raw if isinstance(raw, SourceDecision) else SourceDecision(**dict(raw))
        slug = decision.source
        source = requested.get(slug)
        if source is None:
            errors[f"{slug}.source"] = _("%s was not requested in this privacy check.") % slug
            continue
        if slug in seen:
            errors[f"{slug}.source"] = _("%s is decided twice.") % source.name
            continue
        seen.add(slug)
        text = _reasons(errors, decision.reasons, f"{slug}.reasons")
        flat = _flat_assessment(decision.assessment or {})
        if decision.outcome not in Outcome.values:
            errors[f"{slug}.outcome"] = _("Choose approved or refused.")
        elif decision.outcome == Outcome.APPROVED:
            if source.mode == Mode.EXCLUDED:
                errors[f"{slug}.outcome"] = _(
                    "%(source)s cannot be approved: its legal regime excludes it (%(law)s). %(regime)s"
                ) % {"source": source.name, "law": source.law, "regime": source.legal_regime}
            elif not source.active:
                errors[f"{slug}.outcome"] = _("%s is switched off and cannot be approved.") % source.name
            for name in ASSESSMENT_FIELDS:
                if not flat[name]:
                    errors[f"{slug}.{name}"] = _("Required to approve a source.")
                elif len(flat[name]) > MAX_REASONS:
                    errors[f"{slug}.{name}"] = _("At most 5,000 characters.")
        checked.append((source, decision, text, flat))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_in_research(pc1.signal_id)
        made: dict[str, str] = {}
        corrected: list[int] = []
        for source, decision, text, flat in checked:
            current = _current_decision(pc1, source)
            if current is not None and decision.supersedes != current.pk:
                raise ValidationError(
                    {
                        f"{source.slug}.supersedes": _(
                            "%s was decided meanwhile; a correction must name the decision it corrects. "
                            "Reload the page."
                        )
                        % source.name
                    }
                )
            if current is None and decision.supersedes is not None:
                raise ValidationError({f"{source.slug}.supersedes": _("There is no decision to correct.")})
            SourceApproval.objects.create(
                pc1=pc1,
                source=source,
                outcome=decision.outcome,
                assessment=_stored_assessment(flat) if any(flat.values()) else None,  # type: ignore[misc]
                supersedes=current,
                reasons=text,
                **_decider(acting),
            )
            made[source.slug] = decision.outcome
            if current is not None:
                corrected.append(current.pk)
        if pc1.decided_at is None and not set(requested) - set(
            pc1.approvals.filter(superseded_by__isnull=True).values_list("source__slug", flat=True)
        ):
            pc1.decided_at = timezone.now()
            pc1.save(update_fields=["decided_at"])
        audit(
            acting,
            "research:pc1:decide",
            obj=pc1,
            purpose="privacy check 1",
            detail={"signal": pc1.signal_id, "outcomes": made, "supersedes": corrected},
        )
    return pc1


# Hit/no-hit queries ----------------------------------------------------------------------------


@dataclass
class QueryRun:
    """What one run of the queries did: the rows stored, and messages for subjects not looked up."""

    run: int
    queries: list[Query]
    notes: list[str]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(q.status for q in self.queries))


def _subject_name(index: int, kind: str) -> str:
    return _("Subject %(n)d (%(kind)s)") % {"n": index, "kind": SubjectKind(kind).label.lower()}


def run_queries(
    *, acting: Actor, signal_id: int, purpose: str = "", source_slugs: Sequence[str] | None = None
) -> QueryRun:
    """Hit/no-hit of each subject of the signal in each currently approved source of its kind.

    ``source_slugs`` narrows the run to some approved sources; naming a source without a current
    approval is refused (audited ``denied``), as is a run when no source is approved at all.
    Vehicles are skipped (no source holds them) and a subject too thin to be looked up gets a
    note; neither stops the others. Each (subject, source) answer is stored as a :class:`Query`
    with its status; the matched record ids are kept encrypted for a later content request."""
    _require(acting, Perm.QUERY_RUN)
    signal = _signal_in_scope(acting, signal_id)
    if signal.state != State.RESEARCH:
        raise NotInResearch(signal.state)
    purpose = (purpose or "").strip()[:200] or f"source research (step 3) {signal.reference}"
    approvals = list(current_approvals(signal_id))
    approved = {a.source.slug for a in approvals}
    if source_slugs is not None:
        missing = sorted(set(source_slugs) - approved)
        if missing:
            raise _refuse(
                acting,
                "research:query:run",
                _("No approved privacy check 1 for: %s. Ask for privacy check 1 first.") % ", ".join(missing),
                obj=signal,
                detail={"not_approved": missing},
            )
        approvals = [a for a in approvals if a.source.slug in set(source_slugs)]
    if not approvals:
        raise _refuse(
            acting,
            "research:query:run",
            _("No source has an approved privacy check 1 for this signal; nothing may be queried."),
            obj=signal,
            detail={"not_approved": sorted(source_slugs or [])},
        )
    with transaction.atomic():
        signal = _lock_in_research(signal_id)
        # Under the lock: a correction decided since the check above counts.
        current = {a.pk for a in current_approvals(signal_id)}
        approvals = [a for a in approvals if a.pk in current]
        run = (Query.objects.filter(signal=signal).aggregate(m=Max("run"))["m"] or 0) + 1
        made: list[Query] = []
        notes: list[str] = []
        for index, subject in enumerate(signal.subjects.order_by("id"), start=1):
            name = _subject_name(index, subject.kind)
            if subject.kind == SubjectKind.VEHICLE:
                notes.append(_("%s is not looked up: no source holds vehicles.") % name)
                continue
            wanted = [a for a in approvals if subject.kind in SEGMENT_KINDS[a.source.kind]]
            if not wanted:
                notes.append(_("%s is not looked up: no approved source holds this kind.") % name)
                continue
            data = dict(subject.data or {})
            if not identifies(subject.kind, data):
                notes.append(
                    _(
                        "%s cannot be looked up: it names too little (a surname or BSN; a KvK number or "
                        "trade name; a street or postcode with a house number)."
                    )
                    % name
                )
                continue
            answers = hit_no_hit(
                acting=acting,
                subject=data,
                kind=subject.kind,
                sources=[a.source for a in wanted],
                purpose=purpose,
                reference=signal.reference,
            )
            by_slug = {a.source.slug: a for a in wanted}
            for answer in answers:
                approval = by_slug[answer.source]
                made.append(
                    Query(
                        signal=signal,
                        subject=subject,
                        subject_kind=subject.kind,
                        source=approval.source,
                        approval=approval,
                        run=run,
                        status=answer.status,
                        matched_records=list(answer.record_ids),  # type: ignore[misc]
                        reasons=purpose,
                        **_decider(acting),
                    )
                )
        Query.objects.bulk_create(made)
        result = QueryRun(run=run, queries=made, notes=notes)
        audit(
            acting,
            "research:query:run",
            obj=signal,
            purpose=purpose,
            detail={"run": run, "counts": result.counts, "not_looked_up": len(notes)},
        )
    return result


# Content requests ------------------------------------------------------------------------------


def _approval_is_current(approval: SourceApproval) -> bool:
    return approval.outcome == Outcome.APPROVED and not SourceApproval.objects.filter(supersedes=approval).exists()


def content_request(*, acting: Actor, query_id: int, fields: Sequence[str], reasons: str) -> ContentRequest:
    """Ask the source's owner for the content of one hit: which fields, and why.

    Only for a ``hit`` (a ``possible`` must first be verified by a person; a no-hit has nothing),
    only for a source in mode "content on approval", only fields within the source's content
    fields, only while the privacy check 1 approval the query ran under is current."""
    _require(acting, Perm.CONTENT_REQUEST)
    query = Query.objects.select_related("source", "approval").filter(pk=query_id, signal__in=_scope(acting)).first()
    if query is None:
        raise not_found(acting, "research.query", query_id)
    source = query.source
    errors: dict[str, Any] = {}
    text = _reasons(errors, reasons)
    wanted = list(dict.fromkeys(fields))
    if query.status != QueryStatus.HIT:
        errors["query"] = _("Content can be requested only for a hit; this query answered “%s”.") % (
            QueryStatus(query.status).label
        )
    elif source.mode != Mode.CONTENT_ON_APPROVAL:
        errors["query"] = _("%s gives hit/no-hit only; its content cannot be requested.") % source.name
    if not wanted:
        errors["fields"] = _("Choose at least one field.")
    else:
        outside = [f for f in wanted if f not in source.content_fields]
        if outside:
            errors["fields"] = _("%(source)s may not show these fields: %(fields)s.") % {
                "source": source.name,
                "fields": ", ".join(outside),
            }
    if ContentRequest.objects.filter(query=query, decision__isnull=True).exists():
        errors["query"] = _("A request for this hit is already waiting for the source owner.")
    if errors:
        raise ValidationError(errors)
    if not _approval_is_current(query.approval):
        raise _refuse(
            acting,
            "research:content:request",
            _("Privacy check 1 for %s was corrected after this query; run the queries again first.") % source.name,
            obj=query,
            detail={"source": source.slug},
        )
    with transaction.atomic():
        _lock_in_research(query.signal_id)
        request = ContentRequest.objects.create(
            query=query,
            requested_fields=[f for f in source.content_fields if f in wanted],
            reasons=text,
            **_decider(acting),
        )
        audit(
            acting,
            "research:content:request",
            obj=request,
            purpose="source research (step 3)",
            detail={"signal": query.signal_id, "source": source.slug, "fields": request.requested_fields},
        )
    return request


def owned_request(acting: Actor, request_id: int, *, audited: bool = False) -> ContentRequest:
    """The request, if the acting user's department owns its source; else an audited 404.

    A source owner learns of a request only for their own department's sources. ``audited`` for a
    read that shows the team's justification (free text that may name people)."""
    request = (
        ContentRequest.objects.select_related("query__source", "query__signal", "decision")
        .filter(pk=request_id)
        .first()
    )
    owner = getattr(request.query.source, "owner_department_id", None) if request is not None else None
    if request is None or (acting.user is not None and (owner is None or owner != acting.user.department_id)):
        raise not_found(acting, "research.contentrequest", request_id)
    if audited:
        audit(acting, "research:contentrequest:read", obj=request, purpose="content request decision")
    return request


def content_decide(
    *, acting: Actor, request_id: int, approve: bool, fields: Sequence[str], reasons: str
) -> ContentDecision:
    """The source owner approves (choosing fields among those requested) or refuses, with reasons.

    Only a user of the source's owner department may decide; anyone else gets a 404, audited. On
    approval the chosen fields of the matched record(s) are read through
    ``sources.selectors.record_content`` (audited there with the purpose) and copied, encrypted,
    into a :class:`ContentAnswer`: the case keeps what was lawfully obtained."""
    _require(acting, Perm.CONTENT_DECIDE)
    request = owned_request(acting, request_id)
    query = request.query
    source = query.source
    errors: dict[str, Any] = {}
    text = _reasons(errors, reasons)
    chosen = list(dict.fromkeys(fields)) if approve else []
    if ContentDecision.objects.filter(request=request).exists():
        errors["request"] = _("This request has been decided already.")
    if approve:
        if not chosen:
            errors["fields"] = _("Choose at least one field to approve.")
        elif set(chosen) - set(request.requested_fields):
            errors["fields"] = _("Only requested fields may be approved: %s.") % ", ".join(
                sorted(set(chosen) - set(request.requested_fields))
            )
        if source.mode != Mode.CONTENT_ON_APPROVAL:
            errors["request"] = _("%s no longer gives content; refuse the request.") % source.name
    if errors:
        raise ValidationError(errors)
    record_ids = [int(r) for r in (query.matched_records or [])]
    if approve:
        if not _approval_is_current(query.approval):
            raise _refuse(
                acting,
                "research:content:decide",
                _("Privacy check 1 for %s was corrected after this query; the content cannot be given.") % source.name,
                obj=request,
                detail={"source": source.slug},
            )
        current = SourceRecord.objects.filter(
            pk__in=record_ids, snapshot__is_current=True, snapshot__source=source
        ).count()
        if not record_ids or current != len(record_ids):
            raise ValidationError(
                {"request": _("The matched record is no longer in the current copy of the source; refuse the request.")}
            )
    with transaction.atomic():
        _lock_in_research(query.signal_id)
        if ContentDecision.objects.filter(request=request).exists():
            raise ValidationError({"request": _("This request has been decided already.")})
        decision = ContentDecision.objects.create(
            request=request,
            outcome=Outcome.APPROVED if approve else Outcome.REFUSED,
            approved_fields=[f for f in request.requested_fields if f in chosen],
            reasons=text,
            **_decider(acting),
        )
        if approve:
            purpose = f"content request {request.pk} ({query.signal.reference})"
            records = [
                record_content(acting=acting, record_id=rid, fields=decision.approved_fields, purpose=purpose)
                for rid in record_ids
            ]
            ContentAnswer.objects.create(decision=decision, content={"records": records})  # type: ignore[misc]
        audit(
            acting,
            "research:content:decide",
            obj=decision,
            purpose="content request (step 3)",
            detail={
                "request": request.pk,
                "signal": query.signal_id,
                "source": source.slug,
                "outcome": decision.outcome,
                "fields": decision.approved_fields,
            },
        )
    return decision


@dataclass
class ContentRead:
    """An approved answer as its reader sees it: the fields per matched record."""

    answer: ContentAnswer
    request: ContentRequest
    source: Source
    fields: list[str]
    records: list[dict[str, str]] | None  # None once retention destroyed the content


def content_read(*, acting: Actor, answer_id: int) -> ContentRead:
    """Read an approved content answer (team with the signal in scope); audited with the purpose."""
    _require(acting, Perm.CONTENT_REQUEST)
    answer = (
        ContentAnswer.objects.select_related("decision__request__query__source", "decision__request__query__signal")
        .filter(pk=answer_id, decision__request__query__signal__in=_scope(acting))
        .first()
    )
    if answer is None:
        raise not_found(acting, "research.contentanswer", answer_id)
    return _read(acting, answer)


def content_read_for_request(*, acting: Actor, request_id: int) -> ContentRead:
    """The answer to a content request; refused (audited) while there is no approved decision."""
    _require(acting, Perm.CONTENT_REQUEST)
    request = (
        ContentRequest.objects.select_related("query__source", "query__signal")
        .filter(pk=request_id, query__signal__in=_scope(acting))
        .first()
    )
    if request is None:
        raise not_found(acting, "research.contentrequest", request_id)
    decision = ContentDecision.objects.filter(request=request).first()
    answer = ContentAnswer.objects.filter(decision=decision).first() if decision is not None else None
    if decision is None or decision.outcome != Outcome.APPROVED or answer is None:
        message = (
            _("The source owner refused this request; there is no content to show.")
            if decision is not None and decision.outcome == Outcome.REFUSED
            else _("The source owner has not approved this request yet; there is no content to show.")
        )
        raise _refuse(
            acting,
            "research:content:read",
            message,
            obj=request,
            detail={"outcome": getattr(decision, "outcome", None)},
        )
    answer.decision = decision
    decision.request = request
    return _read(acting, answer)


def _read(acting: Actor, answer: ContentAnswer) -> ContentRead:
    decision = answer.decision
    request = decision.request
    query = request.query
    if decision.outcome != Outcome.APPROVED:  # cannot happen: an answer exists only for an approval
        raise _refuse(acting, "research:content:read", _("This request was not approved."), obj=answer, detail={})
    content = answer.content
    with transaction.atomic():
        audit(
            acting,
            "research:content:read",
            obj=answer,
            purpose=f"source research (step 3) {query.signal.reference}: content request {request.pk}",
            detail={"source": query.source.slug, "fields": decision.approved_fields, "destroyed": content is None},
        )
    return ContentRead(
        answer=answer,
        request=request,
        source=query.source,
        fields=list(decision.approved_fields),
        records=None if content is None else list(content.get("records", [])),
    )


# W4 --------------------------------------------------------------------------------------------


def w4_decide(
    *,
    acting: Actor,
    signal_id: int,
    confirmed: bool,
    outcome: str,
    departments: Sequence[str] = (),
    reasons: str,
) -> W4:
    """W4: do the hits confirm the signal? Then stop, department(s), case meeting, or RIEC.

    Not confirmed allows only ``stop`` (not taken into treatment); confirming needs at least one
    hit (the protocol: no hit → stop); ``department`` names at least one department, the first
    takes the lead (``signal.handed_to``). The signal moves with the ``w4`` transition under its
    row lock, and ``research.events.w4_decided`` is sent inside the transaction with ``w4`` (its
    ``signal`` is the locked, saved signal) and ``acting``; the approach app opens the case on it."""
    _require(acting, Perm.W4_DECIDE)
    _signal_in_scope(acting, signal_id)
    errors: dict[str, Any] = {}
    text = _reasons(errors, reasons)
    codes = list(dict.fromkeys(departments))
    chosen: list[Department] = []
    if outcome not in W4Outcome.values:
        errors["outcome"] = _("Choose one of the four outcomes.")
    elif not confirmed and outcome != W4Outcome.STOP:
        errors["outcome"] = _("The hits do not confirm the signal: the only outcome is to stop.")
    elif outcome == W4Outcome.DEPARTMENT:
        found = {d.code: d for d in Department.objects.filter(code__in=codes)}
        chosen = [found[c] for c in codes if c in found]
        if not codes:
            errors["departments"] = _("Name at least one department that acts.")
        elif len(chosen) != len(codes):
            errors["departments"] = _("Unknown department: %s") % ", ".join(sorted(set(codes) - set(found)))
    elif codes:
        errors["departments"] = _("Departments are named only when departments act on their own powers.")
    if confirmed and not Query.objects.filter(signal_id=signal_id, status=QueryStatus.HIT).exists():
        errors["confirmed"] = _("No query answered “hit”: without a hit the signal cannot be confirmed (stop).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal_id)
        change = apply_transition(signal, W4_TARGET[outcome], "w4", acting, text)
        w4 = W4.objects.create(
            signal=signal, confirmed=confirmed, outcome=outcome, status_change=change, reasons=text, **_decider(acting)
        )
        w4.departments.set(chosen)
        fields = ["state", "state_changed_at", "destroy_after"]
        if outcome == W4Outcome.DEPARTMENT:
            signal.handed_to = chosen[0]
            fields.append("handed_to")
        signal.save(update_fields=fields)
        audit(
            acting,
            "research:w4:decide",
            obj=signal,
            purpose="W4",
            detail={"outcome": outcome, "confirmed": confirmed, "departments": codes, "w4": w4.pk},
        )
        w4_decided.send(sender=W4, w4=w4, acting=acting)
    return w4


# The gate in matching --------------------------------------------------------------------------

_REFERENCE = re.compile(r"^\s*S-?0*(\d{1,12})\s*$", re.IGNORECASE)


def signal_id_of(reference: str) -> int | None:
    """``S-000012`` (or ``s-12``) → 12; anything else → None."""
    match = _REFERENCE.match(reference or "")
    return int(match.group(1)) if match else None


def pc1_gate(acting: Actor, reference: str, sources: Sequence[Source]) -> None:
    """The source gate of ``matching.services``: a person's hit/no-hit question must name a signal
    (``reference``, e.g. ``S-000012``) within their scope, in source research, whose current
    privacy check 1 approvals cover every source asked. Otherwise refused, audited ``denied``.

    A signal that does not exist and one outside the scope get the same answer."""
    signal_id = signal_id_of(reference)
    signal = _scope(acting).filter(pk=signal_id).only("id", "state").first() if signal_id is not None else None
    asked = [s.slug for s in sources]
    if signal is not None and signal.state != State.RESEARCH:
        message = _("%s is not in source research; hit/no-hit questions belong to step 3.") % signal.reference
        missing = asked
    else:
        approved = set(current_approvals(signal.pk).values_list("source_id", flat=True)) if signal else set()
        missing = [s.slug for s in sources if s.pk not in approved]
        if signal is not None and not missing:
            return
        message = _(
            "Name the signal (S-…) whose privacy check 1 approves the sources asked. "
            "No current approval of “%(reference)s” covers: %(sources)s."
        ) % {"reference": (reference or "")[:64] or "-", "sources": ", ".join(missing) or "-"}
    raise _refuse(
        acting,
        "research:pc1:gate",
        message,
        object_type="signals.signal",
        detail={"reference": (reference or "")[:64], "asked": asked, "not_approved": missing},
    )
