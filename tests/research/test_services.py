# SPDX-License-Identifier: EUPL-1.2
"""Step 3's services, and every rule of domain.md §2 for it tried to be broken.

Each test named ``test_refuses_…`` is an attack on one rule: a query without an approved
privacy check 1, approving an excluded source, a content read without an approved request, a
content decision by another department, W4 "case" without confirmation, W4 from a wrong state,
and approvals that a correction superseded.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.conftest import actor
from tests.research.conftest import JAN, NOBODY
from tests.research.helpers import ASSESSMENT, approve_sources, decide_pc1, request_pc1
from weerbaar.audit.models import AuditEvent
from weerbaar.matching.services import hit_no_hit, screen
from weerbaar.research import services
from weerbaar.research.events import w4_decided
from weerbaar.research.models import (
    W4,
    ContentAnswer,
    ContentDecision,
    ContentRequest,
    PrivacyCheck1,
    Query,
    SourceApproval,
)
from weerbaar.signals.models import Signal
from weerbaar.signals.states import IllegalTransition
from weerbaar.sources.models import Source

pytestmark = pytest.mark.django_db


def team(users: Any) -> Any:
    return actor(users["ondermijningsteam"], "ondermijningsteam")


def owner(users: Any) -> Any:
    return actor(users["source_owner"], "source_owner")


def denied(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, result="denied").latest("id")


@pytest.fixture
def signal(new_signal: Any) -> Signal:
    return new_signal("research")  # type: ignore[no-any-return]


def run(users: Any, signal: Signal, **kwargs: Any) -> services.QueryRun:
    return services.run_queries(acting=team(users), signal_id=signal.pk, **kwargs)


def hit_on_vth(users: Any, signal: Signal) -> Query:
    approve_sources(users, signal.pk, ["vth"])
    result = run(users, signal)
    (query,) = result.queries
    assert query.status == "hit"
    return query


def ask_content(users: Any, query: Query, fields: list[str] | None = None) -> ContentRequest:
    return services.content_request(
        acting=team(users), query_id=query.pk, fields=fields or ["record_type", "date", "summary"], reasons="Nodig."
    )


# Privacy check 1 -------------------------------------------------------------------------------


def test_pc1_request_and_decision_per_source(users: Any, signal: Signal) -> None:
    pc1 = request_pc1(users, signal.pk, ["vth", "brp", "bibob"])
    assert {s.slug for s in pc1.requested_sources.all()} == {"vth", "brp", "bibob"}
    decide_pc1(users, pc1, {"vth": "approved", "brp": "refused"})
    pc1.refresh_from_db()
    assert pc1.decided_at is None  # bibob still open
    decide_pc1(users, pc1, {"bibob": "refused"})
    pc1.refresh_from_db()
    assert pc1.decided_at is not None
    assert [a.source.slug for a in services.current_approvals(signal.pk)] == ["vth"]
    row = SourceApproval.objects.get(source__slug="vth")
    assert (row.actor_label, row.role, row.reasons) == (
        "privacyfunctionaris",
        "privacyfunctionaris",
        "Besluit over vth.",
    )
    assert row.assessment["compatibility"]["nature"].startswith("Geen bijzondere")
    event = AuditEvent.objects.filter(action="research:pc1:decide").latest("id")
    assert event.detail["outcomes"] == {"bibob": "refused"}


@pytest.mark.parametrize("slug", ["bibob", "social_domain", "boa", "open_sources"])
def test_refuses_to_approve_an_excluded_source(users: Any, signal: Signal, slug: str) -> None:
    pc1 = request_pc1(users, signal.pk, [slug])
    source = Source.objects.get(slug=slug)
    with pytest.raises(ValidationError) as caught:
        decide_pc1(users, pc1, {slug: "approved"})
    message = " ".join(caught.value.message_dict[f"{slug}.outcome"])
    assert source.name in message and source.law in message and "excludes" in message
    assert not SourceApproval.objects.exists()


def test_approval_needs_every_assessment_field_and_reasons(users: Any, signal: Signal) -> None:
    pc1 = request_pc1(users, signal.pk, ["vth"])
    pf = actor(users["privacyfunctionaris"], "privacyfunctionaris")
    with pytest.raises(ValidationError) as caught:
        services.pc1_decide(
            acting=pf,
            pc1_id=pc1.pk,
            decisions=[{"source": "vth", "outcome": "approved", "reasons": " ", "assessment": {"legal_basis": "x"}}],
        )
    errors = caught.value.message_dict
    assert "vth.reasons" in errors and "vth.necessity" in errors and "vth.safeguards" in errors
    assert "vth.legal_basis" not in errors
    # A refusal needs reasons only.
    services.pc1_decide(
        acting=pf, pc1_id=pc1.pk, decisions=[{"source": "vth", "outcome": "refused", "reasons": "Nee."}]
    )
    assert not services.current_approvals(signal.pk).exists()


def test_refuses_a_source_that_was_not_requested(users: Any, signal: Signal) -> None:
    pc1 = request_pc1(users, signal.pk, ["vth"])
    with pytest.raises(ValidationError, match="not requested"):
        decide_pc1(users, pc1, {"brp": "approved"})


def test_pc1_request_refusals(users: Any, signal: Signal, new_signal: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.pc1_request(acting=team(users), signal_id=signal.pk, source_slugs=["nope"], reasons="")
    assert set(caught.value.message_dict) == {"sources", "reasons"}
    request_pc1(users, signal.pk, ["vth"])
    with pytest.raises(ValidationError, match="already waiting"):
        request_pc1(users, signal.pk, ["vth"])
    for state in ("qualified", "department", "no_action"):
        other = new_signal(state)
        with pytest.raises(IllegalTransition, match="source research"):
            request_pc1(users, other.pk, ["vth"])
    with pytest.raises(PermissionDenied):  # the privacyfunctionaris decides, it does not ask
        services.pc1_request(
            acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
            signal_id=signal.pk,
            source_slugs=["vth"],
            reasons="x",
        )


def test_a_correction_supersedes_and_a_stale_form_cannot_overwrite(users: Any, signal: Signal) -> None:
    pc1 = approve_sources(users, signal.pk, ["vth"])
    first = SourceApproval.objects.get()
    with pytest.raises(ValidationError) as caught:  # a second decision that does not name the first
        decide_pc1(users, pc1, {"vth": "refused"})
    assert "vth.supersedes" in caught.value.message_dict
    decide_pc1(users, pc1, {"vth": "refused"}, supersedes=first.pk)
    correction = SourceApproval.objects.latest("id")
    assert correction.supersedes == first and correction.outcome == "refused"
    first.refresh_from_db()
    assert first.outcome == "approved"  # append-only: the old row is unchanged
    assert not services.current_approvals(signal.pk).exists()


# Queries ---------------------------------------------------------------------------------------


def test_refuses_a_query_without_an_approved_pc1(users: Any, signal: Signal, sources: Any) -> None:
    with pytest.raises(services.Refused, match="approved privacy check 1"):
        run(users, signal)
    assert denied("research:query:run").object_id == str(signal.pk)
    request_pc1(users, signal.pk, ["vth"])  # requested, not decided: still nothing may be queried
    with pytest.raises(services.Refused):
        run(users, signal)
    assert not Query.objects.exists()


def test_refuses_a_query_of_a_source_without_approval(users: Any, signal: Signal, sources: Any) -> None:
    approve_sources(users, signal.pk, ["vth"])
    with pytest.raises(services.Refused, match="brp"):
        run(users, signal, source_slugs=["vth", "brp"])
    assert denied("research:query:run").detail == {"not_approved": ["brp"]}
    assert not Query.objects.exists()


def test_refuses_queries_under_a_superseded_approval(users: Any, signal: Signal, sources: Any) -> None:
    pc1 = approve_sources(users, signal.pk, ["vth", "brp"])
    vth = SourceApproval.objects.get(source__slug="vth")
    decide_pc1(users, pc1, {"vth": "refused"}, supersedes=vth.pk)
    result = run(users, signal)
    assert {q.source.slug for q in result.queries} == {"brp"}  # vth no longer queried
    with pytest.raises(services.Refused):
        run(users, signal, source_slugs=["vth"])


def test_queries_store_statuses_and_hidden_record_ids(users: Any, signal: Signal, sources: Any) -> None:
    approve_sources(users, signal.pk, ["vth", "brp"])
    result = run(users, signal)
    assert result.counts == {"hit": 2} and result.run == 1 and not result.notes
    stored = {q.source.slug: q for q in Query.objects.all()}
    assert stored["vth"].matched_records and stored["brp"].approval.source.slug == "brp"
    again = run(users, signal)
    assert again.run == 2
    run_event = AuditEvent.objects.filter(action="research:query:run", result="success").latest("id")
    assert run_event.detail["counts"] == {"hit": 2}
    asked = AuditEvent.objects.filter(action="matching:subject:hit-no-hit").latest("id")
    assert asked.object_id == signal.reference and "Fictief" not in str(asked.detail)


def test_a_no_hit_reveals_nothing_and_odd_subjects_get_notes(users: Any, new_signal: Any, sources: Any) -> None:
    signal = new_signal(
        "research",
        subjects=[
            {"kind": "person", "data": NOBODY},
            {"kind": "vehicle", "data": {"licence_plate": "XX-99-ZZ"}},
            {"kind": "address", "data": {"postcode": "9999ZZ"}},  # no house number: cannot be looked up
            {"kind": "company", "data": {"trade_name": "Fictief BV"}},
        ],
    )
    approve_sources(users, signal.pk, ["vth", "brp"])
    result = run(users, signal)
    assert {(q.subject_kind, q.source.slug, q.status) for q in result.queries} == {
        ("person", "vth", "no-hit"),
        ("person", "brp", "no-hit"),
        ("company", "vth", "no-hit"),
    }
    assert all(q.matched_records == [] for q in result.queries)
    notes = " ".join(result.notes)
    assert "Subject 2 (vehicle)" in notes and "Subject 3 (address)" in notes and "too little" in notes


def test_refuses_queries_outside_research_and_outside_scope(users: Any, new_signal: Any, sources: Any) -> None:
    signal = new_signal("research")
    approve_sources(users, signal.pk, ["vth"])
    officer = actor(users["department_officer"], "department_officer")
    with pytest.raises(PermissionDenied):
        services.run_queries(acting=officer, signal_id=signal.pk)
    services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=False, outcome="stop", reasons="Niets.")
    with pytest.raises(IllegalTransition):
        run(users, signal)


# The gate inside matching ----------------------------------------------------------------------


def test_matching_refuses_a_person_without_a_signal_whose_pc1_covers_the_sources(
    users: Any, signal: Signal, sources: Any
) -> None:
    regisseur = actor(users["regisseur"], "regisseur")
    vth, brp = sources["vth"], sources["brp"]
    for reference in ("", "S-999999", "anything"):
        with pytest.raises(PermissionDenied, match="privacy check 1"):
            hit_no_hit(acting=regisseur, subject=JAN, sources=[vth], purpose="x", reference=reference)
    approve_sources(users, signal.pk, ["vth"])
    answers = hit_no_hit(acting=regisseur, subject=JAN, sources=[vth], purpose="x", reference=signal.reference)
    assert answers[0].status == "hit"
    with pytest.raises(PermissionDenied, match="brp"):
        hit_no_hit(acting=regisseur, subject=JAN, sources=[vth, brp], purpose="x", reference=signal.reference)
    event = denied("research:pc1:gate")
    assert event.detail["not_approved"] == ["brp"] and event.object_id == signal.reference
    with pytest.raises(PermissionDenied):
        screen(acting=regisseur, subjects=[JAN], sources=[brp], purpose="x", reference=signal.reference)
    # The system actor (index builds, benchmarks, demo preparation) asks nothing of its own.
    from weerbaar.accounts.authz import system_actor

    assert hit_no_hit(acting=system_actor("bench"), subject=JAN, sources=[brp], purpose="x")[0].status == "hit"


def test_the_gate_gives_a_hidden_signal_the_same_answer_as_a_missing_one(
    users: Any, signal: Signal, sources: Any
) -> None:
    approve_sources(users, signal.pk, ["vth"])
    officer = actor(users["other_officer"], "department_officer")  # reported by someone else: out of scope
    messages = []
    for reference in (signal.reference, "S-999999"):
        with pytest.raises(PermissionDenied) as caught:
            services.pc1_gate(officer, reference, [sources["vth"]])
        messages.append(str(caught.value).replace(reference, "REF"))
    assert messages[0] == messages[1]


# Content requests ------------------------------------------------------------------------------


def test_content_request_decision_and_audited_read(users: Any, signal: Signal, sources: Any, load_source: Any) -> None:
    query = hit_on_vth(users, signal)
    request = ask_content(users, query)
    assert request.requested_fields == ["record_type", "date", "summary"]
    decision = services.content_decide(
        acting=owner(users), request_id=request.pk, approve=True, fields=["date", "summary"], reasons="Akkoord."
    )
    assert decision.approved_fields == ["date", "summary"]
    answer = ContentAnswer.objects.get(decision=decision)
    read = services.content_read(acting=team(users), answer_id=answer.pk)
    assert read.records == [{"date": "2025-03-01", "summary": "Hennepgeur geconstateerd"}]
    event = AuditEvent.objects.filter(action="research:content:read").latest("id")
    assert event.result == "success" and signal.reference in event.purpose and "content request" in event.purpose
    source_read = AuditEvent.objects.filter(action="sources:record:read").latest("id")
    assert source_read.actor_label == "source_owner" and source_read.detail["fields"] == ["date", "summary"]
    # The answer is a copy: a new snapshot does not change it.
    from tests.research.conftest import VTH_ROWS

    load_source("vth", [dict(r, summary="Nieuw") for r in VTH_ROWS])
    assert services.content_read(acting=team(users), answer_id=answer.pk).records == read.records


def test_refuses_content_of_anything_but_a_hit(users: Any, new_signal: Any, sources: Any) -> None:
    signal = new_signal("research", subjects=[{"kind": "person", "data": NOBODY}])
    approve_sources(users, signal.pk, ["vth"])
    (query,) = run(users, signal).queries
    assert query.status == "no-hit"
    with pytest.raises(ValidationError, match="only for a hit"):
        ask_content(users, query)


def test_refuses_content_of_a_hit_no_hit_source_and_fields_outside_the_allowed_set(
    users: Any, signal: Signal, sources: Any
) -> None:
    query = hit_on_vth(users, signal)
    with pytest.raises(ValidationError) as caught:
        ask_content(users, query, ["summary", "bsn"])
    assert "bsn" in " ".join(caught.value.message_dict["fields"])
    Source.objects.filter(slug="vth").update(mode="hit_no_hit")
    with pytest.raises(ValidationError, match="hit/no-hit only"):
        ask_content(users, query)


def test_refuses_a_content_read_without_an_approved_request(users: Any, signal: Signal, sources: Any) -> None:
    query = hit_on_vth(users, signal)
    request = ask_content(users, query)
    with pytest.raises(services.Refused, match="not approved"):
        services.content_read_for_request(acting=team(users), request_id=request.pk)
    assert denied("research:content:read").object_id == str(request.pk)
    services.content_decide(acting=owner(users), request_id=request.pk, approve=False, fields=[], reasons="Nee.")
    with pytest.raises(services.Refused, match="refused"):
        services.content_read_for_request(acting=team(users), request_id=request.pk)
    assert not ContentAnswer.objects.exists()
    with pytest.raises(Http404):  # no answer row exists to be read by id
        services.content_read(acting=team(users), answer_id=999999)


def test_refuses_a_content_decision_by_another_department(
    users: Any, signal: Signal, sources: Any, brp_owner: Any
) -> None:
    request = ask_content(users, hit_on_vth(users, signal))
    with pytest.raises(Http404):
        services.content_decide(
            acting=actor(brp_owner, "source_owner"), request_id=request.pk, approve=True, fields=["date"], reasons="x"
        )
    assert denied("research:contentrequest:read").actor_label == "brp_owner"
    assert not ContentDecision.objects.exists()
    with pytest.raises(PermissionDenied):  # the team cannot approve its own request
        services.content_decide(acting=team(users), request_id=request.pk, approve=True, fields=["date"], reasons="x")


def test_the_owner_may_only_narrow_and_decides_once(users: Any, signal: Signal, sources: Any) -> None:
    request = ask_content(users, hit_on_vth(users, signal), ["date"])
    with pytest.raises(ValidationError, match="Only requested fields"):
        services.content_decide(
            acting=owner(users), request_id=request.pk, approve=True, fields=["date", "summary"], reasons="x"
        )
    with pytest.raises(ValidationError) as caught:
        services.content_decide(acting=owner(users), request_id=request.pk, approve=True, fields=[], reasons="")
    assert set(caught.value.message_dict) == {"fields", "reasons"}
    services.content_decide(acting=owner(users), request_id=request.pk, approve=True, fields=["date"], reasons="Ja.")
    with pytest.raises(ValidationError, match="decided already"):
        services.content_decide(acting=owner(users), request_id=request.pk, approve=False, fields=[], reasons="Nee.")


def test_refuses_content_after_the_approval_was_corrected(users: Any, signal: Signal, sources: Any) -> None:
    query = hit_on_vth(users, signal)
    request = ask_content(users, query)
    approval = query.approval
    decide_pc1(users, approval.pc1, {"vth": "refused"}, supersedes=approval.pk)
    with pytest.raises(services.Refused, match="corrected"):
        services.content_decide(acting=owner(users), request_id=request.pk, approve=True, fields=["date"], reasons="x")
    assert denied("research:content:decide")
    services.content_decide(acting=owner(users), request_id=request.pk, approve=False, fields=[], reasons="Nee.")
    with pytest.raises(services.Refused, match="corrected"):
        ask_content(users, query)


def test_a_matched_record_gone_from_the_current_copy_cannot_be_given(
    users: Any, signal: Signal, sources: Any, load_source: Any
) -> None:
    from tests.research.conftest import VTH_ROWS

    request = ask_content(users, hit_on_vth(users, signal))
    load_source("vth", VTH_ROWS[1:])  # a new snapshot without the matched record
    with pytest.raises(ValidationError, match="no longer in the current copy"):
        services.content_decide(acting=owner(users), request_id=request.pk, approve=True, fields=["date"], reasons="x")


# W4 --------------------------------------------------------------------------------------------


def test_refuses_w4_not_confirmed_with_any_outcome_but_stop(users: Any, signal: Signal, sources: Any) -> None:
    hit_on_vth(users, signal)
    for outcome in ("case", "department", "riec"):
        with pytest.raises(ValidationError, match="only outcome is to stop"):
            services.w4_decide(
                acting=team(users),
                signal_id=signal.pk,
                confirmed=False,
                outcome=outcome,
                departments=["handhaving"],
                reasons="x",
            )
    signal.refresh_from_db()
    assert signal.state == "research"


def test_refuses_to_confirm_without_a_hit(users: Any, new_signal: Any, sources: Any) -> None:
    signal = new_signal("research", subjects=[{"kind": "person", "data": NOBODY}])
    approve_sources(users, signal.pk, ["vth"])
    run(users, signal)
    with pytest.raises(ValidationError, match="without a hit"):
        services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=True, outcome="case", reasons="x")


def test_refuses_w4_from_a_wrong_state(users: Any, new_signal: Any) -> None:
    for state in ("received", "qualified", "department", "riec", "no_action"):
        signal = new_signal(state)
        with pytest.raises(IllegalTransition):
            services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=False, outcome="stop", reasons="x")
    signal = new_signal("research")
    services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=False, outcome="stop", reasons="x")
    with pytest.raises(IllegalTransition):  # twice: the signal left research
        services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=False, outcome="stop", reasons="x")


def test_w4_department_needs_a_department_and_sets_the_lead(users: Any, signal: Signal, sources: Any) -> None:
    hit_on_vth(users, signal)
    with pytest.raises(ValidationError) as caught:
        services.w4_decide(
            acting=team(users), signal_id=signal.pk, confirmed=True, outcome="department", departments=[], reasons=""
        )
    assert set(caught.value.message_dict) == {"departments", "reasons"}
    w4 = services.w4_decide(
        acting=team(users),
        signal_id=signal.pk,
        confirmed=True,
        outcome="department",
        departments=["vergunningen", "handhaving"],
        reasons="Beide afdelingen.",
    )
    signal.refresh_from_db()
    assert signal.state == "department" and signal.handed_to.code == "vergunningen"
    assert w4.status_change.to_state == "department" and w4.status_change.reasons == "Beide afdelingen."
    assert sorted(d.code for d in w4.departments.all()) == ["handhaving", "vergunningen"]


@pytest.mark.parametrize(("outcome", "state"), [("case", "case"), ("riec", "riec"), ("stop", "stopped")])
def test_w4_moves_the_signal_and_tells_later_steps_inside_the_transaction(
    users: Any, signal: Signal, sources: Any, outcome: str, state: str
) -> None:
    hit_on_vth(users, signal)
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        from django.db import connection

        heard.append({**kwargs, "in_transaction": connection.in_atomic_block})
        assert Signal.objects.get(pk=kwargs["w4"].signal.pk).state == state  # saved before it is sent
        assert kwargs["w4"].signal.state == state

    w4_decided.connect(receiver)
    try:
        w4 = services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=True, outcome=outcome, reasons="r")
    finally:
        w4_decided.disconnect(receiver)
    assert heard[0]["w4"] == w4 and heard[0]["acting"].label == "ondermijningsteam" and heard[0]["in_transaction"]
    signal.refresh_from_db()
    assert signal.state == state
    assert AuditEvent.objects.filter(action="research:w4:decide").latest("id").detail["outcome"] == outcome


def test_a_failing_listener_rolls_the_w4_back(users: Any, signal: Signal, sources: Any) -> None:
    hit_on_vth(users, signal)

    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("the case could not be opened")

    w4_decided.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=True, outcome="case", reasons="r")
    finally:
        w4_decided.disconnect(broken)
    signal.refresh_from_db()
    assert signal.state == "research" and not W4.objects.exists()


# Retention -------------------------------------------------------------------------------------


def test_destruction_removes_every_text_and_content_and_keeps_the_tombstone(
    users: Any, signal: Signal, sources: Any
) -> None:
    import time_machine
    from django.utils import timezone

    from weerbaar.accounts.authz import system_actor
    from weerbaar.signals.retention import retention_run

    query = hit_on_vth(users, signal)
    request = ask_content(users, query)
    services.content_decide(acting=owner(users), request_id=request.pk, approve=True, fields=["summary"], reasons="J")
    services.w4_decide(acting=team(users), signal_id=signal.pk, confirmed=True, outcome="stop", reasons="Stop.")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=800)):
        done = retention_run(acting=system_actor("retention"))
    assert [d.signal_id for d in done] == [signal.pk]
    assert PrivacyCheck1.objects.get().reasons is None
    approval = SourceApproval.objects.get()
    assert approval.reasons is None and approval.assessment is None and approval.outcome == "approved"
    query.refresh_from_db()
    assert query.matched_records is None and query.status == "hit" and query.subject is None
    assert ContentRequest.objects.get().reasons is None and ContentDecision.objects.get().reasons is None
    assert ContentAnswer.objects.get().content is None
    assert W4.objects.get().reasons is None and W4.objects.get().outcome == "stop"
    from django.db import connection

    with connection.cursor() as cursor:  # nothing readable is left in any research table
        for model in (PrivacyCheck1, SourceApproval, Query, ContentRequest, ContentDecision, ContentAnswer, W4):
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            dump = str(cursor.fetchall())
            assert "Hennepgeur" not in dump and "Nodig." not in dump and "Besluit over" not in dump, table
    assert services.content_read(acting=team(users), answer_id=ContentAnswer.objects.get().pk).records is None


def test_services_take_keywords_only() -> None:
    import inspect

    for fn in (services.pc1_request, services.pc1_decide, services.run_queries, services.content_request,
               services.content_decide, services.content_read, services.w4_decide):  # fmt: skip
        params = inspect.signature(fn).parameters.values()
        assert all(p.kind == p.KEYWORD_ONLY for p in params), fn.__name__


def test_system_actor_may_drive_the_services_for_demo_data(signal: Signal, sources: Any) -> None:
    from weerbaar.accounts.authz import system_actor

    demo = system_actor("demo")
    pc1 = services.pc1_request(acting=demo, signal_id=signal.pk, source_slugs=["vth"], reasons="Demo.")
    services.pc1_decide(
        acting=demo,
        pc1_id=pc1.pk,
        decisions=[services.SourceDecision(source="vth", outcome="approved", reasons="Demo.", assessment=ASSESSMENT)],
    )
    assert services.run_queries(acting=demo, signal_id=signal.pk).counts == {"hit": 1}
