# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of step 4: a signal in state ``case``, research rows, a case with team and participants.

How the signal reaches ``case``: through ``signals.services.apply_transition`` with the ``w4``
decision, directly in a fixture (not through the research app's services), so these tests do not
depend on step 3's forms; ``test_w4_event.py`` walks the real W4 path. The research rows (privacy
check 1, queries, a content answer) are made with the ORM for the same reason: the approach app
only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from tests.conftest import actor
from weerbaar.accounts.models import Department, User
from weerbaar.approach import services
from weerbaar.approach.models import Case, Intervention, Participant
from weerbaar.research.models import (
    ContentAnswer,
    ContentDecision,
    ContentRequest,
    Outcome,
    PrivacyCheck1,
    Query,
    QueryStatus,
    SourceApproval,
)
from weerbaar.signals.models import Signal
from weerbaar.signals.services import apply_transition
from weerbaar.signals.states import State
from weerbaar.sources.models import Source

#: Planted content: the meeting view, the referral package and the PDF must show exactly what
#: privacy check 2A allows; these strings tell which item leaked.
ADDRESS = "Kanaalweg 12 Demodam"
CONTENT_CANARY = "KANARIE4711"
DESCRIPTION = "Geblindeerde ramen en constant licht in het pand."


def to_case_state(signal: Signal, by: User) -> Signal:
    """W4 → ``case`` through the transition table (as research.services.w4_decide does)."""
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        apply_transition(locked, State.CASE, "w4", actor(by, "ondermijningsteam"), "De hits bevestigen het signaal.")
        locked.save(update_fields=["state", "state_changed_at", "destroy_after"])
    return locked


@pytest.fixture
def permits(db: Any) -> Department:
    return Department.objects.get_or_create(code="vergunningen", defaults={"name": "Vergunningen"})[0]


@pytest.fixture
def permit_officer(make_user: Any, permits: Department) -> User:
    """A department officer of another department than the owner (handhaving) of the interventions."""
    user = make_user("permit_officer", "department_officer")
    user.department = permits
    user.save(update_fields=["department"])
    return user


@pytest.fixture
def case_signal(new_signal: Any, users: dict[str, User]) -> Signal:
    signal = new_signal("research", location_address=ADDRESS, description=DESCRIPTION)
    return to_case_state(signal, users["ondermijningsteam"])


@dataclass
class Research:
    hit: Query
    no_hit: Query
    answer: ContentAnswer


@pytest.fixture
def research(case_signal: Signal, users: dict[str, User]) -> Research:
    return make_research(case_signal, users)


def make_research(case_signal: Signal, users: dict[str, User]) -> Research:
    """Privacy check 1 (BRP and permits approved), a hit and a no-hit query, an approved content answer."""
    team = users["ondermijningsteam"]
    who = {"actor": team, "actor_label": team.username, "role": "ondermijningsteam"}
    brp, permits_source = Source.objects.get(slug="brp"), Source.objects.get(slug="permits")
    pc1 = PrivacyCheck1.objects.create(signal=case_signal, reasons="Onderzoek nodig.", **who)
    pc1.requested_sources.set([brp, permits_source])
    pf = users["privacyfunctionaris"]
    decider = {"actor": pf, "actor_label": pf.username, "role": "privacyfunctionaris"}
    ok_brp = SourceApproval.objects.create(
        pc1=pc1, source=brp, outcome=Outcome.APPROVED, reasons="Toegestaan.", **decider
    )
    ok_permits = SourceApproval.objects.create(
        pc1=pc1, source=permits_source, outcome=Outcome.APPROVED, reasons="Toegestaan.", **decider
    )
    subject = case_signal.subjects.get()
    hit = Query.objects.create(
        signal=case_signal,
        subject=subject,
        subject_kind=subject.kind,
        source=brp,
        approval=ok_brp,
        status=QueryStatus.HIT,
        **who,
    )
    no_hit = Query.objects.create(
        signal=case_signal,
        subject=subject,
        subject_kind=subject.kind,
        source=permits_source,
        approval=ok_permits,
        status=QueryStatus.NO_HIT,
        **who,
    )
    request = ContentRequest.objects.create(query=hit, requested_fields=["street"], reasons="Adres nodig.", **who)
    owner = users["source_owner"]
    decision = ContentDecision.objects.create(
        request=request,
        outcome=Outcome.APPROVED,
        approved_fields=["street"],
        reasons="Akkoord.",
        actor=owner,
        actor_label=owner.username,
        role="source_owner",
    )
    answer = ContentAnswer.objects.create(decision=decision, content={"street": CONTENT_CANARY})
    return Research(hit=hit, no_hit=no_hit, answer=answer)


