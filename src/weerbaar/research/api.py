# SPDX-License-Identifier: EUPL-1.2
"""``/api/v1`` operations of step 3: thin adapters over research.services and research.selectors.

Every operation declares its permission (``required_permissions``); an object outside the user's
scope is a 404 problem+json, audited. Answers of hit/no-hit queries carry statuses only, padded so
that a hit and a no-hit have the same size (security test 9), and are held to the same time
floor as ``POST /api/v1/matching/hit-no-hit``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.authz import actor_for, origin_of
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit
from weerbaar.matching.api import LONGEST_STATUS, same_size_response
from weerbaar.research import selectors, services
from weerbaar.research.models import (
    W4,
    ContentDecision,
    ContentRequest,
    Outcome,
    Query,
    QueryStatus,
    SourceApproval,
    W4Outcome,
)
from weerbaar.signals.states import IllegalTransition

SIGNAL_PK = OpenApiParameter("signal_pk", int, OpenApiParameter.PATH, description="the signal's id")
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _at(value: Any) -> str | None:
    """A fixed-width timestamp (microseconds always present): sizes never vary by chance."""
    return value.isoformat(timespec="microseconds") if value is not None else None


class Conflict(APIException):
    status_code = 409
    default_detail = "The signal is not in a state that allows this."
    default_code = "conflict"


def _call(run: Any) -> Any:
    """Service errors as problem+json: 400 input, 403 refused by a rule (with why), 409 state."""
    try:
        return run()
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}) from exc
    except services.Refused as exc:
        raise DRFPermissionDenied(str(exc)) from exc
    except IllegalTransition as exc:
        raise Conflict(str(exc)) from exc


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(W4Outcome.values) + ")$",
        "description": "; ".join(f"`{c.value}`: {c.label}" for c in W4Outcome),
    }
)
class W4OutcomeField(serializers.ChoiceField):
    """W4's outcome. Described by a pattern, not an enum: drf-spectacular names enums by field
    name, and "outcome" is privacy check 1's approved/refused enum already."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=W4Outcome.choices, **kwargs)


# Output shapes ---------------------------------------------------------------------------------


class DecisionOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    by = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True, help_text="null when the reader may not see reasons")


class SourceDecisionOut(DecisionOut):
    assessment = serializers.DictField(allow_null=True)
    supersedes = serializers.IntegerField(allow_null=True)


class PC1SourceOut(serializers.Serializer[Any]):
    source = serializers.SlugField()  # type: ignore[assignment]
    name = serializers.CharField()
    mode = serializers.CharField()
    decision = SourceDecisionOut(allow_null=True)
    corrected = SourceDecisionOut(many=True)


class PC1Out(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    signal = serializers.CharField()
    requested_by = serializers.CharField()
    role = serializers.CharField()
    requested_at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    sources = PC1SourceOut(many=True)


class QueryOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    run = serializers.IntegerField()
    subject = serializers.IntegerField(help_text="position of the subject in the signal (1, 2, …); 0 once destroyed")
    subject_kind = serializers.CharField()
    source = serializers.SlugField()  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=QueryStatus.choices)
    at = serializers.DateTimeField()


class QueryRunOut(serializers.Serializer[Any]):
    run = serializers.IntegerField()
    queries = QueryOut(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ContentDecisionOut(DecisionOut):
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class ContentRequestOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    query = serializers.IntegerField()
    signal = serializers.CharField()
    source = serializers.SlugField()  # type: ignore[assignment]
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    requested_by = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True)
    decision = ContentDecisionOut(allow_null=True)
    answer = serializers.IntegerField(allow_null=True)


class ContentAnswerOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    request = serializers.IntegerField()
    signal = serializers.CharField()
    source = serializers.SlugField()  # type: ignore[assignment]
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    records = serializers.ListField(child=serializers.DictField(), allow_null=True)


class W4Out(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    confirmed = serializers.BooleanField()
    outcome = W4OutcomeField()
    departments = serializers.ListField(child=serializers.SlugField())
    by = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True)
    state = serializers.CharField()


class OverviewOut(serializers.Serializer[Any]):
    signal = serializers.DictField()
    approved_sources = serializers.ListField(child=serializers.SlugField())
    pc1 = PC1Out(many=True)
    queries = QueryOut(many=True, help_text="the latest answer per subject and source")
    content_requests = ContentRequestOut(many=True)
    w4 = W4Out(many=True)


