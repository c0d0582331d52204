# SPDX-License-Identifier: EUPL-1.2
"""Web views of steps 1-2: thin adapters that call selectors and services.

Each view declares its permission with ``@requires``; reads of content go through
``signal_get`` (scoped, audited); writes go through the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import has_perm, origin_of
from weerbaar.accounts.declare import requires
from weerbaar.accounts.models import Department
from weerbaar.accounts.permissions import Perm
from weerbaar.signals import hooks, selectors, services
from weerbaar.signals.forms import (
    FilterForm,
    ImportForm,
    QualificationForm,
    SignalForm,
    SubjectFormSet,
    WeighingForm,
)
from weerbaar.signals.models import ChecklistItem, WeighingCriterion
from weerbaar.signals.states import CORRECTABLE_STATES, IllegalTransition, State, allowed_decisions
from weerbaar.signals.subjects import subject_label


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put service errors beside the fields they name; others at the top of the form."""
    for name, messages_ in error.message_dict.items():
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def _read_attachments(request: HttpRequest, form: Any) -> list[tuple[str, bytes]]:
    """Read uploads only after their size and number are known to be acceptable."""
    files = request.FILES.getlist("attachments")
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        form.add_error("attachments", _("At most %d attachments.") % settings.ATTACHMENT_MAX_COUNT)
        return []
    accepted = []
    for upload in files:
        if upload.size is not None and upload.size > settings.ATTACHMENT_MAX_BYTES:
            form.add_error("attachments", _("%s is too large.") % upload.name)
        else:
            accepted.append((upload.name or "attachment", upload.read()))
    return accepted


