# SPDX-License-Identifier: EUPL-1.2
"""Audit views for the privacyfunctionaris: behind the second factor, audited themselves, per
subject and per employee with dates and pages; the export verifies the chain and can be re-verified."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import actor
from weerbaar.audit.chain import row_hash
from weerbaar.audit.models import AuditEvent
from weerbaar.governance import views
from weerbaar.governance.auditlog import (
    DateRange,
    audit_export,
    audit_for_employee,
    audit_for_subject,
)

pytestmark = pytest.mark.django_db

AUDIT_URLS = [
    "/governance/audit",
    "/governance/audit/subject?object_type=signals.signal&object_id=1",
    "/governance/audit/employee?employee=pf_real",
    "/governance/audit/export",
]
AUDIT_API = [
    "/api/v1/governance/audit/subject?object_type=signals.signal&object_id=1",
    "/api/v1/governance/audit/employee?employee=pf_real",
]


@pytest.fixture
def real_pf(make_user: Any) -> Any:
    """A privacyfunctionaris who is not a demo account: the second factor always applies."""
    return make_user("pf_real", "privacyfunctionaris", demo=False)


def _verify(client: Any, user: Any) -> None:
    """Sign in with a proven second factor, as django-otp records it in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_reading_the_log_needs_the_second_factor(real_pf: Any, client: Any) -> None:
    client.force_login(real_pf)
    for url in AUDIT_URLS:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/otp", url
    for url in AUDIT_API:
        response = client.get(url)
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json", url
    assert client.post("/api/v1/governance/audit/export", {"format": "csv"}).status_code == 401
    assert not AuditEvent.objects.filter(action="audit:log:read").exists()
    _verify(client, real_pf)
    for url in AUDIT_URLS:
        assert client.get(url).status_code == 200, url
    for url in AUDIT_API:
        assert client.get(url).status_code == 200, url


def test_the_views_check_the_factor_themselves(real_pf: Any, rf: Any) -> None:
    """Even if the middleware were bypassed (an exempt prefix added by mistake), the views refuse."""
    for view, path in ((views.audit_home, "/governance/audit"), (views.audit_export, "/governance/audit/export")):
        request = rf.get(path)
        request.user = real_pf
        real_pf.is_verified = lambda: False
        request.session = {}
        response = view(request)
        assert response.status_code == 302 and response["Location"] == "/accounts/otp"
    request = rf.get("/governance/audit")
    request.user = AnonymousUser()
    assert views.audit_home(request).status_code == 302


def test_demo_accounts_in_the_demo_profile_skip_it_like_everywhere(users: Any, client: Any, settings: Any) -> None:
    """MFA_DEMO_BYPASS is what the demo profile sets; with it off, demo accounts need the factor too."""
    client.force_login(users["privacyfunctionaris"])
    assert client.get("/governance/audit").status_code == 200
    settings.MFA_DEMO_BYPASS = False
    assert client.get("/governance/audit").status_code == 302


def test_per_subject_shows_who_saw_what_for_which_case_and_purpose(
    users: Any, new_signal: Any, pf: Any, client: Any
) -> None:
    from weerbaar.signals.selectors import attachment_get, signal_get

    signal = new_signal("received", attachments=[("a.txt", b"bijlage")])
    other = new_signal("received")
    signal_get(user=users["regisseur"], signal_id=signal.pk, origin="10.0.0.9")
    attachment_get(
        user=users["regisseur"], signal_id=signal.pk, attachment_id=signal.attachments.get().pk, origin="10.0.0.9"
    )
    signal_get(user=users["regisseur"], signal_id=other.pk, origin="10.0.0.9")
    page = audit_for_subject(
        acting=pf, object_type="signals.signal", object_id=str(signal.pk), period=DateRange(date.today(), None)
    )
    actions = [(r["action"], r["actor_label"], r["case"], r["purpose"]) for r in page.rows]
    assert ("signals:signal:read", "regisseur", signal.reference, "qualification (W1, W2A, W2B)") in actions
    assert ("signals:attachment:read", "regisseur", signal.reference, "signal handling") in actions
    assert ("signals:signal:create", "department_officer", signal.reference, "intake") in actions
    assert all(r["case"] == signal.reference for r in page.rows)  # nothing of the other signal
    read = AuditEvent.objects.filter(action="audit:log:read").latest("id")
    assert (
        read.detail["object_id"] == str(signal.pk)
        and read.purpose == "audit review"
        and read.role == "privacyfunctionaris"
    )
    tomorrow = audit_for_subject(
        acting=pf, object_type="signals.signal", object_id=str(signal.pk), period=DateRange(date.today() + timedelta(1))
    )
    assert tomorrow.rows == []
    client.force_login(users["privacyfunctionaris"])
    html = client.get(f"/governance/audit/subject?object_type=signals.signal&object_id={signal.pk}").content.decode()
    assert "signals:attachment:read" in html and "10.0.0.9" in html


