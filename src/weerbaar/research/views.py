# SPDX-License-Identifier: EUPL-1.2
"""Web views of step 3: thin adapters over research.services and research.selectors.

Each view declares its permission with ``@requires``; the services check the rules again and
write the audit rows. A GET that shows signal content goes through an audited read
(``research_overview`` or ``signals.selectors.signal_get``); a source owner's page shows the
request only, never the signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import has_perm, origin_of
from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm
from weerbaar.research import selectors, services
from weerbaar.research.forms import (
    ContentDecisionForm,
    ContentRequestForm,
    PC1RequestForm,
    RunQueriesForm,
    SourceDecisionForm,
    W4Form,
    field_label,
)
from weerbaar.research.models import ContentDecision, QueryStatus
from weerbaar.signals.selectors import signal_get
from weerbaar.signals.states import IllegalTransition
from weerbaar.signals.subjects import subject_label
from weerbaar.sources.defaults import SOURCES as DEFAULT_SOURCES


def _apply_errors(form: Any, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put service errors beside the fields they name; others at the top of the form."""
    for name, found in error.message_dict.items():
        name = (rename or {}).get(name, name)
        target = name if name in form.fields else None
        for message in found:
            form.add_error(target, message)


def _attempt(form: Any, run: Callable[[], Any], rename: dict[str, str] | None = None) -> Any:
    """Call a service; put its refusal on the form. Returns the result, or None when refused."""
    try:
        return run()
    except ValidationError as exc:
        _apply_errors(form, exc, rename)
    except (IllegalTransition, services.Refused) as exc:
        form.add_error(None, str(exc))
    return None


def _research_url(signal_id: int) -> str:
    return reverse("research:signal", args=[signal_id])


def _labels(fields: list[str]) -> str:
    return ", ".join(field_label(f) for f in fields)


@requires(Perm.SIGNAL_VIEW)
def signal_research(request: HttpRequest, signal_id: int) -> HttpResponse:
    """The research page of a signal: status of every step and the forms for the next one."""
    overview = selectors.research_overview(user=request.user, signal_id=signal_id, origin=origin_of(request))
    for row in overview.requests:
        row.requested_label = _labels(list(row.request.requested_fields))
        row.approved_label = _labels(list(row.decision.approved_fields)) if row.decision else ""
    return render(
        request,
        "research/signal.html",
        {
            "o": overview,
            "signal": overview.signal,
            "subjects": overview.subjects,
            # three forms on one page: each its own id prefix, so every label points at its own field
            "pc1_form": PC1RequestForm(unavailable=services.unavailable_for_request(signal_id), auto_id="pc1_%s"),
            "run_form": RunQueriesForm(auto_id="run_%s"),
            "w4_form": W4Form(auto_id="w4_%s"),
            "HIT": QueryStatus.HIT,
        },
    )


def _step_page(
    request: HttpRequest, signal_id: int, form: Any, *, title: str, submit: str, apply: Callable[[], Any]
) -> HttpResponse:
    """A form of the team on a signal: a valid POST calls the service and returns to the
    research page; GET or an invalid POST shows the form with the signal (an audited read)."""
    if request.method == "POST" and form.is_valid():
        result = _attempt(form, apply)
        if result is not None:
            return result
    signal = signal_get(user=request.user, signal_id=signal_id, origin=origin_of(request), purpose=selectors.PURPOSE)
    subjects = [(s.get_kind_display(), subject_label(s.kind, s.data)) for s in signal.subjects.all()]
    return render(
        request,
        "research/step.html",
        {"signal": signal, "subjects": subjects, "form": form, "title": title, "submit": submit},
    )


@requires(Perm.PC1_REQUEST)
def pc1_request(request: HttpRequest, signal_id: int) -> HttpResponse:
    form = PC1RequestForm(request.POST or None, unavailable=services.unavailable_for_request(signal_id))

    def apply() -> HttpResponse:
        services.pc1_request(
            acting=request.actor,  # type: ignore[attr-defined]
            signal_id=signal_id,
            source_slugs=form.cleaned_data["sources"],
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, _("Privacy check 1 has been requested."))
        return HttpResponseRedirect(_research_url(signal_id))

    return _step_page(
        request, signal_id, form, title=_("Request privacy check 1"), submit=_("Send the request"), apply=apply
    )


