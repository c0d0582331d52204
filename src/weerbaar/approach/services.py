# SPDX-License-Identifier: EUPL-1.2
"""Every write of step 4: typed, keyword-only, atomic, with its audit row inside.

Views, the API and the W4 event are thin adapters over these functions. Each takes ``acting``
(who, in which role, from where), validates, locks what it changes, appends a decision row and
one audit row. The callers check the case scope first (``selectors.case_in_scope`` /
``*_get``); the rules of the protocol are checked here, where no door can skip them:

* the case meeting needs a current privacy check 2A (:func:`meeting_record`);
* an intervention starts and proceeds only under an approved, current 2B
  (:func:`intervention_start`, :func:`step_complete`, :func:`intervention_outcome`);
* only the owner department's members of the case team, or a case manager, execute
  (:func:`execution_actor`);
* the plan closes only when every intervention is done or refused (:func:`case_close`);
* a referral holds exactly what 2A (and 2B) allow for the RIEC (:mod:`weerbaar.approach.referral`).

Errors are ``ValidationError`` keyed by field name, or ``PermissionDenied`` for a role that may
never do it; a refused attempt on a protected step is audited as DENIED.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor, role_granting
from weerbaar.accounts.models import Department, User
from weerbaar.accounts.permissions import Perm
from weerbaar.approach.models import (
    Case,
    CaseClosure,
    CaseMeeting,
    CasePolicy,
    CaseState,
    CaseTrack,
    Instrument,
    Intervention,
    InterventionOutcome,
    InterventionState,
    InterventionStep,
    Notification,
    Participant,
    PrivacyCheck2B,
    ShareMatrix,
)
from weerbaar.approach.selectors import current_2b, current_matrix, item_keys
from weerbaar.audit.models import AuditResult
from weerbaar.audit.services import audit
from weerbaar.signals.models import RetentionTerm, Signal
from weerbaar.signals.services import apply_transition
from weerbaar.signals.states import IllegalTransition, State

log = logging.getLogger("weerbaar.approach")

MAX_REASONS = 5000


class Denied(Exception):
    """A protected step refused inside a transaction; audited after the rollback, then raised."""

    def __init__(self, action: str, obj: Any, errors: dict[str, str], reason: str) -> None:
        super().__init__(reason)
        self.action, self.obj, self.errors, self.reason = action, obj, errors, reason


def _denied(acting: Actor, denied: Denied) -> ValidationError:
    audit(
        acting,
        denied.action,
        obj=denied.obj,
        purpose=PURPOSE_EXECUTION,
        result=AuditResult.DENIED,
        detail={"reason": denied.reason},
    )
    return ValidationError(denied.errors)


PURPOSE_EXECUTION = "case handling"


def policy() -> CasePolicy:
    found = CasePolicy.objects.order_by("id").first()
    return found if found is not None else CasePolicy.objects.create()


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _reasons(value: str | None, *, required: bool, field: str = "reasons") -> tuple[str | None, dict[str, str]]:
    text = (value or "").strip()
    if required and not text:
        return None, {field: _("Give the reasons for this decision.")}
    if len(text) > MAX_REASONS:
        return None, {field: _("At most 5,000 characters.")}
    return text or None, {}


def _lock_case(case_id: int) -> Case:
    try:
        return Case.objects.select_for_update().get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise ValidationError({"case": _("This case does not exist.")}) from exc


def _decided(acting: Actor) -> dict[str, Any]:
    return {"actor": acting.user, "actor_label": acting.label, "role": acting.role}


# --- The case ---------------------------------------------------------------------------------


def case_open(*, acting: Actor, signal_id: int, track: str, team: Iterable[User] = ()) -> Case:
    """Open the case of a signal that W4 sent to the case meeting (``meeting``) or the RIEC (``riec``).

    Idempotent: a signal has one case; a second call returns it and adds the team members given.
    Called inside the W4 transaction by the research event, so W4 and the case commit together."""
    if track not in CaseTrack.values:
        raise ValidationError({"track": _("Unknown track.")})
    with transaction.atomic():
        signal = Signal.objects.select_for_update().filter(pk=signal_id).first()
        if signal is None:
            raise ValidationError({"signal": _("This signal does not exist.")})
        expected = State.CASE if track == CaseTrack.MEETING else State.RIEC
        if signal.state != expected:
            raise ValidationError({"signal": _("Only a signal that W4 sent to step 4 or the RIEC gets a case.")})
        case, created = Case.objects.get_or_create(
            signal=signal, defaults={"track": track, "opened_by_label": acting.label, "opened_role": acting.role}
        )
        members = [u for u in team if u is not None]
        if members:
            case.team.add(*members)
        if created:
            audit(
                acting,
                "approach:case:open",
                obj=case,
                purpose=PURPOSE_EXECUTION,
                detail={"signal": signal.pk, "track": track},
            )
    return case


def team_add(*, acting: Actor, case_id: int, user_id: int) -> Case:
    """Add a colleague to the case team (need to know): they may then open the case."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or role_granting(user, Perm.CASE_VIEW) is None:
        raise ValidationError({"user": _("Choose an active colleague whose role may open cases.")})
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        case.team.add(user)
        audit(acting, "approach:team:add", obj=case, purpose=PURPOSE_EXECUTION, detail={"user": user.pk})
    return case