@dataclass
class Parts:
    team: Participant
    officer: Participant
    police: Participant
    riec: Participant


@pytest.fixture
def case(case_signal: Signal, research: Research, users: dict[str, User]) -> Case:
    """A meeting-track case: the W4 decider on the team, plus the handhaving officer and the RIEC
    liaison; participants: the team member, the officer, the police and the RIEC."""
    team = users["ondermijningsteam"]
    opened = services.case_open(
        acting=actor(team, "ondermijningsteam"), signal_id=case_signal.pk, track="meeting", team=[team]
    )
    regisseur = actor(users["regisseur"], "regisseur")
    for member in ("department_officer", "riec_liaison"):
        services.team_add(acting=regisseur, case_id=opened.pk, user_id=users[member].pk)
    return opened


@pytest.fixture
def parts(case: Case, users: dict[str, User]) -> Parts:
    regisseur = actor(users["regisseur"], "regisseur")
    add = services.participant_add
    return Parts(
        team=add(acting=regisseur, case_id=case.pk, organisation="", user_id=users["ondermijningsteam"].pk),
        officer=add(acting=regisseur, case_id=case.pk, organisation="", user_id=users["department_officer"].pk),
        police=add(acting=regisseur, case_id=case.pk, organisation="Politie", function="wijkagent"),
        riec=add(acting=regisseur, case_id=case.pk, organisation="RIEC Noord-Holland", is_riec=True),
    )


def standard_cells(case: Case, parts: Parts, research: Research) -> dict[str, list[int]]:
    """Description to all but the police; location to the team and the RIEC; the subject and the
    content answer to the team only; the no-hit query to the team and the officer."""
    subject = case.signal.subjects.get()
    return {
        "signal:description": [parts.team.pk, parts.officer.pk, parts.riec.pk],
        "signal:location": [parts.team.pk, parts.riec.pk],
        f"subject:{subject.pk}": [parts.team.pk],
        f"query:{research.hit.pk}": [parts.team.pk],
        f"query:{research.no_hit.pk}": [parts.team.pk, parts.officer.pk],
        f"content:{research.answer.pk}": [parts.team.pk],
    }


@pytest.fixture
def matrix(case: Case, parts: Parts, research: Research, users: dict[str, User]) -> Any:
    return services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells=standard_cells(case, parts, research),
        reasons="Need to know per deelnemer.",
    )


@pytest.fixture
def meeting(case: Case, parts: Parts, matrix: Any, users: dict[str, User]) -> Any:
    return services.meeting_record(
        acting=actor(users["regisseur"], "regisseur"),
        case_id=case.pk,
        held_on=date.today(),
        attendee_ids=[parts.team.pk, parts.officer.pk, parts.police.pk],
        reasons="Besloten: sluiting 13b.",
    )


@pytest.fixture
def plan(case: Case, meeting: Any, users: dict[str, User]) -> Any:
    """Make an intervention of ``instrument`` owned by handhaving (optionally with a 2B, started)."""

    def make(
        instrument: str = "closure-13b",
        *,
        allowed: bool | None = None,
        start: bool = False,
        items: list[str] | None = None,
    ) -> Intervention:
        made = services.intervention_plan(
            acting=actor(users["regisseur"], "regisseur"),
            case_id=case.pk,
            instrument=instrument,
            owner_department="handhaving",
            reasons="Gekozen in het casusoverleg.",
        )
        if allowed is not None:
            services.check_2b_decide(
                acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
                intervention_id=made.pk,
                exchange="Bestuurlijke rapportage en adresgegevens.",
                legal_basis="art. 13b Opiumwet; art. 16 Wpg",
                allowed=allowed,
                shared_items=(items or []) if allowed else [],
                reasons="Getoetst.",
            )
        if start:
            services.intervention_start(
                acting=actor(users["department_officer"], "department_officer"), intervention_id=made.pk
            )
        made.refresh_from_db()
        return made

    return make
