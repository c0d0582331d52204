# SPDX-License-Identifier: EUPL-1.2
"""Step 4's rules, each tried to be broken through the services (the doors are in test_web/test_api)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.approach.conftest import Parts, Research
from tests.conftest import actor
from weerbaar.approach import selectors, services
from weerbaar.approach.models import Case, CaseState, InterventionState, InterventionStep, ShareMatrix
from weerbaar.audit.models import AuditEvent
from weerbaar.signals.models import RetentionTerm, Signal
from weerbaar.signals.states import State

pytestmark = pytest.mark.django_db


def _denied(action: str) -> AuditEvent | None:
    return AuditEvent.objects.filter(action=action, result="denied").order_by("-id").first()


def test_case_open_is_idempotent_and_needs_a_w4_state(case: Case, users: Any, new_signal: Any) -> None:
    again = services.case_open(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"), signal_id=case.signal_id, track="meeting"
    )
    assert again.pk == case.pk
    research = new_signal("research")
    with pytest.raises(ValidationError) as exc:
        services.case_open(
            acting=actor(users["ondermijningsteam"], "ondermijningsteam"), signal_id=research.pk, track="meeting"
        )
    assert "signal" in exc.value.message_dict
    assert AuditEvent.objects.filter(action="approach:case:open", object_id=str(case.pk)).count() == 1


def test_case_scope_is_the_team_or_read_all(case: Case, users: Any, make_user: Any) -> None:
    in_scope = {u for u in users if selectors.case_scope(users[u]).filter(pk=case.pk).exists()}
    assert in_scope == {"ondermijningsteam", "department_officer", "riec_liaison", "regisseur", "privacyfunctionaris"}
    colleague = make_user("team_two", "ondermijningsteam")  # same role, not on this team
    assert not selectors.case_scope(colleague).filter(pk=case.pk).exists()


def test_out_of_scope_case_is_not_found_and_audited(case: Case, users: Any) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.case_get(user=users["bestuur"], case_id=case.pk, origin="test")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.result, event.object_id, event.actor_label) == (
        "approach:case:read",
        "denied",
        str(case.pk),
        "bestuur",
    )


def test_team_keeps_one_member_and_only_case_roles(case: Case, users: Any) -> None:
    regisseur = actor(users["regisseur"], "regisseur")
    with pytest.raises(ValidationError):
        services.team_add(acting=regisseur, case_id=case.pk, user_id=users["source_owner"].pk)  # no case role
    for member in ("department_officer", "riec_liaison"):
        services.team_remove(acting=regisseur, case_id=case.pk, user_id=users[member].pk)
    with pytest.raises(ValidationError, match="at least one"):
        services.team_remove(acting=regisseur, case_id=case.pk, user_id=users["ondermijningsteam"].pk)


def test_one_riec_participant(case: Case, parts: Parts, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.participant_add(
            acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, organisation="RIEC 2", is_riec=True
        )
    assert "is_riec" in exc.value.message_dict


def test_matrix_needs_reasons_known_items_and_participants(
    case: Case, parts: Parts, research: Research, users: Any
) -> None:
    pf = actor(users["privacyfunctionaris"], "privacyfunctionaris")
    with pytest.raises(ValidationError) as exc:
        services.matrix_decide(acting=pf, case_id=case.pk, cells={"signal:description": [parts.team.pk]}, reasons=" ")
    assert "reasons" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.matrix_decide(acting=pf, case_id=case.pk, cells={"subject:999999": [parts.team.pk]}, reasons="r")
    with pytest.raises(ValidationError):
        services.matrix_decide(acting=pf, case_id=case.pk, cells={"signal:description": [999999]}, reasons="r")


def test_new_matrix_supersedes_the_old(case: Case, parts: Parts, matrix: ShareMatrix, users: Any) -> None:
    second = services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells={"signal:description": [parts.police.pk]},
        reasons="Politie heeft het nodig.",
    )
    assert second.supersedes_id == matrix.pk and selectors.current_matrix(case) == second
    assert ShareMatrix.objects.filter(pk=matrix.pk).exists()  # append-only: the old one stays
    assert selectors.allowed_keys(second, {parts.team.pk}) == []


def test_meeting_without_2a_is_refused(case: Case, parts: Parts, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            acting=actor(users["regisseur"], "regisseur"),
            case_id=case.pk,
            held_on=date.today(),
            attendee_ids=[parts.team.pk],
            reasons="Overleg.",
        )
    assert "Privacy check 2A comes first" in str(exc.value.message_dict["case"])


def test_meeting_attendees_must_be_participants(
    case: Case, parts: Parts, matrix: Any, users: Any, new_signal: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            acting=actor(users["regisseur"], "regisseur"),
            case_id=case.pk,
            held_on=date.today() + timedelta(days=1),
            attendee_ids=[999999],
            reasons="Overleg.",
        )
    assert {"attendees", "held_on"} <= set(exc.value.message_dict)


def test_intervention_needs_a_meeting_and_an_active_instrument(
    case: Case, parts: Parts, matrix: Any, users: Any
) -> None:
    regisseur = actor(users["regisseur"], "regisseur")
    with pytest.raises(ValidationError) as exc:
        services.intervention_plan(
            acting=regisseur, case_id=case.pk, instrument="closure-13b", owner_department="handhaving", reasons="r"
        )
    assert "meeting" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.intervention_plan(
            acting=regisseur, case_id=case.pk, instrument="nope", owner_department="x", reasons="r"
        )
    assert {"instrument", "owner_department"} <= set(exc.value.message_dict)


def test_planning_moves_the_case_to_plan(case: Case, plan: Any) -> None:
    plan()
    case.refresh_from_db()
    assert case.state == CaseState.PLAN


def test_intervention_without_2b_cannot_start(plan: Any, users: Any) -> None:
    made = plan()
    with pytest.raises(ValidationError, match="2B comes first"):
        services.intervention_start(
            acting=actor(users["department_officer"], "department_officer"), intervention_id=made.pk
        )
    assert _denied("approach:intervention:start") is not None


def test_refused_2b_blocks_start_and_is_audited(plan: Any, users: Any) -> None:
    made = plan(allowed=False)
    assert made.state == InterventionState.REFUSED
    with pytest.raises(ValidationError, match="refused"):
        services.intervention_start(
            acting=actor(users["department_officer"], "department_officer"), intervention_id=made.pk
        )
    event = _denied("approach:intervention:start")
    assert event is not None and event.object_id == str(made.pk) and event.detail == {"reason": "2B refused"}
    assert not made.steps.exists()


def test_refused_2b_stops_a_running_intervention(plan: Any, users: Any) -> None:
    made = plan(allowed=True, start=True)
    services.check_2b_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        intervention_id=made.pk,
        exchange="Toch niet.",
        legal_basis="geen grondslag",
        allowed=False,
        shared_items=[],
        reasons="Nieuwe feiten.",
    )
    made.refresh_from_db()
    assert made.state == InterventionState.REFUSED
    officer = actor(users["department_officer"], "department_officer")
    step = made.steps.order_by("step__order").first()
    assert step is not None
    with pytest.raises(ValidationError, match="refused"):
        services.step_complete(acting=officer, step_id=step.pk, notes="Rapportage ontvangen.")
    with pytest.raises(ValidationError, match="refused"):
        services.intervention_outcome(acting=officer, intervention_id=made.pk, outcome="effective", notes="x")
    assert _denied("approach:step:complete") is not None and _denied("approach:intervention:outcome") is not None
    step.refresh_from_db()
    assert step.done_at is None
    # A later approval that supersedes the refusal lets it go on where it was.
    services.check_2b_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        intervention_id=made.pk,
        exchange="Wel.",
        legal_basis="art. 16 Wpg",
        allowed=True,
        shared_items=[],
        reasons="Herzien.",
    )
    made.refresh_from_db()
    assert made.state == InterventionState.RUNNING
    services.step_complete(acting=officer, step_id=step.pk, notes="Rapportage ontvangen.")


def test_a_refused_2b_shares_nothing(plan: Any, users: Any) -> None:
    made = plan()
    with pytest.raises(ValidationError) as exc:
        services.check_2b_decide(
            acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
            intervention_id=made.pk,
            exchange="x",
            legal_basis="y",
            allowed=False,
            shared_items=["signal:description"],
            reasons="r",
        )
    assert "shared_items" in exc.value.message_dict


def test_execution_by_another_department_is_refused_and_audited(
    plan: Any, users: Any, permit_officer: Any, case: Case
) -> None:
    made = plan(allowed=True)
    services.team_add(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, user_id=permit_officer.pk)
    with pytest.raises(PermissionDenied):
        services.intervention_start(acting=actor(permit_officer, "department_officer"), intervention_id=made.pk)
    event = _denied("approach:intervention:execute")
    assert event is not None and event.actor_label == "permit_officer"
    made.refresh_from_db()
    assert made.state == InterventionState.PLANNED


def test_owner_department_off_the_team_may_not_execute(plan: Any, users: Any, case: Case) -> None:
    made = plan(allowed=True)
    services.team_remove(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, user_id=users["department_officer"].pk
    )
    with pytest.raises(PermissionDenied):
        services.intervention_start(
            acting=actor(users["department_officer"], "department_officer"), intervention_id=made.pk
        )
    # A case manager may.
    services.intervention_start(acting=actor(users["regisseur"], "regisseur"), intervention_id=made.pk)


def test_steps_complete_in_order_and_outcome_makes_done(plan: Any, users: Any) -> None:
    made = plan(allowed=True, start=True)
    officer = actor(users["department_officer"], "department_officer")
    steps = list(made.steps.order_by("step__order"))
    with pytest.raises(ValidationError, match="order"):
        services.step_complete(acting=officer, step_id=steps[1].pk)
    services.step_complete(acting=officer, step_id=steps[0].pk, notes="Ontvangen.")
    with pytest.raises(ValidationError, match="already done"):
        services.step_complete(acting=officer, step_id=steps[0].pk)
    services.intervention_outcome(acting=officer, intervention_id=made.pk, outcome="effective", notes="Pand gesloten.")
    made.refresh_from_db()
    assert (made.state, made.outcome, made.outcome_notes) == (InterventionState.DONE, "effective", "Pand gesloten.")
    # domain.md §2: the outcome is a decision, so it records who, in which role (and when, why above)
    assert (made.outcome_by, made.outcome_by_label, made.outcome_role) == (
        users["department_officer"],
        users["department_officer"].get_username(),
        "department_officer",
    )
    with pytest.raises(ValidationError):
        services.intervention_outcome(acting=officer, intervention_id=made.pk, outcome="withdrawn", notes="x")


def test_closing_with_open_interventions_is_refused(case: Case, plan: Any, users: Any) -> None:
    plan(allowed=True, start=True)
    with pytest.raises(ValidationError) as exc:
        services.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="Klaar.")
    assert "still open" in str(exc.value.message_dict["case"])
    case.refresh_from_db()
    assert case.state == CaseState.PLAN and Signal.objects.get(pk=case.signal_id).state == State.CASE


def test_closing_without_any_done_needs_reasons(case: Case, plan: Any, users: Any) -> None:
    plan(allowed=False)
    with pytest.raises(ValidationError) as exc:
        services.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk)
    assert "reasons" in exc.value.message_dict
    services.case_close(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="2B weigerde; geen andere maatregel."
    )


def test_closing_sets_monitoring_and_retention(case: Case, plan: Any, users: Any) -> None:
    import time_machine

    made = plan(allowed=True, start=True)
    officer = actor(users["department_officer"], "department_officer")
    services.intervention_outcome(acting=officer, intervention_id=made.pk, outcome="effective", notes="Gesloten.")
    RetentionTerm.objects.update_or_create(state=State.CASE_CLOSED, defaults={"months": 24})
    policy = services.policy()
    policy.monitoring_months = 6
    policy.save()
    with time_machine.travel(date(2027, 3, 15), tick=False):
        closed = services.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk)
    signal = Signal.objects.get(pk=case.signal_id)
    assert closed.state == CaseState.CLOSED and closed.monitoring_until == date(2027, 9, 15)
    assert signal.state == State.CASE_CLOSED and signal.destroy_after == date(2029, 9, 15)
    assert closed.closure.status_change.to_state == State.CASE_CLOSED  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        services.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="nog eens")
    with pytest.raises(ValidationError, match="closed"):
        services.team_add(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, user_id=users["bestuur"].pk)


def test_every_service_write_is_audited(case: Case, plan: Any, users: Any) -> None:
    made = plan(allowed=True, start=True)
    step = InterventionStep.objects.filter(intervention=made).order_by("step__order").first()
    assert step is not None
    services.step_complete(acting=actor(users["department_officer"], "department_officer"), step_id=step.pk)
    actions = set(AuditEvent.objects.filter(result="success").values_list("action", flat=True))
    assert {
        "approach:case:open",
        "approach:team:add",
        "approach:participant:add",
        "approach:pc2a:decide",
        "approach:meeting:record",
        "approach:intervention:plan",
        "approach:pc2b:decide",
        "approach:intervention:start",
        "approach:step:complete",
    } <= actions
