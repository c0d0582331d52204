# SPDX-License-Identifier: EUPL-1.2
"""Extension points that let later steps (research, approach, governance) join a signal's life
without the signals app importing them (architecture.md: an app imports only from apps above it).

* **Holds** keep a signal whose term has passed from being destroyed while a later step still
  needs it (an open case on the RIEC track: the signal is "handed to the RIEC", yet the
  municipality's own case is running); the retention run skips it and tries again the next day.
* **Destroyers** run inside the retention transaction of :func:`signals.retention.signal_destroy`:
  each removes its own app's content about the signal (tables, files) and returns the stored file
  names to delete after commit. One failing destroyer rolls the whole destruction back.
* **Timeline providers** add the entries of later steps to the one timeline of a signal (the case
  page), and **action providers** the buttons for what the reader may do next. Both receive the
  request's user and the signal already opened through the audited read; a provider that shows
  content of its own reads it through its own audited selector.

Apps register in ``AppConfig.ready``; the registries are module-level lists, filled once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: ``destroy(signal_id) -> [stored file names to delete after commit]``
Destroyer = Callable[[int], list[str]]
#: ``hold(signal_id) -> reason or None``: a later step still needs the signal (an open case)
RetentionHold = Callable[[int], "str | None"]


@dataclass
class TimelineEntry:
    """One event on a signal's timeline: what happened, when, by whom in which role, and why.

    ``reasons`` is ``None`` when the reader may not see them; ``rows`` are (label, value) pairs
    shown under the entry; ``url`` links to the step's own page."""

    at: datetime
    title: str
    actor_label: str = ""
    role: str = ""
    reasons: str | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""
    step: str = ""


@dataclass(frozen=True)
class Action:
    """A next step the reader may take on the signal (a link to the step's form)."""

    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class QueueRow:
    """One task in the work queue: a reference, a link, what to do, and a due date if any.

    The text names the task, never personal data (the queue is shown at a glance)."""

    reference: str
    url: str
    text: str
    due: Any = None


@dataclass
class QueueSection:
    title: str
    rows: list[QueueRow]
    count: int


TimelineProvider = Callable[[Any, Any], list[TimelineEntry]]
QueueProvider = Callable[[Any], list[QueueSection]]
ActionProvider = Callable[[Any, Any], list[Action]]

DESTROYERS: list[Destroyer] = []
HOLDS: list[RetentionHold] = []
TIMELINE_PROVIDERS: list[TimelineProvider] = []
ACTION_PROVIDERS: list[ActionProvider] = []
QUEUE_PROVIDERS: list[QueueProvider] = []


def register_destroyer(destroyer: Destroyer) -> Destroyer:
    if destroyer not in DESTROYERS:
        DESTROYERS.append(destroyer)
    return destroyer


def register_hold(hold: RetentionHold) -> RetentionHold:
    if hold not in HOLDS:
        HOLDS.append(hold)
    return hold


def retention_hold(signal_id: int) -> str | None:
    """Why the signal may not be destroyed yet (e.g. its RIEC-track case is still open), or None."""
    for hold in HOLDS:
        reason = hold(signal_id)
        if reason:
            return reason
    return None


def register_timeline(provider: TimelineProvider) -> TimelineProvider:
    if provider not in TIMELINE_PROVIDERS:
        TIMELINE_PROVIDERS.append(provider)
    return provider


def register_actions(provider: ActionProvider) -> ActionProvider:
    if provider not in ACTION_PROVIDERS:
        ACTION_PROVIDERS.append(provider)
    return provider


def register_queue(provider: QueueProvider) -> QueueProvider:
    if provider not in QUEUE_PROVIDERS:
        QUEUE_PROVIDERS.append(provider)
    return provider


def queue_sections(user: Any) -> list[QueueSection]:
    return [section for provider in QUEUE_PROVIDERS for section in provider(user) if section.count]


def run_destroyers(signal_id: int) -> list[str]:
    files: list[str] = []
    for destroy in DESTROYERS:
        files.extend(destroy(signal_id))
    return files


def timeline_entries(user: Any, signal: Any) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in TIMELINE_PROVIDERS:
        entries.extend(provider(user, signal))
    return entries


def actions(user: Any, signal: Any) -> list[Action]:
    found: list[Action] = []
    for provider in ACTION_PROVIDERS:
        found.extend(provider(user, signal))
    return found
