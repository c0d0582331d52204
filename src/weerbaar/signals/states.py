# SPDX-License-Identifier: EUPL-1.2
"""The protocol's steps 1-2 as an explicit state machine (domain.md §2).

The transition table is the single source of truth: the services refuse anything not in it,
the UI offers only what it allows, and the property test walks it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Received (awaiting qualification)")
    QUALIFIED = "qualified", _("Qualified (awaiting weighing)")
    CLOSED = "closed", _("Closed: not undermining")
    REFERRED = "referred", _("Referred to the competent body")
    NO_ACTION = "no_action", _("No action (kept encrypted, then destroyed)")
    DEPARTMENT = "department", _("Handed to a department")
    RIEC = "riec", _("Handed to the RIEC")
    RESEARCH = "research", _("Source research (step 3)")
    STOPPED = "stopped", _("Stopped after research: not taken into treatment")
    CASE = "case", _("Case: approach (step 4)")
    CASE_CLOSED = "case_closed", _("Case closed: monitoring, then retention")
    DESTROYED = "destroyed", _("Destroyed (tombstone)")


class Route(models.TextChoices):
    """The four outcomes of weighing W3."""

    NO_ACTION = "a", _("(a) No action: not taken into treatment")
    DEPARTMENT = "b", _("(b) Hand to a department that leads")
    RIEC = "c", _("(c) Hand to the RIEC")
    RESEARCH = "d", _("(d) Source research")


ROUTE_TARGET: dict[str, State] = {
    Route.NO_ACTION: State.NO_ACTION,
    Route.DEPARTMENT: State.DEPARTMENT,
    Route.RIEC: State.RIEC,
    Route.RESEARCH: State.RESEARCH,
}

#: (from, to) -> the decision that makes it. Anything else is refused.
TRANSITIONS: dict[tuple[State, State], str] = {
    (State.RECEIVED, State.QUALIFIED): "qualify",
    (State.RECEIVED, State.CLOSED): "qualify",
    (State.RECEIVED, State.REFERRED): "qualify",
    (State.QUALIFIED, State.NO_ACTION): "weigh",
    (State.QUALIFIED, State.DEPARTMENT): "weigh",
    (State.QUALIFIED, State.RIEC): "weigh",
    (State.QUALIFIED, State.RESEARCH): "weigh",
    # A qualification found wrong before weighing is corrected by a new qualification that
    # supersedes the old one (domain.md §2: nothing is edited in place).
    (State.QUALIFIED, State.CLOSED): "correct",
    (State.QUALIFIED, State.REFERRED): "correct",
    (State.CLOSED, State.QUALIFIED): "correct",
    (State.CLOSED, State.REFERRED): "correct",
    (State.REFERRED, State.QUALIFIED): "correct",
    (State.REFERRED, State.CLOSED): "correct",
    # Step 3: W4 decides what the research showed (research app).
    (State.RESEARCH, State.STOPPED): "w4",
    (State.RESEARCH, State.DEPARTMENT): "w4",
    (State.RESEARCH, State.CASE): "w4",
    (State.RESEARCH, State.RIEC): "w4",
    # Step 4: the plan closes when every intervention has an outcome (approach app).
    (State.CASE, State.CASE_CLOSED): "close_case",
    # A case on the RIEC track (W4 -> RIEC) closes the same way when its referral is done.
    (State.RIEC, State.CASE_CLOSED): "close_case",
    (State.NO_ACTION, State.DESTROYED): "destroy",
    (State.STOPPED, State.DESTROYED): "destroy",
    (State.CASE_CLOSED, State.DESTROYED): "destroy",
    # Handed over (W3 b/c, W4): the department or the RIEC leads in its own files; Weerbaar's copy
    # is kept for the municipality's term, then destroyed (an open RIEC-track case pauses the clock).
    (State.DEPARTMENT, State.DESTROYED): "destroy",
    (State.RIEC, State.DESTROYED): "destroy",
    (State.CLOSED, State.DESTROYED): "destroy",
    (State.REFERRED, State.DESTROYED): "destroy",
}

#: States in which a qualification may still be corrected (before W3).
CORRECTABLE_STATES = (State.QUALIFIED, State.CLOSED, State.REFERRED)

#: States whose content the retention job destroys after the term in ``RetentionTerm``.
#: For a closed case the term runs after the monitoring period (see ``approach.services``).
RETAINED_STATES = (
    State.NO_ACTION,
    State.CLOSED,
    State.REFERRED,
    State.STOPPED,
    State.CASE_CLOSED,
    State.DEPARTMENT,
    State.RIEC,
)


class IllegalTransition(Exception):
    """A decision the protocol does not allow from the signal's current state."""

    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        super().__init__(
            _("A signal in state “%(current)s” cannot move to “%(target)s”.")
            % {"current": State(current).label, "target": State(target).label}
        )


class StaleDecision(IllegalTransition):
    """The signal changed state after the user opened the form (someone else decided)."""

    def __init__(self, current: str, expected: str) -> None:
        Exception.__init__(
            self,
            _("Someone else decided on this signal meanwhile (it is now “%(current)s”). Reload the page.")
            % {"current": State(current).label},
        )
        self.current = current
        self.target = expected


def check_transition(current: str, target: str, decision: str) -> None:
    if TRANSITIONS.get((State(current), State(target))) != decision:
        raise IllegalTransition(current, target)


def allowed_decisions(current: str) -> set[str]:
    return {d for (src, _dst), d in TRANSITIONS.items() if src == current}
