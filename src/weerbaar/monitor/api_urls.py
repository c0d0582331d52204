# SPDX-License-Identifier: EUPL-1.2
"""The monitor's API operations under /api/v1/monitor (NL API Design Rules: no trailing slash).

``/monitor/waves``: list, create (a draft), detail, progress, and the actions open, remind, close
and link (a new personal link for one municipality). Reading needs ``MONITOR_VIEW``, acting
``MONITOR_MANAGE``; errors are problem+json (``weerbaar.api``). The personal links exist only in
the answer of ``open`` and ``link``: Weerbaar stores their hashes, never the links.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from weerbaar.accounts.authz import actor_for
from weerbaar.accounts.permissions import Perm
from weerbaar.monitor import waves
from weerbaar.monitor.models import ResponseSource, Wave, WaveState


def enum(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field described by a pattern, not an enum: drf-spectacular names an enum component
    after the field, and "state", "status" and "source" mean other values in other apps."""
    values = [str(value) for value, _label in choices]

    @extend_schema_field(
        {"type": "string", "pattern": "^(" + "|".join(values) + ")$", "description": "one of: " + ", ".join(values)}
    )
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def _as_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict") else {"body": error.messages})


class WaveSerializer(serializers.ModelSerializer):
    codebook_version = serializers.IntegerField(source="codebook.version", read_only=True)
    state = enum(WaveState.choices, read_only=True)
    source = enum(ResponseSource.choices, read_only=True)  # type: ignore[assignment]  # a field, not Field.source

    class Meta:
        model = Wave
        fields = [
            "year",
            "title",
            "state",
            "source",
            "synthetic",
            "codebook_version",
            "opens_on",
            "closes_on",
            "opened_at",
            "closed_at",
        ]


class WaveCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    closes_on = serializers.DateField()
    codebook_version = serializers.IntegerField(required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    synthetic = serializers.BooleanField(required=False, default=False)


class WaveOpenSerializer(serializers.Serializer):
    contacts = serializers.DictField(
        child=serializers.EmailField(),
        required=False,
        default=dict,
        help_text="E-mail address per municipality code (GM0363); those municipalities get their link by e-mail.",
    )


class LinkRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=6)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class LinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    url = serializers.CharField(help_text="The personal link; shown only in this answer.")
    mailed = serializers.BooleanField()


#: A group's progress; built with ``inline_serializer`` because "label" and "partial" are also
#: attributes of DRF's serializer classes.
#: A group's progress; built with ``inline_serializer`` because "label" and "partial" are also
#: attributes of DRF's serializer classes. One class, so the schema has one component.
WaveGroupProgress = type(
    inline_serializer(
        "WaveGroupProgress",
        {
            "key": serializers.CharField(),
            "label": serializers.CharField(),
            "total": serializers.IntegerField(),
            "complete": serializers.IntegerField(),
            "partial": serializers.IntegerField(),
            "not_started": serializers.IntegerField(),
            "response_rate": serializers.FloatField(allow_null=True),
        },
    )
)


class MunicipalityProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    size_class = serializers.CharField()
    riec_region = serializers.CharField()
    status = enum([("complete", "complete"), ("partial", "partial"), ("not_started", "not started")])
    invited = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    reminder_count = serializers.IntegerField()
    last_reminder_at = serializers.DateTimeField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = WaveGroupProgress()
    by_size_class = WaveGroupProgress(many=True)
    by_riec_region = WaveGroupProgress(many=True)
    municipalities = MunicipalityProgressSerializer(many=True)


def _group(group: waves.GroupProgress) -> dict[str, Any]:
    return {
        "key": group.key,
        "label": group.label,
        "total": group.total,
        "complete": group.complete,
        "partial": group.partial,
        "not_started": group.not_started,
        "response_rate": group.response_rate,
    }


def _link(link: waves.IssuedLink) -> dict[str, Any]:
    return {"code": link.code, "name": link.name, "email": link.email, "url": link.url, "mailed": link.mailed}