def _source_decision(d: SourceApproval, reasons: bool) -> dict[str, Any]:
    return {
        "id": d.pk,
        "outcome": d.outcome,
        "by": d.actor_label,
        "role": d.role,
        "at": _at(d.at),
        "reasons": d.reasons if reasons else None,
        "assessment": d.assessment if reasons else None,
        "supersedes": d.supersedes_id,
    }


def pc1_data(view: selectors.PC1View, *, reasons: bool) -> dict[str, Any]:
    pc1 = view.pc1
    return {
        "id": pc1.pk,
        "signal": f"S-{pc1.signal_id:06d}",
        "requested_by": pc1.actor_label,
        "role": pc1.role,
        "requested_at": _at(pc1.at),
        "reasons": pc1.reasons if reasons else None,
        "decided_at": _at(pc1.decided_at),
        "sources": [
            {
                "source": row.source.slug,
                "name": row.source.name,
                "mode": row.source.mode,
                "decision": _source_decision(row.decision, reasons) if row.decision else None,
                "corrected": [_source_decision(d, reasons) for d in row.history],
            }
            for row in view.rows
        ],
    }


def query_data(q: Query, index: int) -> dict[str, Any]:
    return {
        "id": q.pk,
        "run": q.run,
        "subject": index,
        "subject_kind": q.subject_kind,
        "source": q.source.slug,
        "status": q.status,
        "at": _at(q.at),
    }


def request_data(
    request: ContentRequest, decision: ContentDecision | None, answer: int | None, *, reasons: bool
) -> dict[str, Any]:
    return {
        "id": request.pk,
        "query": request.query_id,
        "signal": f"S-{request.query.signal_id:06d}",
        "source": request.query.source.slug,
        "fields": list(request.requested_fields),
        "requested_by": request.actor_label,
        "role": request.role,
        "at": _at(request.at),
        "reasons": request.reasons if reasons else None,
        "decision": None
        if decision is None
        else {
            "id": decision.pk,
            "outcome": decision.outcome,
            "by": decision.actor_label,
            "role": decision.role,
            "at": _at(decision.at),
            "reasons": decision.reasons if reasons else None,
            "fields": list(decision.approved_fields),
        },
        "answer": answer,
    }


def w4_data(w4: W4, *, reasons: bool) -> dict[str, Any]:
    return {
        "id": w4.pk,
        "confirmed": w4.confirmed,
        "outcome": w4.outcome,
        "departments": [d.code for d in w4.departments.all()],
        "by": w4.actor_label,
        "role": w4.role,
        "at": _at(w4.at),
        "reasons": w4.reasons if reasons else None,
        "state": w4.signal.state,
    }


def _padded(data: dict[str, Any], started: float) -> HttpResponse:
    """Statuses padded to the longest one and a time floor: a hit and a no-hit look the same."""

    def widen(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (LONGEST_STATUS if k == "status" else widen(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [widen(v) for v in value]
        return value

    return same_size_response(data, widen(data), started)


# Input shapes ----------------------------------------------------------------------------------


class PC1RequestIn(serializers.Serializer[Any]):
    sources = serializers.ListField(child=serializers.SlugField(), allow_empty=False, max_length=50)
    reasons = serializers.CharField(max_length=5000)


class CompatibilityIn(serializers.Serializer[Any]):
    link = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    context = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    nature = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="incl. AVG art. 9 and 10 data"
    )
    consequences = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    safeguards = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AssessmentIn(serializers.Serializer[Any]):
    legal_basis = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    compatibility = CompatibilityIn(required=False)
    necessity = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    proportionality = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    subsidiarity = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    minimisation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SourceDecisionIn(serializers.Serializer[Any]):
    source = serializers.SlugField()  # type: ignore[assignment]
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(max_length=5000)
    assessment = AssessmentIn(required=False, help_text="every text is required to approve")
    supersedes = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="the current decision this one corrects"
    )


class PC1DecideIn(serializers.Serializer[Any]):
    decisions = SourceDecisionIn(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]


class QueriesIn(serializers.Serializer[Any]):
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sources = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        max_length=50,
        help_text="only these approved sources; default: every currently approved source",
    )


class ContentRequestIn(serializers.Serializer[Any]):
    fields = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False, max_length=50)  # type: ignore[assignment]
    reasons = serializers.CharField(max_length=5000)


class ContentDecisionIn(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=50
    )
    reasons = serializers.CharField(max_length=5000)


class W4In(serializers.Serializer[Any]):
    confirmed = serializers.BooleanField()
    outcome = W4OutcomeField()
    departments = serializers.ListField(child=serializers.SlugField(), required=False, default=list, max_length=50)
    reasons = serializers.CharField(max_length=5000)