def team_remove(*, acting: Actor, case_id: int, user_id: int) -> Case:
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        members = set(case.team.values_list("pk", flat=True))
        if user_id not in members:
            raise ValidationError({"user": _("This colleague is not on the case team.")})
        if len(members) == 1:
            raise ValidationError({"user": _("A case keeps at least one team member.")})
        case.team.remove(user_id)
        audit(acting, "approach:team:remove", obj=case, purpose=PURPOSE_EXECUTION, detail={"user": user_id})
    return case


def _refuse_when_finished(case: Case) -> None:
    if case.state in (CaseState.CLOSED, CaseState.DESTROYED):
        raise ValidationError({"case": _("This case is closed; it can no longer change.")})


def participant_add(
    *,
    acting: Actor,
    case_id: int,
    organisation: str,
    function: str = "",
    user_id: int | None = None,
    is_riec: bool = False,
) -> Participant:
    """Add a participant of the case meeting: a colleague (user) or an external partner by organisation."""
    errors: dict[str, str] = {}
    user = None
    if user_id is not None:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            errors["user"] = _("Choose an active colleague.")
    organisation = organisation.strip()
    if not organisation:
        if user is not None and user.department is not None:
            organisation = user.department.name
        elif user is not None:
            organisation = str(settings.MUNICIPALITY_NAME)
        else:
            errors["organisation"] = _("Name the organisation (or choose a colleague).")
    if len(organisation) > 120 or len(function) > 120:
        errors["organisation"] = _("At most 120 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        if user is not None and case.participants.filter(user=user).exists():
            raise ValidationError({"user": _("This colleague already takes part.")})
        if is_riec and case.participants.filter(is_riec=True).exists():
            raise ValidationError({"is_riec": _("The case already has a RIEC participant.")})
        participant = Participant.objects.create(
            case=case, user=user, organisation=organisation, function=function.strip(), is_riec=is_riec
        )
        audit(
            acting,
            "approach:participant:add",
            obj=case,
            purpose=PURPOSE_EXECUTION,
            detail={"participant": participant.pk, "user": getattr(user, "pk", None), "is_riec": is_riec},
        )
    return participant


# --- Privacy check 2A and the case meeting ----------------------------------------------------------


def matrix_decide(*, acting: Actor, case_id: int, cells: dict[str, list[int]], reasons: str) -> ShareMatrix:
    """Privacy check 2A: which data item may be shared with which participant (need to know).

    A new matrix supersedes the one in force; items not listed are shared with nobody."""
    text, errors = _reasons(reasons, required=True)
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        keys = item_keys(case)
        participants = set(case.participants.values_list("pk", flat=True))
        clean: dict[str, list[int]] = {}
        for key, ids in cells.items():
            if key not in keys:
                errors["cells"] = _("Unknown data item: %s") % key
                continue
            chosen = sorted({int(i) for i in ids})
            if set(chosen) - participants:
                errors["cells"] = _("Share only with participants of this case.")
                continue
            if chosen:
                clean[key] = chosen
        if errors:
            raise ValidationError(errors)
        previous = current_matrix(case)
        matrix = ShareMatrix.objects.create(
            case=case, cells=clean, supersedes=previous, reasons=text, **_decided(acting)
        )
        audit(
            acting,
            "approach:pc2a:decide",
            obj=matrix,
            purpose="privacy check 2A",
            detail={
                "case": case.pk,
                "cells": sum(len(v) for v in clean.values()),
                "supersedes": getattr(previous, "pk", None),
            },
        )
    return matrix


def meeting_record(*, acting: Actor, case_id: int, held_on: date, attendee_ids: list[int], reasons: str) -> CaseMeeting:
    """Record a case meeting (date, attendees, decisions). Refused without a current 2A: nothing may
    be shared at a meeting before the privacyfunctionaris decided what may be shared with whom."""
    text, errors = _reasons(reasons, required=True)
    if held_on > timezone.localdate():
        errors["held_on"] = _("A meeting is recorded after it was held.")
    if not attendee_ids:
        errors["attendees"] = _("Choose who attended.")
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        matrix = current_matrix(case)
        if matrix is None:
            errors["case"] = _("Privacy check 2A comes first: record the share matrix before the case meeting.")
        attendees = list(case.participants.filter(pk__in=attendee_ids))
        if len(attendees) != len(set(attendee_ids)):
            errors["attendees"] = _("Choose attendees among the participants of this case.")
        if errors or matrix is None:
            raise ValidationError(errors)
        meeting = CaseMeeting.objects.create(
            case=case, held_on=held_on, share_matrix=matrix, reasons=text, **_decided(acting)
        )
        meeting.attendees.set(attendees)
        audit(
            acting,
            "approach:meeting:record",
            obj=meeting,
            purpose=PURPOSE_EXECUTION,
            detail={"case": case.pk, "attendees": len(attendees), "matrix": matrix.pk},
        )
    return meeting


# --- The plan of approach ---------------------------------------------------------------------------


def intervention_plan(
    *, acting: Actor, case_id: int, instrument: str, owner_department: str, reasons: str, meeting_id: int | None = None
) -> Intervention:
    """W5: the case meeting chooses an instrument, owned by a department, with its reasons.

    It waits for privacy check 2B before it can start."""
    text, errors = _reasons(reasons, required=True)
    chosen = Instrument.objects.filter(code=instrument, active=True).first()
    if chosen is None:
        errors["instrument"] = _("Choose an active instrument from the catalogue.")
    department = Department.objects.filter(code=owner_department).first()
    if department is None:
        errors["owner_department"] = _("Choose the department that owns the intervention.")
    with transaction.atomic():
        case = _lock_case(case_id)
        _refuse_when_finished(case)
        meetings = case.meetings.order_by("-held_on", "-id")
        meeting = meetings.filter(pk=meeting_id).first() if meeting_id else meetings.first()
        if meeting is None:
            errors["meeting"] = _("Interventions are chosen at a case meeting: record the meeting first.")
        if errors or chosen is None or department is None:
            raise ValidationError(errors)
        intervention = Intervention.objects.create(
            case=case, meeting=meeting, instrument=chosen, owner_department=department, reasons=text, **_decided(acting)
        )
        if case.state == CaseState.OPEN:
            case.state = CaseState.PLAN
            case.save(update_fields=["state"])
        audit(
            acting,
            "approach:intervention:plan",
            obj=intervention,
            purpose=PURPOSE_EXECUTION,
            detail={"case": case.pk, "instrument": chosen.code, "department": department.code},
        )
    return intervention


def _lock_intervention(intervention_id: int) -> Intervention:
    try:
        return Intervention.objects.select_for_update().select_related("case", "instrument").get(pk=intervention_id)
    except Intervention.DoesNotExist as exc:
        raise ValidationError({"intervention": _("This intervention does not exist.")}) from exc


def check_2b_decide(
    *,
    acting: Actor,
    intervention_id: int,
    exchange: str,
    legal_basis: str,
    allowed: bool,
    shared_items: list[str],
    reasons: str,
) -> PrivacyCheck2B:
    """Privacy check 2B: which exchange the intervention needs, on which sectoral legal basis, and
    whether that law allows it. A refusal stops the intervention (state ``refused``); a later
    approval that supersedes it lets it go on from where it was."""
    text, errors = _reasons(reasons, required=True)
    if not exchange.strip():
        errors["exchange"] = _("Describe the exchange the intervention needs.")
    elif len(exchange) > MAX_REASONS:
        errors["exchange"] = _("At most 5,000 characters.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Name the sectoral legal basis (or the law that forbids it).")
    elif len(legal_basis) > 300:
        errors["legal_basis"] = _("At most 300 characters.")
    with transaction.atomic():
        intervention = _lock_intervention(intervention_id)
        _refuse_when_finished(intervention.case)
        if intervention.state == InterventionState.DONE:
            errors["intervention"] = _("This intervention has its outcome; it needs no new privacy check.")
        keys = item_keys(intervention.case)
        unknown = sorted(set(shared_items) - keys)
        if unknown:
            errors["shared_items"] = _("Unknown data item: %s") % ", ".join(unknown)
        if not allowed and shared_items:
            errors["shared_items"] = _("A refused exchange shares nothing.")
        if errors:
            raise ValidationError(errors)
        previous = current_2b(intervention)
        check = PrivacyCheck2B.objects.create(
            intervention=intervention,
            exchange=exchange.strip(),
            legal_basis=legal_basis.strip(),
            allowed=allowed,
            shared_items=sorted(set(shared_items)),
            supersedes=previous,
            reasons=text,
            **_decided(acting),
        )
        if not allowed:
            intervention.state = InterventionState.REFUSED
        elif intervention.state == InterventionState.REFUSED:
            intervention.state = InterventionState.RUNNING if intervention.started_on else InterventionState.PLANNED
        intervention.save(update_fields=["state"])
        audit(
            acting,
            "approach:pc2b:decide",
            obj=check,
            purpose="privacy check 2B",
            detail={"intervention": intervention.pk, "allowed": allowed, "items": len(check.shared_items)},
        )
    return check


def may_execute(user: Any, intervention: Intervention) -> str | None:
    """The role under which ``user`` may execute the intervention, or ``None``: a case manager, or a
    member of the owner department who is on the case team and holds ``approach:intervention:execute``."""
    role = role_granting(user, Perm.CASE_MANAGE)
    if role is not None:
        return role
    execute = role_granting(user, Perm.INTERVENTION_EXECUTE)
    if (
        execute is not None
        and getattr(user, "department_id", None) == intervention.owner_department_id
        and intervention.case.team.filter(pk=user.pk).exists()
    ):
        return execute
    return None


def execution_actor(*, user: Any, intervention: Intervention, origin: str) -> Actor:
    """The acting user for an execution step, or refuse (403) and audit the refusal."""
    role = may_execute(user, intervention)
    if role is None:
        audit(
            Actor(user=user, role="-", origin=origin),
            "approach:intervention:execute",
            obj=intervention,
            purpose=PURPOSE_EXECUTION,
            result=AuditResult.DENIED,
            detail={"reason": "not the owner department or a case manager"},
        )
        raise PermissionDenied(
            _("Only the owner department on the case team, or a case manager, executes this intervention.")
        )
    return Actor(user=user, role=role, origin=origin)


def _check_executor(acting: Actor, intervention_id: int) -> None:
    """Defence in depth: the service itself refuses an executor the rules do not allow (audited),
    whichever door called it. The system (no user) is not an executor."""
    intervention = Intervention.objects.filter(pk=intervention_id).select_related("case").first()
    if intervention is None:
        raise ValidationError({"intervention": _("This intervention does not exist.")})
    execution_actor(user=acting.user, intervention=intervention, origin=acting.origin)


def _require_2b(intervention: Intervention, action: str) -> None:
    """Raise :class:`Denied` unless the current 2B approves the intervention."""
    check = current_2b(intervention)
    if check is None:
        raise Denied(
            action,
            intervention,
            {"intervention": _("Privacy check 2B comes first: this intervention has none yet.")},
            "no 2B",
        )
    if not check.allowed or intervention.state == InterventionState.REFUSED:
        raise Denied(
            action,
            intervention,
            {
                "intervention": _(
                    "Privacy check 2B refused the exchange this intervention needs: it cannot start or proceed."
                )
            },
            "2B refused",
        )


def due_dates(intervention: Intervention, start: date) -> dict[int, date | None]:
    """The due date of every open step: ``deadline_days`` after the completion of the step it
    counts from (``deadline_from``, else the previous step; the start for the first step). An open
    step's expected completion is its due date, or the date it counts from when it has none."""
    expected: dict[str, date] = {}
    previous = start
    result: dict[int, date | None] = {}
    for row in intervention.steps.select_related("step").order_by("step__order"):
        if row.done_at is not None:
            done = timezone.localdate(row.done_at)
            expected[row.step.code] = previous = done
            continue
        base = expected.get(row.step.deadline_from, previous) if row.step.deadline_from else previous
        due = base + timedelta(days=row.step.deadline_days) if row.step.deadline_days is not None else None
        result[row.pk] = due
        expected[row.step.code] = previous = due or base
    return result


def _recompute(intervention: Intervention) -> None:
    start = intervention.started_on or timezone.localdate()
    for step_id, due in due_dates(intervention, start).items():
        InterventionStep.objects.filter(pk=step_id).exclude(due_on=due).update(due_on=due)


def intervention_start(*, acting: Actor, intervention_id: int) -> Intervention:
    """Start an approved intervention: its steps come from the instrument's procedure, each with a
    due date computed from the catalogue's legal deadlines."""
    _check_executor(acting, intervention_id)
    try:
        with transaction.atomic():
            intervention = _lock_intervention(intervention_id)
            _refuse_when_finished(intervention.case)
            _require_2b(intervention, "approach:intervention:start")
            if intervention.state != InterventionState.PLANNED:
                raise ValidationError({"intervention": _("This intervention has already started.")})
            intervention.state = InterventionState.RUNNING
            intervention.started_on = timezone.localdate()
            intervention.save(update_fields=["state", "started_on"])
            InterventionStep.objects.bulk_create(
                [
                    InterventionStep(intervention=intervention, step=step)
                    for step in intervention.instrument.steps.order_by("order")
                ]
            )
            _recompute(intervention)
            audit(
                acting,
                "approach:intervention:start",
                obj=intervention,
                purpose=PURPOSE_EXECUTION,
                detail={"steps": intervention.steps.count()},
            )
    except Denied as denied:
        raise _denied(acting, denied) from denied
    return intervention


def step_complete(*, acting: Actor, step_id: int, notes: str = "") -> InterventionStep:
    """Complete the next open procedure step (in order), with notes; the due dates of the steps
    after it are recomputed from this completion."""
    text, errors = _reasons(notes, required=False, field="notes")
    if errors:
        raise ValidationError(errors)
    found = InterventionStep.objects.filter(pk=step_id).values_list("intervention_id", flat=True).first()
    if found is None:
        raise ValidationError({"step": _("This step does not exist.")})
    _check_executor(acting, found)
    try:
        with transaction.atomic():
            row = InterventionStep.objects.select_related("step").get(pk=step_id)
            intervention = _lock_intervention(row.intervention_id)
            _refuse_when_finished(intervention.case)
            _require_2b(intervention, "approach:step:complete")
            if intervention.state != InterventionState.RUNNING:
                raise ValidationError({"step": _("Only a running intervention's steps can be completed.")})
            row.refresh_from_db()
            if row.done_at is not None:
                raise ValidationError({"step": _("This step is already done.")})
            first_open = intervention.steps.filter(done_at__isnull=True).order_by("step__order").first()
            if first_open is None or first_open.pk != row.pk:
                raise ValidationError({"step": _("Complete the steps in their order: an earlier step is still open.")})
            row.done_at = timezone.now()
            row.done_by = acting.user
            row.done_by_label = acting.label
            row.done_role = acting.role
            row.notes = text
            row.save(update_fields=["done_at", "done_by", "done_by_label", "done_role", "notes"])
            _recompute(intervention)
            audit(
                acting,
                "approach:step:complete",
                obj=row,
                purpose=PURPOSE_EXECUTION,
                detail={"intervention": intervention.pk, "step": row.step.code},
            )
    except Denied as denied:
        raise _denied(acting, denied) from denied
    return row


def intervention_outcome(*, acting: Actor, intervention_id: int, outcome: str, notes: str) -> Intervention:
    """Record the outcome of a running intervention: it is done (open steps are no longer due)."""
    text, errors = _reasons(notes, required=True, field="notes")
    if outcome not in InterventionOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if errors:
        raise ValidationError(errors)
    _check_executor(acting, intervention_id)
    try:
        with transaction.atomic():
            intervention = _lock_intervention(intervention_id)
            _refuse_when_finished(intervention.case)
            _require_2b(intervention, "approach:intervention:outcome")
            if intervention.state != InterventionState.RUNNING:
                raise ValidationError({"intervention": _("Only a running intervention gets an outcome.")})
            intervention.state = InterventionState.DONE
            intervention.outcome = outcome
            intervention.outcome_at = timezone.now()
            intervention.outcome_notes = text
            intervention.outcome_by = acting.user
            intervention.outcome_by_label = acting.label
            intervention.outcome_role = acting.role
            intervention.save(
                update_fields=[
                    "state",
                    "outcome",
                    "outcome_at",
                    "outcome_notes",
                    "outcome_by",
                    "outcome_by_label",
                    "outcome_role",
                ]
            )
            audit(
                acting,
                "approach:intervention:outcome",
                obj=intervention,
                purpose=PURPOSE_EXECUTION,
                detail={"outcome": outcome},
            )
    except Denied as denied:
        raise _denied(acting, denied) from denied
    return intervention


# --- Closing ------------------------------------------------------------------------------------------


def case_close(*, acting: Actor, case_id: int, reasons: str = "") -> Case:
    """Close the plan when every intervention is done or refused (at least one done, or reasons
    when none is): the signal moves to ``case_closed``, monitoring runs, then retention."""
    text, errors = _reasons(reasons, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_case(case_id)
        if case.state != CaseState.PLAN and case.state != CaseState.OPEN:
            raise ValidationError({"case": _("This case is already closed.")})
        states = list(case.interventions.values_list("state", flat=True))
        open_count = sum(1 for s in states if s not in (InterventionState.DONE, InterventionState.REFUSED))
        if open_count:
            raise ValidationError(
                {
                    "case": _("%(n)d intervention(s) still open: record an outcome (or a refused 2B) for each first.")
                    % {"n": open_count}
                }
            )
        if InterventionState.DONE not in states and not text:
            raise ValidationError({"reasons": _("No intervention has an outcome: explain why the case closes.")})
        signal = Signal.objects.select_for_update().get(pk=case.signal_id)
        try:
            change = apply_transition(signal, State.CASE_CLOSED, "close_case", acting, text)
        except IllegalTransition as exc:
            raise ValidationError({"case": str(exc)}) from exc
        today = timezone.localdate()
        case_policy = policy()
        case.monitoring_until = add_months(today, case_policy.monitoring_months)
        term = RetentionTerm.objects.filter(state=State.CASE_CLOSED).values_list("months", flat=True).first()
        months = term if term is not None else case_policy.retention_months
        # The retention clock starts after monitoring (ADR 0008), not at closure as apply_transition set.
        signal.destroy_after = add_months(case.monitoring_until, months)
        signal.save(update_fields=["state", "state_changed_at", "destroy_after"])
        CaseClosure.objects.create(case=case, status_change=change, reasons=text, **_decided(acting))
        case.state = CaseState.CLOSED
        case.closed_at = timezone.now()
        case.save(update_fields=["state", "closed_at", "monitoring_until"])
        audit(
            acting,
            "approach:case:close",
            obj=case,
            purpose=PURPOSE_EXECUTION,
            detail={
                "signal": signal.pk,
                "monitoring_until": case.monitoring_until.isoformat(),
                "destroy_after": signal.destroy_after.isoformat(),
            },
        )
    return case


# --- Deadline warnings ------------------------------------------------------------------------------


def warn_deadlines(*, acting: Actor, today: date | None = None) -> int:
    """Warn about procedure steps due within the policy's warning days, once per step.

    A notification per recipient (the owner department's members of the case team and the case
    team's case managers), also sent by e-mail. The message carries references and dates only,
    never personal data. Returns the number of steps warned."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=policy().warn_days_before)
    mails: list[tuple[str, str, str]] = []
    warned = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        due = (
            InterventionStep.objects.select_for_update()
            .filter(
                done_at__isnull=True,
                warned_at__isnull=True,
                due_on__isnull=False,
                due_on__lte=horizon,
                intervention__state=InterventionState.RUNNING,
            )
            .select_related("step", "intervention", "intervention__instrument", "intervention__case")
            .order_by("due_on", "id")
        )
        for row in due:
            intervention = row.intervention
            case = intervention.case
            recipients = [
                u
                for u in case.team.filter(is_active=True)
                if u.department_id == intervention.owner_department_id or role_granting(u, Perm.CASE_MANAGE)
            ]
            message = _(
                "Deadline %(due)s: step “%(step)s” of intervention %(intervention)s (%(instrument)s) in case %(case)s."
            ) % {
                "due": date_format(row.due_on) if row.due_on else "",
                "step": row.step.label_nl,
                "intervention": intervention_reference(intervention),
                "instrument": intervention.instrument.label_nl,
                "case": case.reference,
            }
            Notification.objects.bulk_create(
                [Notification(user=u, case=case, step=row, message=message[:300]) for u in recipients]
            )
            row.warned_at = timezone.now()
            row.save(update_fields=["warned_at"])
            audit(
                acting,
                "approach:deadline:warn",
                obj=row,
                purpose="deadline warning",
                detail={
                    "case": case.pk,
                    "recipients": len(recipients),
                    "due_on": row.due_on.isoformat() if row.due_on else None,
                },
            )
            mails.extend(
                (u.email, _("Weerbaar: deadline in case %s") % case.reference, message) for u in recipients if u.email
            )
            warned += 1
    for address, subject, body in mails:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # a mail server down must not undo the warning in the work queue
            log.exception("deadline warning e-mail failed")
    return warned


def intervention_reference(intervention: Intervention) -> str:
    return f"M-{intervention.pk:06d}"


def notification_read(*, user: Any, notification_id: int) -> bool:
    """Mark one of the user's own notifications as read (someone else's is not found)."""
    return bool(
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(read_at=timezone.now())
    )