@requires(Perm.QUERY_RUN)
def queries_run(request: HttpRequest, signal_id: int) -> HttpResponse:
    form = RunQueriesForm(request.POST or None)

    def apply() -> HttpResponse:
        result = services.run_queries(
            acting=request.actor,  # type: ignore[attr-defined]
            signal_id=signal_id,
            purpose=form.cleaned_data["purpose"],
        )
        counts = ", ".join(f"{QueryStatus(s).label}: {n}" for s, n in sorted(result.counts.items()))
        messages.success(
            request, _("Queries run (%(n)d answers). %(counts)s") % {"n": len(result.queries), "counts": counts}
        )
        for note in result.notes:
            messages.warning(request, note)
        return HttpResponseRedirect(_research_url(signal_id) + "#queries")

    return _step_page(
        request, signal_id, form, title=_("Run hit/no-hit queries"), submit=_("Run the queries"), apply=apply
    )


@requires(Perm.W4_DECIDE)
def w4(request: HttpRequest, signal_id: int) -> HttpResponse:
    form = W4Form(request.POST or None)

    def apply() -> HttpResponse:
        services.w4_decide(
            acting=request.actor,  # type: ignore[attr-defined]
            signal_id=signal_id,
            confirmed=form.cleaned_data["confirmed"],
            outcome=form.cleaned_data["outcome"],
            departments=[d.code for d in form.cleaned_data["departments"]],
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, _("W4 has been recorded."))
        return HttpResponseRedirect(reverse("signals:detail", args=[signal_id]))

    return _step_page(request, signal_id, form, title=_("W4"), submit=_("Record decision"), apply=apply)


@requires(Perm.CONTENT_REQUEST)
def content_request(request: HttpRequest, query_id: int) -> HttpResponse:
    acting = request.actor  # type: ignore[attr-defined]
    query = selectors.query_get(acting=acting, query_id=query_id)
    form = ContentRequestForm(request.POST or None, source=query.source)

    def apply() -> HttpResponse:
        services.content_request(
            acting=acting,
            query_id=query_id,
            fields=form.cleaned_data["fields_wanted"],
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, _("The request has been sent to the owner of %s.") % query.source.name)
        return HttpResponseRedirect(_research_url(query.signal_id) + "#content")

    if request.method == "POST" and form.is_valid():
        result = _attempt(form, apply, {"fields": "fields_wanted"})
        if result is not None:
            return result
    signal = signal_get(
        user=request.user, signal_id=query.signal_id, origin=origin_of(request), purpose=selectors.PURPOSE
    )
    subject = query.subject
    return render(
        request,
        "research/content_request.html",
        {
            "signal": signal,
            "query": query,
            "subject": subject_label(subject.kind, subject.data) if subject else "—",
            "form": form,
        },
    )


def _english_regimes(sources: list[Any]) -> set[str]:
    """Slugs of the sources whose legal regime is still the shipped description, which exists in
    English only (sources/defaults.py). The page marks it ``lang="en"`` so a screen reader does not
    read English with Dutch pronunciation; a regime a municipality rewrote (in Dutch) is not marked."""
    shipped = {s["slug"]: s.get("legal_regime") for s in DEFAULT_SOURCES}
    return {s.slug for s in sources if s.legal_regime and shipped.get(s.slug) == s.legal_regime}


