# SPDX-License-Identifier: EUPL-1.2
"""Web pages of the monitor's reporting side: the report (inline and as JSON/HTML/PDF download),
the analysis per item with its breakdowns and the operational figures beside it, the conclusions
of a wave (``MONITOR_MANAGE``) and the follow-up page (``MONITOR_VIEW``; edited with
``MONITOR_FOLLOWUP``). Thin adapters over report.py, report_render.py, figures.py and followup.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.accounts.authz import has_perm
from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit
from weerbaar.monitor import charts, followup, report, report_render
from weerbaar.monitor import figures as figures_module
from weerbaar.monitor.models import Conclusion, FollowUp, FollowUpStatus, ItemType, ResponseKind, Theme, Wave

BODY_CACHE_SECONDS = 24 * 3600


def _english(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "nl") or "nl").startswith("en")


def _wave(year: int) -> Wave:
    try:
        return report.wave_for_report(year)
    except Wave.DoesNotExist:
        raise Http404 from None


def _document(wave: Wave) -> dict[str, Any]:
    try:
        return report.build_document(wave)
    except ValidationError:
        raise Http404 from None


# --- the report ----------------------------------------------------------------------------------


@requires(Perm.MONITOR_VIEW)
@require_GET
def report_page(request: HttpRequest, year: int) -> HttpResponse:
    """The report inline, in the site's layout; the body is cached per content and language."""
    wave = _wave(year)
    if not wave.responses.exists():
        return render(request, "monitor/report/empty.html", {"wave": wave}, status=404)
    document = _document(wave)
    english = _english(request)
    digest = hashlib.sha256(report.document_bytes(document)).hexdigest()
    key = f"monitor:report-body:{digest}:{int(english)}"
    body = cache.get(key)
    if body is None:
        from django.template.loader import render_to_string

        ctx = report_render.context(document, english=english, generated_at=report_render.generation_time())
        body = render_to_string("monitor/report/_body.html", ctx, request=request)
        cache.set(key, body, BODY_CACHE_SECONDS)
    return render(
        request,
        "monitor/report/page.html",
        {"wave": wave, "body": mark_safe(body), "can_manage": has_perm(request.user, Perm.MONITOR_MANAGE)},  # noqa: S308  # nosec B308 B703 - our own template's output
    )


@requires(Perm.MONITOR_VIEW)
@require_GET
def report_download(request: HttpRequest, year: int, file_format: str) -> HttpResponse:
    """The report as a file: JSON (the document), HTML (self-contained) or PDF."""
    if file_format not in report_render.FORMATS:
        raise Http404
    wave = _wave(year)
    document = _document(wave)
    content = report_render.render(document, file_format, english=_english(request))
    audit(
        request.actor,  # type: ignore[attr-defined]
        "monitor.report.download",
        obj=wave,
        detail={"year": year, "format": file_format, "bytes": len(content)},
    )
    response = HttpResponse(content, content_type=report_render.CONTENT_TYPES[file_format])
    name = report_render.download_name(year, file_format, wave.synthetic)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the analysis per item -------------------------------------------------------------------------


def _item_detail(document: dict[str, Any], item_id: str, english: bool) -> dict[str, Any]:
    entry = document["analysis"]["items"][item_id]
    meta = document["items"].get(item_id, {})
    item_type = entry["type"]
    rows = report_render.item_rows(item_id, entry, meta, english, ["size_class", "riec_region"])
    groups = {by: list(entry["by"].get(by, {}).keys()) for by in ("size_class", "riec_region")}
    found_charts = []
    if item_type in (ItemType.YES_NO, ItemType.SCALE, ItemType.NUMBER):
        percent = item_type == ItemType.YES_NO
        value = "share" if percent else "mean"
        scale = meta.get("scale") or {}
        lower, upper = (0.0, 1.0) if percent else (scale.get("min"), scale.get("max"))
        for by in ("size_class", "riec_region"):
            points = [
                charts.Point(
                    report_render.size_class_label(g) if by == "size_class" else g,
                    cell.get(value),
                    cell.get("ci_low"),
                    cell.get("ci_high"),
                    bool(cell.get("suppressed")),
                )
                for g, cell in entry["by"].get(by, {}).items()
            ]
            title = _("By size class (95 % interval)") if by == "size_class" else _("By RIEC region (95 % interval)")
            uri = charts.interval_chart(points, title=title, percent=percent, lower=lower, upper=upper)
            if uri:
                found_charts.append({"uri": uri, "alt": _("Chart of the breakdown in the table.")})
        trend = charts.trend_chart(
            [(p["year"], p.get(value), p.get("ci_low"), p.get("ci_high")) for p in entry.get("trend", [])],
            title=_("Trend (95 % interval)"),
            percent=percent,
            lower=lower,
            upper=upper,
        )
        if trend:
            found_charts.append({"uri": trend, "alt": _("Chart of the trend in the table.")})
    related = figures_module.RELATED.get(item_id, ())
    published = document.get("operational_figures") or {}
    return {
        "id": item_id,
        "label": report_render._label(meta, english),
        "type": item_type,
        "entry": entry,
        "rows": rows,
        "groups": {
            by: [report_render.size_class_label(g) if by == "size_class" else g for g in gs]
            for by, gs in groups.items()
        },
        "charts": found_charts,
        "comparable": meta.get("comparable_items", []),
        "related": report_render.figure_rows(published, english, keys=related),
        "related_keys": [figures_module.label(k, english) for k in related],
        "weighted": entry.get("weighted"),
    }


