# SPDX-License-Identifier: EUPL-1.2
"""Operations: database outage, key rotation, the worker's scheduler, admin edits audited."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import OperationalError
from django.test import Client, override_settings

from tests.conftest import actor, signal_input
from weerbaar.accounts.authz import system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.audit.selectors import audit_verify
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.services import signal_create

pytestmark = pytest.mark.django_db


def test_database_outage_gives_a_clear_503_without_trace(users: Any, monkeypatch: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(users["regisseur"])

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("weerbaar.signals.selectors.signal_list", down)
    page = client.get("/signals")
    assert page.status_code == 503 and "niet beschikbaar" in page.content.decode()
    assert "Traceback" not in page.content.decode() and page["Retry-After"] == "30"
    api = client.get("/api/v1/signals")
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"


def test_failed_intake_leaves_nothing_half_written(users: Any, monkeypatch: Any) -> None:
    before = (Signal.objects.count(), Subject.objects.count(), AuditEvent.objects.count())

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("weerbaar.signals.services.audit", broken)
    with pytest.raises(OperationalError):
        signal_create(acting=actor(users["department_officer"], "department_officer"), data=signal_input())
    assert (Signal.objects.count(), Subject.objects.count(), AuditEvent.objects.count()) == before


def test_key_rotation_reencrypts_everything_and_old_key_can_go(
    users: Any, settings: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    from weerbaar.signals.keys import rotate_all
    from weerbaar.sources.importing import import_snapshot
    from weerbaar.sources.models import Source, SourceRecord

    settings.MATCHING_INDEX_DIR = str(tmp_path / "index")
    registry = tmp_path / "brp.csv"
    registry.write_text("id,given_names,surname,date_of_birth\nP1,Fien,Fictief,1980-01-02\n", encoding="utf-8")
    import_snapshot(acting=system_actor("test"), source=Source.objects.get(slug="brp"), path=registry)
    old_keys = list(settings.ENCRYPTION_KEYS)
    signal = signal_create(
        acting=actor(users["department_officer"], "department_officer"),
        data=signal_input(description="rotate me", attachments=[("a.txt", b"rotate file")]),
    )
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *old_keys]
    with django_capture_on_commit_callbacks(execute=True):
        count = rotate_all(acting=system_actor("key-rotation"))
    assert count >= 4
    settings.ENCRYPTION_KEYS = [new_key]  # the old key is dropped
    fresh = Signal.objects.get(pk=signal.pk)
    assert fresh.description == "rotate me"
    assert Subject.objects.get(signal=signal).data["surname"] == "Fictief"
    assert SourceRecord.objects.get(ext_id="P1").data["given_names"] == "Fien"  # registry records rotate too
    with fresh.attachments.get().stored_file.open("rb") as handle:
        assert Fernet(new_key.encode()).decrypt(handle.read()) == b"rotate file"
    assert AuditEvent.objects.latest("id").action == "signals:key:rotate"
    settings.ENCRYPTION_KEYS = old_keys


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_scheduler_enqueues_the_daily_jobs_once_per_day() -> None:
    from django_tasks import task_backends

    from weerbaar.worker import enqueue_due

    task_backends._settings = None  # type: ignore[attr-defined] # pick up the overridden TASKS
    try:
        assert enqueue_due() == [
            "weerbaar.governance.tasks.run_retention",
            "weerbaar.approach.tasks.run_deadline_warnings",
            "weerbaar.monitor.tasks.send_due_reminders",
        ]
        assert enqueue_due() == []  # already enqueued within the day
    finally:
        task_backends._settings = None  # type: ignore[attr-defined]


def test_admin_edits_are_audited_with_changed_fields(users: Any, client: Any) -> None:
    from weerbaar.signals.models import ChecklistItem

    item = ChecklistItem.objects.get(code="r_cash")
    client.force_login(users["administrator"])
    response = client.post(
        f"/admin/signals/checklistitem/{item.pk}/change/",
        {
            "code": item.code,
            "label_nl": "Alleen contant",
            "label_en": item.label_en,
            "order": item.order,
            "active": "on",
            "kind": item.kind,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.detail["changed_fields"]) == (
        "admin:object:change",
        str(item.pk),
        ["label_nl"],
    )
    assert audit_verify().ok


def test_web_forms_enforce_csrf(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["department_officer"])
    assert client.post("/signals/new", {"description": "x"}).status_code == 403


def test_list_shows_no_content_and_is_not_an_audited_read(users: Any, new_signal: Any, client: Any) -> None:
    new_signal("received", description="Canary-list-content")
    client.force_login(users["regisseur"])
    before = AuditEvent.objects.count()
    page = client.get("/signals")
    assert "Canary-list-content" not in page.content.decode()
    assert AuditEvent.objects.count() == before


def test_each_read_and_each_decision_leaves_exactly_one_row(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("received")
    client.force_login(users["regisseur"])
    n = AuditEvent.objects.count()
    assert client.get(f"/signals/{signal.pk}").status_code == 200
    assert list(AuditEvent.objects.filter(id__gt=n).values_list("action", "purpose")) == [
        ("signals:signal:read", "qualification (W1, W2A, W2B)")
    ]
    n = AuditEvent.objects.count()
    response = client.post(
        f"/signals/{signal.pk}/qualify",
        {
            "checked_items": ["a_social", "s_latent"],
            "w1": "yes",
            "w2a": "yes",
            "w2b": "yes",
            "reasons": "r",
            "expected_state": "received",
        },
    )
    assert response.status_code == 302
    assert list(AuditEvent.objects.filter(id__gt=n).values_list("action", flat=True)) == ["signals:signal:qualify"]


def test_probing_ids_outside_the_scope_is_logged(users: Any, new_signal: Any, client: Any) -> None:
    other = new_signal("received", reporter="other_officer")
    client.force_login(users["department_officer"])
    assert client.get(f"/signals/{other.pk}").status_code == 404
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.result) == ("signals:signal:read", str(other.pk), "denied")


def test_an_officer_reads_own_report_for_follow_up(users: Any, new_signal: Any, client: Any) -> None:
    own = new_signal("received")
    client.force_login(users["department_officer"])
    client.get(f"/signals/{own.pk}")
    assert AuditEvent.objects.latest("id").purpose == "follow-up of own report"


def test_admin_separation_of_duties(users: Any, client: Any) -> None:
    from weerbaar.accounts.models import Role

    admin_user = users["administrator"]
    client.force_login(admin_user)
    own_role = Role.objects.get(code="administrator")
    page = client.get(f"/admin/accounts/role/{own_role.pk}/change/").content.decode()
    assert 'name="permissions"' not in page  # a role one holds is read-only
    other_role = Role.objects.get(code="bestuur")
    assert 'name="permissions"' in client.get(f"/admin/accounts/role/{other_role.pk}/change/").content.decode()
    own_user = client.get(f"/admin/accounts/user/{admin_user.pk}/change/").content.decode()
    assert 'name="roles"' not in own_user


def test_admin_areas_follow_their_permissions(users: Any, client: Any) -> None:
    from weerbaar.accounts.models import Role

    role = Role.objects.get(code="administrator")
    role.permissions = [p for p in role.permissions if p != "accounts:user:manage"]
    role.save()
    client.force_login(users["administrator"])
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/signals/checklistitem/").status_code == 200


def test_admin_password_change_is_audited(users: Any, client: Any) -> None:
    client.force_login(users["administrator"])
    target = users["bestuur"]
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "another-long-pass-42", "password2": "another-long-pass-42", "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == ("accounts:user:password", str(target.pk))


def test_a_decision_on_someone_elses_signal_is_refused_and_logged(users: Any, new_signal: Any, client: Any) -> None:
    from weerbaar.accounts.models import Role

    hidden = new_signal("received", reporter="other_officer")
    # Default roles that may qualify also see every signal; a municipality may define a narrower
    # one (roles are data), and the scope must still hold for its writes.
    role = Role.objects.create(
        code="narrow", name="narrow", permissions=["signals:signal:qualify", "signals:signal:read-own"]
    )
    narrow = users["other_officer"].__class__.objects.create_user(username="narrow", password="x" * 20, is_demo=True)
    narrow.roles.set([role])
    client.force_login(narrow)
    response = client.post(
        f"/api/v1/signals/{hidden.pk}/qualify",
        {"checked_items": ["a_social", "s_latent"], "w1": True, "w2a": True, "w2b": True, "reasons": "r"},
        content_type="application/json",
    )
    assert response.status_code == 404
    event = AuditEvent.objects.latest("id")
    assert (event.object_id, event.result, event.actor_label) == (str(hidden.pk), "denied", "narrow")


def test_an_oversized_upload_is_refused_without_a_temporary_file(users: Any, client: Any, settings: Any) -> None:
    import tempfile
    from pathlib import Path

    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_MAX_COUNT = 1
    client.force_login(users["department_officer"])
    before = set(Path(tempfile.gettempdir()).glob("*.upload*"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.txt", b"x" * (3 * 1024 * 1024))
    response = client.post("/signals/new", {"description": "x", "attachments": big})
    assert response.status_code == 413
    assert set(Path(tempfile.gettempdir()).glob("*.upload*")) == before
