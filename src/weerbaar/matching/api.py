# SPDX-License-Identifier: EUPL-1.2
"""API adapter: ``POST /api/v1/matching/hit-no-hit`` — one subject, per source only a status.

The research step (privacy check 1) will call the same service with the sources its check
approved; until then the caller names the sources and a purpose, and holds matching:screen:run.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from weerbaar.accounts.authz import actor_for
from weerbaar.accounts.permissions import Perm
from weerbaar.matching.records import KINDS
from weerbaar.matching.services import (
    EXCLUDED,
    HIT,
    IDENTIFYING,
    NO_HIT,
    POSSIBLE,
    UNAVAILABLE,
    hit_no_hit,
    identifies,
    searchable_sources,
)


def _text() -> serializers.CharField:
    return serializers.CharField(max_length=200, required=False, allow_blank=True)


class MatchSubjectSerializer(serializers.Serializer[Any]):
    """The subject in the roles of the file formats (``records.ROLES``); every field optional."""

    id = _text()
    given_names = _text()
    surname_prefix = _text()
    surname = _text()
    date_of_birth = _text()
    street = _text()
    house_number = _text()
    house_number_addition = _text()
    postcode = _text()
    city = _text()
    national_id = _text()
    kvk_number = _text()
    trade_name = _text()
    legal_form = _text()


class HitNoHitRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=KINDS, default="person")
    subject = MatchSubjectSerializer()
    sources = serializers.ListField(child=serializers.SlugField(), required=False, max_length=50)
    purpose = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class HitNoHitViewSet(viewsets.ViewSet):
    required_permissions = {"create": Perm.MATCH_SCREEN}

    @extend_schema(
        request=HitNoHitRequestSerializer,
        responses={
            200: inline_serializer(
                "HitNoHitAnswer",
                {
                    "answers": inline_serializer(
                        "SourceStatus",
                        {"source": serializers.CharField(), "status": serializers.CharField()},
                        many=True,
                    )
                },
            )
        },
        summary="Hit/no-hit of one subject against the sources",
    )
    def create(self, request: Request) -> HttpResponse:
        started = time.perf_counter()
        body = HitNoHitRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subject = {k: v for k, v in data["subject"].items() if v}
        if not identifies(data["kind"], subject):
            wanted = " or ".join("+".join(fields) for fields in IDENTIFYING[data["kind"]])
            raise ValidationError({"subject": [f"A {data['kind']} is looked up by {wanted}."]})
        acting = actor_for(request, Perm.MATCH_SCREEN)
        try:
            sources = searchable_sources(data.get("sources"))
            answers = hit_no_hit(
                acting=acting,
                subject=subject,
                kind=data["kind"],
                sources=sources,
                purpose=data["purpose"],
                reference=data["reference"],
            )
        except DjangoValidationError as exc:
            raise ValidationError({"sources": exc.messages}) from exc
        return _same_size_response([(a.source, a.status) for a in answers], started)


#: Every status is padded to the longest one, so a hit and a no-hit have the same size.
_LONGEST_STATUS = max((HIT, POSSIBLE, NO_HIT, UNAVAILABLE, EXCLUDED), key=len)


def _same_size_response(answers: list[tuple[str, str]], started: float) -> HttpResponse:
    """The answers as JSON of a size that depends on the sources asked, never on the outcome, sent
    no earlier than ``MATCHING_MIN_RESPONSE_MS`` after the request began, so that neither the length
    nor the time of the response tells a hit from a no-hit (security test 9). JSON allows trailing
    whitespace, so the padding is invisible to any client."""
    body = json.dumps({"answers": [{"source": src, "status": status} for src, status in answers]})
    widest = json.dumps({"answers": [{"source": src, "status": _LONGEST_STATUS} for src, _ in answers]})
    body += " " * (len(widest) - len(body))
    wait = settings.MATCHING_MIN_RESPONSE_MS / 1000 - (time.perf_counter() - started)
    if wait > 0:
        time.sleep(wait)
    return HttpResponse(body, content_type="application/json")
