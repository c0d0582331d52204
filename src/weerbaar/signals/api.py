# SPDX-License-Identifier: EUPL-1.2
"""``/api/v1/signals``: intake, list with filters, audited retrieve, and the W1-W3 decisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.authz import actor_for, origin_of
from weerbaar.accounts.permissions import Perm
from weerbaar.signals import selectors, services
from weerbaar.signals.models import Channel, Signal, SubjectKind
from weerbaar.signals.states import IllegalTransition, Route, State
from weerbaar.signals.subjects import FIELDS


class SubjectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    data = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(allow_blank=True), help_text=str({k: list(v) for k, v in FIELDS.items()})
    )


class SignalCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField()
    description = serializers.CharField(max_length=20000)
    phenomena = serializers.ListField(child=serializers.SlugField(), allow_empty=False)
    subjects = SubjectSerializer(many=True, allow_empty=False)
    location_address = serializers.CharField(required=False, allow_blank=True, default="")
    location_area = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    reporter_anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_contact = serializers.CharField(required=False, allow_blank=True, default="")
    reporting_department = serializers.SlugField(required=False, allow_null=True, default=None)


class SignalSummarySerializer(serializers.ModelSerializer):
    """What a list shows: no content, so listing is not a read of personal data."""

    reference = serializers.CharField(read_only=True)
    phenomena: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "channel",
            "received_on",
            "location_area",
            "phenomena",
            "state",
            "route",
            "created_at",
            "state_changed_at",
        ]


def signal_summary(signal: Signal) -> dict[str, Any]:
    """The summary shape of :class:`SignalSummarySerializer`, built directly.

    Why: DRF deep-copies a serializer's fields on every instantiation, which cost about a fifth of
    an intake request (measured with pyinstrument, see docs/benchmarks.md); the schema still comes
    from the serializer, and a test checks both give the same output.
    """
    return {
        "id": signal.pk,
        "reference": signal.reference,
        "channel": signal.channel,
        "received_on": signal.received_on.isoformat(),
        "location_area": signal.location_area,
        "phenomena": getattr(signal, "phenomenon_codes", None) or [p.code for p in signal.phenomena.all()],
        "state": signal.state,
        "route": signal.route,
        "created_at": serializers.DateTimeField().to_representation(signal.created_at),
        "state_changed_at": serializers.DateTimeField().to_representation(signal.state_changed_at),
    }


class HistorySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor_label = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    reasons = serializers.CharField(allow_null=True)


class SignalDetailSerializer(SignalSummarySerializer):
    """The whole signal, narrowed to the reader's view level (see selectors.ViewLevel)."""

    subjects = SubjectSerializer(many=True, read_only=True)
    history = HistorySerializer(many=True, read_only=True)
    view_level = serializers.CharField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        level = getattr(instance, "view_level", selectors.ViewLevel.FULL)
        if level == selectors.ViewLevel.REPORTER:
            for change in data["history"]:
                change["reasons"] = None
        if level == selectors.ViewLevel.RIEC:
            data["reporter_name"] = data["reporter_contact"] = None
        return data

    class Meta(SignalSummarySerializer.Meta):
        fields = [
            *SignalSummarySerializer.Meta.fields,
            "description",
            "location_address",
            "reporter_anonymous",
            "reporter_name",
            "reporter_contact",
            "subjects",
            "history",
            "destroyed_at",
            "view_level",
        ]


class QualifySerializer(serializers.Serializer):
    checked_items = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    w1 = serializers.BooleanField()
    w2a = serializers.BooleanField()
    w2b = serializers.BooleanField()
    reasons = serializers.CharField(max_length=5000)
    referred_to = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    correction = serializers.BooleanField(
        required=False, default=False, help_text="Correct an earlier qualification (before weighing)."
    )


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0)
    explanation = serializers.CharField(max_length=2000)


class WeighSerializer(serializers.Serializer):
    scores = serializers.DictField(child=ScoreSerializer())
    route = serializers.ChoiceField(choices=Route.choices)
    department = serializers.SlugField(required=False, allow_null=True, default=None)
    reasons = serializers.CharField(max_length=5000)


