# SPDX-License-Identifier: EUPL-1.2
"""The signals API: NL API Design Rules, problem+json, audited reads, transitions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import full_scores
from weerbaar.audit.models import AuditEvent
from weerbaar.signals.models import Signal

pytestmark = pytest.mark.django_db

BODY = {
    "channel": "department",
    "received_on": "2026-01-10",
    "description": "Hennepgeur bij loods.",
    "phenomena": ["cannabis"],
    "location_area": "Haven-Oost",
    "subjects": [{"kind": "company", "data": {"trade_name": "Proef Opslag", "kvk_number": "91234567"}}],
}


def test_create_returns_201_with_location_and_version(users: Any, client: Any) -> None:
    client.force_login(users["department_officer"])
    response = client.post("/api/v1/signals", BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response["API-Version"] == "1.0.0"
    assert response["Location"] == f"/api/v1/signals/{response.json()['id']}"
    assert response.json()["state"] == "received"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_on": "yesterday"}, "received_on"),
        ({"channel": "pigeon"}, "channel"),
        ({"phenomena": ["unknown"]}, "phenomena"),
        ({"subjects": [{"kind": "person", "data": {"surname": "X", "postcode": "12"}}]}, "subjects[0]"),
        ({"description": ""}, "description"),
    ],
)
def test_invalid_input_is_400_problem_json_naming_the_field(
    users: Any, client: Any, change: dict[str, Any], field: str
) -> None:
    client.force_login(users["department_officer"])
    before = Signal.objects.count()
    response = client.post("/api/v1/signals", {**BODY, **change}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Invalid input"
    assert any(p["name"].startswith(field) for p in problem["invalid_params"]), problem
    assert Signal.objects.count() == before


def test_retrieve_is_audited_with_purpose(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("received")
    client.force_login(users["regisseur"])
    response = client.get(f"/api/v1/signals/{signal.pk}")
    assert response.status_code == 200 and response.json()["description"]
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.actor_label) == ("signals:signal:read", str(signal.pk), "regisseur")
    assert event.purpose == "qualification (W1, W2A, W2B)"


def test_list_filters_and_paginates(users: Any, new_signal: Any, client: Any) -> None:
    received = new_signal("received")
    research = new_signal("research")
    client.force_login(users["regisseur"])
    body = client.get("/api/v1/signals?state=research").json()
    assert [s["id"] for s in body["results"]] == [research.pk]
    assert body["count"] == 1
    assert client.get(f"/api/v1/signals?q=S-{received.pk:06d}").json()["results"][0]["id"] == received.pk
    bad = client.get("/api/v1/signals?state=nonsense")
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "state"


def test_transitions_through_the_api(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("received")
    client.force_login(users["regisseur"])
    response = client.post(
        f"/api/v1/signals/{signal.pk}/qualify",
        {"checked_items": ["a_business", "r_cash"], "w1": True, "w2a": True, "w2b": True, "reasons": "ok"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "qualified"
    again = client.post(
        f"/api/v1/signals/{signal.pk}/qualify",
        {"checked_items": ["a_business", "r_cash"], "w1": True, "w2a": True, "w2b": True, "reasons": "ok"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert "Gekwalificeerd" in again.json()["detail"]  # the UI language (Dutch) names the state
    client.force_login(users["ondermijningsteam"])
    scores = {k: {"score": s, "explanation": e} for k, (s, e) in full_scores().items()}
    response = client.post(
        f"/api/v1/signals/{signal.pk}/weigh",
        {"scores": scores, "route": "d", "reasons": "r"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "research"


def test_schema_is_served_and_has_no_trailing_slashes(client: Any) -> None:
    response = client.get("/api/v1/schema?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/signals" in paths and all(not p.endswith("/") for p in paths)


def test_csrf_is_enforced_on_the_api(users: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["department_officer"])
    response = client.post("/api/v1/signals", BODY, content_type="application/json")
    assert response.status_code == 403


def test_hand_built_summary_matches_the_documented_serializer(new_signal: Any) -> None:
    from weerbaar.signals.api import SignalSummarySerializer, signal_summary

    signal = Signal.objects.prefetch_related("phenomena").get(pk=new_signal("research").pk)
    assert signal_summary(signal) == SignalSummarySerializer(signal).data


def test_not_signed_in_is_401_with_a_matching_body(client: Any) -> None:
    response = client.get("/api/v1/signals")
    assert response.status_code == 401 and response.json()["status"] == 401
    assert response["WWW-Authenticate"]