@requires(Perm.MONITOR_VIEW)
@require_GET
def analysis_page(request: HttpRequest, year: int) -> HttpResponse:
    """Per item: figure, interval, n, breakdowns, trend; with ``?item=`` one item in detail, with
    its charts and the operational figures beside it ("what was done" next to "what was said")."""
    wave = _wave(year)
    if not wave.responses.exists():
        return render(request, "monitor/report/empty.html", {"wave": wave}, status=404)
    document = _document(wave)
    english = _english(request)
    item_id = request.GET.get("item", "")
    detail = None
    if item_id:
        if item_id not in document["analysis"]["items"]:
            raise Http404
        detail = _item_detail(document, item_id, english)
    themes = []
    for theme in document["themes"]:
        rows = []
        for i in theme["items"]:
            entry = document["analysis"]["items"][i]
            value, ci = report_render._value_text(entry, entry["type"], english, document["items"].get(i, {}))
            if entry["type"] in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
                value = followup.item_value_text(entry, entry["type"]) or ("–" if entry.get("suppressed") else "")
                ci = ""
            rows.append(
                {
                    "id": i,
                    "label": report_render._label(document["items"].get(i, {}), english),
                    "n": entry["n"],
                    "N": entry["N"],
                    "value": value,
                    "ci": ci,
                    "suppressed_cells": sum(
                        1 for cells in entry["by"].values() for c in cells.values() if c.get("suppressed")
                    ),
                    "has_figures": i in figures_module.RELATED,
                }
            )
        themes.append({"code": theme["code"], "label": report_render.theme_label(theme["code"]), "rows": rows})
    return render(
        request,
        "monitor/report/analysis.html",
        {
            "wave": wave,
            "doc": document,
            "themes": themes,
            "detail": detail,
            "min_cell": document["analysis"]["suppression"]["min_cell"],
            "figures_meta": document.get("operational_figures") or {},
        },
    )


# --- conclusions ---------------------------------------------------------------------------------------


class ConclusionForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Number"), min_value=1, max_value=99)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), choices=[("", "—"), *Theme.choices], required=False)
    text_nl = forms.CharField(
        label=gettext_lazy("Conclusion (Dutch)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    text_en = forms.CharField(
        label=gettext_lazy("Conclusion (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    for name, texts in error.message_dict.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


@requires(Perm.MONITOR_MANAGE)
@require_http_methods(["GET", "POST"])
def conclusions_page(request: HttpRequest, year: int) -> HttpResponse:
    """The researchers' conclusions of a wave: add one, or change one by giving its number again."""
    wave = _wave(year)
    edit = request.GET.get("number", "")
    initial: dict[str, Any] = {"number": wave.conclusions.count() + 1}
    if edit.isdigit():
        found = wave.conclusions.filter(number=int(edit)).first()
        if found is not None:
            initial = {"number": found.number, "theme": found.theme, "text_nl": found.text_nl, "text_en": found.text_en}
    form = ConclusionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            followup.save_conclusion(
                acting=request.actor,  # type: ignore[attr-defined]
                year=year,
                number=data["number"],
                theme=data["theme"] or "",
                text_nl=data["text_nl"],
                text_en=data["text_en"] or "",
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Conclusion %(n)s is saved.") % {"n": data["number"]})
            return HttpResponseRedirect(reverse("monitor_report:conclusions", args=[year]))
    return render(
        request,
        "monitor/report/conclusions.html",
        {
            "wave": wave,
            "form": form,
            "conclusions": wave.conclusions.order_by("number"),
            "status": 400 if form.errors else 200,
        },
        status=400 if form.errors else 200,
    )


@requires(Perm.MONITOR_MANAGE)
@require_POST
def conclusion_delete(request: HttpRequest, year: int, number: int) -> HttpResponse:
    wave = _wave(year)
    found = Conclusion.objects.filter(wave=wave, number=number).first()
    if found is None:
        raise Http404
    followup.delete_conclusion(acting=request.actor, conclusion_id=found.pk)  # type: ignore[attr-defined]
    messages.success(request, _("Conclusion %(n)s is removed.") % {"n": number})
    return HttpResponseRedirect(reverse("monitor_report:conclusions", args=[year]))


# --- follow-up -----------------------------------------------------------------------------------------


class FollowUpForm(forms.Form):
    response_kind = forms.ChoiceField(
        label=gettext_lazy("Response"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    text_nl = forms.CharField(
        label=gettext_lazy("What is (being) done (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    text_en = forms.CharField(
        label=gettext_lazy("What is (being) done (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    owner = forms.CharField(label=gettext_lazy("Owner"), max_length=200, required=False)
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=FollowUpStatus.choices)
    indicators = forms.CharField(
        label=gettext_lazy("Indicators"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Codebook item ids (outcomes) or operational-figure keys (outputs), separated by commas or spaces, "
            "e.g. ad_bibob_policy, interventions.bibob."
        ),
    )

    def data_input(self) -> followup.FollowUpInput:
        data = self.cleaned_data
        return followup.FollowUpInput(
            response_kind=data["response_kind"],
            text_nl=data["text_nl"],
            text_en=data.get("text_en") or "",
            owner=data.get("owner") or "",
            deadline=data.get("deadline"),
            status=data["status"],
            indicators=[p for p in data.get("indicators", "").replace(",", " ").split() if p],
        )


@requires(Perm.MONITOR_VIEW)
@require_GET
def followup_page(request: HttpRequest) -> HttpResponse:
    """Per conclusion its policy response and the current value and trend of each indicator."""
    return render(
        request,
        "monitor/report/followup.html",
        {
            "waves": followup.overview(english=_english(request)),
            "can_edit": has_perm(request.user, Perm.MONITOR_FOLLOWUP),
            "can_manage": has_perm(request.user, Perm.MONITOR_MANAGE),
        },
    )


@requires(Perm.MONITOR_FOLLOWUP)
@require_http_methods(["GET", "POST"])
def followup_new(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    conclusion = Conclusion.objects.select_related("wave").filter(pk=conclusion_id).first()
    if conclusion is None:
        raise Http404
    form = FollowUpForm(request.POST or None, initial={"status": FollowUpStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        try:
            followup.create_follow_up(
                acting=request.actor,  # type: ignore[attr-defined]
                conclusion_id=conclusion.pk,
                data=form.data_input(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The response is saved."))
            return HttpResponseRedirect(reverse("monitor_report:follow-up"))
    return render(
        request,
        "monitor/report/followup_form.html",
        {"form": form, "conclusion": conclusion, "follow_up": None, "keys": figures_module.FIGURE_KEYS},
        status=400 if form.errors else 200,
    )


@requires(Perm.MONITOR_FOLLOWUP)
@require_http_methods(["GET", "POST"])
def followup_edit(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    found = followup.get_follow_up(follow_up_id)
    initial = {
        "response_kind": found.response_kind,
        "text_nl": found.text_nl,
        "text_en": found.text_en,
        "owner": found.owner,
        "deadline": found.deadline,
        "status": found.status,
        "indicators": ", ".join(found.indicators or []),
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            followup.update_follow_up(
                acting=request.actor,  # type: ignore[attr-defined]
                follow_up_id=found.pk,
                data=form.data_input(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The response is saved."))
            return HttpResponseRedirect(reverse("monitor_report:follow-up"))
    return render(
        request,
        "monitor/report/followup_form.html",
        {"form": form, "conclusion": found.conclusion, "follow_up": found, "keys": figures_module.FIGURE_KEYS},
        status=400 if form.errors else 200,
    )


@requires(Perm.MONITOR_FOLLOWUP)
@require_POST
def followup_delete(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    found: FollowUp = followup.get_follow_up(follow_up_id)
    followup.delete_follow_up(acting=request.actor, follow_up_id=found.pk)  # type: ignore[attr-defined]
    messages.success(request, _("The response is removed."))
    return HttpResponseRedirect(reverse("monitor_report:follow-up"))
