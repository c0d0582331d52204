# SPDX-License-Identifier: EUPL-1.2
"""Figures for the council and for Woo requests: counts without personal data, small counts hidden.

For signals received in a period:

* **signals by phenomenon and outcome** — one outcome per signal that says how far it went and
  why it stopped: still in intake or weighing, closed (W1), referred (W2), W3 routes a/b/c, in
  research, W4 stop/department/RIEC, case, case closed. A destroyed signal counts with the outcome
  it had before destruction (its tombstone keeps the status history). A signal tagged with two
  phenomena counts in both rows, so the rows and columns add up to their totals as printed.
* **interventions by instrument and outcome** — the interventions of those signals' cases.
* **lead times** — the median number of days of each step (intake → qualification, qualification
  → weighing, research → W4, case → closure).

Every count below :func:`min_count` (default 5, ``WEERBAAR_PUBLICATION_MIN_COUNT``) is hidden,
with complementary suppression so that no hidden count follows from the totals (``suppression``);
a median over fewer signals is not shown. Nothing names a person, citizen or staff member: no
names, usernames, references or free text, only configured labels and counts.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.config import env_int
from weerbaar.governance.files import csv_bytes
from weerbaar.governance.suppression import protect_grid
from weerbaar.signals.models import Phenomenon, Signal, StatusChange
from weerbaar.signals.states import Route, State

#: Counts below this are suppressed unless the setting says otherwise.
DEFAULT_MIN_COUNT = 5
MARKER = "x"
FORMATS = ("csv", "json")
PURPOSE = "publication (council figures, Woo)"


def min_count() -> int:
    """The threshold: ``settings.PUBLICATION_MIN_COUNT`` if set, else the environment variable
    ``WEERBAAR_PUBLICATION_MIN_COUNT``, else 5. Never below 2 (a count of one is a person)."""
    configured = getattr(settings, "PUBLICATION_MIN_COUNT", None)
    if configured is None:
        configured = env_int(
            "WEERBAAR_PUBLICATION_MIN_COUNT",
            DEFAULT_MIN_COUNT,
            "Smallest count shown in publication exports; smaller counts are suppressed (with complements).",
        )
    return max(int(configured), 2)


def outcomes() -> list[tuple[str, str]]:
    """The outcome columns, in the order of the process."""
    return [
        ("open", _("In intake or weighing")),
        ("w1_closed", _("Closed: not undermining (W1)")),
        ("w2_referred", _("Referred to the competent body (W2)")),
        ("w3_no_action", _("W3 (a): no action")),
        ("w3_department", _("W3 (b): department")),
        ("w3_riec", _("W3 (c): RIEC")),
        ("research", _("In source research")),
        ("w4_stop", _("W4: stopped")),
        ("w4_department", _("W4: department")),
        ("w4_riec", _("W4: RIEC")),
        ("case", _("Case in progress")),
        ("case_closed", _("Case closed")),
    ]


def outcome_of(state: str, route: str) -> str:
    if state in (State.RECEIVED, State.QUALIFIED):
        return "open"
    return {
        State.CLOSED: "w1_closed",
        State.REFERRED: "w2_referred",
        State.NO_ACTION: "w3_no_action",
        State.RESEARCH: "research",
        State.STOPPED: "w4_stop",
        State.CASE: "case",
        State.CASE_CLOSED: "case_closed",
        State.DEPARTMENT: "w3_department" if route == Route.DEPARTMENT else "w4_department",
        State.RIEC: "w3_riec" if route == Route.RIEC else "w4_riec",
    }.get(State(state), "open")


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _validate(start: date | None, end: date | None, file_format: str) -> Period:
    errors = {}
    if start is None:
        errors["from"] = _("Give the first day of the period.")
    if end is None:
        errors["to"] = _("Give the last day of the period.")
    if start and end and end < start:
        errors["to"] = _("The period ends before it starts.")
    if file_format not in FORMATS:
        errors["format"] = _("Choose csv or json.")
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None  # nosec B101 - checked above
    return Period(start, end)


def _table(
    name: str,
    title: str,
    unit: str,
    rows: list[tuple[str, str]],
    cols: list[tuple[str, str]],
    counts: Counter[tuple[str, str]],
    k: int,
) -> dict[str, Any]:
    cells = [[counts.get((r, c), 0) for c, _l in cols] for r, _l in rows]
    if not rows or not cols:
        return {"name": name, "title": title, "unit": unit, "columns": [], "rows": [], "column_totals": {}, "total": 0}
    grid, protected = protect_grid(cells, k)
    return {
        "name": name,
        "title": title,
        "unit": unit,
        "columns": [{"key": c, "label": label} for c, label in cols],
        "rows": [
            {
                "key": r,
                "label": label,
                "cells": {c: protected.shown(grid.cell(i, j)) for j, (c, _l) in enumerate(cols)},
                "total": protected.shown(grid.row_total(i)),
            }
            for i, (r, label) in enumerate(rows)
        ],
        "column_totals": {c: protected.shown(grid.column_total(j)) for j, (c, _l) in enumerate(cols)},
        "total": protected.shown(grid.grand_total),
    }


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def _lead_times(signal_ids: list[int], k: int) -> list[dict[str, Any]]:
    """Median days per step over the signals that took it; not shown below ``k`` signals."""
    history: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
    for signal_id, from_state, to_state, at in (
        StatusChange.objects.filter(signal_id__in=signal_ids)
        .order_by("signal_id", "seq")
        .values_list("signal_id", "from_state", "to_state", "at")
    ):
        history[signal_id].append((from_state, to_state, at))
    steps = {
        "qualification": (_("Intake → qualification"), {State.RECEIVED}),
        "weighing": (_("Qualification → weighing (W3)"), {State.QUALIFIED}),
        "research": (_("Research → W4"), {State.RESEARCH}),
        "case": (_("Case → closure"), {State.CASE}),
    }
    durations: dict[str, list[float]] = defaultdict(list)
    for changes in history.values():
        entered: dict[str, datetime] = {}
        done: set[str] = set()
        for from_state, to_state, at in changes:
            for step, (_label, states) in steps.items():
                # The first time the signal left the step's state (a correction may re-enter it).
                if step not in done and from_state in states and from_state in entered:
                    durations[step].append(_days(entered[from_state], at))
                    done.add(step)
            entered.setdefault(to_state, at)
    result = []
    for step, (label, _states) in steps.items():
        values = durations.get(step, [])
        median = round(statistics.median(values), 1) if len(values) >= k else None
        result.append({"step": step, "label": label, "median_days": median})
    return result


def publication_data(period: Period, k: int | None = None) -> dict[str, Any]:
    """The figures for the period, suppressed; no personal data."""
    k = k or min_count()
    signals = list(
        Signal.objects.filter(received_on__gte=period.start, received_on__lte=period.end).values_list(
            "id", "state", "route"
        )
    )
    ids = [pk for pk, _s, _r in signals]
    before_destruction = dict(
        StatusChange.objects.filter(signal_id__in=ids, to_state=State.DESTROYED).values_list("signal_id", "from_state")
    )
    outcome = {
        pk: outcome_of(before_destruction.get(pk, state) if state == State.DESTROYED else state, route)
        for pk, state, route in signals
    }
    through = Signal.phenomena.through
    tags = through.objects.filter(signal_id__in=ids).values_list("signal_id", "phenomenon_id")
    phenomena = {p.pk: p for p in Phenomenon.objects.all()}
    pairs: Counter[tuple[str, str]] = Counter()
    for signal_id, phenomenon_id in tags:
        pairs[(phenomena[phenomenon_id].code, outcome[signal_id])] += 1
    used = {code for code, _o in pairs}
    rows = [(p.code, p.label) for p in phenomena.values() if p.active or p.code in used]
    signal_table = _table(
        "signals_by_phenomenon_and_outcome",
        _("Signals by phenomenon and outcome"),
        _("signals (a signal with several phenomena counts in each)"),
        rows,
        outcomes(),
        pairs,
        k,
    )
    from weerbaar.approach.models import Instrument, Intervention, InterventionOutcome, InterventionState

    columns = [
        (InterventionState.PLANNED.value, str(InterventionState.PLANNED.label)),
        (InterventionState.REFUSED.value, str(InterventionState.REFUSED.label)),
        (InterventionState.RUNNING.value, str(InterventionState.RUNNING.label)),
        *[(o.value, str(o.label)) for o in InterventionOutcome],
    ]
    counts: Counter[tuple[str, str]] = Counter()
    for code, state, result in Intervention.objects.filter(case__signal_id__in=ids).values_list(
        "instrument__code", "state", "outcome"
    ):
        counts[(code, result if state == InterventionState.DONE and result else state)] += 1
    used_instruments = {code for code, _c in counts}
    instruments = [(i.code, i.label) for i in Instrument.objects.all() if i.active or i.code in used_instruments]
    intervention_table = _table(
        "interventions_by_instrument_and_outcome",
        _("Interventions by instrument and outcome"),
        _("interventions"),
        instruments,
        columns,
        counts,
        k,
    )
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "municipality": settings.MUNICIPALITY_NAME,
        "min_count": k,
        "suppressed_marker": MARKER,
        "notes": [
            _(
                "Counts below %d are not shown; some other counts are hidden too, so that none can be worked "
                "out from the totals."
            )
            % k,
            _("A signal counts in the period in which it was received; a destroyed signal with the outcome it had."),
            _("Lead times are medians in days, shown only over at least %d signals.") % k,
        ],
        "tables": [signal_table, intervention_table],
        "lead_times": _lead_times(ids, k),
    }


def _cell(value: int | float | None) -> str:
    return MARKER if value is None else str(value)


def publication_csv(data: dict[str, Any]) -> bytes:
    """Long format: one line per figure (table, row, column, value)."""
    lines: list[list[str]] = []
    for table in data["tables"]:
        for row in table["rows"]:
            for column in table["columns"]:
                lines.append([table["name"], row["label"], column["label"], _cell(row["cells"][column["key"]])])
            lines.append([table["name"], row["label"], _("Total"), _cell(row["total"])])
        for column in table["columns"]:
            lines.append([table["name"], _("Total"), column["label"], _cell(table["column_totals"][column["key"]])])
        lines.append([table["name"], _("Total"), _("Total"), _cell(table["total"])])
    for lead in data["lead_times"]:
        lines.append(["lead_times_median_days", lead["label"], _("Median (days)"), _cell(lead["median_days"])])
    preamble = [
        [_("Period"), data["period"]["from"], data["period"]["to"]],
        [_("Suppressed"), MARKER, *data["notes"]],
    ]
    return csv_bytes([_("table"), _("row"), _("column"), _("value")], lines, preamble=preamble)


def publication_export(
    *, acting: Actor, start: date | None, end: date | None, file_format: str = "json", k: int | None = None
) -> tuple[dict[str, Any], bytes]:
    """The figures of a period as ``csv`` or ``json``; one audit row (no content, no personal data)."""
    period = _validate(start, end, file_format)
    data = publication_data(period, k)
    content = publication_csv(data) if file_format == "csv" else json.dumps(data, ensure_ascii=False, indent=2).encode()
    with transaction.atomic():
        audit(
            acting,
            "governance:publication:export",
            object_type="governance.publication",
            purpose=PURPOSE,
            detail={
                "from": data["period"]["from"],
                "to": data["period"]["to"],
                "format": file_format,
                "k": data["min_count"],
            },
        )
    return data, content