@requires(Perm.QUEUE_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue: what waits for this user's roles."""
    user = request.user
    sections = []
    scope = selectors.signal_scope(user)
    if has_perm(user, Perm.SIGNAL_QUALIFY):
        sections.append((_("To qualify (W1, W2A, W2B)"), scope.filter(state=State.RECEIVED)))
    if has_perm(user, Perm.SIGNAL_WEIGH):
        sections.append((_("To weigh (W3)"), scope.filter(state=State.QUALIFIED)))
    if has_perm(user, Perm.W4_DECIDE) and has_perm(user, Perm.SIGNAL_READ):
        sections.append((_("In source research (step 3)"), scope.filter(state=State.RESEARCH)))
    if has_perm(user, Perm.SIGNAL_READ_RIEC) and not has_perm(user, Perm.SIGNAL_READ):
        sections.append((_("Handed to the RIEC"), scope.filter(state=State.RIEC)))
    if has_perm(user, Perm.SIGNAL_READ_OWN) and not has_perm(user, Perm.SIGNAL_READ):
        sections.append((_("Signals I reported"), scope.filter(reported_by=user.pk)))
    rendered = [
        (title, qs.order_by("received_on", "id").prefetch_related("phenomena")[:50], qs.count())
        for title, qs in sections
    ]
    return render(request, "signals/queue.html", {"sections": rendered, "later_sections": hooks.queue_sections(user)})


@requires(Perm.SIGNAL_VIEW)
def signal_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = selectors.SignalFilters()
    if form.is_valid():
        filters = selectors.SignalFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(selectors.signal_list(request.user, filters), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "signals/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _create_from_form(request: HttpRequest, form: Any, subjects: Any, attachments: list[tuple[str, bytes]]) -> Any:
    """Call the intake service; put its errors beside the fields (and subject rows) they name."""
    data = services.SignalInput(
        channel=form.cleaned_data["channel"],
        received_on=form.cleaned_data["received_on"],
        description=form.cleaned_data["description"],
        phenomena=form.cleaned_data["phenomena"],
        subjects=[s for s in (f.subject() for f in subjects) if s],
        location_address=form.cleaned_data["location_address"],
        location_area=form.cleaned_data["location_area"],
        reporter_anonymous=form.cleaned_data["reporter_anonymous"],
        reporter_name=form.cleaned_data["reporter_name"],
        reporter_contact=form.cleaned_data["reporter_contact"],
        attachments=attachments,
    )
    try:
        return services.signal_create(acting=request.actor, data=data)  # type: ignore[attr-defined]
    except ValidationError as exc:
        non_empty = [f for f in subjects if f.subject()]
        for name, errs in exc.message_dict.items():
            if name.startswith("subjects[") and "]." in name:
                index, field = int(name[9 : name.index("]")]), name.split("].", 1)[1]
                if index < len(non_empty):
                    for message in errs:
                        non_empty[index].add_error(field if field in non_empty[index].fields else None, message)
                    continue
            for message in errs:
                form.add_error(name if name in form.fields else None, message)
        return None


@requires(Perm.SIGNAL_CREATE)
def signal_create(request: HttpRequest) -> HttpResponse:
    external = has_perm(request.user, Perm.SIGNAL_RECORD_EXTERNAL)
    form = SignalForm(request.POST or None, request.FILES or None, external_allowed=external)
    subjects = SubjectFormSet(request.POST or None, prefix="subject")
    if request.method == "POST" and form.is_valid() and subjects.is_valid():
        attachments = _read_attachments(request, form)
        if not form.errors:
            signal = _create_from_form(request, form, subjects, attachments)
            if signal is not None:
                messages.success(request, _("Signal %s has been received.") % signal.reference)
                return HttpResponseRedirect(reverse("signals:detail", args=[signal.pk]))
    return render(request, "signals/create.html", {"form": form, "subjects": subjects})


def _timeline(signal: Any, *, with_decisions: bool = True) -> list[dict[str, Any]]:
    """The status rows in order, each with the decision (qualification, weighing) that made it;
    a correction that kept the state has no status row and is shown on its own."""
    items: list[dict[str, Any]] = [
        {"at": c.at, "obj": c, "title": State(c.to_state).label} for c in signal.history.all()
    ]
    if not with_decisions:  # a reporter follows the state of their report, not the team's reasoning
        return [{**item, "reasons_hidden": True} for item in items]
    by_change = {item["obj"].pk: item for item in items}
    criteria = {c.code: c.label for c in WeighingCriterion.objects.all()}
    for q in signal.qualifications.all():
        if q.status_change_id in by_change:
            by_change[q.status_change_id]["qualification"] = q
        else:
            items.append({"at": q.at, "obj": q, "title": _("Qualification corrected"), "qualification": q})
    for w in signal.weighings.select_related("department"):
        if w.status_change_id in by_change:
            by_change[w.status_change_id]["weighing"] = w
            by_change[w.status_change_id]["rows"] = [
                (criteria.get(code, code), score, (w.explanations or {}).get(code, ""))
                for code, score in w.scores.items()
            ]
    return sorted(items, key=lambda i: i["at"])


def _later_steps(user: Any, signal: Any) -> list[dict[str, Any]]:
    """Entries of steps 3-4 (research, approach) from the apps that own them (signals.hooks)."""
    return [
        {"at": e.at, "title": e.title, "entry": e, "obj": {"actor_label": e.actor_label, "role": e.role}}
        for e in hooks.timeline_entries(user, signal)
    ]


@requires(Perm.SIGNAL_VIEW)
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(user=request.user, signal_id=signal_id, origin=origin_of(request))
    decisions = allowed_decisions(signal.state)
    checklist = {i.code: i.label for i in ChecklistItem.objects.all()}
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "subjects": [(s.get_kind_display(), subject_label(s.kind, s.data)) for s in signal.subjects.all()],
            "timeline": sorted(
                _timeline(signal, with_decisions=getattr(signal, "view_level", "") != selectors.ViewLevel.REPORTER)
                + _later_steps(request.user, signal),
                key=lambda i: i["at"],
            ),
            "later_actions": hooks.actions(request.user, signal),
            "checklist_labels": checklist,
            "can_qualify": "qualify" in decisions and has_perm(request.user, Perm.SIGNAL_QUALIFY),
            "can_correct": signal.state in CORRECTABLE_STATES and has_perm(request.user, Perm.SIGNAL_QUALIFY),
            "can_weigh": "weigh" in decisions and has_perm(request.user, Perm.SIGNAL_WEIGH),
        },
    )


