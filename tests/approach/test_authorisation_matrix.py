# SPDX-License-Identifier: EUPL-1.2
"""The authorisation matrix of step 4 as data: role × URL/API operation → status, walked for every
role; a meta-test fails on any approach URL or API operation missing from the matrix.

A = allowed (the request passes authorisation: 200/201/302, or 400 for a deliberately empty body),
F = 403 (the role never allows it), N = 404 (the case is outside the user's need to know;
indistinguishable from a missing one). The case team is the W4 decider (ondermijningsteam), the
handhaving officer (owner department of the interventions) and the RIEC liaison; the regisseur and
the privacyfunctionaris read every case; bestuur may open cases but is not on this team.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.approach.conftest import Parts
from tests.conftest import actor
from weerbaar.approach import referral
from weerbaar.approach.models import Case, Notification

pytestmark = pytest.mark.django_db

ROLES = [
    "regisseur",
    "ondermijningsteam",
    "privacyfunctionaris",
    "source_owner",
    "department_officer",
    "bestuur",
    "riec_liaison",
    "administrator",
]
A, F, N = "A", "F", "N"

LIST = [A, A, A, F, A, A, A, F]  # approach:case:view, no object
SCOPED = [A, A, A, F, A, N, A, F]  # approach:case:view on this case
MANAGE = [A, A, F, F, F, F, F, F]  # approach:case:manage (both case managers are in scope)
PC2 = [F, F, A, F, F, F, F, F]  # approach:pc2:decide
REFER = [A, F, F, F, F, F, A, F]  # approach:referral:manage
EXECUTE = [A, A, F, F, A, N, F, F]  # case managers, and the owner department on the team
ADMIN = [F, F, F, F, F, F, F, A]

Url = Callable[[dict[str, Any]], str]

#: (resolver name, method, url, expected per role in ROLES order)
WEB: list[tuple[str, str, Url, list[str]]] = [
    ("approach:cases", "get", lambda o: "/cases", LIST),
    ("approach:notifications", "get", lambda o: "/cases/notifications", LIST),
    (
        "approach:notification_read",
        "post",
        lambda o: f"/cases/notifications/{o['note']}/read",
        [A, A, A, F, A, N, A, F],
    ),
    ("approach:instruments", "get", lambda o: "/instruments", LIST),
    ("approach:case", "get", lambda o: f"/cases/{o['case']}", SCOPED),
    ("approach:meeting", "get", lambda o: f"/cases/{o['case']}/meeting", SCOPED),
    ("approach:team", "get", lambda o: f"/cases/{o['case']}/team", MANAGE),
    ("approach:team", "post", lambda o: f"/cases/{o['case']}/team", MANAGE),
    ("approach:participant_add", "post", lambda o: f"/cases/{o['case']}/participants/new", MANAGE),
    ("approach:matrix", "get", lambda o: f"/cases/{o['case']}/privacy-check-2a", PC2),
    ("approach:matrix", "post", lambda o: f"/cases/{o['case']}/privacy-check-2a", PC2),
    ("approach:meeting_record", "post", lambda o: f"/cases/{o['case']}/meetings/new", MANAGE),
    ("approach:intervention_plan", "post", lambda o: f"/cases/{o['case']}/interventions/new", MANAGE),
    ("approach:close", "post", lambda o: f"/cases/{o['case']}/close", MANAGE),
    ("approach:referral_create", "post", lambda o: f"/cases/{o['case']}/referrals/new", REFER),
    ("approach:check_2b", "post", lambda o: f"/cases/interventions/{o['planned']}/privacy-check-2b", PC2),
    ("approach:intervention_start", "post", lambda o: f"/cases/interventions/{o['planned']}/start", EXECUTE),
    ("approach:outcome", "get", lambda o: f"/cases/interventions/{o['running']}/outcome", EXECUTE),
    ("approach:outcome", "post", lambda o: f"/cases/interventions/{o['running']}/outcome", EXECUTE),
    ("approach:step_complete", "post", lambda o: f"/cases/steps/{o['step']}/complete", EXECUTE),
    ("approach:referral", "get", lambda o: f"/cases/referrals/{o['referral']}", REFER),
    ("approach:referral", "post", lambda o: f"/cases/referrals/{o['referral']}", REFER),
    ("approach:referral_json", "get", lambda o: f"/cases/referrals/{o['referral']}/package.json", REFER),
    ("approach:referral_pdf", "get", lambda o: f"/cases/referrals/{o['referral']}/letter.pdf", REFER),
    ("admin:approach_instrument_changelist", "get", lambda o: "/admin/approach/instrument/", ADMIN),
]

#: (DRF route name, method, url, expected); writes send an empty body (A = 400 from validation).
API: list[tuple[str, str, Url, list[str]]] = [
    ("case-list", "get", lambda o: "/api/v1/cases", LIST),
    ("case-detail", "get", lambda o: f"/api/v1/cases/{o['case']}", SCOPED),
    ("case-meeting", "get", lambda o: f"/api/v1/cases/{o['case']}/meeting", SCOPED),
    ("case-team", "post", lambda o: f"/api/v1/cases/{o['case']}/team", MANAGE),
    ("case-participants", "post", lambda o: f"/api/v1/cases/{o['case']}/participants", MANAGE),
    ("case-privacy-check-2a", "post", lambda o: f"/api/v1/cases/{o['case']}/privacy-check-2a", PC2),
    ("case-meetings", "post", lambda o: f"/api/v1/cases/{o['case']}/meetings", MANAGE),
    ("case-interventions", "post", lambda o: f"/api/v1/cases/{o['case']}/interventions", MANAGE),
    ("case-close", "post", lambda o: f"/api/v1/cases/{o['case']}/close", MANAGE),
    ("case-referrals", "post", lambda o: f"/api/v1/cases/{o['case']}/referrals", REFER),
    ("intervention-detail", "get", lambda o: f"/api/v1/interventions/{o['running']}", SCOPED),
    ("intervention-privacy-check-2b", "post", lambda o: f"/api/v1/interventions/{o['planned']}/privacy-check-2b", PC2),
    ("intervention-start", "post", lambda o: f"/api/v1/interventions/{o['planned']}/start", EXECUTE),
    ("intervention-outcome", "post", lambda o: f"/api/v1/interventions/{o['running']}/outcome", EXECUTE),
    ("intervention-step-complete", "post", lambda o: f"/api/v1/intervention-steps/{o['step']}/complete", EXECUTE),
    ("referral-detail", "get", lambda o: f"/api/v1/referrals/{o['referral']}", REFER),
    ("referral-events", "post", lambda o: f"/api/v1/referrals/{o['referral']}/events", REFER),
    ("referral-package", "get", lambda o: f"/api/v1/referrals/{o['referral']}/package", REFER),
    ("referral-letter", "get", lambda o: f"/api/v1/referrals/{o['referral']}/letter", REFER),
    ("instrument-list", "get", lambda o: "/api/v1/instruments", LIST),
    ("instrument-detail", "get", lambda o: "/api/v1/instruments/closure-13b", LIST),
]


@pytest.fixture
def objects(case: Case, parts: Parts, meeting: Any, plan: Any, users: Any) -> dict[str, Any]:
    planned = plan("closure-13b")
    running = plan("penalty-order", allowed=True, start=True)
    made = referral.referral_create(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="Integraal."
    )
    step = running.steps.order_by("step__order").first()
    assert step is not None
    notes = {}
    for role in ROLES:  # everyone gets a notification of their own to mark as read
        notes[role] = Notification.objects.create(user=users[role], case=case, message="Termijn.").pk
    return {
        "case": case.pk,
        "planned": planned.pk,
        "running": running.pk,
        "step": step.pk,
        "referral": made.pk,
        "notes": notes,
    }


def _allowed(status: int) -> bool:
    return status in (200, 201, 302, 400)


def _problem(role: str, method: str, url: str, expected: str, response: Any, api: bool) -> str | None:
    code = response.status_code
    label = f"{role} {method.upper()} {url} -> {code}, expected {expected}"
    if expected == A:
        return None if _allowed(code) else label
    if expected == F:
        return None if code == 403 else label
    if code != 404:
        return label
    if api and response["Content-Type"] != "application/problem+json":
        return label + " (not problem+json)"
    return None


# One test per URL walks every role (the fixture is built once per URL, not once per role and URL);
# a failure lists every role that got the wrong answer.


@pytest.mark.parametrize("row", WEB, ids=[f"{r[0]}-{r[1]}" for r in WEB])
def test_web_matrix(row: Any, users: Any, objects: dict[str, Any], client: Any) -> None:
    name, method, url, expected = row
    problems = []
    for role in ROLES:
        found = {**objects, "note": objects["notes"][role]}
        if name == "approach:notification_read" and role == "bestuur":
            found["note"] = objects["notes"]["regisseur"]  # someone else's notification: not found
        client.force_login(users[role])
        response = getattr(client, method)(url(found), {})
        problems.append(_problem(role, method, url(found), expected[ROLES.index(role)], response, api=False))
    assert not [p for p in problems if p], [p for p in problems if p]


@pytest.mark.parametrize("row", API, ids=[f"{r[0]}-{r[1]}" for r in API])
def test_api_matrix(row: Any, users: Any, objects: dict[str, Any], client: Any) -> None:
    _name, method, url, expected = row
    problems = []
    for role in ROLES:
        client.force_login(users[role])
        if method == "post":
            response = client.post(url(objects), {}, content_type="application/json")
        else:
            response = client.get(url(objects))
        problems.append(_problem(role, method, url(objects), expected[ROLES.index(role)], response, api=True))
    assert not [p for p in problems if p], [p for p in problems if p]


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found.extend(_walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace))
        elif isinstance(p, URLPattern):
            found.append((f"{namespace}{p.name}", p.callback))
    return found


def test_every_approach_url_and_api_operation_is_in_the_matrix() -> None:
    web_names = {r[0] for r in WEB}
    api_rows = {(r[0], r[1]) for r in API}
    missing = []
    for name, callback in _walk(get_resolver().url_patterns):
        viewset = getattr(callback, "cls", None)
        if viewset is not None and viewset.__module__ == "weerbaar.approach.api":
            for method in set(getattr(callback, "actions", {})) - {"head"}:  # HEAD mirrors GET
                if (name, method) not in api_rows:
                    missing.append(f"API {name} {method}")
        elif getattr(callback, "__module__", "") == "weerbaar.approach.views" and name not in web_names:
            missing.append(f"web {name}")
    assert not missing, f"not in the authorisation matrix: {missing}"


def test_refusals_are_audited(users: Any, objects: dict[str, Any], client: Any) -> None:
    from weerbaar.audit.models import AuditEvent

    client.force_login(users["bestuur"])
    assert client.get(f"/api/v1/cases/{objects['case']}").status_code == 404
    assert AuditEvent.objects.filter(actor_label="bestuur", action="approach:case:read", result="denied").exists()
    client.force_login(users["source_owner"])
    assert client.get("/api/v1/cases").status_code == 403
    event = AuditEvent.objects.latest("id")
    assert (event.result, event.action) == ("denied", "approach:case:view")
    client.force_login(users["riec_liaison"])
    assert client.post(f"/api/v1/interventions/{objects['planned']}/start").status_code == 403
    assert AuditEvent.objects.filter(
        actor_label="riec_liaison", action="approach:intervention:execute", result="denied"
    ).exists()
