# SPDX-License-Identifier: EUPL-1.2
"""Tamper evidence: `audit verify` names the first broken row after edit, deletion, swap, truncation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from weerbaar.audit.models import AuditEvent
from weerbaar.audit.selectors import audit_verify
from weerbaar.audit.services import audit_event
from weerbaar.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEvent]:
    for i in range(6):
        audit_event(
            actor_id=1,
            actor_label="t",
            role="r",
            action=f"test:a:{i}",
            origin="test",
            object_type="x",
            object_id=str(i),
        )
    return list(AuditEvent.objects.order_by("-id")[:6])[::-1]


def test_a_batch_appends_a_valid_chain_at_its_end(chain: list[AuditEvent]) -> None:
    from weerbaar.audit.services import audit_batch

    before = AuditEvent.objects.count()
    with transaction.atomic(), audit_batch():
        for i in range(3):
            audit_event(actor_id=1, actor_label="t", role="r", action=f"test:batch:{i}", origin="test")
        assert AuditEvent.objects.count() == before  # nothing appended (or locked) yet
    assert AuditEvent.objects.count() == before + 3
    assert audit_verify().ok


@pytest.fixture
def as_dba() -> Iterator[None]:
    """Tamper as a database administrator would: with the append-only triggers switched off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            c.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            c.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER USER")


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(chain: list[AuditEvent]) -> None:
    result = audit_verify()
    assert result.ok and result.rows == AuditEvent.objects.count()


def test_edit_is_named(chain: list[AuditEvent], as_dba: None) -> None:
    target = chain[3]
    _sql("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["looked innocent", target.id])
    result = audit_verify()
    assert not result.ok and result.first_broken_id == target.id and "altered" in result.message


def test_deletion_is_named(chain: list[AuditEvent], as_dba: None) -> None:
    target = chain[2]
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [target.id])
    result = audit_verify()
    assert not result.ok and f"row {target.id} is missing" in result.message


def test_swap_is_named(chain: list[AuditEvent], as_dba: None) -> None:
    a, b = chain[1], chain[4]
    _sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", [b.action, a.id])
    _sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", [a.action, b.id])
    result = audit_verify()
    assert not result.ok and result.first_broken_id == a.id


def test_truncation_of_the_tail_is_detected(chain: list[AuditEvent], as_dba: None) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id >= %s", [chain[4].id])
    result = audit_verify()
    assert not result.ok and "truncated" in result.message


def test_cli_exit_code_follows_the_verdict(chain: list[AuditEvent], as_dba: None, capsys: Any) -> None:
    assert main(["audit", "verify"]) == 0
    _sql("UPDATE audit_auditevent SET origin = %s WHERE id = %s", ["elsewhere", chain[0].id])
    assert main(["audit", "verify"]) == 1
    assert f"row {chain[0].id} was altered" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET purpose = 'x'", "DELETE FROM audit_auditevent"])
def test_postgres_refuses_update_and_delete(chain: list[AuditEvent], statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement, [])


def test_a_rolled_back_change_leaves_no_audit_row() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the write and the failure form one transaction
        audit_event(actor_id=1, actor_label="t", role="r", action="test:rollback", origin="test")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert audit_verify().ok
