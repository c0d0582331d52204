# SPDX-License-Identifier: EUPL-1.2
"""Due dates come from the catalogue's legal deadlines; warnings go out once, by the worker."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from tests.approach.conftest import ADDRESS, CONTENT_CANARY, DESCRIPTION
from tests.conftest import actor
from weerbaar.approach import services
from weerbaar.approach.models import Case, Notification
from weerbaar.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = date(2027, 2, 1)
AMS = ZoneInfo("Europe/Amsterdam")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMS)


def _due(intervention: Any) -> dict[str, date | None]:
    return {s.step.code: s.due_on for s in intervention.steps.select_related("step").order_by("step__order")}


def test_due_dates_follow_the_13b_procedure(plan: Any) -> None:
    with time_machine.travel(_at(START), tick=False):
        made = plan(allowed=True, start=True)
    d = START
    assert made.started_on == START
    assert _due(made) == {
        "rapportage": None,  # no legal term: the police report arrives when it arrives
        "voornemen": d + timedelta(days=14),
        "zienswijze": d + timedelta(days=28),  # two weeks after the notice of intent (art. 4:8 Awb, practice)
        "besluit": d + timedelta(days=42),
        "bekendmaking": d + timedelta(days=49),
        "sluiting": d + timedelta(days=63),  # term to comply, counted from the notification
        "bezwaartermijn": d + timedelta(days=91),  # six weeks from the notification (art. 6:7/6:8 Awb)
        "beslissing-op-bezwaar": d + timedelta(days=175),  # twelve weeks after the objection term (art. 7:10)
    }


def test_completing_a_step_recomputes_the_next_due_dates(plan: Any, users: Any) -> None:
    officer = actor(users["department_officer"], "department_officer")
    with time_machine.travel(_at(START), tick=False):
        made = plan(allowed=True, start=True)
    steps = {s.step.code: s for s in made.steps.select_related("step")}
    with time_machine.travel(_at(START + timedelta(days=3)), tick=False):
        services.step_complete(acting=officer, step_id=steps["rapportage"].pk, notes="Rapportage binnen.")
    assert _due(made)["voornemen"] == START + timedelta(days=17)
    with time_machine.travel(_at(START + timedelta(days=10)), tick=False):
        services.step_complete(acting=officer, step_id=steps["voornemen"].pk)
    due = _due(made)
    assert due["zienswijze"] == START + timedelta(days=24)
    assert due["bezwaartermijn"] == START + timedelta(days=10 + 14 + 14 + 7 + 42)


def test_penalty_order_steps_come_from_the_catalogue(plan: Any) -> None:
    with time_machine.travel(_at(START), tick=False):
        made = plan("penalty-order", allowed=True, start=True)
    due = _due(made)
    assert list(due)[:4] == ["constatering", "voornemen", "zienswijze", "last"]
    assert due["invordering"] == due["hercontrole"] + timedelta(days=42)  # type: ignore[operator]


def test_warnings_are_sent_once_to_the_owner_department_and_case_managers(
    case: Case, plan: Any, users: Any, permit_officer: Any
) -> None:
    for name in ("department_officer", "ondermijningsteam", "riec_liaison", "regisseur", "bestuur"):
        users[name].email = f"{name}@demodam.example"
        users[name].save(update_fields=["email"])
    permit_officer.email = "permits@demodam.example"
    permit_officer.save(update_fields=["email"])
    services.team_add(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, user_id=permit_officer.pk)
    with time_machine.travel(_at(START), tick=False):
        made = plan(allowed=True, start=True)
        assert services.warn_deadlines(acting=actor(users["regisseur"], "system")) == 0  # 14 days away, warns at 7
    with time_machine.travel(_at(START + timedelta(days=7)), tick=False):
        from weerbaar.approach.tasks import run_deadline_warnings

        result = run_deadline_warnings.enqueue()  # the worker's job (immediate backend in tests)
        assert result.return_value == 1
        assert services.warn_deadlines(acting=actor(users["regisseur"], "system")) == 0  # once per step
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    # Everyone on the team in the owner department (handhaving), plus the team's case managers; not
    # the permit officer (other department), nor the regisseur and bestuur (not on the team).
    assert recipients == {"department_officer", "ondermijningsteam", "riec_liaison"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{u}@demodam.example" for u in recipients)
    note = Notification.objects.first()
    assert note is not None and case.reference in note.message and "15 februari 2027" in note.message
    for private in (ADDRESS, CONTENT_CANARY, DESCRIPTION, "Fictief"):
        assert private not in note.message and all(private not in m.body for m in mail.outbox)
    step = made.steps.get(step__code="voornemen")
    assert step.warned_at is not None
    assert AuditEvent.objects.filter(action="approach:deadline:warn", object_id=str(step.pk)).count() == 1


def test_done_and_refused_interventions_are_not_warned(plan: Any, users: Any) -> None:
    with time_machine.travel(_at(START), tick=False):
        made = plan(allowed=True, start=True)
        services.intervention_outcome(
            acting=actor(users["department_officer"], "department_officer"),
            intervention_id=made.pk,
            outcome="not_applied",
            notes="Zienswijze overtuigde.",
        )
    with time_machine.travel(_at(START + timedelta(days=30)), tick=False):
        assert services.warn_deadlines(acting=actor(users["regisseur"], "system")) == 0


def test_notifications_page_and_queue_show_own_warnings(case: Case, plan: Any, users: Any, client: Any) -> None:
    with time_machine.travel(_at(START), tick=False):
        plan(allowed=True, start=True)
    with time_machine.travel(_at(START + timedelta(days=8)), tick=False):
        services.warn_deadlines(acting=actor(users["regisseur"], "system"))
    client.force_login(users["department_officer"])
    page = client.get("/cases/notifications").content.decode()
    assert case.reference in page and "15 februari 2027" in page
    queue = client.get("/").content.decode()
    assert "15 februari 2027" in queue  # the work queue's section from the approach queue hook
    note = Notification.objects.get(user=users["department_officer"])
    client.force_login(users["ondermijningsteam"])  # someone else's notification: not found
    assert client.post(f"/cases/notifications/{note.pk}/read").status_code == 404
    client.force_login(users["department_officer"])
    assert client.post(f"/cases/notifications/{note.pk}/read").status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