def _decision_view(request: HttpRequest, signal_id: int, form: Any, template: str, apply: Any) -> HttpResponse:
    """GET shows the signal (an audited read) with the form; a valid POST records the decision
    (audited as the decision, not as a read) and redirects; an invalid one shows the form again."""
    if request.method == "POST" and form.is_valid():
        if not selectors.signal_in_scope(user=request.user, signal_id=signal_id, origin=origin_of(request)):
            raise Http404("No such signal")
        try:
            apply(signal_id)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except IllegalTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
            return HttpResponseRedirect(reverse("signals:detail", args=[signal_id]))
    signal = selectors.signal_get(user=request.user, signal_id=signal_id, origin=origin_of(request))
    form.initial.setdefault("expected_state", signal.state)  # the state this user decides on
    subjects = [(s.get_kind_display(), subject_label(s.kind, s.data)) for s in signal.subjects.all()]
    return render(request, template, {"signal": signal, "form": form, "subjects": subjects})


@requires(Perm.SIGNAL_QUALIFY)
def signal_qualify(request: HttpRequest, signal_id: int) -> HttpResponse:
    form = QualificationForm(request.POST or None)

    def apply(signal_id: int) -> None:
        services.signal_qualify(
            acting=request.actor,  # type: ignore[attr-defined]
            signal_id=signal_id,
            checked_items=form.cleaned_data["checked_items"],
            w1=form.cleaned_data["w1"],
            w2a=form.cleaned_data["w2a"],
            w2b=form.cleaned_data["w2b"],
            reasons=form.cleaned_data["reasons"],
            referred_to=form.cleaned_data["referred_to"],
            correction=form.cleaned_data["expected_state"] != State.RECEIVED,
            expected_state=form.cleaned_data["expected_state"],
        )

    return _decision_view(request, signal_id, form, "signals/qualify.html", apply)


@requires(Perm.SIGNAL_WEIGH)
def signal_weigh(request: HttpRequest, signal_id: int) -> HttpResponse:
    form = WeighingForm(request.POST or None)

    def apply(signal_id: int) -> None:
        department: Department | None = form.cleaned_data.get("department")
        services.signal_weigh(
            acting=request.actor,  # type: ignore[attr-defined]
            signal_id=signal_id,
            scores=form.scores(),
            route=form.cleaned_data["route"],
            reasons=form.cleaned_data["reasons"],
            department=department.code if department else None,
        )

    return _decision_view(request, signal_id, form, "signals/weigh.html", apply)


@requires(Perm.SIGNAL_VIEW)  # type: ignore[type-var]
def attachment_download(request: HttpRequest, signal_id: int, attachment_id: int) -> FileResponse:
    import io

    attachment, content = selectors.attachment_get(
        user=request.user, signal_id=signal_id, attachment_id=attachment_id, origin=origin_of(request)
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=attachment.filename or "attachment",
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(Perm.SIGNAL_IMPORT)
def signal_import(request: HttpRequest) -> HttpResponse:
    """Upload a department's CSV export: refused whole with a per-row error list, or all imported."""
    from weerbaar.signals.importing import ImportRefused, signals_import_csv

    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            department = form.cleaned_data.get("department")
            try:
                ids = signals_import_csv(
                    acting=request.actor,  # type: ignore[attr-defined]
                    content=upload.read(),
                    department=department.code if department else None,
                )
            except ImportRefused as exc:
                row_errors = exc.errors
            else:
                messages.success(request, _("%d signals were imported.") % len(ids))
                return HttpResponseRedirect(reverse("signals:list") + "?state=received")
    return render(request, "signals/import.html", {"form": form, "row_errors": row_errors})