def _body(serializer: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    incoming = serializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


# Viewsets --------------------------------------------------------------------------------------


@extend_schema(parameters=[SIGNAL_PK])
class SignalResearchViewSet(viewsets.ViewSet):
    """Source research of one signal: overview, privacy check 1 requests, queries and W4."""

    required_permissions = {
        "list": Perm.SIGNAL_VIEW,  # the team or the privacyfunctionaris, checked by the selector
        "pc1": Perm.SIGNAL_VIEW,
        "pc1_request": Perm.PC1_REQUEST,
        "queries": Perm.QUERY_RUN,
        "w4": Perm.W4_DECIDE,
    }

    @extend_schema(responses=OverviewOut, summary="Research state of a signal (statuses only)")
    def list(self, request: Request, signal_pk: str) -> HttpResponse:
        started = time.perf_counter()
        o = selectors.research_overview(user=request.user, signal_id=int(signal_pk), origin=origin_of(request))
        index = {s.subject.pk: s.index for s in o.by_subject if s.subject is not None}
        decisions = {r.request.pk: (r.decision, r.answer_id) for r in o.requests}
        data = {
            "signal": {"id": o.signal.pk, "reference": o.signal.reference, "state": o.signal.state},
            "approved_sources": [a.source.slug for a in o.approved],
            "pc1": [pc1_data(v, reasons=o.show_pc1_reasons) for v in o.pc1s],
            "queries": [query_data(q, index.get(q.subject_id or 0, 0)) for s in o.by_subject for q in s.queries],
            "content_requests": [
                request_data(r.request, *decisions[r.request.pk], reasons=o.show_reasons) for r in o.requests
            ],
            "w4": [w4_data(w, reasons=o.show_reasons) for w in o.w4s],
        }
        return _padded(data, started)

    @extend_schema(responses=PC1Out(many=True), summary="Privacy checks 1 of a signal")
    @action(detail=False, methods=["get"], url_path="pc1")
    def pc1(self, request: Request, signal_pk: str) -> Response:
        o = selectors.research_overview(user=request.user, signal_id=int(signal_pk), origin=origin_of(request))
        return Response([pc1_data(v, reasons=o.show_pc1_reasons) for v in o.pc1s])

    @extend_schema(request=PC1RequestIn, responses={201: PC1Out}, summary="Request privacy check 1")
    @pc1.mapping.post
    def pc1_request(self, request: Request, signal_pk: str) -> Response:
        body = _body(PC1RequestIn, request)
        acting = actor_for(request, Perm.PC1_REQUEST)
        pc1 = _call(
            lambda: services.pc1_request(
                acting=acting, signal_id=int(signal_pk), source_slugs=body["sources"], reasons=body["reasons"]
            )
        )
        view = next(v for v in selectors.pc1_views(pc1.signal_id) if v.pc1.pk == pc1.pk)
        return Response(pc1_data(view, reasons=True), status=status.HTTP_201_CREATED)

    @extend_schema(request=QueriesIn, responses=QueryRunOut, summary="Run hit/no-hit queries in the approved sources")
    @action(detail=False, methods=["post"])
    def queries(self, request: Request, signal_pk: str) -> HttpResponse:
        started = time.perf_counter()
        body = _body(QueriesIn, request)
        acting = actor_for(request, Perm.QUERY_RUN)
        result = _call(
            lambda: services.run_queries(
                acting=acting, signal_id=int(signal_pk), purpose=body["purpose"], source_slugs=body.get("sources")
            )
        )
        index = _subject_index(int(signal_pk))
        data = {
            "run": result.run,
            "queries": [query_data(q, index.get(q.subject_id or 0, 0)) for q in result.queries],
            "notes": result.notes,
        }
        return _padded(data, started)

    @extend_schema(request=W4In, responses=W4Out, summary="W4: do the hits confirm the signal?")
    @action(detail=False, methods=["post"])
    def w4(self, request: Request, signal_pk: str) -> Response:
        body = _body(W4In, request)
        acting = actor_for(request, Perm.W4_DECIDE)
        w4 = _call(lambda: services.w4_decide(acting=acting, signal_id=int(signal_pk), **body))
        return Response(w4_data(w4, reasons=True))


def _subject_index(signal_id: int) -> dict[int, int]:
    from weerbaar.signals.models import Subject

    ids = Subject.objects.filter(signal_id=signal_id).order_by("id").values_list("pk", flat=True)
    return {pk: i for i, pk in enumerate(ids, start=1)}


@extend_schema(parameters=[ID])
class PC1ViewSet(viewsets.ViewSet):
    required_permissions = {"decisions": Perm.PC1_DECIDE}
    lookup_value_regex = r"\d+"

    @extend_schema(request=PC1DecideIn, responses=PC1Out, summary="Privacy check 1: decide per source")
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: str) -> Response:
        body = _body(PC1DecideIn, request)
        acting = actor_for(request, Perm.PC1_DECIDE)
        decisions = [services.SourceDecision(**dict(d)) for d in body["decisions"]]
        pc1 = _call(lambda: services.pc1_decide(acting=acting, pc1_id=int(pk), decisions=decisions))
        view = next(v for v in selectors.pc1_views(pc1.signal_id) if v.pc1.pk == pc1.pk)
        return Response(pc1_data(view, reasons=True))


