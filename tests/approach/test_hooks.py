# SPDX-License-Identifier: EUPL-1.2
"""Step 4 on the signal's timeline and in its destruction (retention canaries)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.approach.conftest import CONTENT_CANARY, Parts
from tests.conftest import actor
from weerbaar.approach import hooks, referral, services
from weerbaar.approach.models import (
    Case,
    CaseClosure,
    CaseMeeting,
    CaseState,
    Intervention,
    InterventionStep,
    Participant,
    PrivacyCheck2B,
    Referral,
    ReferralEvent,
    ShareMatrix,
)
from weerbaar.signals.models import Signal
from weerbaar.signals.states import State

pytestmark = pytest.mark.django_db

CANARY = "CANARY-approach-9d41"


def _walk_to_closed(case: Case, plan: Any, users: Any) -> Intervention:
    made = plan(allowed=True, start=True, items=["signal:description"])
    officer = actor(users["department_officer"], "department_officer")
    step = made.steps.order_by("step__order").first()
    assert step is not None
    services.step_complete(acting=officer, step_id=step.pk, notes=f"Notitie {CANARY}")
    made_ref = referral.referral_create(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons=f"Reden {CANARY}"
    )
    referral.referral_event(
        acting=actor(users["riec_liaison"], "riec_liaison"), referral_id=made_ref.pk, status="sent", reasons=CANARY
    )
    services.intervention_outcome(
        acting=officer, intervention_id=made.pk, outcome="effective", notes=f"Uitkomst {CANARY}"
    )
    services.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons=f"Sluiting {CANARY}")
    return made


def test_timeline_has_every_step_for_the_team_only(
    case: Case, parts: Parts, plan: Any, users: Any, make_user: Any
) -> None:
    _walk_to_closed(case, plan, users)
    signal = Signal.objects.get(pk=case.signal_id)
    titles = [e.title for e in hooks.timeline(users["ondermijningsteam"], signal)]
    for start in (
        "Case Z-",
        "Privacy check 2A",
        "Case meeting of",
        "Intervention chosen",
        "Privacy check 2B allowed",
        "Step done",
        "Outcome of",
        "RIEC referral package",
        "RIEC referral: Sent",
        "Plan of approach closed",
    ):
        assert any(t.startswith(start) for t in titles), start
    # who decided, in which role: also on the outcome and the opening of the case (domain.md §2)
    entries = hooks.timeline(users["ondermijningsteam"], signal)
    outcome = next(e for e in entries if e.title.startswith("Outcome of"))
    assert (outcome.actor_label, outcome.role) == (users["department_officer"].get_username(), "department_officer")
    closed = next(e for e in entries if e.title.startswith("Plan of approach closed"))
    case.refresh_from_db()
    assert case.monitoring_until is not None and case.monitoring_until.isoformat() not in closed.title  # localised
    opened = next(e for e in entries if e.title.startswith("Case Z-"))
    assert (opened.actor_label, opened.role) == (users["ondermijningsteam"].get_username(), "ondermijningsteam")
    assert hooks.timeline(make_user("team_two", "ondermijningsteam"), signal) == []
    assert hooks.actions(users["bestuur"], signal) == []


def test_the_case_timeline_on_the_signal_page_is_a_logged_read_of_the_case(
    case: Case, parts: Parts, plan: Any, users: Any
) -> None:
    """The entries carry the case's reasons, so showing them writes a read of the case (NEN 7513)."""
    from weerbaar.audit.models import AuditEvent

    signal = Signal.objects.get(pk=case.signal_id)
    before = AuditEvent.objects.filter(action="approach:case:read", object_id=str(case.pk)).count()
    hooks.timeline(users["ondermijningsteam"], signal)
    read = AuditEvent.objects.filter(action="approach:case:read", object_id=str(case.pk)).order_by("-id")
    assert read.count() == before + 1
    assert read.first().purpose == "case timeline on the signal page"  # type: ignore[union-attr]