@requires(Perm.PC1_DECIDE)
def pc1_decide(request: HttpRequest, pc1_id: int) -> HttpResponse:
    """Privacy check 1: one decision form per requested source, beside the signal's summary."""
    acting = request.actor  # type: ignore[attr-defined]
    pc1 = selectors.pc1_get(acting=acting, pc1_id=pc1_id)
    view = next(v for v in selectors.pc1_views(pc1.signal_id) if v.pc1.pk == pc1.pk)
    data = request.POST if request.method == "POST" else None
    forms = [SourceDecisionForm(data, source=row.source, current=row.decision) for row in view.rows]
    errors: list[str] = []
    if data is not None and all(f.is_valid() for f in forms):
        decisions = [d for d in (f.decision() for f in forms) if d is not None]
        try:
            services.pc1_decide(acting=acting, pc1_id=pc1.pk, decisions=decisions)
        except ValidationError as exc:
            by_slug = {f.source.slug: f for f in forms}
            for key, found in exc.message_dict.items():
                slug, _dot, name = key.partition(".")
                target = by_slug.get(slug)
                for message in found:
                    if target is not None:
                        target.add_error(name if name in target.fields else None, message)
                    else:
                        errors.append(message)
        except IllegalTransition as exc:
            errors.append(str(exc))
        else:
            messages.success(request, _("Privacy check 1 has been recorded."))
            return HttpResponseRedirect(reverse("research:pc1", args=[pc1.pk]))
    signal = signal_get(
        user=request.user, signal_id=pc1.signal_id, origin=origin_of(request), purpose="privacy check 1"
    )
    subjects = [(s.get_kind_display(), subject_label(s.kind, s.data)) for s in signal.subjects.all()]
    return render(
        request,
        "research/pc1_decide.html",
        {
            "signal": signal,
            "subjects": subjects,
            "pc1": pc1,
            "rows": list(zip(view.rows, forms, strict=True)),
            "english_regimes": _english_regimes([row.source for row in view.rows]),
            "errors": errors,
            "any_form_errors": any(f.errors for f in forms),
        },
    )


@requires(Perm.CONTENT_DECIDE)
def content_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """The source owner's page: the request and its justification, never the signal itself."""
    acting = request.actor  # type: ignore[attr-defined]
    content_request_ = services.owned_request(acting, request_id, audited=request.method == "GET")
    decision = ContentDecision.objects.filter(request=content_request_).first()
    form = ContentDecisionForm(request.POST or None, requested=list(content_request_.requested_fields))
    if decision is None and request.method == "POST" and form.is_valid():

        def apply() -> HttpResponse:
            services.content_decide(
                acting=acting,
                request_id=request_id,
                approve=form.cleaned_data["approve"],
                fields=form.cleaned_data["fields_approved"],
                reasons=form.cleaned_data["reasons"],
            )
            messages.success(request, _("Your decision has been recorded."))
            return HttpResponseRedirect(reverse("research:tasks"))

        result = _attempt(form, apply, {"fields": "fields_approved"})
        if result is not None:
            return result
    return render(
        request,
        "research/content_decide.html",
        {
            "req": content_request_,
            "source": content_request_.query.source,
            "requested": _labels(list(content_request_.requested_fields)),
            "records": len(content_request_.query.matched_records or []),
            "decision": decision,
            "approved": _labels(list(decision.approved_fields)) if decision else "",
            "form": form,
        },
    )


@requires(Perm.CONTENT_REQUEST)
def content_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The approved fields of a hit (an audited read with the purpose); otherwise why not."""
    acting = request.actor  # type: ignore[attr-defined]
    try:
        read = services.content_read_for_request(acting=acting, request_id=request_id)
    except services.Refused as exc:
        return render(request, "research/content_answer.html", {"refused": str(exc)})
    return render(
        request,
        "research/content_answer.html",
        {
            "read": read,
            "signal_id": read.request.query.signal_id,
            "signal_reference": read.request.query.signal.reference,
            "columns": [(f, field_label(f)) for f in read.fields],
            "rows": [[r.get(f, "") for f in read.fields] for r in (read.records or [])],
        },
    )


@requires(Perm.QUEUE_VIEW)
def tasks(request: HttpRequest) -> HttpResponse:
    """Checks and requests: what waits for each of this user's roles in step 3."""
    user = request.user
    owner_open = [(r, _labels(list(r.requested_fields))) for r in selectors.owner_requests(user)[:100]]
    owner_done = [
        (r, _labels(list(r.requested_fields)))
        for r in selectors.owner_requests(user, open_only=False).filter(decision__isnull=False).order_by("-at")[:20]
    ]
    answers = [(d, _labels(list(d.approved_fields))) for d in selectors.answers_to_read(user)[:100]]
    return render(
        request,
        "research/tasks.html",
        {
            "pc1s": selectors.open_pc1s(user)[:100],
            "owner_open": owner_open,
            "owner_done": owner_done,
            "answers": answers,
            "signals": selectors.research_signals(user)[:100],
            "is_owner": has_perm(user, Perm.CONTENT_DECIDE),
            "is_pf": has_perm(user, Perm.PC1_DECIDE),
            "is_team": any(has_perm(user, p) for p in selectors.TEAM_PERMS),
        },
    )
