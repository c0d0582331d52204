# SPDX-License-Identifier: EUPL-1.2
"""Web views of governance: thin adapters over the governance services and selectors.

Each view declares its permission with ``@requires``. The audit views also check the second
factor themselves (:func:`second_factor_required`), on top of the middleware that guards every
page, so that reading the log can never become reachable without it by a change elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.authz import has_perm, origin_of, role_granting
from weerbaar.accounts.declare import requires
from weerbaar.accounts.middleware import needs_second_factor
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit_denial
from weerbaar.governance import auditlog, forms, publication, register, requests, retention
from weerbaar.governance.files import CONTENT_TYPES, download_name
from weerbaar.governance.models import RequestStatus

V = TypeVar("V", bound=Callable[..., HttpResponse])


def second_factor_required(view: V) -> V:
    """Refuse a session without a proven second factor, exactly as the middleware does for every
    page (``accounts.middleware.needs_second_factor``; demo accounts in the demo profile skip it)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if needs_second_factor(request):
            return HttpResponseRedirect(reverse("accounts:otp"))
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _download(content: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def sections(user: Any) -> list[dict[str, str]]:
    """The parts of governance this user's roles open."""
    found = []
    if has_perm(user, Perm.DSR_HANDLE):
        found.append(
            {
                "title": _("Data-subject requests"),
                "text": _("Record requests, find everything about a person, restrict, make the access report."),
                "url": reverse("governance:requests"),
            }
        )
    if has_perm(user, Perm.AUDIT_READ):
        found.append(
            {
                "title": _("Access log"),
                "text": _("Who saw what, when, for which case and purpose: per subject and per employee."),
                "url": reverse("governance:audit"),
            }
        )
    if has_perm(user, Perm.AUDIT_EXPORT):
        found.append(
            {
                "title": _("Audit export"),
                "text": _("The log of a period with its hash chain and verification, for an external reviewer."),
                "url": reverse("governance:audit-export"),
            }
        )
    if has_perm(user, Perm.RETENTION_RUN):
        found.append(
            {
                "title": _("Retention"),
                "text": _("What is due for destruction in every category, and running it."),
                "url": reverse("governance:retention"),
            }
        )
    if has_perm(user, Perm.REGISTER_VIEW):
        found.append(
            {
                "title": _("Processing register"),
                "text": _("The register of AVG art. 30, generated from the configuration."),
                "url": reverse("governance:register"),
            }
        )
    if has_perm(user, Perm.PUBLICATION_EXPORT):
        found.append(
            {
                "title": _("Figures for publication"),
                "text": _("Council and Woo figures for a period, without personal data, small counts hidden."),
                "url": reverse("governance:publication"),
            }
        )
    return found


@requires(Perm.QUEUE_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    found = sections(request.user)
    if not found:
        audit_denial(
            actor_id=request.user.pk,
            actor_label=request.user.get_username(),
            action="governance:home:view",
            origin=origin_of(request),
        )
        raise PermissionDenied("governance")
    return render(request, "governance/home.html", {"sections": found})


# Retention ------------------------------------------------------------------------------------


@requires(Perm.RETENTION_RUN)
def retention_page(request: HttpRequest) -> HttpResponse:
    acting = request.actor  # type: ignore[attr-defined]
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the destruction."))
            return HttpResponseRedirect(reverse("governance:retention"))
        result = retention.retention_run(acting=acting)
        messages.success(
            request,
            _("Destroyed %(count)d item(s); %(failed)d failed.")
            % {
                "count": len(result.items),
                "failed": len(result.failed),
            },
        )
        return HttpResponseRedirect(reverse("governance:retention"))
    plan = retention.retention_run(acting=acting, dry_run=True)
    labels = category_labels()
    grouped = [(labels[c], items) for c, items in plan.by_category().items()]
    return render(request, "governance/retention.html", {"grouped": grouped, "total": len(plan.items)})


def category_labels() -> dict[str, str]:
    return {
        retention.SIGNAL: _("Signals (with everything of steps 3-4 about them)"),
        retention.SNAPSHOT: _("Old source snapshots and their index files"),
        retention.INDEX_FILE: _("Index files without a snapshot"),
        retention.GENERATED_FILE: _("Generated files (access reports, audit exports)"),
        retention.REQUEST: _("Handled data-subject requests"),
    }


# Data-subject requests ------------------------------------------------------------------------


@requires(Perm.DSR_HANDLE)
def request_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/requests.html", {"requests": requests.dsr_list()[:200], "today": date.today()})


@requires(Perm.DSR_HANDLE)
def request_new(request: HttpRequest) -> HttpResponse:
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = requests.RequestInput(
            kind=form.cleaned_data["kind"],
            received_on=form.cleaned_data["received_on"],
            requester=form.requester(),
            notes=form.cleaned_data["notes"],
        )
        try:
            created = requests.dsr_create(acting=request.actor, data=data)  # type: ignore[attr-defined]
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, _("Request %s has been recorded.") % created.reference)
            return HttpResponseRedirect(reverse("governance:request", args=[created.pk]))
    return render(request, "governance/request_new.html", {"form": form})


def _request_page(request: HttpRequest, request_id: int, **extra: Any) -> HttpResponse:
    acting = request.actor  # type: ignore[attr-defined]
    subject = requests.dsr_get(acting=acting, request_id=request_id)
    result = None
    if subject.destroyed_at is None:
        result = requests.dsr_search(acting=acting, request_id=request_id)
    context = {
        "dsr": subject,
        "result": result,
        "labels": requests.field_labels(),
        "restrictions": subject.restrictions.select_related("supersedes").order_by("at", "id"),
        "files": subject.files.order_by("-created_at", "-id"),
        "report_form": extra.pop("report_form", forms.ReportForm()),
        "close_form": extra.pop("close_form", forms.CloseForm()),
        "restriction_form": extra.pop("restriction_form", None),
        "can_audit": has_perm(request.user, Perm.AUDIT_READ),
        "open": subject.status == RequestStatus.RECEIVED,
        "notice": requests.restriction_notice(),
        "today": date.today(),
        **extra,
    }
    return render(request, "governance/request_detail.html", context, status=400 if extra.get("invalid") else 200)


@requires(Perm.DSR_HANDLE)
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _request_page(request, request_id)


@require_POST
@requires(Perm.DSR_HANDLE)
def request_restrict(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.RestrictionForm(request.POST)
    if form.is_valid():
        try:
            requests.dsr_restrict(
                acting=request.actor,  # type: ignore[attr-defined]
                request_id=request_id,
                item=form.cleaned_data["item"],
                ground=form.cleaned_data["ground"],
                reasons=form.cleaned_data["reasons"],
                withheld=form.withhold(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The decision on %s has been recorded.") % form.cleaned_data["item"])
            return HttpResponseRedirect(reverse("governance:request", args=[request_id]) + "#items")
    return _request_page(request, request_id, restriction_form=form, invalid=True)


@require_POST
@requires(Perm.DSR_HANDLE)
def request_report(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        try:
            record, _content = requests.access_report(
                acting=request.actor,  # type: ignore[attr-defined]
                request_id=request_id,
                file_format=form.cleaned_data["format"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The access report %s has been made.") % record.reference)
            return HttpResponseRedirect(reverse("governance:request", args=[request_id]) + "#files")
    return _request_page(request, request_id, report_form=form, invalid=True)


@requires(Perm.DSR_HANDLE)
def request_file(request: HttpRequest, request_id: int, file_id: int) -> HttpResponse:
    record, content = requests.report_file(
        acting=request.actor,  # type: ignore[attr-defined]
        request_id=request_id,
        file_id=file_id,
    )
    return _download(content, record.file_format, download_name(record))


@require_POST
@requires(Perm.DSR_HANDLE)
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            requests.dsr_close(
                acting=request.actor,  # type: ignore[attr-defined]
                request_id=request_id,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The request has been closed."))
            return HttpResponseRedirect(reverse("governance:request", args=[request_id]))
    return _request_page(request, request_id, close_form=form, invalid=True)


# Register and publication ---------------------------------------------------------------------


@requires(Perm.REGISTER_VIEW)
def register_page(request: HttpRequest) -> HttpResponse:
    file_format = request.GET.get("format", "")
    acting = request.actor  # type: ignore[attr-defined]
    if file_format in ("json", "html"):
        _data, content = register.register_generate(acting=acting, file_format=file_format)
        return _download(content, file_format, f"verwerkingsregister.{file_format}")
    data, _content = register.register_generate(acting=acting, file_format="json")
    return render(request, "governance/register.html", {"register": data})


@requires(Perm.PUBLICATION_EXPORT)
def publication_page(request: HttpRequest) -> HttpResponse:
    form = forms.PublicationForm(request.GET or None)
    data = None
    if request.GET and form.is_valid():
        file_format = request.GET.get("format", "")
        acting = request.actor  # type: ignore[attr-defined]
        try:
            data, content = publication.publication_export(
                acting=acting,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                file_format=file_format if file_format in publication.FORMATS else "json",
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if file_format in publication.FORMATS:
                name = f"cijfers-{form.cleaned_data['start']}-{form.cleaned_data['end']}.{file_format}"
                return _download(content, file_format, name)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "governance/publication.html",
        {"form": form, "data": data, "query": query.urlencode(), "marker": publication.MARKER},
    )


# Audit ------------------------------------------------------------------------------------------


def _period(form: Any) -> auditlog.DateRange:
    return auditlog.DateRange(form.cleaned_data.get("start"), form.cleaned_data.get("end"))


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@requires(Perm.AUDIT_READ)
@second_factor_required
def audit_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/audit_home.html",
        {
            "subject_form": forms.SubjectAuditForm(),
            "employee_form": forms.EmployeeAuditForm(),
            "can_export": has_perm(request.user, Perm.AUDIT_EXPORT),
        },
    )


@requires(Perm.AUDIT_READ)
@second_factor_required
def audit_subject(request: HttpRequest) -> HttpResponse:
    form = forms.SubjectAuditForm(request.GET or None)
    page = None
    if form.is_valid():
        acting = request.actor  # type: ignore[attr-defined]
        try:
            if form.cleaned_data.get("request"):
                if role_granting(request.user, Perm.DSR_HANDLE) is None:
                    raise PermissionDenied(str(Perm.DSR_HANDLE))
                page = auditlog.audit_for_request(
                    acting=acting,
                    request_id=form.cleaned_data["request"],
                    period=_period(form),
                    page=_page_number(request),
                )
            else:
                page = auditlog.audit_for_subject(
                    acting=acting,
                    object_type=form.cleaned_data["object_type"],
                    object_id=form.cleaned_data["object_id"],
                    period=_period(form),
                    page=_page_number(request),
                )
        except ValidationError as exc:
            _form_errors(form, exc)
    return _audit_result(request, form, page, _("Access log per subject"))


@requires(Perm.AUDIT_READ)
@second_factor_required
def audit_employee(request: HttpRequest) -> HttpResponse:
    form = forms.EmployeeAuditForm(request.GET or None)
    page = None
    if form.is_valid():
        try:
            page = auditlog.audit_for_employee(
                acting=request.actor,  # type: ignore[attr-defined]
                employee=form.cleaned_data["employee"],
                period=_period(form),
                page=_page_number(request),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
    return _audit_result(request, form, page, _("Access log per employee"))


def _audit_result(request: HttpRequest, form: Any, page: Any, title: str) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_rows.html",
        {"form": form, "page": page, "title": title, "query": query.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Perm.AUDIT_EXPORT)
@second_factor_required
def audit_export(request: HttpRequest) -> HttpResponse:
    form = forms.ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record, _content = auditlog.audit_export(
                acting=request.actor,  # type: ignore[attr-defined]
                period=_period(form),
                file_format=form.cleaned_data["format"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The export %s has been made.") % record.reference)
            return HttpResponseRedirect(reverse("governance:audit-export"))
    return render(
        request,
        "governance/audit_export.html",
        {"form": form, "files": auditlog.export_files()[:50], "today": date.today()},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Perm.AUDIT_EXPORT)
@second_factor_required
def audit_export_file(request: HttpRequest, file_id: int) -> HttpResponse:
    record, content = auditlog.export_file(acting=request.actor, file_id=file_id)  # type: ignore[attr-defined]
    return _download(content, record.file_format, download_name(record))