def _as_drf(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"body": error.messages})


class SignalViewSet(viewsets.GenericViewSet):
    """Signals. Every operation declares its permission; lists and details share one scope."""

    required_permissions = {
        "list": Perm.SIGNAL_VIEW,
        "retrieve": Perm.SIGNAL_VIEW,
        "create": Perm.SIGNAL_CREATE,
        "qualify": Perm.SIGNAL_QUALIFY,
        "weigh": Perm.SIGNAL_WEIGH,
    }
    serializer_class = SignalSummarySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.signal_scope(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("state", enum=State.values),
            OpenApiParameter("channel", enum=Channel.values),
            OpenApiParameter("phenomenon", str),
            OpenApiParameter("q", str, description="reference or area"),
            OpenApiParameter("received_from", str),
            OpenApiParameter("received_to", str),
        ]
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        form_errors: dict[str, str] = {}
        dates: dict[str, Any] = {}
        for key in ("received_from", "received_to"):
            if params.get(key):
                try:
                    from datetime import date

                    dates[key] = date.fromisoformat(params[key])
                except ValueError:
                    form_errors[key] = "Not a date (YYYY-MM-DD)."
        if params.get("state") and params["state"] not in State.values:
            form_errors["state"] = f"Unknown state; one of {', '.join(State.values)}."
        if form_errors:
            raise ValidationError(form_errors)
        filters = selectors.SignalFilters(
            q=params.get("q", ""),
            state=params.get("state", ""),
            channel=params.get("channel", ""),
            phenomenon=params.get("phenomenon", ""),
            **dates,
        )
        page = self.paginate_queryset(selectors.signal_list(request.user, filters))
        return self.get_paginated_response([signal_summary(s) for s in page or []])

    @extend_schema(responses=SignalDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        signal = selectors.signal_get(user=request.user, signal_id=int(pk), origin=origin_of(request))
        return Response(SignalDetailSerializer(signal).data)

    @extend_schema(request=SignalCreateSerializer, responses={201: SignalDetailSerializer})
    def create(self, request: Request) -> Response:
        incoming = SignalCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["subjects"] = [dict(s) for s in data["subjects"]]
        try:
            signal = services.signal_create(
                acting=actor_for(request, Perm.SIGNAL_CREATE), data=services.SignalInput(**data)
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(
            signal_summary(signal), status=status.HTTP_201_CREATED, headers={"Location": f"/api/v1/signals/{signal.pk}"}
        )

    def _decide(self, request: Request, pk: str, run: Any) -> Response:
        if not selectors.signal_in_scope(user=request.user, signal_id=int(pk), origin=origin_of(request)):
            raise Http404
        try:
            signal = run()
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        except IllegalTransition as exc:
            from rest_framework.exceptions import APIException

            conflict = APIException(str(exc))
            conflict.status_code = 409
            raise conflict from exc
        return Response(signal_summary(signal))

    @extend_schema(request=QualifySerializer, responses=SignalSummarySerializer)
    @action(detail=True, methods=["post"])
    def qualify(self, request: Request, pk: str) -> Response:
        body = QualifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, Perm.SIGNAL_QUALIFY)
        return self._decide(
            request, pk, lambda: services.signal_qualify(acting=acting, signal_id=int(pk), **body.validated_data)
        )

    @extend_schema(request=WeighSerializer, responses=SignalSummarySerializer)
    @action(detail=True, methods=["post"])
    def weigh(self, request: Request, pk: str) -> Response:
        body = WeighSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        acting = actor_for(request, Perm.SIGNAL_WEIGH)
        data = body.validated_data
        scores = {k: (v["score"], v["explanation"]) for k, v in data["scores"].items()}
        return self._decide(
            request,
            pk,
            lambda: services.signal_weigh(
                acting=acting,
                signal_id=int(pk),
                scores=scores,
                route=data["route"],
                reasons=data["reasons"],
                department=data["department"],
            ),
        )
