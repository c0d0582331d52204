# SPDX-License-Identifier: EUPL-1.2
"""Signals walked to every retained state through the real services of steps 1-4.

``stopped`` and ``case_closed`` go through research (privacy check 1, queries, a content request
approved by the source owner, W4) and approach (case, 2A, meeting, an intervention with 2B, its
outcome, a RIEC referral, closure). The VTH source must be loaded (fixture ``vth``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import actor
from tests.research.helpers import approve_sources
from weerbaar.signals.models import Signal


def research_rows(users: dict[str, Any], signal: Signal) -> None:
    """Privacy check 1 for the VTH file, the queries, and an approved content request on the hit."""
    from weerbaar.research import services

    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    approve_sources(users, signal.pk, ["vth"])
    run = services.run_queries(acting=team, signal_id=signal.pk)
    hits = [q for q in run.queries if q.status == "hit"]
    assert hits, "the subject Jan must hit in the VTH file"
    request = services.content_request(
        acting=team, query_id=hits[0].pk, fields=["summary", "street"], reasons="Wat is er geconstateerd?"
    )
    services.content_decide(
        acting=actor(users["source_owner"], "source_owner"),
        request_id=request.pk,
        approve=True,
        fields=["summary", "street"],
        reasons="Akkoord, nodig voor de weging.",
    )


def to_stopped(users: dict[str, Any], new_signal: Any, **overrides: Any) -> Signal:
    from weerbaar.research import services

    signal = new_signal("research", **overrides)
    research_rows(users, signal)
    services.w4_decide(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=signal.pk,
        confirmed=False,
        outcome="stop",
        reasons="De hits bevestigen het signaal niet.",
    )
    signal.refresh_from_db()
    return signal


def to_case(users: dict[str, Any], new_signal: Any, **overrides: Any) -> Any:
    """A signal in ``case`` with a case opened by W4 (research events), team and participants,
    privacy check 2A, a meeting and a closure intervention with 2B, started."""
    from weerbaar.approach import services as approach
    from weerbaar.approach.models import Case
    from weerbaar.research import services

    signal = new_signal("research", **overrides)
    research_rows(users, signal)
    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    services.w4_decide(
        acting=team, signal_id=signal.pk, confirmed=True, outcome="case", reasons="De hits bevestigen het signaal."
    )
    case = Case.objects.get(signal=signal)
    regisseur = actor(users["regisseur"], "regisseur")
    approach.team_add(acting=regisseur, case_id=case.pk, user_id=users["department_officer"].pk)
    me = approach.participant_add(
        acting=regisseur, case_id=case.pk, organisation="", user_id=users["ondermijningsteam"].pk
    )
    riec = approach.participant_add(acting=regisseur, case_id=case.pk, organisation="RIEC Noord-Holland", is_riec=True)
    subject = signal.subjects.order_by("id").first()
    assert subject is not None
    from weerbaar.research.models import ContentAnswer, Query

    cells: dict[str, list[int]] = {
        "signal:description": [me.pk, riec.pk],
        f"subject:{subject.pk}": [me.pk, riec.pk],
    }
    for query in Query.objects.filter(signal=signal):
        cells[f"query:{query.pk}"] = [me.pk]
    for answer in ContentAnswer.objects.filter(decision__request__query__signal=signal):
        cells[f"content:{answer.pk}"] = [me.pk, riec.pk]
    pf = actor(users["privacyfunctionaris"], "privacyfunctionaris")
    approach.matrix_decide(acting=pf, case_id=case.pk, cells=cells, reasons="Need to know per deelnemer.")
    approach.meeting_record(
        acting=regisseur, case_id=case.pk, held_on=date.today(), attendee_ids=[me.pk], reasons="Besloten: sluiting."
    )
    made = approach.intervention_plan(
        acting=regisseur,
        case_id=case.pk,
        instrument="closure-13b",
        owner_department="handhaving",
        reasons="Gekozen in het casusoverleg.",
    )
    approach.check_2b_decide(
        acting=pf,
        intervention_id=made.pk,
        exchange="Bestuurlijke rapportage en adresgegevens.",
        legal_basis="art. 13b Opiumwet",
        allowed=True,
        shared_items=[f"subject:{subject.pk}"],
        reasons="Getoetst.",
    )
    approach.intervention_start(
        acting=actor(users["department_officer"], "department_officer"), intervention_id=made.pk
    )
    from weerbaar.approach import referral

    made_referral = referral.referral_create(acting=regisseur, case_id=case.pk, reasons="Integrale aanpak nodig.")
    referral.referral_event(acting=regisseur, referral_id=made_referral.pk, status="sent")
    referral.referral_event(
        acting=regisseur, referral_id=made_referral.pk, status="feedback", reasons="Het RIEC pakt dit integraal op."
    )
    case.refresh_from_db()
    return case


def to_case_closed(users: dict[str, Any], new_signal: Any, **overrides: Any) -> Signal:
    from weerbaar.approach import services as approach
    from weerbaar.approach.models import Intervention

    case = to_case(users, new_signal, **overrides)
    officer = actor(users["department_officer"], "department_officer")
    for made in Intervention.objects.filter(case=case):
        approach.intervention_outcome(acting=officer, intervention_id=made.pk, outcome="effective", notes="Gesloten.")
    approach.case_close(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, reasons="Afgerond.")
    return Signal.objects.get(pk=case.signal_id)