class WaveViewSet(viewsets.GenericViewSet):
    """Waves of the monitor, by year. Every operation declares its permission."""

    required_permissions = {
        "list": Perm.MONITOR_VIEW,
        "retrieve": Perm.MONITOR_VIEW,
        "progress": Perm.MONITOR_VIEW,
        "create": Perm.MONITOR_MANAGE,
        "open": Perm.MONITOR_MANAGE,
        "remind": Perm.MONITOR_MANAGE,
        "close": Perm.MONITOR_MANAGE,
        "link": Perm.MONITOR_MANAGE,
        "benchmark_links": Perm.MONITOR_MANAGE,
    }
    serializer_class = WaveSerializer
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    pagination_class = None

    def get_queryset(self) -> Any:
        return Wave.objects.select_related("codebook").order_by("year")

    def _wave(self, year: str) -> Wave:
        wave = self.get_queryset().filter(year=int(year)).first()
        if wave is None:
            raise Http404
        return wave

    def _link_base(self, request: Request) -> str:
        return request.build_absolute_uri("/").rstrip("/")

    def list(self, request: Request) -> Response:
        return Response(WaveSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, year: str) -> Response:
        return Response(WaveSerializer(self._wave(year)).data)

    @extend_schema(request=WaveCreateSerializer, responses={201: WaveSerializer})
    def create(self, request: Request) -> Response:
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        body = WaveCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            wave = waves.create_wave(acting=acting, **body.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(WaveSerializer(wave).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, year: str) -> Response:
        data = waves.progress(self._wave(year))
        return Response(
            {
                "year": data.wave.year,
                "total": _group(data.total),
                "by_size_class": [_group(g) for g in data.by_size_class],
                "by_riec_region": [_group(g) for g in data.by_region],
                "municipalities": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "size_class": r.size_class,
                        "riec_region": r.riec_region,
                        "status": r.status,
                        "invited": r.invited,
                        "updated_at": r.updated_at,
                        "submitted_at": r.submitted_at,
                        "reminder_count": r.reminder_count,
                        "last_reminder_at": r.last_reminder_at,
                    }
                    for r in data.rows
                ],
            }
        )

    @extend_schema(
        request=WaveOpenSerializer,
        responses=inline_serializer("OpenedWave", {"wave": WaveSerializer(), "links": LinkSerializer(many=True)}),
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, year: str) -> Response:
        wave = self._wave(year)
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        body = WaveOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contacts = {str(code).strip().upper(): email for code, email in body.validated_data["contacts"].items()}
        try:
            opened = waves.open_wave(
                acting=acting, year=wave.year, link_base=self._link_base(request), contacts=contacts
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        response = Response({"wave": WaveSerializer(opened.wave).data, "links": [_link(x) for x in opened.links]})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "Reminded", {"sent": serializers.IntegerField(), "without_address": serializers.IntegerField()}
        ),
    )
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, year: str) -> Response:
        wave = self._wave(year)
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        try:
            result = waves.send_reminders(acting=acting, year=wave.year)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response({"sent": result.sent, "without_address": result.without_address})

    @extend_schema(request=None, responses=WaveSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, year: str) -> Response:
        wave = self._wave(year)
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        try:
            closed = waves.close_wave(acting=acting, year=wave.year)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return Response(WaveSerializer(closed).data)

    @extend_schema(request=LinkRequestSerializer, responses=LinkSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, year: str) -> Response:
        wave = self._wave(year)
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        body = LinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            issued = waves.issue_link(
                acting=acting,
                year=wave.year,
                code=body.validated_data["code"].strip().upper(),
                email=body.validated_data["email"],
                link_base=self._link_base(request),
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        response = Response(_link(issued))
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=WaveOpenSerializer, responses=LinkSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="benchmark-links")
    def benchmark_links(self, request: Request, year: str) -> Response:
        """Links to the benchmark sheets of a closed wave, for respondents without a link."""
        wave = self._wave(year)
        acting = actor_for(request, Perm.MONITOR_MANAGE)
        body = WaveOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contacts = {str(code).strip().upper(): email for code, email in body.validated_data["contacts"].items()}
        try:
            links = waves.issue_benchmark_links(
                acting=acting, year=wave.year, link_base=self._link_base(request), contacts=contacts
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        response = Response([_link(x) for x in links])
        response["Cache-Control"] = "no-store"
        return response


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register("monitor/waves", WaveViewSet, basename="monitor-wave")

urlpatterns: list[Any] = router.urls
