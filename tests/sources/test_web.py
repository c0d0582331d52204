# SPDX-License-Identifier: EUPL-1.2
"""The catalogue page and the admin: configuration visible, records never."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.sources.conftest import person
from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.sources.importing import import_snapshot
from weerbaar.sources.models import Snapshot, Source, SourceRecord

pytestmark = pytest.mark.django_db


def test_the_catalogue_shows_every_source_and_its_snapshot(
    users: Any, client: Any, importer: Actor, brp: Source, write_csv: Callable[..., Path]
) -> None:
    import_snapshot(acting=importer, source=brp, path=write_csv([person(1), person(2)]))
    client.force_login(users["privacyfunctionaris"])
    before = AuditEvent.objects.count()
    page = client.get("/sources")
    html = page.content.decode()
    assert page.status_code == 200
    for source in Source.objects.all():
        assert source.name in html
    assert "Wet Bibob art. 28" in html and "Burgerzaken" in html
    assert "Fictief1" not in html  # never a record
    assert "2 rijen" in html and "niet geladen" in html  # Dutch by default
    assert AuditEvent.objects.count() == before  # configuration only: not an audited read


def test_the_catalogue_needs_source_view(users: Any, client: Any) -> None:
    client.force_login(users["department_officer"])
    assert client.get("/sources").status_code == 403
    client.logout()
    assert client.get("/sources").status_code == 302


def test_the_admin_edits_sources_audited_and_shows_snapshots_read_only(
    users: Any, client: Any, importer: Actor, brp: Source, write_csv: Callable[..., Path]
) -> None:
    import_snapshot(acting=importer, source=brp, path=write_csv([person(1)]))
    client.force_login(users["administrator"])
    page = client.get(f"/admin/sources/source/{brp.pk}/change/")
    assert page.status_code == 200 and 'name="mode"' in page.content.decode()
    assert 'name="slug"' not in page.content.decode()  # set once
    response = client.post(
        f"/admin/sources/source/{brp.pk}/change/",
        {
            "name": brp.name,
            "owner_department": brp.owner_department_id,
            "law": brp.law,
            "legal_regime": brp.legal_regime,
            "mode": "hit_no_hit",
            "content_fields": "[]",
            "retention_days": "14",
            "description": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    brp.refresh_from_db()
    assert brp.mode == "hit_no_hit" and brp.retention_days == 14
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "admin:object:change"
    assert {"mode", "content_fields", "retention_days"} <= set(event.detail["changed_fields"])

    snapshot = Snapshot.objects.get()
    assert client.get("/admin/sources/snapshot/").status_code == 200
    assert client.get(f"/admin/sources/snapshot/{snapshot.pk}/change/").status_code == 200  # a read-only view
    assert client.post(f"/admin/sources/snapshot/{snapshot.pk}/delete/").status_code == 403
    assert client.get("/admin/sources/sourcerecord/").status_code == 404
    assert SourceRecord.objects.count() == 1
