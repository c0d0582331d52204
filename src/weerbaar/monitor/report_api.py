# SPDX-License-Identifier: EUPL-1.2
"""``/api/v1/monitor/…`` of the reporting side: the report document per wave, the analysis of one
item, operational figures (submit; list aggregated and suppressed) and the follow-up of the
conclusions (CRUD). Every operation declares its permission; errors are problem+json
(``weerbaar.api``). Authentication is the API's (session, with CSRF).

Who may submit figures for which municipality: the account's username is the municipality's CBS
code, optionally with a suffix (``gm0363``, ``GM0363-weerbaar``; figures.account_municipality). A
body that names another municipality is refused with 403; a body without a code is taken to be
for the account's own municipality.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weerbaar.accounts.authz import actor_for
from weerbaar.accounts.permissions import Perm
from weerbaar.monitor import figures, followup, report
from weerbaar.monitor.models import FiguresSource, FollowUp, FollowUpStatus, ResponseKind, Wave


def _as_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict") else {"body": error.messages})


def _wave(year: str | int) -> Wave:
    try:
        return report.wave_for_report(int(year))
    except (Wave.DoesNotExist, ValueError):
        raise Http404 from None


def _document(year: str | int) -> dict[str, Any]:
    wave = _wave(year)
    try:
        return report.build_document(wave)
    except DjangoValidationError as exc:
        raise exceptions.NotFound("; ".join(exc.messages)) from exc


# --- the report ----------------------------------------------------------------------------------


class ReportView(APIView):
    """The report document of a wave (docs/monitor-report.md); its ``analysis`` part validates
    against ``report.schema.json``."""

    required_permissions = {"get": Perm.MONITOR_VIEW}

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="monitor_wave_report")
    def get(self, request: Request, year: int) -> Response:
        return Response(_document(year))


class ItemAnalysisView(APIView):
    """One item of a wave: its figures (national, breakdowns, trend, changes), labels, and the
    operational figures that belong to it, all after disclosure control."""

    required_permissions = {"get": Perm.MONITOR_VIEW}

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="monitor_wave_item_analysis")
    def get(self, request: Request, year: int, item_id: str) -> Response:
        document = _document(year)
        entry = document["analysis"]["items"].get(item_id)
        if entry is None:
            raise exceptions.NotFound(f"wave {year} has no item {item_id}")
        published = document.get("operational_figures") or {}
        related = figures.RELATED.get(item_id, ())
        return Response(
            {
                "year": document["wave"]["year"],
                "synthetic": document["wave"]["synthetic"],
                "item": item_id,
                "meta": document["items"].get(item_id, {}),
                "figures": entry,
                "operational_figures": {k: published.get("figures", {}).get(k) for k in related},
                "suppression": document["analysis"]["suppression"],
            }
        )


# --- operational figures ---------------------------------------------------------------------------


class FiguresSubmitSerializer(serializers.Serializer):
    """Documentation of the body; the checks are figures.check_submission's (one message per field)."""

    municipality_code = serializers.CharField(
        required=False, help_text="CBS code, e.g. GM0363 (default: the account's)"
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    figures = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text="figure key: whole number ≥ 0"
    )


class FiguresStoredSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    municipality_code = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    figures = serializers.DictField(child=serializers.IntegerField())
    supersedes = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField()


