# SPDX-License-Identifier: EUPL-1.2
"""Step 4 joins a signal's life through ``signals.hooks`` (ADR 0008): its entries on the one
timeline, the next steps as buttons, tasks in the work queue, and its part of destruction.

Timeline entries and actions are shown only to those who may open the case (its team, or
``approach:case:read-all``): a signal reader outside the team sees the signal, not the case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor, has_perm
from weerbaar.accounts.permissions import Perm
from weerbaar.approach.models import (
    Case,
    CaseClosure,
    CaseMeeting,
    CaseState,
    Intervention,
    InterventionState,
    InterventionStep,
    Notification,
    Participant,
    PrivacyCheck2B,
    Referral,
    ReferralEvent,
    ShareMatrix,
)
from weerbaar.approach.selectors import case_scope, current_matrix, notifications_for, view_role
from weerbaar.audit.services import audit
from weerbaar.signals.hooks import Action, QueueRow, QueueSection, TimelineEntry


def _case_for(user: Any, signal: Any) -> Case | None:
    return case_scope(user).filter(signal_id=signal.pk).first()


def timeline(user: Any, signal: Any) -> list[TimelineEntry]:
    """Case opened, 2A, meetings, interventions with 2B, steps and outcomes, referral events, closure."""
    case = _case_for(user, signal)
    if case is None:
        return []
    # The entries carry the case's reasons (meeting, 2A/2B, outcomes): showing them is a read of the
    # case, logged as such, not only as the read of the signal whose page shows them.
    audit(
        Actor(user=user, role=view_role(user), origin="signal page"),
        "approach:case:read",
        obj=case,
        purpose="case timeline on the signal page",
    )
    url = reverse("approach:case", args=[case.pk])
    entries = [
        TimelineEntry(
            at=case.opened_at,
            title=_("Case %(ref)s opened (%(track)s)") % {"ref": case.reference, "track": case.get_track_display()},
            actor_label=case.opened_by_label,
            role=case.opened_role,
            url=url,
            step="approach",
        )
    ]
    for m in ShareMatrix.objects.filter(case=case):
        entries.append(
            TimelineEntry(
                at=m.at,
                title=_("Privacy check 2A: share matrix")
                if not m.supersedes_id
                else _("Privacy check 2A: new share matrix"),
                actor_label=m.actor_label,
                role=m.role,
                reasons=m.reasons,
                rows=[(_("Items shared"), str(len(m.cells or {})))],
                url=url,
                step="approach",
            )
        )
    for meeting in CaseMeeting.objects.filter(case=case).prefetch_related("attendees"):
        entries.append(
            TimelineEntry(
                at=meeting.at,
                title=_("Case meeting of %s") % date_format(meeting.held_on),
                actor_label=meeting.actor_label,
                role=meeting.role,
                reasons=meeting.reasons,
                rows=[(_("Attendees"), ", ".join(p.label for p in meeting.attendees.all()))],
                url=url,
                step="approach",
            )
        )
    for i in Intervention.objects.filter(case=case).select_related("instrument", "owner_department"):
        entries.append(
            TimelineEntry(
                at=i.at,
                title=_("Intervention chosen: %s") % i.instrument.label,
                actor_label=i.actor_label,
                role=i.role,
                reasons=i.reasons,
                rows=[(_("Owner department"), str(i.owner_department))],
                url=url,
                step="approach",
            )
        )
        if i.outcome_at:
            entries.append(
                TimelineEntry(
                    at=i.outcome_at,
                    title=_("Outcome of %(instrument)s: %(outcome)s")
                    % {"instrument": i.instrument.label, "outcome": i.get_outcome_display()},
                    actor_label=i.outcome_by_label,
                    role=i.outcome_role,
                    reasons=i.outcome_notes,
                    url=url,
                    step="approach",
                )
            )
    for check in PrivacyCheck2B.objects.filter(intervention__case=case).select_related("intervention__instrument"):
        entries.append(
            TimelineEntry(
                at=check.at,
                title=(_("Privacy check 2B allowed: %s") if check.allowed else _("Privacy check 2B refused: %s"))
                % check.intervention.instrument.label,
                actor_label=check.actor_label,
                role=check.role,
                reasons=check.reasons,
                rows=[(_("Sectoral legal basis"), check.legal_basis)],
                url=url,
                step="approach",
            )
        )
    for row in InterventionStep.objects.filter(intervention__case=case, done_at__isnull=False).select_related(
        "step", "intervention__instrument"
    ):
        entries.append(
            TimelineEntry(
                at=row.done_at or case.opened_at,
                title=_("Step done: %(step)s (%(instrument)s)")
                % {"step": row.step.label, "instrument": row.intervention.instrument.label},
                actor_label=row.done_by_label,
                role=row.done_role,
                reasons=row.notes,
                url=url,
                step="approach",
            )
        )
    for referral in Referral.objects.filter(case=case):
        entries.append(
            TimelineEntry(
                at=referral.at,
                title=_("RIEC referral package made"),
                actor_label=referral.actor_label,
                role=referral.role,
                reasons=referral.reasons,
                url=url,
                step="approach",
            )
        )
    for event in ReferralEvent.objects.filter(referral__case=case):
        entries.append(
            TimelineEntry(
                at=event.at,
                title=_("RIEC referral: %s") % event.get_status_display(),
                actor_label=event.actor_label,
                role=event.role,
                reasons=event.reasons,
                url=url,
                step="approach",
            )
        )
    closure = CaseClosure.objects.filter(case=case).first()
    if closure is not None:
        entries.append(
            TimelineEntry(
                at=closure.at,
                title=_("Plan of approach closed; monitoring until %s")
                % (date_format(case.monitoring_until) if case.monitoring_until else "—"),
                actor_label=closure.actor_label,
                role=closure.role,
                # the reasons are on the status change to "case closed" (the same timeline): shown once
                reasons=None if closure.status_change_id else closure.reasons,
                url=url,
                step="approach",
            )
        )
    return entries


def actions(user: Any, signal: Any) -> list[Action]:
    """The next steps on the signal page for a reader who may open its case."""
    case = _case_for(user, signal)
    if case is None:
        if Participant.objects.filter(case__signal_id=signal.pk, user=user).exists():
            case_id = Case.objects.filter(signal_id=signal.pk).values_list("pk", flat=True).first()
            return [Action(_("Case meeting view"), reverse("approach:meeting", args=[case_id]))]
        return []
    found = [Action(_("Open case %s") % case.reference, reverse("approach:case", args=[case.pk]), primary=True)]
    if case.state in (CaseState.CLOSED, CaseState.DESTROYED):
        return found
    if has_perm(user, Perm.PC2_DECIDE) and (current_matrix(case) is None or case.state == CaseState.OPEN):
        found.append(Action(_("Privacy check 2A"), reverse("approach:matrix", args=[case.pk])))
    if has_perm(user, Perm.CASE_MANAGE) and current_matrix(case) is not None:
        found.append(Action(_("Record the case meeting"), reverse("approach:meeting_record", args=[case.pk])))
    if has_perm(user, Perm.REFERRAL_MANAGE) and case.participants.filter(is_riec=True).exists():
        found.append(Action(_("RIEC referral"), reverse("approach:referral_create", args=[case.pk])))
    return found


def queue(user: Any) -> list[QueueSection]:
    """Work-queue sections: unread deadline warnings, 2A to decide, 2B to decide."""
    sections: list[QueueSection] = []
    unread = notifications_for(user, unread_only=True)
    count = unread.count()
    if count:
        sections.append(
            QueueSection(
                title=_("Deadline warnings"),
                rows=[
                    QueueRow(
                        reference=n.case.reference if n.case else "—",
                        url=reverse("approach:notifications"),
                        text=n.message,
                        due=None,
                    )
                    for n in unread[:20]
                ],
                count=count,
            )
        )
    if has_perm(user, Perm.PC2_DECIDE):
        open_cases = case_scope(user).filter(state__in=[CaseState.OPEN, CaseState.PLAN])
        needs_2a = open_cases.filter(share_matrices__isnull=True).order_by("opened_at")
        sections.append(
            QueueSection(
                title=_("Privacy check 2A to decide"),
                rows=[
                    QueueRow(
                        c.reference, reverse("approach:matrix", args=[c.pk]), _("Decide what may be shared with whom")
                    )
                    for c in needs_2a[:20]
                ],
                count=needs_2a.count(),
            )
        )
        needs_2b = Intervention.objects.filter(
            case__in=open_cases, state=InterventionState.PLANNED, checks_2b__isnull=True
        ).select_related("case", "instrument")
        sections.append(
            QueueSection(
                title=_("Privacy check 2B to decide"),
                rows=[
                    QueueRow(i.case.reference, reverse("approach:check_2b", args=[i.pk]), i.instrument.label)
                    for i in needs_2b.order_by("at")[:20]
                ],
                count=needs_2b.count(),
            )
        )
    return sections


def hold(signal_id: int) -> str | None:
    """Retention waits while the signal's case is open: a RIEC-track case leaves its signal in the
    retained state ``riec``, yet the municipality's own approach still needs it."""
    if Case.objects.filter(signal_id=signal_id, state__in=[CaseState.OPEN, CaseState.PLAN]).exists():
        return "open case"
    return None


def destroy(signal_id: int) -> list[str]:
    """Destroy the content of the signal's case rows (retention); references, dates, states and
    outcomes stay as the tombstone. Runs inside the retention transaction; stores no files."""
    case = Case.objects.filter(signal_id=signal_id).first()
    if case is None:
        return []
    ShareMatrix.objects.filter(case=case).update(reasons=None)
    CaseMeeting.objects.filter(case=case).update(reasons=None)
    Intervention.objects.filter(case=case).update(reasons=None, outcome_notes=None)
    PrivacyCheck2B.objects.filter(intervention__case=case).update(reasons=None, exchange=None)
    InterventionStep.objects.filter(intervention__case=case).update(notes=None)
    Referral.objects.filter(case=case).update(reasons=None, package=None)
    ReferralEvent.objects.filter(referral__case=case).update(reasons=None)
    CaseClosure.objects.filter(case=case).update(reasons=None)
    Participant.objects.filter(case=case).update(organisation="", function="")
    Notification.objects.filter(Q(case=case) | Q(step__intervention__case=case)).delete()
    Case.objects.filter(pk=case.pk).update(state=CaseState.DESTROYED, destroyed_at=timezone.now())
    return []
