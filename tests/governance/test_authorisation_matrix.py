# SPDX-License-Identifier: EUPL-1.2
"""The authorisation matrix of governance as data: every page and API operation × every role.

A meta-test fails when a governance URL or API operation is missing from the matrix, and another
when the matrix disagrees with the roles configured in ``accounts.permissions.DEFAULT_ROLES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import ROLE_CODES
from weerbaar.accounts.permissions import DEFAULT_ROLES, Perm
from weerbaar.audit.models import AuditEvent
from weerbaar.governance.auditlog import DateRange, audit_export
from weerbaar.governance.requests import RequestInput, access_report, dsr_create

pytestmark = pytest.mark.django_db

BSN = "123456782"
R, T, P, S, D, B, L, M = ROLE_CODES  # regisseur, team, privacyfunctionaris, source owner, officer, bestuur, RIEC, admin


@dataclass(frozen=True)
class Op:
    route: str  # the URL pattern as the resolver shows it (checked by the meta-test)
    method: str
    url: str  # with {dsr}, {file}, {export}, {signal}
    roles: frozenset[str]  # who may
    ok: int  # the status when allowed
    body: dict[str, Any] = field(default_factory=dict)
    perm: str = ""
    action: str = ""  # the API action, for the meta-test


def op(route: str, method: str, url: str, roles: set[str], ok: int, perm: Perm | str, **kw: Any) -> Op:
    return Op(route, method, url, frozenset(roles), ok, perm=str(perm), **kw)


REQUEST_FORM = {"kind": "access", "received_on": "2026-01-05", "bsn": BSN}
OPERATIONS: dict[str, Op] = {
    # Pages
    "home": op("governance", "get", "/governance", {R, P, M}, 200, Perm.QUEUE_VIEW),
    "retention": op("governance/retention", "get", "/governance/retention", {P}, 200, Perm.RETENTION_RUN),
    "retention_run": op(
        "governance/retention", "post", "/governance/retention", {P}, 302, Perm.RETENTION_RUN, body={"confirm": "yes"}
    ),
    "requests": op("governance/requests", "get", "/governance/requests", {P}, 200, Perm.DSR_HANDLE),
    "request_new": op("governance/requests/new", "get", "/governance/requests/new", {P}, 200, Perm.DSR_HANDLE),
    "request_create": op(
        "governance/requests/new", "post", "/governance/requests/new", {P}, 302, Perm.DSR_HANDLE, body=REQUEST_FORM
    ),
    "request": op(
        "governance/requests/<int:request_id>", "get", "/governance/requests/{dsr}", {P}, 200, Perm.DSR_HANDLE
    ),
    "restrict": op(
        "governance/requests/<int:request_id>/restrict",
        "post",
        "/governance/requests/{dsr}/restrict",
        {P},
        302,
        Perm.DSR_HANDLE,
        body={"item": "signals.signal:{signal}", "ground": "uavg_41", "reasons": "Onderzoek loopt."},
    ),
    "report": op(
        "governance/requests/<int:request_id>/report",
        "post",
        "/governance/requests/{dsr}/report",
        {P},
        302,
        Perm.DSR_HANDLE,
        body={"format": "html"},
    ),
    "close": op(
        "governance/requests/<int:request_id>/close",
        "post",
        "/governance/requests/{dsr}/close",
        {P},
        302,
        Perm.DSR_HANDLE,
        body={"outcome": "answered", "reasons": "Verzonden."},
    ),
    "request_file": op(
        "governance/requests/<int:request_id>/files/<int:file_id>",
        "get",
        "/governance/requests/{dsr}/files/{file}",
        {P},
        200,
        Perm.DSR_HANDLE,
    ),
    "register": op("governance/register", "get", "/governance/register", {P, M}, 200, Perm.REGISTER_VIEW),
    "publication": op(
        "governance/publication",
        "get",
        "/governance/publication?start=2026-01-01&end=2026-12-31",
        {R, P},
        200,
        Perm.PUBLICATION_EXPORT,
    ),
    "audit": op("governance/audit", "get", "/governance/audit", {P}, 200, Perm.AUDIT_READ),
    "audit_subject": op(
        "governance/audit/subject",
        "get",
        "/governance/audit/subject?object_type=signals.signal&object_id={signal}",
        {P},
        200,
        Perm.AUDIT_READ,
    ),
    "audit_employee": op(
        "governance/audit/employee", "get", "/governance/audit/employee?employee=regisseur", {P}, 200, Perm.AUDIT_READ
    ),
    "audit_export": op("governance/audit/export", "get", "/governance/audit/export", {P}, 200, Perm.AUDIT_EXPORT),
    "audit_export_make": op(
        "governance/audit/export",
        "post",
        "/governance/audit/export",
        {P},
        302,
        Perm.AUDIT_EXPORT,
        body={"format": "csv"},
    ),
    "audit_export_file": op(
        "governance/audit/export/<int:file_id>", "get", "/governance/audit/export/{export}", {P}, 200, Perm.AUDIT_EXPORT
    ),
    # API
    "api_requests": op(
        "api/v1/governance/requests", "get", "/api/v1/governance/requests", {P}, 200, Perm.DSR_HANDLE, action="list"
    ),
    "api_request_create": op(
        "api/v1/governance/requests",
        "post",
        "/api/v1/governance/requests",
        {P},
        201,
        Perm.DSR_HANDLE,
        action="create",
        body={"kind": "access", "received_on": "2026-01-05", "requester": {"bsn": BSN}},
    ),
    "api_request": op(
        "api/v1/governance/requests/<pk>",
        "get",
        "/api/v1/governance/requests/{dsr}",
        {P},
        200,
        Perm.DSR_HANDLE,
        action="retrieve",
    ),
    "api_search": op(
        "api/v1/governance/requests/<pk>/search",
        "get",
        "/api/v1/governance/requests/{dsr}/search",
        {P},
        200,
        Perm.DSR_HANDLE,
        action="search",
    ),
    "api_restrict": op(
        "api/v1/governance/requests/<pk>/restrictions",
        "post",
        "/api/v1/governance/requests/{dsr}/restrictions",
        {P},
        201,
        Perm.DSR_HANDLE,
        action="restrictions",
        body={"item": "signals.signal:{signal}", "ground": "bibob_28", "reasons": "Geheimhouding."},
    ),
    "api_report": op(
        "api/v1/governance/requests/<pk>/report",
        "post",
        "/api/v1/governance/requests/{dsr}/report",
        {P},
        200,
        Perm.DSR_HANDLE,
        action="report",
        body={"format": "json"},
    ),
    "api_close": op(
        "api/v1/governance/requests/<pk>/close",
        "post",
        "/api/v1/governance/requests/{dsr}/close",
        {P},
        200,
        Perm.DSR_HANDLE,
        action="close",
        body={"outcome": "refused", "reasons": "Kennelijk ongegrond."},
    ),
    "api_register": op(
        "api/v1/governance/register",
        "get",
        "/api/v1/governance/register",
        {P, M},
        200,
        Perm.REGISTER_VIEW,
        action="list",
    ),
    "api_publication": op(
        "api/v1/governance/publication",
        "get",
        "/api/v1/governance/publication?from=2026-01-01&to=2026-12-31",
        {R, P},
        200,
        Perm.PUBLICATION_EXPORT,
        action="list",
    ),
    "api_retention": op(
        "api/v1/governance/retention",
        "get",
        "/api/v1/governance/retention",
        {P},
        200,
        Perm.RETENTION_RUN,
        action="list",
    ),
    "api_audit_subject": op(
        "api/v1/governance/audit/subject",
        "get",
        "/api/v1/governance/audit/subject?object_type=signals.signal&object_id={signal}",
        {P},
        200,
        Perm.AUDIT_READ,
        action="subject",
    ),
    "api_audit_employee": op(
        "api/v1/governance/audit/employee",
        "get",
        "/api/v1/governance/audit/employee?employee=regisseur",
        {P},
        200,
        Perm.AUDIT_READ,
        action="employee",
    ),
    "api_audit_export": op(
        "api/v1/governance/audit/export",
        "post",
        "/api/v1/governance/audit/export",
        {P},
        200,
        Perm.AUDIT_EXPORT,
        action="export",
        body={"format": "json"},
    ),
}


@pytest.fixture
def objects(users: Any, new_signal: Any, pf: Any) -> dict[str, Any]:
    signal = new_signal("received", subjects=[{"kind": "person", "data": {"surname": "Matrix", "bsn": BSN}}])
    dsr = dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": BSN}))
    report, _content = access_report(acting=pf, request_id=dsr.pk, file_format="json")
    export, _content = audit_export(acting=pf, period=DateRange(), file_format="csv")
    return {"signal": signal.pk, "dsr": dsr.pk, "file": report.pk, "export": export.pk}


def _fill(value: Any, objects: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**objects)
    if isinstance(value, dict):
        return {k: _fill(v, objects) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLE_CODES)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_matrix(role: str, name: str, users: Any, objects: dict[str, Any], client: Any) -> None:
    operation = OPERATIONS[name]
    client.force_login(users[role])
    url, body = _fill(operation.url, objects), _fill(operation.body, objects)
    if operation.method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.post(url, body)
    expected = operation.ok if role in operation.roles else 403
    assert response.status_code == expected, (role, name, response.content[:300])
    if expected == 403:
        denied = AuditEvent.objects.filter(result="denied", actor_label=role).latest("id")
        assert denied.action in (operation.perm, "governance:home:view"), (role, name, denied.action)
        if url.startswith("/api/"):
            assert response["Content-Type"] == "application/problem+json"


def test_anonymous_is_sent_to_sign_in_and_the_api_says_401(client: Any, objects: dict[str, Any]) -> None:
    for operation in OPERATIONS.values():
        url = _fill(operation.url, objects)
        response = client.get(url) if operation.method == "get" else client.post(url, {})
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302 and "/accounts/login" in response["Location"], url


def test_unsafe_requests_need_the_csrf_token(users: Any, objects: dict[str, Any]) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["privacyfunctionaris"])
    for operation in OPERATIONS.values():
        if operation.method == "post":
            url = _fill(operation.url, objects)
            response = client.post(url, _fill(operation.body, objects), content_type="application/json")
            assert response.status_code == 403, url


def test_a_missing_request_is_not_found_and_audited(users: Any, client: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    assert client.get("/governance/requests/987654").status_code == 404
    assert AuditEvent.objects.filter(action="governance:dsr:read", object_id="987654", result="denied").exists()


# Meta-tests -------------------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found.extend(_walk(p.url_patterns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p.callback))
    return found


def _normalise(route: str) -> str:
    """DRF router patterns (``^governance/requests/(?P<pk>\\d+)/search$``) in the matrix's notation."""
    import re

    route = route.replace("^", "").replace("$", "").replace("\\.<format>/?", "")
    route = re.sub(r"\\\.\(\?P<format>[^)]*\)/\?", "", route)
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)


def test_every_governance_url_and_operation_is_in_the_matrix() -> None:
    covered = {(o.route, o.method, o.action) for o in OPERATIONS.values()}
    missing = []
    for route, callback in _walk(get_resolver().url_patterns):
        route = _normalise(route)
        if not route.startswith(("governance", "api/v1/governance")):
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            for method, action in actions.items():
                if method == "head":
                    method = "get"  # HEAD is answered by the GET operation
                if (route, method, action) not in covered:
                    missing.append(f"{route} {method} {action}")
        elif not any(r == route for r, _m, _a in covered):
            missing.append(route)
    assert not missing, f"governance URLs missing from the matrix: {missing}"


def test_the_matrix_agrees_with_the_configured_roles() -> None:
    for name, operation in OPERATIONS.items():
        if name == "home":
            continue  # QUEUE_VIEW for all; the page itself refuses roles that have no section
        holders = {code for code, (_n, _d, perms) in DEFAULT_ROLES.items() if operation.perm in perms}
        assert holders == operation.roles, name