class FiguresViewSet(viewsets.ViewSet):
    """Operational figures: a municipal deployment submits its counts; readers get aggregates."""

    required_permissions = {"create": Perm.MONITOR_FIGURES_SUBMIT, "list": Perm.MONITOR_VIEW}

    @extend_schema(request=FiguresSubmitSerializer, responses={201: FiguresStoredSerializer})
    def create(self, request: Request) -> Response:
        acting = actor_for(request, Perm.MONITOR_FIGURES_SUBMIT)
        own = figures.account_municipality(request.user)
        if own is None:
            raise exceptions.PermissionDenied(
                "This account is not tied to a municipality: its username must be the CBS code (e.g. gm0363)."
            )
        body = request.data
        if not isinstance(body, dict):
            raise exceptions.ValidationError({"body": ["Send a JSON object."]})
        data = dict(body)
        given = data.get("municipality_code")
        if given not in (None, "") and figures.normalise_code(given) != own:
            raise exceptions.PermissionDenied(f"This account submits figures for {own} only.")
        data["municipality_code"] = own
        try:
            row = figures.submit_figures(acting=acting, data=data, source=FiguresSource.API)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(
            {
                "id": row.pk,
                "municipality_code": row.municipality_code,
                "period_start": row.period_start,
                "period_end": row.period_end,
                "figures": row.figures,
                "supersedes": row.supersedes_id,
                "submitted_at": row.submitted_at,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="calendar year (default: last year)")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        raw = str(request.query_params.get("year", ""))
        if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
            raise exceptions.ValidationError({"year": ["Give a year, e.g. 2024."]})
        year = int(raw) if raw else timezone.localdate().year - 1
        return Response(figures.figures_for_year(year))


# --- follow-up -------------------------------------------------------------------------------------------


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    conclusion = serializers.IntegerField(help_text="id of the conclusion")
    wave = serializers.IntegerField(read_only=True)
    conclusion_number = serializers.IntegerField(read_only=True)
    response_kind = serializers.ChoiceField(choices=ResponseKind.choices)
    text_nl = serializers.CharField(max_length=5000)
    text_en = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    owner = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, required=False, default=FollowUpStatus.PLANNED)
    indicators = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list)


def _follow_up(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "conclusion": f.conclusion_id,
        "wave": f.conclusion.wave.year,
        "conclusion_number": f.conclusion.number,
        "response_kind": f.response_kind,
        "text_nl": f.text_nl,
        "text_en": f.text_en,
        "owner": f.owner,
        "deadline": f.deadline.isoformat() if isinstance(f.deadline, date) else None,
        "status": f.status,
        "indicators": list(f.indicators or []),
    }


def _input(data: dict[str, Any], base: FollowUp | None = None) -> followup.FollowUpInput:
    def pick(name: str, default: Any) -> Any:
        if name in data:
            return data[name]
        return getattr(base, name) if base is not None else default

    return followup.FollowUpInput(
        response_kind=pick("response_kind", ""),
        text_nl=pick("text_nl", ""),
        text_en=pick("text_en", "") or "",
        owner=pick("owner", "") or "",
        deadline=pick("deadline", None),
        status=pick("status", FollowUpStatus.PLANNED),
        indicators=list(pick("indicators", []) or []),
    )


class FollowUpViewSet(viewsets.ViewSet):
    """The policy response per conclusion (owner, deadline, status, indicators)."""

    required_permissions = {
        "list": Perm.MONITOR_VIEW,
        "retrieve": Perm.MONITOR_VIEW,
        "create": Perm.MONITOR_FOLLOWUP,
        "update": Perm.MONITOR_FOLLOWUP,
        "partial_update": Perm.MONITOR_FOLLOWUP,
        "destroy": Perm.MONITOR_FOLLOWUP,
    }
    lookup_value_regex = r"\d+"

    @extend_schema(responses=FollowUpSerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = FollowUp.objects.select_related("conclusion__wave").order_by(
            "conclusion__wave__year", "conclusion__number", "pk"
        )
        return Response([_follow_up(f) for f in rows])

    @extend_schema(responses=FollowUpSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_follow_up(followup.get_follow_up(int(pk))))

    @extend_schema(request=FollowUpSerializer, responses={201: FollowUpSerializer})
    def create(self, request: Request) -> Response:
        acting = actor_for(request, Perm.MONITOR_FOLLOWUP)
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            made = followup.create_follow_up(acting=acting, conclusion_id=data["conclusion"], data=_input(data))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(
            _follow_up(followup.get_follow_up(made.pk)),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/monitor/follow-ups/{made.pk}"},
        )

    def _change(self, request: Request, pk: str, *, partial: bool) -> Response:
        acting = actor_for(request, Perm.MONITOR_FOLLOWUP)
        found = followup.get_follow_up(int(pk))
        body = FollowUpSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "conclusion"}
        if partial:
            data = {k: v for k, v in data.items() if k in request.data}
        try:
            followup.update_follow_up(acting=acting, follow_up_id=found.pk, data=_input(data, found))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(_follow_up(followup.get_follow_up(found.pk)))

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    def update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=False)

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        acting = actor_for(request, Perm.MONITOR_FOLLOWUP)
        followup.delete_follow_up(acting=acting, follow_up_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
