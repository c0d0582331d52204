# SPDX-License-Identifier: EUPL-1.2
"""Retention with frozen time: content gone from every table and file, the tombstone stays."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.conftest import actor, signal_input
from weerbaar.accounts.authz import system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.signals.models import Attachment, Qualification, Signal, StatusChange, Subject, Weighing
from weerbaar.signals.retention import retention_run
from weerbaar.signals.states import State

pytestmark = pytest.mark.django_db


def test_route_a_content_is_destroyed_after_a_year_and_a_tombstone_stays(
    users: Any, new_signal: Any, django_capture_on_commit_callbacks: Any
) -> None:
    signal = new_signal("no_action", attachments=[("note.txt", b"canary attachment text")])
    keep = new_signal("research")
    attachment = Attachment.objects.get(signal=signal)
    path = attachment.stored_file.path
    acting = system_actor("retention")

    with time_machine.travel(timezone.now() + timedelta(days=360)):
        assert retention_run(acting=acting) == []  # not yet due
    with time_machine.travel(timezone.now() + timedelta(days=367)):
        dry = retention_run(acting=acting, dry_run=True)
        assert [i.signal_id for i in dry] == [signal.pk]
        assert Signal.objects.get(pk=signal.pk).state == State.NO_ACTION  # dry-run changed nothing
        with django_capture_on_commit_callbacks(execute=True):
            done = retention_run(acting=acting)
    assert [i.signal_id for i in done] == [signal.pk]

    tomb = Signal.objects.get(pk=signal.pk)
    assert tomb.state == State.DESTROYED and tomb.destroyed_at is not None
    assert tomb.description is None and tomb.location_address is None and tomb.reporter_name is None
    assert list(tomb.phenomena.values_list("code", flat=True)) == ["cannabis"]  # statistics keep
    assert tomb.route == "a" and tomb.received_on == signal.received_on
    assert not Subject.objects.filter(signal=signal).exists()
    assert not Attachment.objects.filter(signal=signal).exists()
    import os

    assert not os.path.exists(path)
    assert not StatusChange.objects.filter(signal=signal, reasons__isnull=False).exists()
    assert not Qualification.objects.filter(signal=signal, reasons__isnull=False).exists()
    assert not Weighing.objects.filter(signal=signal).exclude(explanations__isnull=True).exists()
    # Nothing readable is left in any column of any table about this signal.
    with connection.cursor() as cursor:
        for table, column in [
            ("signals_signal", "id"),
            ("signals_statuschange", "signal_id"),
            ("signals_qualification", "signal_id"),
            ("signals_weighing", "signal_id"),
        ]:
            cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [signal.pk])  # noqa: S608
            for row in cursor.fetchall():
                assert not any(isinstance(v, str) and v.startswith("gAAAA") for v in row), table
    # The audit keeps a content-free reference to the destruction.
    event = AuditEvent.objects.filter(action="signals:signal:destroy", object_id=str(signal.pk)).get()
    assert event.purpose == "retention"
    # The other signal is untouched.
    assert Signal.objects.get(pk=keep.pk).description


def test_open_signals_are_never_destroyed(new_signal: Any) -> None:
    signal = new_signal("received")
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert retention_run(acting=system_actor("retention")) == []
    assert Signal.objects.get(pk=signal.pk).description


def test_attachments_are_encrypted_on_disk(users: Any) -> None:
    from weerbaar.signals.services import signal_create

    signal = signal_create(
        acting=actor(users["department_officer"], "department_officer"),
        data=signal_input(attachments=[("n.txt", b"plain canary text")]),
    )
    with Attachment.objects.get(signal=signal).stored_file.open("rb") as handle:
        assert b"canary" not in handle.read()


def test_canary_is_gone_from_every_table_and_file_after_destruction(
    users: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """Plant one canary in every text a signal can carry; after destruction no table (decrypted or
    not) and no file holds it, while a signal that is not due keeps its own."""
    from pathlib import Path

    from cryptography.fernet import InvalidToken

    from tests.conftest import full_scores
    from weerbaar.signals.crypto import decrypt_bytes, decrypt_text
    from weerbaar.signals.services import signal_create, signal_qualify, signal_weigh

    canary = "KANARIE-7c1e"
    regisseur = actor(users["regisseur"], "regisseur")
    data = signal_input(
        channel="police",
        description=canary,
        reporter_name=canary,
        reporter_contact=canary,
        location_address=canary,
        location_area=canary,
        subjects=[{"kind": "person", "data": {"surname": canary, "city": canary}}],
        attachments=[("a.txt", canary.encode())],
    )
    doomed = signal_create(acting=regisseur, data=data)
    signal_qualify(
        acting=regisseur,
        signal_id=doomed.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons=canary,
    )
    signal_weigh(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=doomed.pk,
        scores=dict.fromkeys(full_scores(), (1, canary)),
        route="a",
        reasons=canary,
    )
    referred = signal_create(
        acting=regisseur, data=signal_input(channel="police", reporter_name="x", description=canary)
    )
    signal_qualify(
        acting=regisseur,
        signal_id=referred.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=False,
        w2b=True,
        reasons=canary,
        referred_to=canary,
    )
    keeper = signal_create(acting=regisseur, data=signal_input(channel="police", reporter_name="x", description=canary))

    with time_machine.travel(timezone.now() + timedelta(days=367)), django_capture_on_commit_callbacks(execute=True):
        done = retention_run(acting=system_actor("retention"))
    assert {i.signal_id for i in done} == {doomed.pk, referred.pk}

    def holds_canary(value: Any) -> bool:
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("utf-8", "ignore")
        if not isinstance(value, str):
            return False
        if canary in value:
            return True
        if value.startswith("gAAAA"):
            try:
                return canary in decrypt_text(value)
            except InvalidToken:
                return False
        return False

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if holds_canary(value):
                        found.append((table, column, row[0]))
    # Only the signal that is not yet due may still carry it (its description).
    assert found and all(hit[0] == "signals_signal" and hit[2] == keeper.pk for hit in found), found
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    def file_holds_canary(path: Path) -> bool:
        try:
            return canary.encode() in decrypt_bytes(path.read_bytes())
        except InvalidToken:  # written by another test under a key rotated away since
            return False

    assert [p for p in root.rglob("*.bin") if file_holds_canary(p)] == []
