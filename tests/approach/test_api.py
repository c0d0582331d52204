# SPDX-License-Identifier: EUPL-1.2
"""Step 4 through /api/v1: the whole approach, refusals as problem+json, the meeting view's cells."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.approach.conftest import ADDRESS, CONTENT_CANARY, DESCRIPTION, Parts, Research, standard_cells
from tests.approach.pdftext import pdf_text
from weerbaar.approach.models import Case
from weerbaar.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type=JSON)


def test_the_approach_through_the_api(case: Case, parts: Parts, research: Research, users: Any, client: Any) -> None:
    client.force_login(users["regisseur"])
    refused = _post(
        client,
        f"/api/v1/cases/{case.pk}/meetings",
        {"held_on": date.today().isoformat(), "attendees": [parts.team.pk], "reasons": "r"},
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert "Eerst privacytoets 2A" in refused.json()["detail"]

    client.force_login(users["privacyfunctionaris"])
    made = _post(
        client,
        f"/api/v1/cases/{case.pk}/privacy-check-2a",
        {"cells": standard_cells(case, parts, research), "reasons": "Need to know."},
    )
    assert made.status_code == 201, made.content
    assert made.json()["privacy_check_2a"]["cells"]["signal:description"] == [
        parts.team.pk,
        parts.officer.pk,
        parts.riec.pk,
    ]

    client.force_login(users["department_officer"])
    view = client.get(f"/api/v1/cases/{case.pk}/meeting").json()
    assert [i["key"] for i in view["items"]] == ["signal:description", f"query:{research.no_hit.pk}"]
    assert view["items"][0]["value"] == DESCRIPTION and view["items"][1]["value"]["answer"] == "no-hit"

    client.force_login(users["regisseur"])
    assert (
        _post(
            client,
            f"/api/v1/cases/{case.pk}/meetings",
            {
                "held_on": date.today().isoformat(),
                "attendees": [parts.team.pk, parts.officer.pk],
                "reasons": "Besluit.",
            },
        ).status_code
        == 201
    )
    body = _post(
        client,
        f"/api/v1/cases/{case.pk}/interventions",
        {"instrument": "closure-13b", "owner_department": "handhaving", "reasons": "W5."},
    ).json()
    intervention = body["interventions"][0]["id"]
    assert body["state"] == "plan"

    client.force_login(users["privacyfunctionaris"])
    assert (
        _post(
            client,
            f"/api/v1/interventions/{intervention}/privacy-check-2b",
            {"exchange": "Rapportage.", "legal_basis": "geen", "allowed": False, "reasons": "Niet toegestaan."},
        ).status_code
        == 201
    )
    client.force_login(users["department_officer"])
    start = client.post(f"/api/v1/interventions/{intervention}/start")
    assert start.status_code == 400 and "weigerde" in start.json()["detail"]
    assert AuditEvent.objects.filter(
        action="approach:intervention:start", result="denied", actor_label="department_officer"
    ).exists()

    client.force_login(users["privacyfunctionaris"])
    assert (
        _post(
            client,
            f"/api/v1/interventions/{intervention}/privacy-check-2b",
            {
                "exchange": "Rapportage.",
                "legal_basis": "art. 16 Wpg",
                "allowed": True,
                "reasons": "Herzien.",
                "shared_items": ["signal:location"],
            },
        ).status_code
        == 201
    )
    client.force_login(users["department_officer"])
    started = client.post(f"/api/v1/interventions/{intervention}/start").json()
    assert started["state"] == "running" and started["steps"][1]["due_on"]
    client.force_login(users["regisseur"])
    still_open = _post(client, f"/api/v1/cases/{case.pk}/close", {"reasons": "Klaar."})
    assert still_open.status_code == 400 and "interventie(s) open" in still_open.json()["detail"]
    client.force_login(users["department_officer"])
    done = _post(
        client, f"/api/v1/intervention-steps/{started['steps'][0]['id']}/complete", {"notes": "Binnen."}
    ).json()
    assert done["steps"][0]["done_at"]
    assert (
        _post(
            client, f"/api/v1/interventions/{intervention}/outcome", {"outcome": "effective", "notes": "Gesloten."}
        ).json()["state"]
        == "done"
    )

    client.force_login(users["riec_liaison"])
    ref = _post(client, f"/api/v1/cases/{case.pk}/referrals", {"reasons": "Integrale aanpak."})
    assert ref.status_code == 201, ref.content
    ref_id = ref.json()["id"]
    package = client.get(f"/api/v1/referrals/{ref_id}/package").json()
    assert [i["key"] for i in package["items"]] == ["signal:description", "signal:location"]
    assert CONTENT_CANARY not in str(package) and "Fictief" not in str(package) and ADDRESS in str(package)
    letter = client.get(f"/api/v1/referrals/{ref_id}/letter")
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert "Kanaalweg" in text and CONTENT_CANARY not in text
    assert _post(client, f"/api/v1/referrals/{ref_id}/events", {"status": "sent"}).json()["status"] == "sent"
    wrong = _post(client, f"/api/v1/referrals/{ref_id}/events", {"status": "closed"})
    assert wrong.status_code == 400
    # Reading an intervention or a referral (their reasons, notes, 2B) is a logged read (NEN 7513).
    for url, action, object_id in (
        (f"/api/v1/interventions/{intervention}", "approach:intervention:read", intervention),
        (f"/api/v1/referrals/{ref_id}", "approach:referral:read", ref_id),
    ):
        before = AuditEvent.objects.filter(action=action, object_id=str(object_id)).count()
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.filter(action=action, object_id=str(object_id)).count() == before + 1, url

    client.force_login(users["regisseur"])
    closed = _post(client, f"/api/v1/cases/{case.pk}/close", {"reasons": ""}).json()
    assert closed["state"] == "closed" and closed["monitoring_until"]
    assert client.get("/api/v1/cases?state=closed").json()["results"][0]["id"] == case.pk


def test_instruments_api(users: Any, client: Any) -> None:
    client.force_login(users["bestuur"])
    body = client.get("/api/v1/instruments/closure-13b").json()
    assert body["legal_basis"].startswith("art. 13b Opiumwet") and body["steps"][6]["deadline_from"] == "bekendmaking"
    assert client.get("/api/v1/instruments/nope").status_code == 404
    assert len(client.get("/api/v1/instruments?page_size=100").json()["results"]) >= 17


def test_api_lists_only_the_scope(case: Case, users: Any, client: Any, make_user: Any) -> None:
    client.force_login(make_user("team_two", "ondermijningsteam"))
    assert client.get("/api/v1/cases").json()["results"] == []
    assert client.get(f"/api/v1/cases?q={case.reference}").json()["results"] == []
    client.force_login(users["department_officer"])
    assert [c["id"] for c in client.get("/api/v1/cases").json()["results"]] == [case.pk]


def test_schema_documents_the_approach(client: Any) -> None:
    schema = client.get("/api/v1/schema?format=json").json()
    for path in (
        "/api/v1/cases/{id}/privacy-check-2a",
        "/api/v1/interventions/{id}/start",
        "/api/v1/referrals/{id}/letter",
    ):
        assert path in schema["paths"], path
