# SPDX-License-Identifier: EUPL-1.2
"""The state machine: the table, and a property test that no sequence of decisions escapes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import actor, full_scores
from weerbaar.signals.models import Qualification, Signal, StatusChange, Weighing
from weerbaar.signals.retention import signal_destroy
from weerbaar.signals.services import signal_qualify, signal_weigh
from weerbaar.signals.states import TRANSITIONS, IllegalTransition, State, check_transition


def test_research_is_reachable_only_through_qualification_and_weighing() -> None:
    predecessors = {dst: {src for (src, d) in TRANSITIONS if d == dst} for (_s, dst) in TRANSITIONS}
    assert predecessors[State.RESEARCH] == {State.QUALIFIED}
    # Qualified follows intake, or a corrected closure or referral (never a weighing).
    assert predecessors[State.QUALIFIED] == {State.RECEIVED, State.CLOSED, State.REFERRED}
    assert State.RECEIVED not in predecessors  # nothing goes back to intake


def test_destroyed_is_terminal() -> None:
    assert not [key for key in TRANSITIONS if key[0] == State.DESTROYED]


@pytest.mark.parametrize("current", list(State))
def test_no_state_skips_weighing(current: State) -> None:
    if current != State.QUALIFIED:
        with pytest.raises(IllegalTransition):
            check_transition(current, State.RESEARCH, "weigh")


DECISIONS = st.sampled_from(
    [
        "qualify_yes",
        "qualify_no",
        "qualify_refer",
        "weigh_a",
        "weigh_b",
        "weigh_c",
        "weigh_d",
        "destroy",
        "qualify_bad_w1",
        "correct_yes",
        "correct_no",
    ]
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(DECISIONS, min_size=1, max_size=6))
def test_no_sequence_of_decisions_reaches_a_forbidden_state(steps: list[str], users: Any, new_signal: Any) -> None:
    signal = new_signal("received")
    regisseur = actor(users["regisseur"], "regisseur")
    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    for step in steps:
        try:
            if step.startswith("correct"):
                signal_qualify(
                    acting=regisseur,
                    signal_id=signal.pk,
                    checked_items=["a_business", "s_latent"],
                    w1=step == "correct_yes",
                    w2a=True,
                    w2b=True,
                    reasons="c",
                    correction=True,
                )
            elif step.startswith("qualify"):
                signal_qualify(
                    acting=regisseur,
                    signal_id=signal.pk,
                    checked_items=[] if step == "qualify_bad_w1" else ["a_business", "s_latent"],
                    w1=step != "qualify_no",
                    w2a=step != "qualify_refer",
                    w2b=True,
                    reasons="r",
                    referred_to="Provincie" if step == "qualify_refer" else "",
                )
            elif step.startswith("weigh"):
                signal_weigh(
                    acting=team,
                    signal_id=signal.pk,
                    scores=full_scores(),
                    route=step[-1],
                    reasons="r",
                    department="handhaving",
                )
            else:
                signal_destroy(acting=actor(users["privacyfunctionaris"], "retention"), signal_id=signal.pk)
        except (IllegalTransition, ValidationError):
            pass
        signal.refresh_from_db()
        history = list(StatusChange.objects.filter(signal=signal).order_by("seq"))
        # The history is a path through the table, starting at intake, ending at the current state.
        assert history[0].from_state == "" and history[0].to_state == State.RECEIVED
        for change in history[1:]:
            assert (State(change.from_state), State(change.to_state)) in TRANSITIONS
        assert [c.seq for c in history] == list(range(1, len(history) + 1))
        assert history[-1].to_state == signal.state
        # A W3 outcome always has a weighing and a W1 = yes qualification with local anchoring.
        if signal.state in {State.NO_ACTION, State.DEPARTMENT, State.RIEC, State.RESEARCH}:
            assert Weighing.objects.filter(signal=signal).count() == 1
            q = Qualification.objects.filter(signal=signal, superseded_by__isnull=True).get()
            assert q.w1 and q.w2a and q.w2b and "a_business" in q.checked_items
        if signal.state == State.DESTROYED:
            assert Signal.objects.get(pk=signal.pk).description is None
    Signal.objects.filter(pk=signal.pk).delete()
