# SPDX-License-Identifier: EUPL-1.2
"""Step 3's authorisation matrix as data: role × object × operation → status, web and API.

200/201/302 allowed; 403 "your roles never allow this"; 404 "does not exist or not yours"
(indistinguishable from a missing id, and audited). A meta-test fails on any research URL or API
operation that the matrix does not walk.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.accounts.test_every_url_declares import _walk
from tests.conftest import actor
from tests.research.helpers import ASSESSMENT, approve_sources, request_pc1
from weerbaar.audit.models import AuditEvent
from weerbaar.research import services
from weerbaar.research.models import ContentAnswer

pytestmark = pytest.mark.django_db

A, F, N = 200, 403, 404
ROLES = [
    "regisseur",
    "ondermijningsteam",
    "privacyfunctionaris",
    "source_owner",
    "other_owner",  # a source owner of another department (burgerzaken)
    "department_officer",
    "bestuur",
    "riec_liaison",
    "administrator",
]

#: Reads: (name, url template, per role in ROLES order).
READS: list[tuple[str, str, list[int]]] = [
    #                                                              reg team pf  own oth off bes riec adm
    ("research page", "/signals/{signal}/research", [A, A, A, F, F, F, F, F, F]),
    ("research page, signal left research", "/signals/{stopped}/research", [A, A, N, F, F, F, F, F, F]),
    ("pc1 request form", "/signals/{signal}/research/pc1", [A, A, F, F, F, F, F, F, F]),
    ("queries form", "/signals/{signal}/research/queries", [A, A, F, F, F, F, F, F, F]),
    ("w4 form", "/signals/{signal}/research/w4", [F, A, F, F, F, F, F, F, F]),
    ("content request form", "/research/queries/{brp_query}/content", [A, A, F, F, F, F, F, F, F]),
    ("pc1 decision page", "/research/pc1/{open_pc1}", [F, F, A, F, F, F, F, F, F]),
    ("content decision page", "/research/content/{pending}", [F, F, F, A, N, F, F, F, F]),
    ("content answer page", "/research/content/{approved}/answer", [A, A, F, F, F, F, F, F, F]),
    ("tasks", "/research/tasks", [A, A, A, A, A, A, A, A, A]),
    ("api overview", "/api/v1/signals/{signal}/research", [A, A, A, F, F, F, F, F, F]),
    ("api overview, signal left research", "/api/v1/signals/{stopped}/research", [A, A, N, F, F, F, F, F, F]),
    ("api pc1 list", "/api/v1/signals/{signal}/research/pc1", [A, A, A, F, F, F, F, F, F]),
    ("api content requests", "/api/v1/research/content-requests", [F, F, F, A, A, F, F, F, F]),
    ("api content request", "/api/v1/research/content-requests/{pending}", [F, F, F, A, N, F, F, F, F]),
    ("api content answer", "/api/v1/research/content-answers/{answer}", [A, A, F, F, F, F, F, F, F]),
]

OK = 1  # the operation succeeds (302 on the web, 200/201 in the API)
#: Writes, each through the web and the API: per role in ROLES order.
WRITES: dict[str, list[int]] = {
    #                  reg team pf  own oth off bes riec adm
    "pc1_request": [OK, OK, F, F, F, F, F, F, F],
    "pc1_decide": [F, F, OK, F, F, F, F, F, F],
    "queries": [OK, OK, F, F, F, F, F, F, F],
    "content_request": [OK, OK, F, F, F, F, F, F, F],
    "content_decide": [F, F, F, OK, N, F, F, F, F],
    "w4": [F, OK, F, F, F, F, F, F, F],
}


@pytest.fixture
def world(users: dict[str, Any], new_signal: Any, sources: Any, brp_owner: Any) -> dict[str, Any]:
    """A signal in research with vth and brp approved and queried (both hit), an approved content
    request with its answer and a pending one on vth, an open privacy check 1 (woz), and a signal
    that left research."""
    users["other_owner"] = brp_owner
    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    signal = new_signal("research")
    approve_sources(users, signal.pk, ["vth", "brp"])
    queries = {q.source.slug: q for q in services.run_queries(acting=team, signal_id=signal.pk).queries}
    first = services.content_request(acting=team, query_id=queries["vth"].pk, fields=["date"], reasons="r")
    owner = actor(users["source_owner"], "source_owner")
    services.content_decide(acting=owner, request_id=first.pk, approve=True, fields=["date"], reasons="ok")
    pending = services.content_request(acting=team, query_id=queries["vth"].pk, fields=["summary"], reasons="r2")
    open_pc1 = request_pc1(users, signal.pk, ["woz"])
    stopped = new_signal("research")
    services.w4_decide(acting=team, signal_id=stopped.pk, confirmed=False, outcome="stop", reasons="Niets.")
    return {
        "signal": signal.pk,
        "stopped": stopped.pk,
        "brp_query": queries["brp"].pk,
        "vth_query": queries["vth"].pk,
        "open_pc1": open_pc1.pk,
        "pending": pending.pk,
        "approved": first.pk,
        "answer": ContentAnswer.objects.get().pk,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), READS, ids=[r[0] for r in READS])
def test_reads(role: str, name: str, url: str, expected: list[int], users: Any, world: Any, client: Any) -> None:
    client.force_login(users[role])
    want = expected[ROLES.index(role)]
    response = client.get(url.format(**world))
    assert response.status_code == want, f"{role} {name}: {response.status_code}"
    if url.startswith("/api/") and want in (F, N):
        assert response["Content-Type"] == "application/problem+json"
    if want in (F, N):
        assert AuditEvent.objects.latest("id").result == "denied", f"{role} {name}: refusal not audited"


def _write(op: str, door: str, w: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    flat = {**{k: v for k, v in ASSESSMENT.items() if k != "compatibility"}, **ASSESSMENT["compatibility"]}
    if door == "web":
        return {
            "pc1_request": (f"/signals/{w['signal']}/research/pc1", {"sources": ["permits"], "reasons": "r"}),
            "pc1_decide": (
                f"/research/pc1/{w['open_pc1']}",
                {"woz-outcome": "approved", "woz-reasons": "r", **{f"woz-{k}": v for k, v in flat.items()}},
            ),
            "queries": (f"/signals/{w['signal']}/research/queries", {"purpose": ""}),
            "content_request": (
                f"/research/queries/{w['brp_query']}/content",
                {"fields_wanted": ["surname"], "reasons": "r"},
            ),
            "content_decide": (
                f"/research/content/{w['pending']}",
                {"approve": "yes", "fields_approved": ["summary"], "reasons": "ok"},
            ),
            "w4": (f"/signals/{w['signal']}/research/w4", {"confirmed": "yes", "outcome": "stop", "reasons": "r"}),
        }[op]
    return {
        "pc1_request": (f"/api/v1/signals/{w['signal']}/research/pc1", {"sources": ["permits"], "reasons": "r"}),
        "pc1_decide": (
            f"/api/v1/research/pc1/{w['open_pc1']}/decisions",
            {"decisions": [{"source": "woz", "outcome": "approved", "reasons": "r", "assessment": ASSESSMENT}]},
        ),
        "queries": (f"/api/v1/signals/{w['signal']}/research/queries", {}),
        "content_request": (
            f"/api/v1/research/queries/{w['brp_query']}/content-requests",
            {"fields": ["surname"], "reasons": "r"},
        ),
        "content_decide": (
            f"/api/v1/research/content-requests/{w['pending']}/decision",
            {"approve": True, "fields": ["summary"], "reasons": "ok"},
        ),
        "w4": (f"/api/v1/signals/{w['signal']}/research/w4", {"confirmed": True, "outcome": "stop", "reasons": "r"}),
    }[op]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", list(WRITES))
@pytest.mark.parametrize("door", ["web", "api"])
def test_writes(role: str, op: str, door: str, users: Any, world: Any, client: Any) -> None:
    client.force_login(users[role])
    want = WRITES[op][ROLES.index(role)]
    url, body = _write(op, door, world)
    if door == "web":
        response = client.post(url, body)
        ok = {302}
    else:
        response = client.post(url, body, content_type="application/json")
        ok = {200, 201}
    if want == OK:
        assert response.status_code in ok, f"{role} {op} {door}: {response.status_code} {response.content[:300]!r}"
    else:
        assert response.status_code == want, f"{role} {op} {door}: {response.status_code}"
        assert AuditEvent.objects.latest("id").result == "denied"


def test_out_of_scope_looks_exactly_like_missing(users: Any, world: Any, client: Any) -> None:
    client.force_login(users["other_owner"])
    hidden = client.get(f"/api/v1/research/content-requests/{world['pending']}")
    missing = client.get("/api/v1/research/content-requests/99999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    client.force_login(users["privacyfunctionaris"])
    hidden = client.get(f"/api/v1/signals/{world['stopped']}/research")
    missing = client.get("/api/v1/signals/99999999/research")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()


def test_csrf_is_enforced_on_every_write(users: Any, world: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["ondermijningsteam"])
    for op in WRITES:
        for door in ("web", "api"):
            url, body = _write(op, door, world)
            response = (
                client.post(url, body) if door == "web" else client.post(url, body, content_type="application/json")
            )
            assert response.status_code == 403, (op, door)


#: Routes the matrix walks, as the URL resolver names them.
WALKED = {
    "research/tasks",
    "signals/<int:signal_id>/research",
    "signals/<int:signal_id>/research/pc1",
    "signals/<int:signal_id>/research/queries",
    "signals/<int:signal_id>/research/w4",
    "research/queries/<int:query_id>/content",
    "research/pc1/<int:pc1_id>",
    "research/content/<int:request_id>",
    "research/content/<int:request_id>/answer",
    "api/v1/^signals/(?P<signal_pk>[0-9]+)/research$",
    "api/v1/^signals/(?P<signal_pk>[0-9]+)/research/pc1$",
    "api/v1/^signals/(?P<signal_pk>[0-9]+)/research/queries$",
    "api/v1/^signals/(?P<signal_pk>[0-9]+)/research/w4$",
    "api/v1/^research/pc1/(?P<pk>\\d+)/decisions$",
    "api/v1/^research/queries/(?P<pk>\\d+)/content-requests$",
    "api/v1/^research/content-requests$",
    "api/v1/^research/content-requests/(?P<pk>\\d+)$",
    "api/v1/^research/content-requests/(?P<pk>\\d+)/decision$",
    "api/v1/^research/content-answers/(?P<pk>\\d+)$",
}


def test_every_research_url_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    routes = {
        route
        for route, _callback in _walk(get_resolver().url_patterns)
        if re.search(r"(^|/|\^)research|/research", route) and "(?P<format>" not in route
    }
    assert routes == WALKED, f"not walked: {routes - WALKED}; gone: {WALKED - routes}"
