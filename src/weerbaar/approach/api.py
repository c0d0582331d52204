# SPDX-License-Identifier: EUPL-1.2
"""``/api/v1`` operations of step 4: thin adapters over approach.services, .selectors, .referral.

Every operation declares its permission (``required_permissions``); a case (or an intervention,
step or referral of one) outside the user's scope is a 404 problem+json, audited, exactly like
one that does not exist. Rule refusals from the services are 400 problem+json with the reason.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.authz import Actor, actor_for, origin_of
from weerbaar.accounts.permissions import Perm
from weerbaar.approach import referral, selectors, services
from weerbaar.approach.models import (
    Case,
    CaseState,
    CaseTrack,
    Instrument,
    Intervention,
    InterventionOutcome,
    ProcedureStep,
    ReferralStatus,
)

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
#: At most 18 digits: a longer id is "not found" by the URL, never a database overflow.
LOOKUP = r"[0-9]{1,18}"


def enum(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field described by a pattern, not an enum: drf-spectacular turns every enum into a
    component named after the field, and "state", "status", "outcome" are used by other apps with
    other values (colliding components fail the schema check)."""
    values = [str(value) for value, _label in choices]

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(values) + ")$", "description": "one of: " + ", ".join(values)}
    )
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def _as_drf(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"body": error.messages})


def _call(run: Any) -> Any:
    try:
        return run()
    except DjangoValidationError as exc:
        raise _as_drf(exc) from exc


def _at(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# --- Serializers (input, and the output shapes for the schema) ---------------------------------------


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    signal = serializers.IntegerField()
    signal_reference = serializers.CharField()
    track = enum(CaseTrack.choices)
    state = enum(CaseState.choices)
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    monitoring_until = serializers.DateField(allow_null=True)


class CaseDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor_label = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True)


class ShareMatrixSerializer(CaseDecisionSerializer):
    cells = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    supersedes = serializers.IntegerField(allow_null=True)


class CaseParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField(allow_null=True)
    organisation = serializers.CharField()
    function = serializers.CharField()
    is_riec = serializers.BooleanField()


class CaseItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class CaseMeetingSerializer(CaseDecisionSerializer):
    held_on = serializers.DateField()
    attendees = serializers.ListField(child=serializers.IntegerField())
    share_matrix = serializers.IntegerField()


class Check2BSerializer(CaseDecisionSerializer):
    exchange = serializers.CharField(allow_null=True)
    legal_basis = serializers.CharField()
    allowed = serializers.BooleanField()
    shared_items = serializers.ListField(child=serializers.CharField())
    supersedes = serializers.IntegerField(allow_null=True)


class InterventionStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    due_on = serializers.DateField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    done_by_label = serializers.CharField()
    notes = serializers.CharField(allow_null=True)


class InterventionSerializer(CaseDecisionSerializer):
    reference = serializers.CharField()
    case = serializers.IntegerField()
    instrument = serializers.CharField()
    owner_department = serializers.CharField()
    state = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    outcome_at = serializers.DateTimeField(allow_null=True)
    outcome_notes = serializers.CharField(allow_null=True)
    outcome_by_label = serializers.CharField()
    outcome_role = serializers.CharField()
    privacy_check_2b = Check2BSerializer(allow_null=True)
    steps = InterventionStepSerializer(many=True)


class ReferralSummarySerializer(CaseDecisionSerializer):
    case = serializers.IntegerField()
    intervention = serializers.IntegerField(allow_null=True)
    status = enum(ReferralStatus.choices)
    events = CaseDecisionSerializer(many=True)


class CaseDetailSerializer(CaseSummarySerializer):
    team = serializers.ListField(child=serializers.CharField())
    participants = CaseParticipantSerializer(many=True)
    items = CaseItemSerializer(many=True)
    privacy_check_2a = ShareMatrixSerializer(allow_null=True)
    meetings = CaseMeetingSerializer(many=True)
    interventions = InterventionSerializer(many=True)
    referrals = ReferralSummarySerializer(many=True)
    closure = CaseDecisionSerializer(allow_null=True)


class CaseMeetingItemSerializer(CaseItemSerializer):
    value = serializers.JSONField()


class MeetingViewSerializer(serializers.Serializer):
    case = serializers.CharField()
    participants = serializers.ListField(child=serializers.IntegerField())
    privacy_check_2a = serializers.IntegerField(allow_null=True)
    items = CaseMeetingItemSerializer(many=True)


