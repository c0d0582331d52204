# SPDX-License-Identifier: EUPL-1.2
"""Web views of step 4 (thin adapters over approach.services / approach.selectors).

Every view declares its permission with ``@requires``; every view that names a case (or an
intervention, step or referral of one) opens it through the case scope first, so an id outside
the user's need to know is "not found" (and audited) before any rule is looked at.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.authz import Actor, has_perm, origin_of
from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm
from weerbaar.approach import forms, referral, selectors, services
from weerbaar.approach.models import (
    Case,
    CaseState,
    Instrument,
    Intervention,
    InterventionState,
    Referral,
    ReferralStatus,
)


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put service errors beside the fields they name; others at the top of the form."""
    for name, messages_ in error.message_dict.items():
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def _case(request: HttpRequest, case_id: int, *, audited: bool = False) -> Case:
    return selectors.case_get(user=request.user, case_id=case_id, origin=origin_of(request), audited=audited)


def _form_page(
    request: HttpRequest, *, case: Case, form: Any, title: str, intro: str = "", submit: str = "", extra: Any = None
) -> HttpResponse:
    return render(
        request,
        "approach/form.html",
        {"case": case, "form": form, "title": title, "intro": intro, "submit": submit or _("Record"), "extra": extra},
    )


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("approach:case", args=[case.pk]))


# --- Lists and the case page ----------------------------------------------------------------------


@requires(Perm.CASE_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in CaseState.values else ""
    cases = selectors.case_list(request.user, state=state, q=request.GET.get("q", ""))
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    openable = set(selectors.case_scope(request.user).filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
    return render(
        request,
        "approach/case_list.html",
        {
            "page": page,
            "openable": openable,
            "states": CaseState.choices,
            "state": state,
            "q": request.GET.get("q", ""),
        },
    )


@requires(Perm.CASE_VIEW)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, audited=True)
    user = request.user
    matrix = selectors.current_matrix(case)
    participants = list(case.participants.select_related("user"))
    by_id = {p.pk: p for p in participants}
    items = selectors.case_items(case)
    shared = [
        (item, [by_id[i] for i in (matrix.cells or {}).get(item.key, []) if i in by_id] if matrix else [])
        for item in items
    ]
    interventions: list[dict[str, Any]] = []
    for i in case.interventions.select_related("instrument", "owner_department", "meeting").prefetch_related(
        "steps__step"
    ):
        interventions.append(
            {
                "obj": i,
                "reference": services.intervention_reference(i),
                "check": selectors.current_2b(i),
                "steps": list(i.steps.all()),
                "next_step": next((s for s in i.steps.all() if s.done_at is None), None),
                "can_execute": services.may_execute(user, i) is not None,
            }
        )
    open_interventions = [
        i for i in interventions if i["obj"].state not in (InterventionState.DONE, InterventionState.REFUSED)
    ]
    active = case.state in (CaseState.OPEN, CaseState.PLAN)
    return render(
        request,
        "approach/case_detail.html",
        {
            "case": case,
            "signal": case.signal,
            "team": case.team.select_related("department").order_by("username"),
            "participants": participants,
            "matrix": matrix,
            "matrix_count": case.share_matrices.count(),
            "shared": shared,
            "meetings": case.meetings.prefetch_related("attendees").order_by("held_on", "id"),
            "interventions": interventions,
            "referrals": case.referrals.prefetch_related("events").order_by("at"),
            "closure": getattr(case, "closure", None),
            "active": active,
            "can_manage": active and has_perm(user, Perm.CASE_MANAGE),
            "can_pc2": active and has_perm(user, Perm.PC2_DECIDE),
            "can_refer": active and has_perm(user, Perm.REFERRAL_MANAGE),
            "can_close": active and has_perm(user, Perm.CASE_MANAGE) and not open_interventions,
            "is_participant": any(p.user_id == user.pk for p in participants),
            "perms_referral": has_perm(user, Perm.REFERRAL_MANAGE),
        },
    )


@requires(Perm.CASE_VIEW)
def meeting(request: HttpRequest, case_id: int) -> HttpResponse:
    view = selectors.meeting_view(user=request.user, case_id=case_id, origin=origin_of(request))
    in_scope = selectors.case_scope(request.user).filter(pk=case_id).exists()
    return render(request, "approach/meeting.html", {"view": view, "case": view.case, "in_scope": in_scope})


@requires(Perm.CASE_VIEW)
def instruments(request: HttpRequest) -> HttpResponse:
    """The catalogue: configuration, no personal data, so not an audited read."""
    catalogue = Instrument.objects.prefetch_related("steps").order_by("order", "code")
    return render(request, "approach/instruments.html", {"instruments": catalogue})


@requires(Perm.CASE_VIEW)
def notifications(request: HttpRequest) -> HttpResponse:
    rows = selectors.notifications_for(request.user)[:200]
    return render(request, "approach/notifications.html", {"notifications": rows})


@requires(Perm.CASE_VIEW)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if not services.notification_read(user=request.user, notification_id=notification_id):
        raise Http404("No such notification")
    return HttpResponseRedirect(reverse("approach:notifications"))


# --- Team and participants ------------------------------------------------------------------------------


@requires(Perm.CASE_MANAGE)
def team(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            apply = services.team_add if form.cleaned_data["action"] == "add" else services.team_remove
            apply(acting=request.actor, case_id=case.pk, user_id=form.cleaned_data["user"].pk)  # type: ignore[attr-defined]
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("The case team has been changed."))
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Case team"),
        intro=_("Who is on the team may open the case (need to know)."),
    )


