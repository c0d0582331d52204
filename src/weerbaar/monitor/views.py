# SPDX-License-Identifier: EUPL-1.2
"""Web views of the monitor: thin adapters over waves.py, survey.py and benchmark.py.

Two audiences. Researchers and the ministry sign in (``MONITOR_VIEW`` to read, ``MONITOR_MANAGE``
to act). Municipalities need no account: their personal link opens the questionnaire and, after
closing, the benchmark sheet; those views are ``public`` and everything they show is decided by the
token (survey.py finds it by hash, counts failed look-ups and answers the same page for every
unknown link).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.accounts.authz import client_address, has_perm, origin_of
from weerbaar.accounts.declare import public, requires
from weerbaar.accounts.permissions import Perm
from weerbaar.monitor import benchmark, survey, waves
from weerbaar.monitor.codebook_schema import ItemSpec, describe
from weerbaar.monitor.forms import BenchmarkLinksForm, IssueLinkForm, WaveCloseForm, WaveCreateForm, WaveOpenForm
from weerbaar.monitor.models import Codebook, ItemType, Response, ResponseStatus, Theme, Wave, WaveState

V = TypeVar("V", bound=Callable[..., HttpResponse])

#: Colours of the progress chart (complete, partial, not started): distinguishable without colour
#: too, because every bar carries its numbers and the table beside it has them all.
CHART_COLOURS = {"complete": "#1d6f42", "partial": "#e0a526", "not_started": "#c9d1d9"}
CHART_WIDTH = 360


def _private(response: HttpResponse) -> HttpResponse:
    """Headers of every page opened by a personal link: never cached, never sent to another site as
    a referrer, never indexed (the link is the key to a municipality's answers). "same-origin"
    rather than "no-referrer": with no referrer at all, browsers send ``Origin: null`` with the
    page's forms and Django's CSRF check refuses them."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _wave_or_404(year: int) -> Wave:
    try:
        return waves.wave_by_year(year)
    except Wave.DoesNotExist:
        raise Http404 from None


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, texts in error.message_dict.items():
        target = name if name in form.fields else None
        for text in texts:
            form.add_error(target, text)


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- researchers ---------------------------------------------------------------------------------


@requires(Perm.MONITOR_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The waves with their state and response, and the codebook versions."""
    all_waves = list(Wave.objects.select_related("codebook").order_by("-year"))
    counts = waves.response_counts(all_waves)
    sizes = waves.population_sizes(w.year for w in all_waves)
    rows = []
    for wave in all_waves:
        c = counts.get(wave.pk, {"complete": 0, "partial": 0})
        total = sizes.get(wave.year, 0)
        rows.append(
            {
                "wave": wave,
                "total": total,
                "complete": c["complete"],
                "partial": c["partial"],
                "rate": (c["complete"] + c["partial"]) / total if total else None,
            }
        )
    return render(
        request,
        "monitor/home.html",
        {
            "rows": rows,
            "codebooks": Codebook.objects.order_by("-version"),
            "can_manage": has_perm(request.user, Perm.MONITOR_MANAGE),
            "any_synthetic": any(w.synthetic for w in all_waves),
        },
    )


@requires(Perm.MONITOR_MANAGE)
@require_http_methods(["GET", "POST"])
def wave_new(request: HttpRequest) -> HttpResponse:
    form = WaveCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = waves.create_wave(
                acting=request.actor,  # type: ignore[attr-defined]
                year=data["year"],
                closes_on=data["closes_on"],
                codebook_version=data["codebook_version"],
                title=data["title"],
                synthetic=data["synthetic"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Wave %(year)s created as a draft.") % {"year": wave.year})
            return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))
    return render(request, "monitor/wave_new.html", {"form": form})


def _bars(groups: Sequence[waves.GroupProgress]) -> dict[str, Any]:
    """Geometry of a stacked bar chart (complete, partial, not started) drawn as inline SVG."""
    row_height, gap, label_width = 22, 8, 190
    bars = []
    for index, group in enumerate(groups):
        y = index * (row_height + gap)
        x: float = label_width
        parts = []
        for key, value in (
            ("complete", group.complete),
            ("partial", group.partial),
            ("not_started", group.not_started),
        ):
            width = round(CHART_WIDTH * value / group.total, 1) if group.total else 0
            # As text: the template would localise a float ("190,0"), which SVG does not read.
            parts.append(
                {"key": key, "x": f"{x:g}", "width": f"{width:g}", "value": value, "colour": CHART_COLOURS[key]}
            )
            x += width
        bars.append(
            {
                "label": group.label,
                "y": y,
                "text_y": y + 15,
                "parts": parts,
                "total": group.total,
                "rate": group.response_rate,
                "end_x": label_width + CHART_WIDTH + 8,
            }
        )
    return {
        "bars": bars,
        "width": label_width + CHART_WIDTH + 120,
        "height": max(1, len(groups)) * (row_height + gap),
        "row_height": row_height,
    }


@requires(Perm.MONITOR_VIEW)
def wave_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The progress dashboard: counts per size class and region, a chart, a list per municipality."""
    wave = _wave_or_404(year)
    data = waves.progress(wave)
    rows = data.rows
    status = request.GET.get("status", "")
    if status in (ResponseStatus.COMPLETE, ResponseStatus.PARTIAL, waves.NOT_STARTED):
        rows = [r for r in rows if r.status == status]
    else:
        status = ""
    can_manage = has_perm(request.user, Perm.MONITOR_MANAGE)
    return render(
        request,
        "monitor/wave.html",
        {
            "wave": wave,
            "progress": data,
            "rows": rows,
            "status": status,
            "chart_size": _bars(data.by_size_class),
            "chart_region": _bars(data.by_region),
            "colours": CHART_COLOURS,
            "items_asked": len(waves.wave_items(wave)),
            "can_manage": can_manage,
            "open_form": WaveOpenForm() if can_manage and wave.state == WaveState.DRAFT else None,
            "close_form": WaveCloseForm() if can_manage and wave.state == WaveState.OPEN else None,
            "link_form": IssueLinkForm() if can_manage and wave.state != WaveState.DRAFT else None,
            "benchmark_form": BenchmarkLinksForm() if can_manage and wave.state == WaveState.CLOSED else None,
            "benchmark_until": waves.benchmark_until(wave),
        },
    )


@requires(Perm.MONITOR_MANAGE)
@require_POST
def wave_open(request: HttpRequest, year: int) -> HttpResponse:
    wave = _wave_or_404(year)
    form = WaveOpenForm(request.POST)
    if form.is_valid():
        try:
            contacts = waves.parse_contacts(form.cleaned_data["contacts"], wave.year)
            opened = waves.open_wave(
                acting=request.actor,  # type: ignore[attr-defined]
                year=wave.year,
                link_base=_link_base(request),
                contacts=contacts,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _private(
                render(request, "monitor/links.html", {"wave": opened.wave, "links": opened.links, "opened": True})
            )
    messages.error(request, _("The wave was not opened: %(errors)s") % {"errors": _errors_text(form)})
    return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))


def _errors_text(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@requires(Perm.MONITOR_MANAGE)
@require_POST
def wave_remind(request: HttpRequest, year: int) -> HttpResponse:
    wave = _wave_or_404(year)
    try:
        result = waves.send_reminders(acting=request.actor, year=wave.year)  # type: ignore[attr-defined]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(sent)d reminder(s) sent; %(without)d municipality(ies) without an e-mail address got none.")
            % {"sent": result.sent, "without": result.without_address},
        )
    return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))