def _decision(row: Any) -> dict[str, Any]:
    return {"id": row.pk, "actor_label": row.actor_label, "role": row.role, "at": _at(row.at), "reasons": row.reasons}


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "signal": case.signal_id,
        "signal_reference": f"S-{case.signal_id:06d}",
        "track": case.track,
        "state": case.state,
        "opened_at": _at(case.opened_at),
        "closed_at": _at(case.closed_at),
        "monitoring_until": case.monitoring_until.isoformat() if case.monitoring_until else None,
    }


def _check_2b(check: Any) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        **_decision(check),
        "exchange": check.exchange,
        "legal_basis": check.legal_basis,
        "allowed": check.allowed,
        "shared_items": list(check.shared_items),
        "supersedes": check.supersedes_id,
    }


def intervention_data(i: Intervention) -> dict[str, Any]:
    return {
        **_decision(i),
        "reference": services.intervention_reference(i),
        "case": i.case_id,
        "instrument": i.instrument.code,
        "owner_department": i.owner_department.code,
        "state": i.state,
        "started_on": i.started_on.isoformat() if i.started_on else None,
        "outcome": i.outcome,
        "outcome_at": _at(i.outcome_at),
        "outcome_notes": i.outcome_notes,
        "outcome_by_label": i.outcome_by_label,
        "outcome_role": i.outcome_role,
        "privacy_check_2b": _check_2b(selectors.current_2b(i)),
        "steps": [
            {
                "id": s.pk,
                "code": s.step.code,
                "label": s.step.label,
                "due_on": s.due_on.isoformat() if s.due_on else None,
                "done_at": _at(s.done_at),
                "done_by_label": s.done_by_label,
                "notes": s.notes,
            }
            for s in i.steps.select_related("step").order_by("step__order")
        ],
    }


def referral_data(r: Any) -> dict[str, Any]:
    return {
        **_decision(r),
        "case": r.case_id,
        "intervention": r.intervention_id,
        "status": r.status,
        "events": [{**_decision(e), "status": e.status} for e in r.events.order_by("at", "id")],
    }


def case_detail(case: Case) -> dict[str, Any]:
    matrix = selectors.current_matrix(case)
    closure = getattr(case, "closure", None) if hasattr(case, "closure") else None
    return {
        **case_summary(case),
        "team": list(case.team.order_by("username").values_list("username", flat=True)),
        "participants": [
            {
                "id": p.pk,
                "user": p.user_id,
                "organisation": p.organisation,
                "function": p.function,
                "is_riec": p.is_riec,
            }
            for p in case.participants.order_by("id")
        ],
        "items": [{"key": i.key, "label": i.label} for i in selectors.case_items(case)],
        "privacy_check_2a": {**_decision(matrix), "cells": matrix.cells, "supersedes": matrix.supersedes_id}
        if matrix
        else None,
        "meetings": [
            {
                **_decision(m),
                "held_on": m.held_on.isoformat(),
                "attendees": [p.pk for p in m.attendees.all()],
                "share_matrix": m.share_matrix_id,
            }
            for m in case.meetings.prefetch_related("attendees").order_by("held_on", "id")
        ],
        "interventions": [
            intervention_data(i)
            for i in case.interventions.select_related("instrument", "owner_department").order_by("at", "id")
        ],
        "referrals": [referral_data(r) for r in case.referrals.order_by("at", "id")],
        "closure": _decision(closure) if closure else None,
    }


class TeamInput(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**53)
    action = enum([("add", "add"), ("remove", "remove")], default="add")


class ParticipantInput(serializers.Serializer):
    user = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**53)
    organisation = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    function = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    is_riec = serializers.BooleanField(required=False, default=False)


class MatrixInput(serializers.Serializer):
    cells = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**53)),
        help_text="data-item key → participant ids allowed to see it",
    )
    reasons = serializers.CharField(max_length=5000)


class MeetingInput(serializers.Serializer):
    held_on = serializers.DateField()
    attendees = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**53), allow_empty=False)
    reasons = serializers.CharField(max_length=5000, help_text="the decisions of the meeting")


class InterventionInput(serializers.Serializer):
    instrument = serializers.SlugField(max_length=60)
    owner_department = serializers.SlugField(max_length=50)
    reasons = serializers.CharField(max_length=5000)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**53)


class CloseInput(serializers.Serializer):
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReferralInput(serializers.Serializer):
    reasons = serializers.CharField(max_length=5000)
    intervention = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**53)