def test_destroyer_leaves_a_content_free_tombstone(case: Case, parts: Parts, plan: Any, users: Any) -> None:
    from weerbaar.signals.retention import retention_run

    made = _walk_to_closed(case, plan, users)
    signal = Signal.objects.get(pk=case.signal_id)
    assert signal.state == State.CASE_CLOSED and signal.destroy_after is not None
    with time_machine.travel(signal.destroy_after, tick=False):
        done = retention_run(acting=actor(users["regisseur"], "retention"))
    assert [d.signal_id for d in done] == [signal.pk]
    case.refresh_from_db()
    assert case.state == CaseState.DESTROYED and case.destroyed_at is not None
    assert not ShareMatrix.objects.filter(case=case).exclude(reasons=None).exists()
    assert not CaseMeeting.objects.filter(case=case).exclude(reasons=None).exists()
    assert not Intervention.objects.filter(case=case).exclude(reasons=None).exists()
    assert not Intervention.objects.filter(case=case).exclude(outcome_notes=None).exists()
    assert not PrivacyCheck2B.objects.filter(intervention__case=case).exclude(reasons=None).exists()
    assert not PrivacyCheck2B.objects.filter(intervention__case=case).exclude(exchange=None).exists()
    assert not InterventionStep.objects.filter(intervention__case=case).exclude(notes=None).exists()
    assert not Referral.objects.filter(case=case).exclude(package=None).exists()
    assert not Referral.objects.filter(case=case).exclude(reasons=None).exists()
    assert not ReferralEvent.objects.filter(referral__case=case).exclude(reasons=None).exists()
    assert CaseClosure.objects.get(case=case).reasons is None
    assert set(Participant.objects.filter(case=case).values_list("organisation", "function")) == {("", "")}
    # The tombstone keeps what statistics need: the outcome, the instrument, the dates.
    made.refresh_from_db()
    assert (made.outcome, made.instrument.code, made.state) == ("effective", "closure-13b", "done")
    assert Participant.objects.filter(case=case).count() == 4


def test_canaries_are_gone_from_every_table(case: Case, parts: Parts, plan: Any, users: Any) -> None:
    """Planted strings are found in the raw database before destruction, and nowhere after."""
    from django.db import connection

    from weerbaar.signals.retention import retention_run

    _walk_to_closed(case, plan, users)
    signal = Signal.objects.get(pk=case.signal_id)

    def hits() -> list[str]:
        found = []
        with connection.cursor() as cursor:
            for model in (
                ShareMatrix,
                CaseMeeting,
                Intervention,
                PrivacyCheck2B,
                InterventionStep,
                Referral,
                ReferralEvent,
                CaseClosure,
                Participant,
            ):
                table = model._meta.db_table
                for field in model._meta.concrete_fields:
                    cursor.execute(f'SELECT "{field.column}" FROM "{table}"')  # noqa: S608 - names from the model
                    for (value,) in cursor.fetchall():
                        if value is not None and (CANARY in str(value) or "RIEC Noord-Holland" in str(value)):
                            found.append(f"{table}.{field.column}")
        return found

    # Content is encrypted at rest: even before destruction the raw columns do not show it,
    # except the participants' organisation (not personal data of citizens), which is plain text.
    assert hits() == ["approach_participant.organisation"]
    with time_machine.travel(signal.destroy_after, tick=False):  # type: ignore[arg-type]
        retention_run(acting=actor(users["regisseur"], "retention"))
    assert hits() == []
    assert CONTENT_CANARY not in str(list(Referral.objects.values_list("package", flat=True)))


def test_an_open_riec_track_case_holds_retention_until_it_closes(new_signal: Any, users: Any) -> None:
    """W4 → RIEC leaves the signal in the retained state ``riec``; while its case is open the
    retention run passes it by; closing the case moves it to ``case_closed`` with monitoring."""
    from datetime import timedelta

    from django.utils import timezone

    from weerbaar.signals.retention import retention_run
    from weerbaar.signals.services import apply_transition

    signal = new_signal("research")
    locked = Signal.objects.get(pk=signal.pk)
    apply_transition(locked, State.RIEC, "w4", actor(users["ondermijningsteam"], "ondermijningsteam"), "Naar RIEC.")
    locked.save()
    team = users["ondermijningsteam"]
    case = services.case_open(acting=actor(team, "ondermijningsteam"), signal_id=signal.pk, track="riec", team=[team])
    locked.refresh_from_db()
    assert locked.destroy_after is not None
    with time_machine.travel(locked.destroy_after + timedelta(days=1), tick=False):
        assert retention_run(acting=actor(users["regisseur"], "retention")) == []
    assert Signal.objects.get(pk=signal.pk).state == State.RIEC
    closed = services.case_close(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="RIEC neemt over."
    )
    signal.refresh_from_db()
    assert closed.state == CaseState.CLOSED and signal.state == State.CASE_CLOSED
    assert signal.destroy_after is not None and signal.destroy_after > timezone.localdate()
