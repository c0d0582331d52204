# SPDX-License-Identifier: EUPL-1.2
"""``/api/v1/governance/…``: data-subject requests, register, publication, audit views and export,
retention dry run. Thin adapters over the governance services; every operation declares its
permission; errors are problem+json (``weerbaar.api``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.authz import actor_for
from weerbaar.accounts.middleware import needs_second_factor
from weerbaar.accounts.permissions import Perm
from weerbaar.governance import auditlog, publication, register, requests, retention
from weerbaar.governance.files import CONTENT_TYPES, download_name
from weerbaar.governance.models import DataSubjectRequest, RequestKind, RequestStatus, RestrictionGround


def _as_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict") else {"body": error.messages})


def _file(content: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _date(params: Any, key: str, errors: dict[str, str]) -> date | None:
    raw = params.get(key)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[key] = "Not a date (YYYY-MM-DD)."
        return None


def _page(params: Any) -> int:
    raw = str(params.get("page", "1"))
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


class SecondFactorRequired(exceptions.APIException):
    status_code = 401
    default_detail = "Sign in with your second factor."
    default_code = "second_factor_required"


# Data-subject requests --------------------------------------------------------------------------


class RequesterSerializer(serializers.Serializer):
    given_names = serializers.CharField(required=False, allow_blank=True)
    surname_prefix = serializers.CharField(required=False, allow_blank=True)
    surname = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.CharField(required=False, allow_blank=True)
    street = serializers.CharField(required=False, allow_blank=True)
    house_number = serializers.CharField(required=False, allow_blank=True)
    house_number_addition = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    bsn = serializers.CharField(required=False, allow_blank=True)
    kvk_number = serializers.CharField(required=False, allow_blank=True)
    licence_plate = serializers.CharField(required=False, allow_blank=True)
    contact = serializers.CharField(required=False, allow_blank=True)


class RequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_on = serializers.DateField()
    requester = RequesterSerializer()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RequestSummarySerializer(serializers.Serializer):
    """What a list shows: no requester data."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_on = serializers.DateField()
    deadline = serializers.DateField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    handled_at = serializers.DateTimeField(allow_null=True)
    destroyed_at = serializers.DateTimeField(allow_null=True)


class RequestDetailSerializer(RequestSummarySerializer):
    requester = serializers.DictField(child=serializers.CharField(), allow_null=True)
    notes = serializers.CharField(allow_null=True)
    created_label = serializers.CharField()
    created_role = serializers.CharField()
    handled_label = serializers.CharField()
    handled_role = serializers.CharField()
    outcome_reasons = serializers.CharField(allow_null=True)


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    withheld = serializers.BooleanField()
    ground = serializers.CharField(allow_blank=True)
    access_log = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class SearchSerializer(serializers.Serializer):
    request = serializers.CharField()
    items = ItemSerializer(many=True)


class RestrictSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=80, help_text="app.model:id as the search shows it")
    ground = serializers.ChoiceField(choices=RestrictionGround.choices)
    reasons = serializers.CharField(max_length=5000)
    withheld = serializers.BooleanField(default=True, help_text="false releases an item withheld earlier")


class RestrictionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField()
    ground = serializers.CharField()
    withheld = serializers.BooleanField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    actor_label = serializers.CharField()
    role = serializers.CharField()
    at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[(f, f) for f in requests.FORMATS])


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[RequestStatus.ANSWERED, RequestStatus.REFUSED])
    reasons = serializers.CharField(max_length=5000)


def _summary(request: DataSubjectRequest) -> dict[str, Any]:
    return RequestSummarySerializer(
        {
            "id": request.pk,
            "reference": request.reference,
            "kind": request.kind,
            "received_on": request.received_on,
            "deadline": request.deadline,
            "status": request.status,
            "handled_at": request.handled_at,
            "destroyed_at": request.destroyed_at,
        }
    ).data