@requires(Perm.MONITOR_MANAGE)
@require_POST
def wave_close(request: HttpRequest, year: int) -> HttpResponse:
    wave = _wave_or_404(year)
    form = WaveCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm closing the wave."))
    else:
        try:
            waves.close_wave(acting=request.actor, year=wave.year)  # type: ignore[attr-defined]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Wave %(year)s is closed.") % {"year": wave.year})
    return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))


@requires(Perm.MONITOR_MANAGE)
@require_POST
def wave_link(request: HttpRequest, year: int) -> HttpResponse:
    """A new personal link for one municipality (its old link stops working); shown once."""
    wave = _wave_or_404(year)
    form = IssueLinkForm(request.POST)
    if form.is_valid():
        try:
            link = waves.issue_link(
                acting=request.actor,  # type: ignore[attr-defined]
                year=wave.year,
                code=form.cleaned_data["code"],
                email=form.cleaned_data["email"],
                link_base=_link_base(request),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            wave.refresh_from_db()
            return _private(render(request, "monitor/links.html", {"wave": wave, "links": [link], "opened": False}))
    messages.error(request, _("No new link was made: %(errors)s") % {"errors": _errors_text(form)})
    return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))


@requires(Perm.MONITOR_MANAGE)
@require_POST
def wave_benchmark_links(request: HttpRequest, year: int) -> HttpResponse:
    """Benchmark links for a closed wave's respondents that have none (an imported wave); shown once."""
    wave = _wave_or_404(year)
    form = BenchmarkLinksForm(request.POST)
    if form.is_valid():
        try:
            contacts = waves.parse_contacts(form.cleaned_data["contacts"], wave.year)
            links = waves.issue_benchmark_links(
                acting=request.actor,  # type: ignore[attr-defined]
                year=wave.year,
                link_base=_link_base(request),
                contacts=contacts,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if not links:
                messages.info(request, _("Every municipality that responded already has a link."))
                return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))
            return _private(
                render(
                    request, "monitor/links.html", {"wave": wave, "links": links, "opened": False, "benchmark": True}
                )
            )
    messages.error(request, _("No links were made: %(errors)s") % {"errors": _errors_text(form)})
    return HttpResponseRedirect(reverse("monitor:wave", args=[wave.year]))


