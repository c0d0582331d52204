# SPDX-License-Identifier: EUPL-1.2
"""W4 through the research app's own service opens the case (the ``w4_decided`` event), inside
the W4 transaction: W4 → case gives a meeting-track case, W4 → RIEC a RIEC-track case, and the
decider is on the team."""

from __future__ import annotations

from typing import Any

import pytest

from tests.approach.conftest import Research, make_research
from tests.conftest import actor
from weerbaar.approach.models import Case, CaseTrack
from weerbaar.signals.models import Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def researched(new_signal: Any, users: Any) -> Signal:
    """A signal in research with a hit (the research rows are made as in conftest.research)."""
    signal = new_signal("research")
    make_research(signal, users)
    return signal


@pytest.mark.parametrize(("outcome", "track"), [("case", CaseTrack.MEETING), ("riec", CaseTrack.RIEC)])
def test_w4_opens_the_case(researched: Signal, users: Any, outcome: str, track: str) -> None:
    from weerbaar.research.services import w4_decide

    decider = users["ondermijningsteam"]
    w4_decide(
        acting=actor(decider, "ondermijningsteam"),
        signal_id=researched.pk,
        confirmed=True,
        outcome=outcome,
        reasons="De hits bevestigen het signaal.",
    )
    case = Case.objects.get(signal=researched)
    assert case.track == track and list(case.team.all()) == [decider]


def test_w4_stop_opens_no_case(researched: Signal, users: Any) -> None:
    from weerbaar.research.services import w4_decide

    w4_decide(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=researched.pk,
        confirmed=False,
        outcome="stop",
        reasons="Niet bevestigd.",
    )
    assert not Case.objects.filter(signal=researched).exists()


def test_research_fixture_shape(research: Research) -> None:
    assert research.hit.status == "hit"