class Check2BInput(serializers.Serializer):
    exchange = serializers.CharField(max_length=5000)
    legal_basis = serializers.CharField(max_length=300)
    allowed = serializers.BooleanField()
    shared_items = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list)
    reasons = serializers.CharField(max_length=5000)


class OutcomeInput(serializers.Serializer):
    outcome = enum(InterventionOutcome.choices)
    notes = serializers.CharField(max_length=5000)


class StepInput(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReferralEventInput(serializers.Serializer):
    status = enum([c for c in ReferralStatus.choices if c[0] != ReferralStatus.DRAFT])
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- Viewsets ------------------------------------------------------------------------------------------


class CaseViewSet(viewsets.GenericViewSet):
    """Cases of step 4: the list and a case are scoped to the team (or read-all)."""

    required_permissions = {
        "list": Perm.CASE_VIEW,
        "retrieve": Perm.CASE_VIEW,
        "meeting": Perm.CASE_VIEW,
        "team": Perm.CASE_MANAGE,
        "participants": Perm.CASE_MANAGE,
        "privacy_check_2a": Perm.PC2_DECIDE,
        "meetings": Perm.CASE_MANAGE,
        "interventions": Perm.CASE_MANAGE,
        "close": Perm.CASE_MANAGE,
        "referrals": Perm.REFERRAL_MANAGE,
    }
    serializer_class = CaseSummarySerializer
    lookup_value_regex = LOOKUP

    def get_queryset(self) -> Any:
        return selectors.case_scope(self.request.user)

    def _case(self, request: Request, pk: str, *, audited: bool = False) -> Case:
        return selectors.case_get(user=request.user, case_id=int(pk), origin=origin_of(request), audited=audited)

    def _detail(self, request: Request, case_id: int, code: int = status.HTTP_200_OK) -> Response:
        case = selectors.case_get(user=request.user, case_id=case_id, origin=origin_of(request), audited=False)
        return Response(case_detail(case), status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("state", enum=CaseState.values),
            OpenApiParameter("q", str, description="reference"),
        ],
        responses=CaseSummarySerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        state = request.query_params.get("state", "")
        if state and state not in CaseState.values:
            raise ValidationError({"state": f"Unknown state; one of {', '.join(CaseState.values)}."})
        cases = selectors.case_list(request.user, state=state, q=request.query_params.get("q", ""))
        page = self.paginate_queryset(cases)
        return self.get_paginated_response([case_summary(c) for c in page or []])

    @extend_schema(parameters=[ID], responses=CaseDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk, audited=True)
        return Response(case_detail(case))

    @extend_schema(parameters=[ID], responses=MeetingViewSerializer)
    @action(detail=True, methods=["get"])
    def meeting(self, request: Request, pk: str) -> Response:
        """The meeting view: exactly the items privacy check 2A shares with the caller."""
        view = selectors.meeting_view(user=request.user, case_id=int(pk), origin=origin_of(request))
        return Response(
            {
                "case": view.case.reference,
                "participants": [p.pk for p in view.participants],
                "privacy_check_2a": getattr(view.matrix, "pk", None),
                "items": [{"key": i.key, "label": i.label, "value": i.value} for i in view.items],
            }
        )

    def _write(self, request: Request, pk: str, perm: Perm, body_class: Any, run: Any, code: int = 200) -> Response:
        """Scope first (404 for a case one may not know), then the body, then the service."""
        case = self._case(request, pk)
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, perm)
        _call(lambda: run(acting, case, body.validated_data))
        return self._detail(request, case.pk, code)

    @extend_schema(parameters=[ID], request=TeamInput, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def team(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            apply = services.team_add if data["action"] == "add" else services.team_remove
            return apply(acting=acting, case_id=case.pk, user_id=data["user"])

        return self._write(request, pk, Perm.CASE_MANAGE, TeamInput, run)

    @extend_schema(parameters=[ID], request=ParticipantInput, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            return services.participant_add(
                acting=acting,
                case_id=case.pk,
                organisation=data["organisation"],
                function=data["function"],
                user_id=data["user"],
                is_riec=data["is_riec"],
            )

        return self._write(request, pk, Perm.CASE_MANAGE, ParticipantInput, run, 201)

    @extend_schema(parameters=[ID], request=MatrixInput, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="privacy-check-2a")
    def privacy_check_2a(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            return services.matrix_decide(
                acting=acting, case_id=case.pk, cells=dict(data["cells"]), reasons=data["reasons"]
            )

        return self._write(request, pk, Perm.PC2_DECIDE, MatrixInput, run, 201)

    @extend_schema(parameters=[ID], request=MeetingInput, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            return services.meeting_record(
                acting=acting,
                case_id=case.pk,
                held_on=data["held_on"],
                attendee_ids=data["attendees"],
                reasons=data["reasons"],
            )

        return self._write(request, pk, Perm.CASE_MANAGE, MeetingInput, run, 201)

    @extend_schema(parameters=[ID], request=InterventionInput, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def interventions(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            return services.intervention_plan(
                acting=acting,
                case_id=case.pk,
                instrument=data["instrument"],
                owner_department=data["owner_department"],
                reasons=data["reasons"],
                meeting_id=data["meeting"],
            )

        return self._write(request, pk, Perm.CASE_MANAGE, InterventionInput, run, 201)

    @extend_schema(parameters=[ID], request=CloseInput, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        def run(acting: Actor, case: Case, data: dict[str, Any]) -> Any:
            return services.case_close(acting=acting, case_id=case.pk, reasons=data["reasons"])

        return self._write(request, pk, Perm.CASE_MANAGE, CloseInput, run)

    @extend_schema(parameters=[ID], request=ReferralInput, responses={201: ReferralSummarySerializer})
    @action(detail=True, methods=["post"])
    def referrals(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        body = ReferralInput(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, Perm.REFERRAL_MANAGE)
        made = _call(
            lambda: referral.referral_create(
                acting=acting,
                case_id=case.pk,
                reasons=body.validated_data["reasons"],
                intervention_id=body.validated_data["intervention"],
            )
        )
        return Response(
            referral_data(made), status=status.HTTP_201_CREATED, headers={"Location": f"/api/v1/referrals/{made.pk}"}
        )


class InterventionViewSet(viewsets.GenericViewSet):
    """An intervention of the plan: 2B, start, outcome. Execution is for the owner department's
    members of the case team and case managers (checked per intervention; 403 otherwise)."""

    required_permissions = {
        "retrieve": Perm.CASE_VIEW,
        "privacy_check_2b": Perm.PC2_DECIDE,
        "start": Perm.CASE_VIEW,
        "outcome": Perm.CASE_VIEW,
    }
    serializer_class = InterventionSerializer
    lookup_value_regex = LOOKUP

    def get_queryset(self) -> Any:
        return Intervention.objects.filter(case__in=selectors.case_scope(self.request.user))

    def _get(self, request: Request, pk: str) -> Intervention:
        return selectors.intervention_get(user=request.user, intervention_id=int(pk), origin=origin_of(request))

    def _fresh(self, request: Request, pk: int, code: int = 200) -> Response:
        return Response(intervention_data(self._get(request, str(pk))), status=code)

    @extend_schema(parameters=[ID], responses=InterventionSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        found = selectors.intervention_get(
            user=request.user, intervention_id=int(pk), origin=origin_of(request), audited=True
        )
        return Response(intervention_data(found))

    @extend_schema(parameters=[ID], request=Check2BInput, responses={201: InterventionSerializer})
    @action(detail=True, methods=["post"], url_path="privacy-check-2b")
    def privacy_check_2b(self, request: Request, pk: str) -> Response:
        found = self._get(request, pk)
        body = Check2BInput(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, Perm.PC2_DECIDE)
        data = body.validated_data
        _call(
            lambda: services.check_2b_decide(
                acting=acting,
                intervention_id=found.pk,
                exchange=data["exchange"],
                legal_basis=data["legal_basis"],
                allowed=data["allowed"],
                shared_items=list(data["shared_items"]),
                reasons=data["reasons"],
            )
        )
        return self._fresh(request, found.pk, 201)

    @extend_schema(parameters=[ID], request=None, responses=InterventionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        found = self._get(request, pk)
        acting = services.execution_actor(user=request.user, intervention=found, origin=origin_of(request))
        _call(lambda: services.intervention_start(acting=acting, intervention_id=found.pk))
        return self._fresh(request, found.pk)

    @extend_schema(parameters=[ID], request=OutcomeInput, responses=InterventionSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        found = self._get(request, pk)
        acting = services.execution_actor(user=request.user, intervention=found, origin=origin_of(request))
        body = OutcomeInput(data=request.data)
        body.is_valid(raise_exception=True)
        _call(
            lambda: services.intervention_outcome(
                acting=acting,
                intervention_id=found.pk,
                outcome=body.validated_data["outcome"],
                notes=body.validated_data["notes"],
            )
        )
        return self._fresh(request, found.pk)


class StepViewSet(viewsets.GenericViewSet):
    """A procedure step of an intervention: complete it (in order), with notes."""

    required_permissions = {"complete": Perm.CASE_VIEW}
    serializer_class = InterventionStepSerializer
    lookup_value_regex = LOOKUP

    def get_queryset(self) -> Any:
        return Intervention.objects.none()

    @extend_schema(parameters=[ID], request=StepInput, responses=InterventionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        row = selectors.step_get(user=request.user, step_id=int(pk), origin=origin_of(request))
        acting = services.execution_actor(user=request.user, intervention=row.intervention, origin=origin_of(request))
        body = StepInput(data=request.data)
        body.is_valid(raise_exception=True)
        _call(lambda: services.step_complete(acting=acting, step_id=row.pk, notes=body.validated_data["notes"]))
        found = selectors.intervention_get(
            user=request.user, intervention_id=row.intervention_id, origin=origin_of(request)
        )
        return Response(intervention_data(found))


class ReferralViewSet(viewsets.GenericViewSet):
    """RIEC referrals: status events, the frozen JSON package and the PDF cover letter (audited)."""

    required_permissions = {
        "retrieve": Perm.REFERRAL_MANAGE,
        "events": Perm.REFERRAL_MANAGE,
        "package": Perm.REFERRAL_MANAGE,
        "letter": Perm.REFERRAL_MANAGE,
    }
    serializer_class = ReferralSummarySerializer
    lookup_value_regex = LOOKUP

    def get_queryset(self) -> Any:
        return selectors.case_scope(self.request.user)

    def _get(self, request: Request, pk: str) -> Any:
        return selectors.referral_get(user=request.user, referral_id=int(pk), origin=origin_of(request))

    @extend_schema(parameters=[ID], responses=ReferralSummarySerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        found = selectors.referral_get(user=request.user, referral_id=int(pk), origin=origin_of(request), audited=True)
        return Response(referral_data(found))

    @extend_schema(parameters=[ID], request=ReferralEventInput, responses={201: ReferralSummarySerializer})
    @action(detail=True, methods=["post"])
    def events(self, request: Request, pk: str) -> Response:
        found = self._get(request, pk)
        body = ReferralEventInput(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, Perm.REFERRAL_MANAGE)
        _call(
            lambda: referral.referral_event(
                acting=acting,
                referral_id=found.pk,
                status=body.validated_data["status"],
                reasons=body.validated_data["reasons"],
            )
        )
        return Response(referral_data(self._get(request, pk)), status=status.HTTP_201_CREATED)

    def _package(self, request: Request, pk: str, form: str) -> tuple[Any, dict[str, Any]]:
        found = self._get(request, pk)
        acting = actor_for(request, Perm.REFERRAL_MANAGE)
        try:
            return found, referral.package_read(acting=acting, referral=found, form=form)
        except DjangoValidationError as exc:
            raise Http404(exc.messages[0]) from exc

    @extend_schema(
        parameters=[ID], responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="the frozen package")}
    )
    @action(detail=True, methods=["get"])
    def package(self, request: Request, pk: str) -> Response:
        _found, package = self._package(request, pk, "json")
        response = Response(package)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        parameters=[ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="cover letter")},
    )
    @action(detail=True, methods=["get"])
    def letter(self, request: Request, pk: str) -> HttpResponse:
        found, package = self._package(request, pk, "pdf")
        response = HttpResponse(referral.cover_letter_pdf(package), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="riec-referral-{found.case.reference}-{found.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response


class ProcedureStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = [
            "order",
            "code",
            "label_nl",
            "label_en",
            "deadline_days",
            "deadline_from",
            "deadline_basis",
            "documents",
        ]


class InstrumentSerializer(serializers.ModelSerializer):
    steps = ProcedureStepSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "code",
            "label_nl",
            "label_en",
            "category",
            "legal_basis",
            "competent_organ",
            "description_nl",
            "description_en",
            "exchange_nl",
            "exchange_en",
            "is_riec_referral",
            "active",
            "steps",
        ]


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The instrument catalogue (configuration, no personal data)."""

    required_permissions = {"list": Perm.CASE_VIEW, "retrieve": Perm.CASE_VIEW}
    queryset = Instrument.objects.prefetch_related("steps").order_by("order", "code")
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,60}"
    serializer_class = InstrumentSerializer
