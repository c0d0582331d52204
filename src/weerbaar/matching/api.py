# SPDX-License-Identifier: EUPL-1.2
"""API adapter: ``POST /api/v1/matching/hit-no-hit`` — one subject, per source only a status.

The caller holds matching:screen:run, names the sources, a purpose and the signal (``reference``,
``S-000012``) whose current privacy check 1 approves every source asked: the source gate that the
research app registers in ``matching.services.SOURCE_GATES`` refuses anything else (403
problem+json saying why, audited ``denied``). Step 3 itself asks through
``POST /api/v1/signals/{id}/research/queries``, which looks up every subject of the signal.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
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
    sources = serializers.ListField(
        child=serializers.SlugField(),
        allow_empty=False,
        max_length=50,
        help_text="source codes; privacy check 1 of the signal named in `reference` must approve every one",
    )
    purpose = serializers.CharField(max_length=200)
    reference = serializers.CharField(
        max_length=64,
        help_text="the signal the question belongs to (S-000012); its privacy check 1 must approve the sources",
    )


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
            sources = searchable_sources(data["sources"])
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
        except DjangoPermissionDenied as exc:  # a source gate refused (privacy check 1); it says why
            raise PermissionDenied(str(exc)) from exc
        answered = {"answers": [{"source": a.source, "status": a.status} for a in answers]}
        widest = {"answers": [{"source": a.source, "status": LONGEST_STATUS} for a in answers]}
        return same_size_response(answered, widest, started)


#: Every status is padded to the longest one, so a hit and a no-hit have the same size.
LONGEST_STATUS = max((HIT, POSSIBLE, NO_HIT, UNAVAILABLE, EXCLUDED), key=len)


def same_size_response(data: Any, widest: Any, started: float) -> HttpResponse:
    """``data`` as JSON padded to the size of ``widest`` (the same document with every status
    replaced by :data:`LONGEST_STATUS`), sent no earlier than ``MATCHING_MIN_RESPONSE_MS`` after
    the request began, so that neither the length nor the time of the response tells a hit from
    a no-hit (security test 9). JSON allows trailing whitespace, so the padding is invisible to
    any client. The research step's query answers use it too."""
    body = json.dumps(data)
    body += " " * max(0, len(json.dumps(widest)) - len(body))
    wait = settings.MATCHING_MIN_RESPONSE_MS / 1000 - (time.perf_counter() - started)
    if wait > 0:
        time.sleep(wait)
    return HttpResponse(body, content_type="application/json")