class DataSubjectRequestViewSet(viewsets.GenericViewSet):
    """Data-subject requests (AVG art. 15-21)."""

    required_permissions = {
        "list": Perm.DSR_HANDLE,
        "create": Perm.DSR_HANDLE,
        "retrieve": Perm.DSR_HANDLE,
        "search": Perm.DSR_HANDLE,
        "restrictions": Perm.DSR_HANDLE,
        "report": Perm.DSR_HANDLE,
        "close": Perm.DSR_HANDLE,
    }
    serializer_class = RequestSummarySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return requests.dsr_list()

    @extend_schema(responses=RequestSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(requests.dsr_list())
        return self.get_paginated_response([_summary(r) for r in page or []])

    @extend_schema(request=RequestCreateSerializer, responses={201: RequestSummarySerializer})
    def create(self, request: Request) -> Response:
        body = RequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            created = requests.dsr_create(
                acting=actor_for(request, Perm.DSR_HANDLE),
                data=requests.RequestInput(
                    kind=data["kind"],
                    received_on=data["received_on"],
                    requester={k: v for k, v in dict(data["requester"]).items() if v},
                    notes=data["notes"],
                ),
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(
            _summary(created),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/governance/requests/{created.pk}"},
        )

    @extend_schema(responses=RequestDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        found = requests.dsr_get(acting=actor_for(request, Perm.DSR_HANDLE), request_id=int(pk))
        return Response(
            {
                **_summary(found),
                "requester": found.requester,
                "notes": found.notes,
                "created_label": found.created_label,
                "created_role": found.created_role,
                "handled_label": found.handled_label,
                "handled_role": found.handled_role,
                "outcome_reasons": found.outcome_reasons,
            }
        )

    @extend_schema(responses=SearchSerializer)
    @action(detail=True, methods=["get"])
    def search(self, request: Request, pk: str) -> Response:
        try:
            result = requests.dsr_search(acting=actor_for(request, Perm.DSR_HANDLE), request_id=int(pk))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(
            {
                "request": result.request.reference,
                "items": [
                    {
                        "key": i.key,
                        "kind": i.kind,
                        "title": i.title,
                        "reasons": i.reasons,
                        "rows": [list(r) for r in i.rows],
                        "withheld": i.withheld,
                        "ground": i.withheld_ground,
                        "access_log": i.access_log,
                    }
                    for i in result.items
                ],
            }
        )

    @extend_schema(request=RestrictSerializer, responses={201: RestrictionSerializer})
    @action(detail=True, methods=["post"])
    def restrictions(self, request: Request, pk: str) -> Response:
        body = RestrictSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = requests.dsr_restrict(
                acting=actor_for(request, Perm.DSR_HANDLE), request_id=int(pk), **body.validated_data
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(RestrictionSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportSerializer,
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/html"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> HttpResponse:
        body = ReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        file_format = body.validated_data["format"]
        try:
            record, content = requests.access_report(
                acting=actor_for(request, Perm.DSR_HANDLE), request_id=int(pk), file_format=file_format
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        response = _file(content, file_format, download_name(record))
        response["Location"] = f"/governance/requests/{pk}/files/{record.pk}"
        return response

    @extend_schema(request=CloseSerializer, responses=RequestSummarySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            closed = requests.dsr_close(
                acting=actor_for(request, Perm.DSR_HANDLE), request_id=int(pk), **body.validated_data
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(_summary(closed))


# Register, publication, retention ---------------------------------------------------------------


class RegisterViewSet(viewsets.ViewSet):
    """The processing register (AVG art. 30), generated from the configuration."""

    required_permissions = {"list": Perm.REGISTER_VIEW}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        data, _content = register.register_generate(acting=actor_for(request, Perm.REGISTER_VIEW), file_format="json")
        return Response(data)


class FormatIsAFileFormat(DefaultContentNegotiation):
    """``?format=csv`` names the file format of the answer, not a DRF renderer: JSON is the only
    renderer, and a CSV answer is built by the view itself."""

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


class PublicationViewSet(viewsets.ViewSet):
    """Council and Woo figures for a period: counts only, small counts suppressed."""

    required_permissions = {"list": Perm.PUBLICATION_EXPORT}
    content_negotiation_class = FormatIsAFileFormat

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("format", enum=list(publication.FORMATS)),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.BINARY},
    )
    def list(self, request: Request) -> Any:
        errors: dict[str, str] = {}
        start, end = _date(request.query_params, "from", errors), _date(request.query_params, "to", errors)
        if errors:
            raise exceptions.ValidationError(errors)
        file_format = request.query_params.get("format", "json")
        try:
            data, content = publication.publication_export(
                acting=actor_for(request, Perm.PUBLICATION_EXPORT), start=start, end=end, file_format=file_format
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        if file_format == "csv":
            return _file(content, "csv", f"cijfers-{start}-{end}.csv")
        return Response(data)


class RetentionViewSet(viewsets.ViewSet):
    """What retention would destroy today, per category (a dry run: nothing changes)."""

    required_permissions = {"list": Perm.RETENTION_RUN}

    @extend_schema(
        responses=inline_serializer(
            "RetentionDryRun",
            {
                "items": inline_serializer(
                    "RetentionItem",
                    {
                        "category": serializers.CharField(),
                        "reference": serializers.CharField(),
                        "due": serializers.DateField(),
                        "detail": serializers.CharField(),
                    },
                    many=True,
                )
            },
        )
    )
    def list(self, request: Request) -> Response:
        plan = retention.retention_run(acting=actor_for(request, Perm.RETENTION_RUN), dry_run=True)
        return Response(
            {
                "items": [
                    {"category": i.category, "reference": i.reference, "due": i.due.isoformat(), "detail": i.detail}
                    for i in plan.items
                ]
            }
        )


# Audit --------------------------------------------------------------------------------------------


class AuditRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_id = serializers.IntegerField(allow_null=True)
    actor_label = serializers.CharField()
    role = serializers.CharField()
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    case = serializers.CharField()
    purpose = serializers.CharField()
    result = serializers.CharField()
    origin = serializers.CharField()


class AuditPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = AuditRowSerializer(many=True)


class ExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[(f, f) for f in auditlog.FORMATS])
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)


_PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
    OpenApiParameter("page", OpenApiTypes.INT),
]


class AuditViewSet(viewsets.ViewSet):
    """The access log for the privacyfunctionaris, behind the second factor; reads are audited."""

    required_permissions = {"subject": Perm.AUDIT_READ, "employee": Perm.AUDIT_READ, "export": Perm.AUDIT_EXPORT}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if needs_second_factor(request._request):  # the Django request carries the session
            raise SecondFactorRequired

    def _period(self, request: Request) -> auditlog.DateRange:
        errors: dict[str, str] = {}
        start, end = _date(request.query_params, "from", errors), _date(request.query_params, "to", errors)
        if errors:
            raise exceptions.ValidationError(errors)
        return auditlog.DateRange(start, end)

    @staticmethod
    def _out(page: auditlog.AuditPage) -> Response:
        return Response({"count": page.count, "page": page.number, "pages": page.pages, "results": page.rows})

    @extend_schema(
        parameters=[
            OpenApiParameter("object_type", str),
            OpenApiParameter("object_id", str),
            OpenApiParameter("request", int, description="a data-subject request: rows about all it finds"),
            *_PERIOD,
        ],
        responses=AuditPageSerializer,
    )
    @action(detail=False, methods=["get"])
    def subject(self, request: Request) -> Response:
        acting = actor_for(request, Perm.AUDIT_READ)
        params = request.query_params
        period = self._period(request)
        try:
            raw_request = str(params.get("request", ""))
            if raw_request:
                if not raw_request.isdigit():
                    raise exceptions.ValidationError({"request": "A request number."})
                actor_for(request, Perm.DSR_HANDLE)  # the search behind it is a data-subject search
                page = auditlog.audit_for_request(
                    acting=acting, request_id=int(raw_request), period=period, page=_page(params)
                )
            else:
                page = auditlog.audit_for_subject(
                    acting=acting,
                    object_type=str(params.get("object_type", "")),
                    object_id=str(params.get("object_id", "")),
                    period=period,
                    page=_page(params),
                )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return self._out(page)

    @extend_schema(
        parameters=[OpenApiParameter("employee", str, required=True), *_PERIOD], responses=AuditPageSerializer
    )
    @action(detail=False, methods=["get"])
    def employee(self, request: Request) -> Response:
        acting = actor_for(request, Perm.AUDIT_READ)
        try:
            page = auditlog.audit_for_employee(
                acting=acting,
                employee=str(request.query_params.get("employee", "")),
                period=self._period(request),
                page=_page(request.query_params),
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return self._out(page)

    @extend_schema(
        request=ExportSerializer,
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="problem+json"),
        },
    )
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> HttpResponse:
        body = ExportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            record, content = auditlog.audit_export(
                acting=actor_for(request, Perm.AUDIT_EXPORT),
                period=auditlog.DateRange(data["start"], data["end"]),
                file_format=data["format"],
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return _file(content, record.file_format, download_name(record))