@extend_schema(parameters=[ID])
class QueryViewSet(viewsets.ViewSet):
    required_permissions = {"content_requests": Perm.CONTENT_REQUEST}
    lookup_value_regex = r"\d+"

    @extend_schema(request=ContentRequestIn, responses={201: ContentRequestOut}, summary="Request the content of a hit")
    @action(detail=True, methods=["post"], url_path="content-requests")
    def content_requests(self, request: Request, pk: str) -> Response:
        body = _body(ContentRequestIn, request)
        acting = actor_for(request, Perm.CONTENT_REQUEST)
        made = _call(
            lambda: services.content_request(
                acting=acting, query_id=int(pk), fields=body["fields"], reasons=body["reasons"]
            )
        )
        return Response(request_data(made, None, None, reasons=True), status=status.HTTP_201_CREATED)


class ContentRequestViewSet(viewsets.ViewSet):
    """For the source owner: the requests for the department's sources, and the decision."""

    required_permissions = {
        "list": Perm.CONTENT_DECIDE,
        "retrieve": Perm.CONTENT_DECIDE,
        "decision": Perm.CONTENT_DECIDE,
    }
    lookup_value_regex = r"\d+"

    @extend_schema(responses=ContentRequestOut(many=True), summary="Open content requests for my department's sources")
    def list(self, request: Request) -> Response:
        rows = list(selectors.owner_requests(request.user)[:200])
        if rows:  # the list carries each request's justification: a logged read of those requests
            audit(
                actor_for(request, Perm.CONTENT_DECIDE),
                "research:contentrequest:read",
                object_type="research.contentrequest",
                object_id=",".join(str(r.pk) for r in rows)[:64],
                purpose="content request decision",
                detail={"ids": [r.pk for r in rows]},
            )
        return Response([request_data(r, None, None, reasons=True) for r in rows])

    @extend_schema(parameters=[ID], responses=ContentRequestOut, summary="One content request (source owner)")
    def retrieve(self, request: Request, pk: str) -> Response:
        acting = actor_for(request, Perm.CONTENT_DECIDE)
        found = services.owned_request(acting, int(pk), audited=True)
        decision = ContentDecision.objects.filter(request=found).first()
        answer = getattr(getattr(decision, "answer", None), "pk", None) if decision else None
        return Response(request_data(found, decision, answer, reasons=True))

    @extend_schema(parameters=[ID], request=ContentDecisionIn, responses=ContentRequestOut, summary="Approve or refuse")
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        body = _body(ContentDecisionIn, request)
        acting = actor_for(request, Perm.CONTENT_DECIDE)
        decided = _call(
            lambda: services.content_decide(
                acting=acting,
                request_id=int(pk),
                approve=body["approve"],
                fields=body["fields"],
                reasons=body["reasons"],
            )
        )
        answer = getattr(getattr(decided, "answer", None), "pk", None)
        return Response(request_data(decided.request, decided, answer, reasons=True))


class ContentAnswerViewSet(viewsets.ViewSet):
    required_permissions = {"retrieve": Perm.CONTENT_REQUEST}
    lookup_value_regex = r"\d+"

    @extend_schema(parameters=[ID], responses=ContentAnswerOut, summary="Read an approved content answer (audited)")
    def retrieve(self, request: Request, pk: str) -> Response:
        acting = actor_for(request, Perm.CONTENT_REQUEST)
        read = _call(lambda: services.content_read(acting=acting, answer_id=int(pk)))
        return Response(
            {
                "id": read.answer.pk,
                "request": read.request.pk,
                "signal": read.request.query.signal.reference,
                "source": read.source.slug,
                "fields": read.fields,
                "records": read.records,
            },
            headers={"Cache-Control": "no-store"},
        )
