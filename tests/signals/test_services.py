# SPDX-License-Identifier: EUPL-1.2
"""Steps 1-2 services: validation, decisions, encryption at rest, and one audit row per write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import actor, full_scores, signal_input
from weerbaar.audit.models import AuditEvent
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.services import signal_create, signal_qualify, signal_weigh
from weerbaar.signals.states import IllegalTransition, State

pytestmark = pytest.mark.django_db


def test_intake_stores_content_encrypted_and_audits_once(users: Any) -> None:
    before = AuditEvent.objects.count()
    signal = signal_create(
        acting=actor(users["department_officer"], "department_officer"),
        data=signal_input(description="Canary-7f3a in de loods"),
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.role) == (
        "signals:signal:create",
        str(signal.pk),
        "department_officer",
    )
    assert "Canary" not in str(event.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM signals_signal WHERE id = %s", [signal.pk])
        raw = cursor.fetchone()[0]
        cursor.execute("SELECT data FROM signals_subject WHERE signal_id = %s", [signal.pk])
        raw_subject = cursor.fetchone()[0]
    assert "Canary" not in raw and "Fictief" not in raw_subject
    assert Signal.objects.get(pk=signal.pk).description == "Canary-7f3a in de loods"
    assert Subject.objects.get(signal=signal).data["postcode"] == "9999ZZ"
    assert signal.state == State.RECEIVED and signal.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"phenomena": []}, "phenomena"),
        ({"phenomena": ["not-a-phenomenon"]}, "phenomena"),
        ({"subjects": []}, "subjects"),
        ({"subjects": [{"kind": "person", "data": {"surname": "X", "bsn": "123456789"}}]}, "subjects[0]"),
        ({"subjects": [{"kind": "company", "data": {"kvk_number": "12"}}]}, "subjects[0]"),
        ({"channel": "police"}, "channel"),  # an officer cannot record an external channel
        ({"attachments": [("x.exe", b"MZ\x90\x00binary")]}, "attachments[0]"),
    ],
)
def test_bad_intake_names_the_field_and_writes_nothing(users: Any, overrides: dict[str, Any], field: str) -> None:
    before = (Signal.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        signal_create(acting=actor(users["department_officer"], "department_officer"), data=signal_input(**overrides))
    assert any(key.startswith(field) for key in info.value.message_dict), info.value.message_dict
    assert (Signal.objects.count(), AuditEvent.objects.count()) == before


def test_bsn_eleven_test_accepts_valid_number(users: Any) -> None:
    signal = signal_create(
        acting=actor(users["department_officer"], "department_officer"),
        data=signal_input(subjects=[{"kind": "person", "data": {"surname": "Proef", "bsn": "111222333"}}]),
    )
    assert Subject.objects.get(signal=signal).data["bsn"] == "111222333"


def test_w1_yes_needs_a_local_anchoring_indicator(users: Any, new_signal: Any) -> None:
    signal = new_signal("received")
    with pytest.raises(ValidationError) as info:
        signal_qualify(
            acting=actor(users["regisseur"], "regisseur"),
            signal_id=signal.pk,
            checked_items=["s_latent", "r_cash"],
            w1=True,
            w2a=True,
            w2b=True,
            reasons="r",
        )
    assert "w1" in info.value.message_dict
    signal.refresh_from_db()
    assert signal.state == State.RECEIVED


def test_w2_no_refers_and_needs_a_body(users: Any, new_signal: Any) -> None:
    signal = new_signal("received")
    with pytest.raises(ValidationError) as info:
        signal_qualify(
            acting=actor(users["regisseur"], "regisseur"),
            signal_id=signal.pk,
            checked_items=["a_social", "s_latent"],
            w1=True,
            w2a=False,
            w2b=True,
            reasons="r",
        )
    assert "referred_to" in info.value.message_dict


def test_weighing_requires_every_criterion_explained(users: Any, new_signal: Any) -> None:
    signal = new_signal("qualified")
    scores = full_scores()
    scores["recency"] = (2, " ")
    with pytest.raises(ValidationError) as info:
        signal_weigh(
            acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
            signal_id=signal.pk,
            scores=scores,
            route="d",
            reasons="r",
        )
    assert "explanation_recency" in info.value.message_dict


def test_route_a_sets_destruction_one_year_after_the_decision(new_signal: Any) -> None:
    from django.utils import timezone

    signal = new_signal("no_action")
    from weerbaar.signals.services import _add_months

    assert signal.destroy_after == _add_months(timezone.localdate(), 12)
    assert _add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)  # a leap day moves to the month's end


def test_weighing_an_unqualified_signal_is_refused_with_a_clear_message(users: Any, new_signal: Any) -> None:
    signal = new_signal("received")
    with pytest.raises(IllegalTransition, match="cannot move"):
        signal_weigh(
            acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
            signal_id=signal.pk,
            scores=full_scores(),
            route="d",
            reasons="r",
        )


def test_every_decision_leaves_exactly_one_audit_row(users: Any, new_signal: Any) -> None:
    signal = new_signal("received")
    n = AuditEvent.objects.count()
    signal_qualify(
        acting=actor(users["regisseur"], "regisseur"),
        signal_id=signal.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="r",
    )
    assert AuditEvent.objects.count() == n + 1
    signal_weigh(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=signal.pk,
        scores=full_scores(),
        route="c",
        reasons="r",
    )
    assert AuditEvent.objects.count() == n + 2
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", "role")[:2])
    assert actions == [("signals:signal:weigh", "ondermijningsteam"), ("signals:signal:qualify", "regisseur")]


def test_a_wrong_qualification_is_corrected_by_a_superseding_record(users: Any, new_signal: Any, client: Any) -> None:
    from weerbaar.signals.models import Qualification

    signal = new_signal("closed")
    assert signal.destroy_after is not None
    regisseur = actor(users["regisseur"], "regisseur")
    corrected = signal_qualify(
        acting=regisseur,
        signal_id=signal.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="W1 toch ja: nieuwe feiten.",
        correction=True,
    )
    assert corrected.state == State.QUALIFIED and corrected.destroy_after is None
    old, new = Qualification.objects.filter(signal=signal).order_by("id")
    assert new.supersedes == old and old.w1 is False  # the old record stays, unchanged
    assert [c.to_state for c in signal.history.order_by("seq")] == ["received", "closed", "qualified"]
    assert AuditEvent.objects.latest("id").action == "signals:signal:correct-qualification"
    # Without the explicit correction flag a second qualification is refused, and after W3 none is possible.
    with pytest.raises(IllegalTransition):
        signal_qualify(
            acting=regisseur,
            signal_id=signal.pk,
            checked_items=["a_social", "s_latent"],
            w1=True,
            w2a=True,
            w2b=True,
            reasons="r",
        )
    weighed = new_signal("research")
    with pytest.raises(IllegalTransition):
        signal_qualify(
            acting=regisseur,
            signal_id=weighed.pk,
            checked_items=[],
            w1=False,
            w2a=True,
            w2b=True,
            reasons="r",
            correction=True,
        )
    client.force_login(users["regisseur"])
    page = client.get(f"/signals/{signal.pk}").content.decode()
    assert "W1 toch ja" in page and page.count("W1 ") >= 2


def test_a_stale_form_never_becomes_a_silent_correction(users: Any, new_signal: Any) -> None:
    from weerbaar.signals.states import StaleDecision

    signal = new_signal("received")
    regisseur = actor(users["regisseur"], "regisseur")
    # Two regisseurs opened the form while the signal was "received"; the first one decides.
    signal_qualify(
        acting=regisseur,
        signal_id=signal.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="first",
        expected_state="received",
    )
    with pytest.raises(StaleDecision):
        signal_qualify(
            acting=regisseur,
            signal_id=signal.pk,
            checked_items=[],
            w1=False,
            w2a=True,
            w2b=True,
            reasons="second",
            correction=True,
            expected_state="received",
        )
    signal.refresh_from_db()
    assert signal.state == State.QUALIFIED and signal.qualifications.count() == 1


def test_retention_rechecks_under_the_lock_and_survives_one_failure(users: Any, new_signal: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from weerbaar.accounts.authz import system_actor
    from weerbaar.signals.retention import retention_due, signal_destroy

    corrected = new_signal("closed")
    due = new_signal("no_action")
    later = timezone.localdate() + timedelta(days=400)
    stale_list = retention_due(later)
    assert {i.signal_id for i in stale_list} == {corrected.pk, due.pk}
    # Corrected after the list was made: reopened, so it must not be destroyed.
    signal_qualify(
        acting=actor(users["regisseur"], "regisseur"),
        signal_id=corrected.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="c",
        correction=True,
    )
    assert signal_destroy(acting=system_actor("retention"), signal_id=corrected.pk, today=later) is False
    assert signal_destroy(acting=system_actor("retention"), signal_id=due.pk, today=later) is True
    assert Signal.objects.get(pk=corrected.pk).description is not None
    assert Signal.objects.get(pk=due.pk).description is None


def test_a_failed_intake_leaves_no_attachment_file(users: Any, monkeypatch: Any, settings: Any) -> None:
    from pathlib import Path

    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = set(root.rglob("*.bin")) if root.exists() else set()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr("weerbaar.signals.services.audit", broken)
    with pytest.raises(RuntimeError):
        signal_create(
            acting=actor(users["department_officer"], "department_officer"),
            data=signal_input(attachments=[("n.txt", b"orphan canary")]),
        )
    after = set(root.rglob("*.bin")) if root.exists() else set()
    assert after == before


def test_reporting_department_is_not_chosen_by_an_officer(users: Any) -> None:
    with pytest.raises(ValidationError) as info:
        signal_create(
            acting=actor(users["department_officer"], "department_officer"),
            data=signal_input(reporting_department="handhaving"),
        )
    assert "reporting_department" in info.value.message_dict
    external = signal_create(
        acting=actor(users["regisseur"], "regisseur"),
        data=signal_input(channel="police", reporter_name="Wijkagent (fictief)"),
    )
    assert external.reporting_department is None  # not the regisseur's own department