@requires(Perm.CASE_MANAGE)
def participant_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                acting=request.actor,  # type: ignore[attr-defined]
                case_id=case.pk,
                organisation=data["organisation"],
                function=data["function"],
                user_id=data["user"].pk if data["user"] else None,
                is_riec=data["is_riec"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("The participant has been added."))
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Add a participant"),
        intro=_("Participants of the case meeting see only what privacy check 2A shares with them."),
    )


# --- Privacy check 2A and the meeting ---------------------------------------------------------------------


@requires(Perm.PC2_DECIDE)
def matrix(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    current = selectors.current_matrix(case)
    participants = list(case.participants.order_by("id"))
    form = forms.MatrixForm(
        request.POST or None,
        items=selectors.case_items(case),
        participants=participants,
        cells=(current.cells if current else {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.matrix_decide(
                acting=request.actor,  # type: ignore[attr-defined]
                case_id=case.pk,
                cells=form.cells(),
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("Privacy check 2A has been recorded."))
    return render(
        request, "approach/matrix.html", {"case": case, "form": form, "current": current, "participants": participants}
    )


@requires(Perm.CASE_MANAGE)
def meeting_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.MeetingForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                acting=request.actor,  # type: ignore[attr-defined]
                case_id=case.pk,
                held_on=form.cleaned_data["held_on"],
                attendee_ids=[int(i) for i in form.cleaned_data["attendees"]],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("The case meeting has been recorded."))
    intro = (
        ""
        if selectors.current_matrix(case)
        else _("Privacy check 2A comes first: record the share matrix before the case meeting.")
    )
    return _form_page(request, case=case, form=form, title=_("Record the case meeting"), intro=intro)


# --- The plan ------------------------------------------------------------------------------------------------


@requires(Perm.CASE_MANAGE)
def intervention_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_plan(
                acting=request.actor,  # type: ignore[attr-defined]
                case_id=case.pk,
                instrument=form.cleaned_data["instrument"],
                owner_department=form.cleaned_data["owner_department"].code,
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("The intervention has been added to the plan."))
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Plan of approach: choose an intervention (W5)"),
        intro=_("The intervention waits for privacy check 2B before it can start."),
    )


def _intervention(request: HttpRequest, intervention_id: int) -> Intervention:
    return selectors.intervention_get(user=request.user, intervention_id=intervention_id, origin=origin_of(request))


@requires(Perm.PC2_DECIDE)
def check_2b(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention(request, intervention_id)
    case = intervention.case
    form = forms.Check2BForm(request.POST or None, items=selectors.case_items(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_2b_decide(
                acting=request.actor,  # type: ignore[attr-defined]
                intervention_id=intervention.pk,
                exchange=data["exchange"],
                legal_basis=data["legal_basis"],
                allowed=data["allowed"],
                shared_items=list(data["shared_items"]),
                reasons=data["reasons"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("Privacy check 2B has been recorded."))
    instrument = intervention.instrument
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Privacy check 2B: %s") % instrument.label,
        intro=_("Typical exchange for this instrument: %s")
        % (instrument.exchange_en if request.LANGUAGE_CODE == "en" else instrument.exchange_nl),
    )


def _execution(request: HttpRequest, intervention: Intervention) -> Actor:
    return services.execution_actor(user=request.user, intervention=intervention, origin=origin_of(request))


@requires(Perm.CASE_VIEW)
@require_POST
def intervention_start(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention(request, intervention_id)
    acting = _execution(request, intervention)
    try:
        services.intervention_start(acting=acting, intervention_id=intervention.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return HttpResponseRedirect(reverse("approach:case", args=[intervention.case_id]))
    return _done(request, intervention.case, _("The intervention has started; its steps have due dates."))


@requires(Perm.CASE_VIEW)
def step_complete(request: HttpRequest, step_id: int) -> HttpResponse:
    row = selectors.step_get(user=request.user, step_id=step_id, origin=origin_of(request))
    intervention = row.intervention
    acting = _execution(request, intervention)
    form = forms.StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_complete(acting=acting, step_id=row.pk, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, intervention.case, _("The step has been completed."))
    documents = ", ".join(row.step.documents or [])
    return _form_page(
        request,
        case=intervention.case,
        form=form,
        title=_("Complete step: %s") % row.step.label,
        intro=(_("Documents: %s") % documents) if documents else "",
    )


@requires(Perm.CASE_VIEW)
def intervention_outcome(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention(request, intervention_id)
    acting = _execution(request, intervention)
    form = forms.OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_outcome(
                acting=acting,
                intervention_id=intervention.pk,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, intervention.case, _("The outcome has been recorded."))
    return _form_page(
        request, case=intervention.case, form=form, title=_("Outcome: %s") % intervention.instrument.label
    )


@requires(Perm.CASE_MANAGE)
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(acting=request.actor, case_id=case.pk, reasons=form.cleaned_data["reasons"])  # type: ignore[attr-defined]
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, case, _("The plan of approach has been closed; the monitoring period runs."))
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Close the plan of approach"),
        intro=_(
            "Every intervention must be done or refused. "
            "Then the monitoring period starts, followed by the retention period."
        ),
    )


# --- RIEC referral -------------------------------------------------------------------------------------------


@requires(Perm.REFERRAL_MANAGE)
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["intervention"]
        try:
            made = referral.referral_create(
                acting=request.actor,  # type: ignore[attr-defined]
                case_id=case.pk,
                reasons=form.cleaned_data["reasons"],
                intervention_id=int(chosen) if chosen else None,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The referral package has been made from what privacy checks 2A/2B allow."))
            return HttpResponseRedirect(reverse("approach:referral", args=[made.pk]))
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("RIEC referral"),
        intro=_(
            "The package holds exactly the items privacy check 2A shares with the RIEC participant "
            "(and, for a referral intervention, what its 2B allows)."
        ),
    )


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    return selectors.referral_get(user=request.user, referral_id=referral_id, origin=origin_of(request))


@requires(Perm.REFERRAL_MANAGE)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    found = selectors.referral_get(
        user=request.user, referral_id=referral_id, origin=origin_of(request), audited=request.method == "GET"
    )
    form = forms.ReferralEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral.referral_event(
                acting=request.actor,  # type: ignore[attr-defined]
                referral_id=found.pk,
                status=form.cleaned_data["status"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The referral's status has been recorded."))
            return HttpResponseRedirect(reverse("approach:referral", args=[found.pk]))
    return render(
        request,
        "approach/referral.html",
        {
            "referral": found,
            "case": found.case,
            "events": found.events.order_by("at", "id"),
            "form": form,
            "next": sorted(referral.NEXT_STATUS[ReferralStatus(found.status)]),
        },
    )


def _package(request: HttpRequest, referral_id: int, form: str) -> tuple[Referral, dict[str, Any]]:
    found = _referral(request, referral_id)
    try:
        return found, referral.package_read(acting=request.actor, referral=found, form=form)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc


@requires(Perm.REFERRAL_MANAGE)
def referral_json(request: HttpRequest, referral_id: int) -> HttpResponse:
    found, package = _package(request, referral_id, "json")
    response = HttpResponse(json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="riec-referral-{found.case.reference}-{found.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Perm.REFERRAL_MANAGE)
def referral_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    found, package = _package(request, referral_id, "pdf")
    response = HttpResponse(referral.cover_letter_pdf(package), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="riec-referral-{found.case.reference}-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