def test_per_employee_is_paginated_and_audited(users: Any, new_signal: Any, pf: Any, client: Any) -> None:
    from weerbaar.signals.selectors import signal_get

    signal = new_signal("received")
    for _ in range(55):
        signal_get(user=users["regisseur"], signal_id=signal.pk, origin="test")
    first = audit_for_employee(acting=pf, employee="regisseur", period=DateRange())
    assert (first.count, first.pages, len(first.rows)) >= (55, 2, 50)
    second = audit_for_employee(acting=pf, employee=str(users["regisseur"].pk), period=DateRange(), page=2)
    assert second.number == 2 and {r["actor_label"] for r in first.rows + second.rows} == {"regisseur"}
    assert AuditEvent.objects.filter(action="audit:log:read", object_id="employee").count() == 2
    client.force_login(users["privacyfunctionaris"])
    body = client.get("/api/v1/governance/audit/employee?employee=regisseur&page=2").json()
    assert body["page"] == 2 and body["results"]
    unknown = client.get("/api/v1/governance/audit/employee?employee=nobody")
    assert unknown.status_code == 400 and unknown["Content-Type"] == "application/problem+json"
    bad = client.get("/governance/audit/employee?employee=regisseur&start=2026-02-01&end=2026-01-01")
    assert bad.status_code == 400


def test_per_request_uses_the_data_subject_search(users: Any, new_signal: Any, pf: Any, client: Any) -> None:
    from weerbaar.governance.requests import RequestInput, dsr_create

    signal = new_signal("received", subjects=[{"kind": "person", "data": {"surname": "Zoek", "bsn": "123456782"}}])
    dsr = dsr_create(
        acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": "123456782"})
    )
    client.force_login(users["privacyfunctionaris"])
    page = client.get(f"/governance/audit/subject?request={dsr.pk}").content.decode()
    assert "signals:signal:create" in page and signal.reference in page
    body = client.get(f"/api/v1/governance/audit/subject?request={dsr.pk}").json()
    assert any(r["object_id"] == str(signal.pk) for r in body["results"])
    assert AuditEvent.objects.filter(action="governance:dsr:search").count() == 2


def test_export_holds_the_chain_and_its_verification(users: Any, new_signal: Any, pf: Any) -> None:
    new_signal("received", description="=cmd|' /C calc'!A0")
    from weerbaar.audit.services import audit_event

    audit_event(actor_id=None, actor_label='=HYPERLINK("x")', role="-", action="test:formula", origin="test")
    record, content = audit_export(acting=pf, period=DateRange(date.today(), date.today()), file_format="json")
    data = json.loads(content)
    assert data["verification"]["ok"] is True and "intact" in data["verification"]["message"]
    rows = data["rows"]
    assert rows and all(row_hash(r) == r["hash"] for r in rows)  # the reviewer can recompute each hash
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    assert "cmd" not in content.decode()  # the log never held the content
    _csv_record, csv_content = audit_export(acting=pf, period=DateRange(), file_format="csv")
    lines = list(csv.reader(io.StringIO(csv_content.decode("utf-8-sig"))))
    assert lines[0] == ["verification_ok", "True"]
    assert any(cell == '\'=HYPERLINK("x")' for line in lines for cell in line)
    assert not any(cell[:1] in "=+-@" for line in lines for cell in line if cell)
    event = AuditEvent.objects.filter(action="audit:log:export").latest("id")
    assert event.detail["chain_ok"] is True and event.detail["format"] == "csv"
    assert record.expires_on == date.today() + timedelta(days=30)


def test_export_reports_a_broken_chain(users: Any, new_signal: Any, pf: Any) -> None:
    from django.db import connection

    new_signal("received")
    if connection.vendor == "postgresql":
        pytest.skip("the database refuses edits of the audit log on PostgreSQL (tested in tests/audit)")
    new_signal("received")
    second = AuditEvent.objects.order_by("id").values_list("id", flat=True)[1]
    AuditEvent.objects.filter(pk=second).update(purpose="changed")
    _record, content = audit_export(acting=pf, period=DateRange(), file_format="json")
    verification = json.loads(content)["verification"]
    assert verification["ok"] is False and verification["first_broken_id"] == second


def test_export_pages_and_download(users: Any, client: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    assert client.post("/governance/audit/export", {"format": "xml"}).status_code == 400
    assert client.post("/governance/audit/export", {"format": "csv"}).status_code == 302
    page = client.get("/governance/audit/export").content.decode()
    from weerbaar.governance.models import GeneratedFile

    made = GeneratedFile.objects.get(kind="audit_export")
    assert made.reference in page
    download = client.get(f"/governance/audit/export/{made.pk}")
    assert download.status_code == 200 and b"verification_ok" in download.content
    assert AuditEvent.objects.filter(action="audit:log:export-read", result="success").count() == 1
    assert client.get("/governance/audit/export/999999").status_code == 404
    assert AuditEvent.objects.filter(action="audit:log:export-read", result="denied").count() == 1
    api = client.post("/api/v1/governance/audit/export", {"format": "json"}, content_type="application/json")
    assert api.status_code == 200 and api.json()["verification"]["ok"] is True


def test_audit_rows_hold_references_not_content(users: Any, new_signal: Any, pf: Any) -> None:
    signal = new_signal("received", description="GEHEIME-INHOUD", location_address="Geheimstraat 1")
    page = audit_for_subject(acting=pf, object_type="signals.signal", object_id=str(signal.pk), period=DateRange())
    text = json.dumps(page.rows)
    assert "GEHEIME-INHOUD" not in text and "Geheimstraat" not in text
    assert actor(users["regisseur"], "regisseur").label == "regisseur"
