# SPDX-License-Identifier: EUPL-1.2
"""Step 3 through ``/api/v1``: the whole path, problem+json errors, and security test 9 for the
research queries (a hit and a no-hit differ only in the answer; both audited)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.research.conftest import NOBODY
from tests.research.helpers import ASSESSMENT, approve_sources
from weerbaar.audit.models import AuditEvent
from weerbaar.research.models import ContentAnswer, ContentRequest, PrivacyCheck1, Query

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_the_whole_step_through_the_api(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    signal = new_signal("research")
    base = f"/api/v1/signals/{signal.pk}/research"

    client.force_login(users["ondermijningsteam"])
    response = post(client, f"{base}/pc1", {"sources": ["vth", "bibob"], "reasons": "Is Jan bekend?"})
    assert response.status_code == 201, response.content
    pc1 = response.json()
    assert [s["source"] for s in pc1["sources"]] == ["bibob", "vth"] and pc1["decided_at"] is None

    client.force_login(users["privacyfunctionaris"])
    listed = client.get(f"{base}/pc1").json()
    assert listed[0]["id"] == pc1["id"] and listed[0]["reasons"] == "Is Jan bekend?"
    refused = post(
        client,
        f"/api/v1/research/pc1/{pc1['id']}/decisions",
        {"decisions": [{"source": "bibob", "outcome": "approved", "reasons": "r", "assessment": ASSESSMENT}]},
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["invalid_params"][0]["name"] == "bibob.outcome"
    assert "Wet Bibob art. 28" in refused.json()["invalid_params"][0]["reason"]
    decided = post(
        client,
        f"/api/v1/research/pc1/{pc1['id']}/decisions",
        {
            "decisions": [
                {"source": "vth", "outcome": "approved", "reasons": "Nodig.", "assessment": ASSESSMENT},
                {"source": "bibob", "outcome": "refused", "reasons": "Uitgesloten."},
            ]
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["decided_at"] and decided.json()["sources"][1]["decision"]["outcome"] == "approved"

    client.force_login(users["ondermijningsteam"])
    ran = post(client, f"{base}/queries", {"purpose": "Bronnenonderzoek"})
    assert ran.status_code == 200, ran.content
    (query,) = ran.json()["queries"]
    assert (query["source"], query["status"], query["subject"], query["subject_kind"]) == ("vth", "hit", 1, "person")
    assert "record" not in ran.content.decode() and "V1" not in ran.content.decode()
    made = post(
        client, f"/api/v1/research/queries/{query['id']}/content-requests", {"fields": ["summary"], "reasons": "W4."}
    )
    assert made.status_code == 201 and made.json()["decision"] is None

    client.force_login(users["source_owner"])
    waiting = client.get("/api/v1/research/content-requests").json()
    assert [r["id"] for r in waiting] == [made.json()["id"]] and waiting[0]["reasons"] == "W4."
    one = client.get(f"/api/v1/research/content-requests/{made.json()['id']}").json()
    assert one["fields"] == ["summary"] and "Fictief" not in json.dumps(one)
    from weerbaar.audit.models import AuditEvent

    reads = AuditEvent.objects.filter(action="research:contentrequest:read", actor_label="source_owner")
    assert reads.count() == 2  # the list and the request: the team's justification is read, and logged
    answered = post(
        client,
        f"/api/v1/research/content-requests/{made.json()['id']}/decision",
        {"approve": True, "fields": ["summary"], "reasons": "Akkoord."},
    )
    assert answered.status_code == 200 and answered.json()["answer"] == ContentAnswer.objects.get().pk

    client.force_login(users["ondermijningsteam"])
    read = client.get(f"/api/v1/research/content-answers/{answered.json()['answer']}")
    assert read.status_code == 200 and read["Cache-Control"] == "no-store"
    assert read.json()["records"] == [{"summary": "Hennepgeur geconstateerd"}]
    overview = client.get(base).json()
    assert overview["approved_sources"] == ["vth"] and overview["queries"][0]["status"] == "hit"
    assert overview["content_requests"][0]["decision"]["outcome"] == "approved"
    assert "Hennepgeur" not in json.dumps(overview)  # content only through the audited read

    w4 = post(client, f"{base}/w4", {"confirmed": True, "outcome": "riec", "reasons": "Naar het RIEC."})
    assert w4.status_code == 200, w4.content
    assert w4.json()["state"] == "riec"
    again = post(client, f"{base}/w4", {"confirmed": False, "outcome": "stop", "reasons": "x"})
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"


def test_refusals_say_why_as_problem_json(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    signal = new_signal("research")
    client.force_login(users["ondermijningsteam"])
    response = post(client, f"/api/v1/signals/{signal.pk}/research/queries", {})
    assert response.status_code == 403 and "privacytoets 1" in response.json()["detail"]  # Dutch by default
    response = post(client, f"/api/v1/signals/{signal.pk}/research/w4", {"confirmed": False, "outcome": "case"})
    assert response.status_code == 400 and "reasons" in response.json()["detail"]
    response = post(
        client, f"/api/v1/signals/{signal.pk}/research/w4", {"confirmed": False, "outcome": "case", "reasons": "r"}
    )
    assert response.status_code == 400 and response.json()["invalid_params"][0]["name"] == "outcome"
    response = post(client, "/api/v1/signals/99999999/research/queries", {})
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    qualified = new_signal("qualified")
    response = post(client, f"/api/v1/signals/{qualified.pk}/research/pc1", {"sources": ["vth"], "reasons": "r"})
    assert response.status_code == 409 and "bronnenonderzoek" in response.json()["detail"]


def test_schema_documents_every_research_operation(client: Any) -> None:
    paths = client.get("/api/v1/schema?format=json").json()["paths"]
    for path in (
        "/api/v1/signals/{signal_pk}/research",
        "/api/v1/signals/{signal_pk}/research/pc1",
        "/api/v1/signals/{signal_pk}/research/queries",
        "/api/v1/signals/{signal_pk}/research/w4",
        "/api/v1/research/pc1/{id}/decisions",
        "/api/v1/research/queries/{id}/content-requests",
        "/api/v1/research/content-requests/{id}/decision",
        "/api/v1/research/content-answers/{id}",
    ):
        assert path in paths, path
    schema = client.get("/api/v1/schema?format=json").json()["components"]["schemas"]
    assert set(schema["HitNoHitRequestRequest"]["required"]) >= {"reference", "sources", "purpose"}


# Security test 9 for the research queries -------------------------------------------------------


@pytest.fixture
def hit_and_miss(users: Any, new_signal: Any, sources: Any) -> tuple[int, int]:
    """Two signals, each with one person and vth approved: one is in vth, the other is not."""
    hit = new_signal("research")
    miss = new_signal("research", subjects=[{"kind": "person", "data": NOBODY}])
    for signal in (hit, miss):
        approve_sources(users, signal.pk, ["vth"])
    return hit.pk, miss.pk


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def test_a_research_hit_and_no_hit_differ_only_in_the_answer(
    users: Any, hit_and_miss: tuple[int, int], client: Any
) -> None:
    client.force_login(users["ondermijningsteam"])
    before = AuditEvent.objects.filter(action="research:query:run").count()
    asked = AuditEvent.objects.filter(action="matching:subject:hit-no-hit").count()
    hit, miss = (post(client, f"/api/v1/signals/{pk}/research/queries", {}) for pk in hit_and_miss)
    assert hit.json()["queries"][0]["status"] == "hit" and miss.json()["queries"][0]["status"] == "no-hit"
    assert hit.status_code == miss.status_code == 200
    assert dict(hit.headers) == dict(miss.headers)
    assert len(hit.content) == len(miss.content)
    assert _shape(hit.json()) == _shape(miss.json())
    assert AuditEvent.objects.filter(action="research:query:run").count() == before + 2
    assert AuditEvent.objects.filter(action="matching:subject:hit-no-hit").count() == asked + 2
    # The overview of each shows the same: statuses padded, nothing else differs.
    views = [client.get(f"/api/v1/signals/{pk}/research") for pk in hit_and_miss]
    assert views[0].status_code == views[1].status_code == 200
    assert len(views[0].content) == len(views[1].content) and dict(views[0].headers) == dict(views[1].headers)
    assert _shape(views[0].json()) == _shape(views[1].json())
    assert Query.objects.count() == 2


def test_research_query_answers_keep_the_time_floor(
    users: Any, hit_and_miss: tuple[int, int], client: Any, settings: Any
) -> None:
    client.force_login(users["ondermijningsteam"])
    floor = settings.MATCHING_MIN_RESPONSE_MS / 1000
    for pk in hit_and_miss:
        started = time.perf_counter()
        post(client, f"/api/v1/signals/{pk}/research/queries", {})
        assert time.perf_counter() - started >= floor


def test_pc1_is_audited_at_every_step(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("research")
    client.force_login(users["ondermijningsteam"])
    post(client, f"/api/v1/signals/{signal.pk}/research/pc1", {"sources": ["vth"], "reasons": "r"})
    event = AuditEvent.objects.filter(action="research:pc1:request").latest("id")
    assert event.object_id == str(PrivacyCheck1.objects.get().pk) and event.detail["sources"] == ["vth"]
    assert not ContentRequest.objects.exists()