@requires(Perm.MONITOR_MANAGE)
def wave_benchmark(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A researcher's preview of one municipality's benchmark sheet (any state of the wave)."""
    wave = _wave_or_404(year)
    if code not in {m.cbs_code for m in waves.municipalities_of(wave)}:
        raise Http404
    sheet = benchmark.benchmark_sheet(wave, code)
    return render(request, "monitor/benchmark_preview.html", {"sheet": sheet, "wave": wave})


@requires(Perm.MONITOR_VIEW)
def codebooks(request: HttpRequest) -> HttpResponse:
    return render(request, "monitor/codebooks.html", {"codebooks": Codebook.objects.order_by("-version")})


def _lineage(item_id: str, previous: dict[str, str]) -> list[str]:
    """The chain of comparable earlier items: ``previous_id``, its ``previous_id``, …"""
    chain, seen = [], {item_id}
    current = previous.get(item_id, "")
    while current and current not in seen:
        chain.append(current)
        seen.add(current)
        current = previous.get(current, "")
    return chain


@requires(Perm.MONITOR_VIEW)
def codebook_detail(request: HttpRequest, version: int) -> HttpResponse:
    """A codebook version: items per theme, with the waves they were asked in and their lineage."""
    codebook = Codebook.objects.filter(version=version).first()
    if codebook is None:
        raise Http404
    items = list(codebook.items.order_by("order"))
    years = sorted({y for item in items for y in item.waves or []})
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and int(year_raw) in years else None
    previous = {item.item_id: item.previous_id for item in items}
    english = (request.LANGUAGE_CODE or "nl").startswith("en")
    types = dict(ItemType.choices)
    themes: dict[str, dict[str, Any]] = {}
    for item in items:
        if year is not None and year not in (item.waves or []):
            continue
        theme = themes.setdefault(item.theme, {"title": dict(Theme.choices).get(item.theme, item.theme), "items": []})
        theme["items"].append(
            {
                "id": item.item_id,
                "label": item.label_en if english else item.label_nl,
                "type": types.get(item.type, item.type),
                "answers": _answers_text(item, english),
                "waves": item.waves,
                "lineage": _lineage(item.item_id, previous),
                "routing": describe(item.ask_if) if item.ask_if else "",
            }
        )
    return render(
        request,
        "monitor/codebook.html",
        {
            "codebook": codebook,
            "themes": list(themes.values()),
            "years": years,
            "year": year,
            "count": sum(len(t["items"]) for t in themes.values()),
            "waves": Wave.objects.filter(codebook=codebook).order_by("year"),
        },
    )


def _answers_text(item: Any, english: bool) -> str:
    if item.type == ItemType.SCALE:
        return f"{item.scale_min}–{item.scale_max}"
    if item.type == ItemType.NUMBER:
        low = "" if item.number_min is None else f"{item.number_min:g}"
        high = "" if item.number_max is None else f"{item.number_max:g}"
        bounds = f"{low}–{high}" if (low or high) else ""
        return " ".join(p for p in (bounds, item.unit) if p)
    if item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        return " · ".join(c["label_en" if english else "label_nl"] for c in item.choices or [])
    return _("yes / no")


# --- municipalities: the personal link -----------------------------------------------------------


def _unavailable(request: HttpRequest, error: survey.Unavailable, token: str) -> HttpResponse:
    context = {"reason": error.reason, "benchmark_url": None}
    if error.benchmark_available:
        context["benchmark_url"] = reverse("monitor:survey-benchmark", args=[token])
    return _private(render(request, "monitor/survey/unavailable.html", context, status=error.status))


def _client(request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _token_view(kind: str) -> Callable[[V], V]:
    """Resolve the token first (survey or benchmark access); an unusable link gets its clear page."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            finder = survey.survey_access if kind == "survey" else survey.benchmark_access
            try:
                access = finder(token, client=_client(request))
                return _private(view(request, access, token, *args, **kwargs))
            except survey.Unavailable as error:
                return _unavailable(request, error, token)

        return public(wrapped)  # type: ignore[return-value]

    return decorator


def _numbering(items: Sequence[ItemSpec]) -> dict[str, int]:
    """Question numbers as the respondent sees them: page after page."""
    numbers: dict[str, int] = {}
    for page in survey.pages(items):
        for item in page.items:
            numbers[item.id] = len(numbers) + 1
    return numbers


def _page_status(items: Sequence[ItemSpec], answers: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for page in survey.pages(items):
        asked = survey.shown(page.items, answers)
        answered = sum(1 for i in asked if i.id in answers)
        found.append({"page": page, "asked": len(asked), "answered": answered, "done": answered == len(asked)})
    return found


@_token_view("survey")
def survey_home(request: HttpRequest, access: survey.Access, token: str) -> HttpResponse:
    """The overview: the pages with what is answered, resuming, and submitting."""
    return _overview(request, access, token)


def _overview(
    request: HttpRequest, access: survey.Access, token: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    items = waves.wave_items(access.wave)
    answers = survey.current_answers(access)
    status = _page_status(items, answers)
    resume = next((s["page"] for s in status if not s["done"]), None)
    response = Response.objects.filter(wave=access.wave, municipality_code=access.invitation.municipality_code).first()
    return render(
        request,
        "monitor/survey/overview.html",
        {
            "access": access,
            "wave": access.wave,
            "token": token,
            "pages": status,
            "resume": resume,
            "first": status[0]["page"] if status else None,
            "response": response,
            "complete": response is not None and response.status == ResponseStatus.COMPLETE,
            "answered": len(answers),
            "errors": errors or {},
        },
        status=400 if errors else 200,
    )


@_token_view("survey")
def survey_submit(request: HttpRequest, access: survey.Access, token: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("monitor:survey", args=[token]))
    try:
        survey.submit(access=access, origin=origin_of(request))
    except ValidationError as exc:
        return _overview(request, access, token, errors=exc.message_dict)
    messages.success(request, _("Thank you: your answers have been submitted."))
    return HttpResponseRedirect(reverse("monitor:survey", args=[token]))


def _number_hint(item: ItemSpec) -> str:
    """What a number question accepts, in words: "A number of at least 0, in fte."."""
    low, high = item.number_min, item.number_max
    if low is not None and high is not None:
        text = _("A number from %(min)s to %(max)s") % {"min": survey.show_number(low), "max": survey.show_number(high)}
    elif low is not None:
        text = _("A number of at least %(min)s") % {"min": survey.show_number(low)}
    elif high is not None:
        text = _("A number of at most %(max)s") % {"max": survey.show_number(high)}
    else:
        text = _("A number")
    if item.unit:
        text += ", " + _("in %(unit)s") % {"unit": item.unit}
    return text + "."


def _field(item: ItemSpec, number: int, value: Any, error: str | None, *, raw: bool) -> dict[str, Any]:
    """What the template needs to draw one question, with its current value (saved, or as typed)."""
    field: dict[str, Any] = {
        "id": item.id,
        "number": number,
        "label": survey.label(item),
        "type": item.type,
        "error": error,
        "unit": item.unit,
        "input_id": f"q-{item.id}",
    }
    if item.type == ItemType.NUMBER:
        field["value"] = (
            (value if isinstance(value, str) else survey.show_number(value)) if value not in (None, []) else ""
        )
        field["hint"] = _number_hint(item)
        return field
    if item.type == ItemType.YES_NO:
        options = [("1", _("Yes")), ("0", _("No"))]
    elif item.type == ItemType.SCALE:
        low, high = item.scale_min or 0, item.scale_max or 0
        options = [(str(v), str(v)) for v in range(low, high + 1)]
    else:
        options = [(c["code"], survey.choice_label(item, c["code"])) for c in item.choices]
    if item.type == ItemType.MULTI_CHOICE:
        chosen = {str(v) for v in (value or [])}
    else:
        chosen = {str(value).strip().lower() if raw else str(value)} if value not in (None, "") else set()
    field["multiple"] = item.type == ItemType.MULTI_CHOICE
    field["options"] = [
        {"value": code, "label": text, "checked": code in chosen, "input_id": f"q-{item.id}-{index}"}
        for index, (code, text) in enumerate(options)
    ]
    field["input_id"] = f"q-{item.id}-0"
    return field


@_token_view("survey")
def survey_page(request: HttpRequest, access: survey.Access, token: str, theme: str) -> HttpResponse:
    """One theme page: GET shows the questions routing asks; POST saves them (all or nothing)."""
    items = waves.wave_items(access.wave)
    all_pages = survey.pages(items)
    page = next((p for p in all_pages if p.theme == theme), None)
    if page is None:
        raise Http404
    errors: dict[str, str] = {}
    typed: dict[str, Any] | None = None
    if request.method == "POST":
        typed = {
            item.id: request.POST.getlist(item.id) if item.type == ItemType.MULTI_CHOICE else request.POST.get(item.id)
            for item in page.items
            if item.id in request.POST
        }
        try:
            saved = survey.save_page(access=access, theme=theme, raw=typed, origin=origin_of(request))
        except ValidationError as exc:
            errors = {key: texts[0] for key, texts in exc.message_dict.items()}
        else:
            return _after_save(request, token, all_pages, page, items, saved)
    answers = survey.current_answers(access)
    numbers = _numbering(items)
    visible = {i.id for i in survey.shown(page.items, answers)}
    fields = []
    for item in page.items:
        if item.id not in visible and item.id not in errors:
            continue
        if typed is not None:
            value, raw = typed.get(item.id), True
        else:
            value, raw = answers.get(item.id), False
        fields.append(_field(item, numbers[item.id], value, errors.get(item.id), raw=raw))
    position = all_pages.index(page)
    return render(
        request,
        "monitor/survey/page.html",
        {
            "access": access,
            "wave": access.wave,
            "token": token,
            "page": page,
            "pages": all_pages,
            "fields": fields,
            "errors": [f for f in fields if f["error"]],
            "previous": all_pages[position - 1] if position > 0 else None,
            "next": all_pages[position + 1] if position + 1 < len(all_pages) else None,
            "hidden_count": len(page.items) - len(visible),
        },
        status=400 if errors else 200,
    )


def _after_save(
    request: HttpRequest,
    token: str,
    all_pages: list[survey.Page],
    page: survey.Page,
    items: Sequence[ItemSpec],
    saved: survey.Saved,
) -> HttpResponse:
    numbers = _numbering(items)
    if saved.dropped:
        messages.info(
            request,
            _("These answers were removed because, given your answers, the questions no longer apply: %(numbers)s.")
            % {"numbers": ", ".join(str(numbers.get(i, i)) for i in saved.dropped)},
        )
    if saved.reopened:
        messages.warning(
            request, _("Your changes add questions: answer them and submit again before the closing date.")
        )
    here = reverse("monitor:survey-page", args=[token, page.theme])
    if saved.appeared:
        messages.info(request, _("Your answers bring up further questions on this page."))
        return HttpResponseRedirect(here)
    action = request.POST.get("action", "next")
    position = all_pages.index(page)
    if action == "previous" and position > 0:
        return HttpResponseRedirect(reverse("monitor:survey-page", args=[token, all_pages[position - 1].theme]))
    if action == "next" and position + 1 < len(all_pages):
        return HttpResponseRedirect(reverse("monitor:survey-page", args=[token, all_pages[position + 1].theme]))
    if action == "save":
        messages.success(request, _("Your answers on this page have been saved."))
        return HttpResponseRedirect(here)
    return HttpResponseRedirect(reverse("monitor:survey", args=[token]))


@_token_view("benchmark")
def survey_benchmark(request: HttpRequest, access: survey.Access, token: str) -> HttpResponse:
    """The municipality's private benchmark sheet (after closing)."""
    sheet = benchmark.benchmark_sheet(access.wave, access.invitation.municipality_code)
    return render(
        request,
        "monitor/survey/benchmark.html",
        {"sheet": sheet, "wave": access.wave, "token": token, "until": waves.benchmark_until(access.wave)},
    )
