# SPDX-License-Identifier: EUPL-1.2
"""The report as people read it: HTML (a web page or a file) and PDF (WeasyPrint), from the report
document of report.py.

Per theme: the figures with their 95 % intervals, the weighted figure, the trend and the test of
the last change, breakdowns by size class and RIEC region (a withheld cell shows "–" with a
footnote), and charts; then the weighting (what it changed), the explanatory models with their
uncertainty, the researchers' conclusions with the policy follow-up, and the operational figures.
A synthetic wave says so at the top of every page (HTML banner; PDF banner on the first page and a
running header on every page).

Deterministic: the only varying input is ``generated_at`` (default: now), which callers can fix
(``--generated-at``, or ``SOURCE_DATE_EPOCH`` as reproducible builds use), so the same data give the
same HTML and the same PDF bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from weerbaar.monitor import charts
from weerbaar.monitor import figures as figures_module
from weerbaar.monitor.models import ItemType, ResponseKind, SizeClass, Theme

FORMATS = ("json", "html", "pdf")
CONTENT_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
SUPPRESSED = "–"
#: A change is marked when its test gives p below this.
SIGNIFICANT = 0.05


def generation_time(value: str | None = None) -> datetime:
    """The generation time printed in the report: ``value`` (ISO 8601), else ``SOURCE_DATE_EPOCH``,
    else now."""
    if value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


# --- formatting -------------------------------------------------------------------------------------


def _num(value: float, digits: int, english: bool) -> str:
    text = f"{value:,.{digits}f}"
    if english:
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def pct(value: float | None, english: bool, digits: int = 0) -> str:
    return SUPPRESSED if value is None else f"{_num(100 * value, digits, english)} %"


def interval(low: float | None, high: float | None, english: bool, *, percent: bool, digits: int = 0) -> str:
    if low is None or high is None:
        return ""
    if percent:
        return f"{_num(100 * low, digits, english)}–{_num(100 * high, digits, english)} %"
    return f"{_num(low, digits, english)}–{_num(high, digits, english)}"


def _mean_digits(value: float | None) -> int:
    if value is None:
        return 1
    return 2 if abs(value) < 10 else (1 if abs(value) < 1000 else 0)


def _label(meta: Mapping[str, Any], english: bool) -> str:
    return str(meta.get("label_en" if english else "label_nl") or meta.get("label_nl") or "")


def _choice_labels(meta: Mapping[str, Any], english: bool) -> dict[str, str]:
    return {c["code"]: c["label_en" if english else "label_nl"] or c["code"] for c in meta.get("choices", [])}


def _group_label(by: str, group: str) -> str:
    if by == "size_class":
        return {
            "under_20k": "< 20k",
            "20k_50k": "20–50k",
            "50k_100k": "50–100k",
            "100k_plus": "≥ 100k",
        }.get(group, group)
    return group


def size_class_label(code: str) -> str:
    return str(dict(SizeClass.choices).get(code, code))


def theme_label(code: str) -> str:
    return str(dict(Theme.choices).get(code, code))


# --- per item -----------------------------------------------------------------------------------------


def _value_text(entry: Mapping[str, Any], item_type: str, english: bool, meta: Mapping[str, Any]) -> tuple[str, str]:
    """The national figure and its interval as text."""
    if entry.get("suppressed"):
        return SUPPRESSED, ""
    if item_type == ItemType.YES_NO:
        return pct(entry.get("share"), english), interval(
            entry.get("ci_low"), entry.get("ci_high"), english, percent=True
        )
    mean = entry.get("mean")
    if mean is None:
        return SUPPRESSED if entry.get("n") else "", ""
    digits = _mean_digits(mean)
    unit = f" {meta.get('unit')}" if meta.get("unit") else ""
    return (
        _num(mean, digits, english) + unit,
        interval(entry.get("ci_low"), entry.get("ci_high"), english, percent=False, digits=digits),
    )


def _cell_text(cell: Mapping[str, Any], item_type: str, english: bool, code: str | None = None) -> dict[str, Any]:
    hidden = bool(cell.get("suppressed"))
    if hidden:
        text = SUPPRESSED
    elif item_type == ItemType.YES_NO:
        text = pct(cell.get("share"), english) if cell.get("share") is not None else ""
    elif item_type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        shares = cell.get("shares") or {}
        text = pct(shares.get(code), english) if shares.get(code) is not None else ""
    else:
        mean = cell.get("mean")
        text = "" if mean is None else _num(mean, _mean_digits(mean), english)
    return {"text": text, "n": cell.get("n", 0), "N": cell.get("N", 0), "suppressed": hidden}


def _change_text(
    changes: Sequence[Mapping[str, Any]], english: bool, *, percent: bool, choice: str | None = None
) -> dict[str, Any] | None:
    relevant = [c for c in changes if c.get("choice") == choice]
    if not relevant:
        return None
    last = relevant[-1]
    diff = last.get("difference")
    if diff is None:
        return None
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    size = abs(diff) * (100 if percent else 1)
    unit = " pp" if percent else ""
    p = last.get("p_value")
    return {
        "text": f"{sign}{_num(size, 0 if percent else 2, english)}{unit}",
        "years": f"{last['from']}→{last['to']}",
        "p": ""
        if p is None
        else ("< 0,001" if not english and p < 0.001 else ("< 0.001" if p < 0.001 else _num(p, 3, english))),
        "significant": p is not None and p < SIGNIFICANT,
    }


def _trend_texts(
    entry: Mapping[str, Any], item_type: str, english: bool, code: str | None = None
) -> list[dict[str, Any]]:
    out = []
    for point in entry.get("trend", []):
        if point.get("suppressed"):
            text = SUPPRESSED
        elif item_type == ItemType.YES_NO:
            text = pct(point.get("share"), english)
        elif item_type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
            shares = point.get("shares") or {}
            text = pct(shares.get(code), english) if shares.get(code) is not None else ""
        else:
            mean = point.get("mean")
            text = "" if mean is None else _num(mean, _mean_digits(mean), english)
        out.append({"year": point["year"], "text": text, "item": point.get("item", "")})
    return out


def item_rows(
    item_id: str, entry: Mapping[str, Any], meta: Mapping[str, Any], english: bool, breakdowns: Sequence[str]
) -> list[dict[str, Any]]:
    """Rows of the tables for one item: one row, or one per choice code for a choice item."""
    item_type = entry["type"]
    label = _label(meta, english)
    base = {"id": item_id, "label": label, "type": item_type, "n": entry["n"], "N": entry["N"]}
    if item_type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        labels = _choice_labels(meta, english)
        rows = [{**base, "header": True, "value": "", "ci": "", "weighted": "", "trend": [], "change": None, "by": {}}]
        shares = entry.get("shares") or {}
        weighted = (entry.get("weighted") or {}).get("shares") or {}
        for code, text in labels.items():
            est = shares.get(code) or {}
            hidden = bool(entry.get("suppressed"))
            rows.append(
                {
                    **base,
                    "header": False,
                    "choice": text,
                    "value": SUPPRESSED if hidden else pct(est.get("share"), english),
                    "ci": "" if hidden else interval(est.get("ci_low"), est.get("ci_high"), english, percent=True),
                    "weighted": pct((weighted.get(code) or {}).get("share"), english) if weighted.get(code) else "",
                    "trend": _trend_texts(entry, item_type, english, code),
                    "change": _change_text(entry.get("changes", []), english, percent=True, choice=code),
                    "by": {
                        by: [_cell_text(cell, item_type, english, code) for cell in entry["by"].get(by, {}).values()]
                        for by in breakdowns
                    },
                }
            )
        return rows
    value, ci = _value_text(entry, item_type, english, meta)
    weighted = entry.get("weighted")
    if weighted:
        wtext, _wci = _value_text({**weighted, "n": entry["n"]}, item_type, english, meta)
    else:
        wtext = ""
    return [
        {
            **base,
            "header": False,
            "value": value,
            "ci": ci,
            "weighted": wtext,
            "trend": _trend_texts(entry, item_type, english),
            "change": _change_text(entry.get("changes", []), english, percent=item_type == ItemType.YES_NO),
            "by": {
                by: [_cell_text(cell, item_type, english) for cell in entry["by"].get(by, {}).values()]
                for by in breakdowns
            },
        }
    ]


# --- charts ---------------------------------------------------------------------------------------------


def theme_charts(document: Mapping[str, Any], item_ids: Sequence[str], english: bool) -> list[dict[str, str]]:
    """Per theme: the yes/no shares, the scale means, and the change since the first comparable wave."""
    items = document["analysis"]["items"]
    meta = document["items"]
    found: list[dict[str, str]] = []
    yes_no = [i for i in item_ids if items[i]["type"] == ItemType.YES_NO and items[i]["n"] > 0]
    if yes_no:
        points = [
            charts.Point(
                charts.short(_label(meta[i], english)),
                items[i].get("share"),
                items[i].get("ci_low"),
                items[i].get("ci_high"),
                bool(items[i].get("suppressed")),
            )
            for i in yes_no
        ]
        uri = charts.interval_chart(
            points, title=_("Share of municipalities answering yes (95 % interval)"), percent=True, lower=0, upper=1
        )
        if uri:
            found.append({"uri": uri, "alt": _("Chart of the shares in the table below.")})
    scales = [i for i in item_ids if items[i]["type"] == ItemType.SCALE and items[i]["n"] > 0]
    if scales:
        bounds = [meta[i].get("scale") or {} for i in scales]
        low = min((b.get("min") or 1) for b in bounds)
        high = max((b.get("max") or 5) for b in bounds)
        points = [
            charts.Point(
                charts.short(_label(meta[i], english)),
                items[i].get("mean"),
                items[i].get("ci_low"),
                items[i].get("ci_high"),
                bool(items[i].get("suppressed")),
            )
            for i in scales
        ]
        uri = charts.interval_chart(
            points, title=_("Mean on the scale (95 % interval)"), percent=False, lower=low, upper=high
        )
        if uri:
            found.append({"uri": uri, "alt": _("Chart of the means in the table below.")})
    rows = []
    for i in yes_no:
        trend = [p for p in items[i].get("trend", []) if p.get("share") is not None]
        if len(trend) >= 2 and trend[-1]["year"] == document["wave"]["year"]:
            rows.append(
                (
                    charts.short(_label(meta[i], english), 48),
                    trend[0]["year"],
                    trend[0]["share"],
                    trend[-1]["year"],
                    trend[-1]["share"],
                )
            )
    if rows:
        uri = charts.dumbbell_chart(rows, title=_("Change since the first comparable wave"))
        if uri:
            found.append(
                {"uri": uri, "alt": _("Chart of the change per item, as in the trend column of the table below.")}
            )
    return found


def term_label(name: str, english: bool) -> str:
    if name == "const":
        return _("intercept")
    if name.startswith("size_class[") and name.endswith("]"):
        return _("size class: %(group)s") % {"group": size_class_label(name[11:-1])}
    if name.startswith("riec_region[") and name.endswith("]"):
        return _("RIEC region: %(group)s") % {"group": name[12:-1]}
    return name


def model_rows(document: Mapping[str, Any], english: bool, *, with_charts: bool = True) -> list[dict[str, Any]]:
    meta = document["items"]
    specs = {s["outcome"]: s for s in document.get("model_specs", [])}
    out = []
    for model in document["analysis"]["models"]:
        spec = specs.get(model["outcome"], {})
        covariate_labels = [
            _("size class")
            if c == "size_class"
            else _("RIEC region")
            if c == "riec_region"
            else f"{c} ({charts.short(_label(meta.get(c, {}), english), 60)})"
            for c in spec.get("covariates", [])
        ]
        terms = [
            {
                "name": term_label(t["name"], english),
                "raw": t["name"],
                "odds_ratio": "" if t["odds_ratio"] is None else _num(t["odds_ratio"], 2, english),
                "ci": interval(t["ci_low"], t["ci_high"], english, percent=False, digits=2),
                "p": ""
                if t["p_value"] is None
                else (
                    ("< 0.001" if english else "< 0,001") if t["p_value"] < 0.001 else _num(t["p_value"], 3, english)
                ),
                "significant": t["p_value"] is not None and t["p_value"] < SIGNIFICANT,
            }
            for t in model["terms"]
            if t["name"] != "const"
        ]
        fit = model.get("fit") or {}
        chart = None
        if with_charts and model["ok"]:
            chart = charts.odds_ratio_chart(
                [
                    (term_label(t["name"], english), t["odds_ratio"], t["ci_low"], t["ci_high"])
                    for t in model["terms"]
                    if t["name"] != "const"
                ],
                title=_("Odds ratios with 95 % intervals (log scale; 1 = no difference)"),
            )
        out.append(
            {
                "outcome": model["outcome"],
                "outcome_label": _label(meta.get(model["outcome"], {}), english),
                "question": spec.get("question_en" if english else "question_nl", ""),
                "kind": model["kind"],
                "ok": model["ok"],
                "message": model["message"],
                "n": model["n"],
                "covariates": covariate_labels,
                "replaced": spec.get("replaced", {}),
                "not_asked": spec.get("not_asked", []),
                "reference": {
                    (_("size class") if k == "size_class" else _("RIEC region") if k == "riec_region" else k): (
                        size_class_label(v) if k == "size_class" else v
                    )
                    for k, v in model.get("reference", {}).items()
                },
                "merged": model.get("merged", {}),
                "notes": model.get("notes", []),
                "terms": terms,
                "pseudo_r2": "" if fit.get("pseudo_r2") is None else _num(fit["pseudo_r2"], 3, english),
                "lr": "" if fit.get("lr_stat") is None else _num(fit["lr_stat"], 1, english),
                "lr_df": fit.get("lr_df"),
                "lr_p": ""
                if fit.get("lr_p_value") is None
                else (
                    ("< 0.001" if english else "< 0,001")
                    if fit["lr_p_value"] < 0.001
                    else _num(fit["lr_p_value"], 3, english)
                ),
                "chart": chart,
            }
        )
    return out


def figure_rows(published: Mapping[str, Any], english: bool, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Operational figures as table rows: national total (or mean days) and per size class."""
    rows = []
    for key, entry in published.get("figures", {}).items():
        if keys is not None and key not in keys:
            continue
        kind = entry.get("kind", figures_module.COUNT)

        def text(cell: Mapping[str, Any], kind: str = kind) -> str:
            if cell.get("suppressed"):
                return SUPPRESSED
            if cell.get("n", 0) == 0:
                return ""
            if kind == figures_module.COUNT:
                return _num(float(cell.get("total") or 0), 0, english)
            return _num(float(cell.get("mean") or 0), 1, english)

        rows.append(
            {
                "key": key,
                "label": figures_module.label(key, english),
                "kind": kind,
                "n": entry.get("n", 0),
                "value": text(entry),
                "mean": ""
                if entry.get("mean") is None or kind != figures_module.COUNT
                else _num(entry["mean"], 1, english),
                "by": {
                    by: [{"text": text(c), "n": c.get("n", 0)} for c in cells.values()]
                    for by, cells in entry.get("by", {}).items()
                },
            }
        )
    return rows


# --- the whole report ---------------------------------------------------------------------------------------


def context(
    document: Mapping[str, Any], *, english: bool, generated_at: datetime, with_charts: bool = True, pdf: bool = False
) -> dict[str, Any]:
    """Everything the report templates show, as plain values."""
    analysis = document["analysis"]
    breakdowns = [
        b for b in ("size_class", "riec_region") if any(b in e.get("by", {}) for e in analysis["items"].values())
    ]
    first = next(iter(analysis["items"].values()), None)
    groups = {by: list((first or {}).get("by", {}).get(by, {}).keys()) for by in breakdowns}
    themes = []
    for theme in document["themes"]:
        rows = []
        for item_id in theme["items"]:
            rows += item_rows(
                item_id, analysis["items"][item_id], document["items"].get(item_id, {}), english, breakdowns
            )
        themes.append(
            {
                "code": theme["code"],
                "label": theme_label(theme["code"]),
                "rows": rows,
                "charts": theme_charts(document, theme["items"], english) if with_charts else [],
                "conclusions": [c for c in document["conclusions"] if c["theme"] == theme["code"]],
            }
        )
    weighting = analysis.get("weighting")
    weighting_rows = []
    changes = []
    if weighting:
        for group, row in weighting["classes"].items():
            weighting_rows.append(
                {
                    "label": size_class_label(group),
                    "N": row["N"],
                    "respondents": row["respondents"],
                    "rate": pct(row["response_rate"], english),
                    "weight": "" if row["weight"] is None else _num(row["weight"], 2, english),
                }
            )
        for change in weighting["largest_changes"]:
            meta = document["items"].get(change["item"], {})
            percent = change["stat"] == "share"
            choice = _choice_labels(meta, english).get(change["category"] or "", change["category"] or "")
            changes.append(
                {
                    "label": charts.short(_label(meta, english), 80) + (f" — {choice}" if choice else ""),
                    "unweighted": pct(change["unweighted"], english)
                    if percent
                    else _num(change["unweighted"] or 0, 2, english),
                    "weighted": pct(change["weighted"], english)
                    if percent
                    else _num(change["weighted"] or 0, 2, english),
                    "difference": (
                        f"{_num(100 * change['difference'], 1, english)} pp"
                        if percent
                        else _num(change["difference"] or 0, 2, english)
                    ),
                }
            )
    kinds = dict(ResponseKind.choices)
    conclusions = [
        {
            **c,
            "text": (c["text_en"] or c["text_nl"]) if english else c["text_nl"],
            "theme_label": theme_label(c["theme"]) if c["theme"] else "",
            "follow_ups": [
                {
                    **f,
                    "kind_label": kinds.get(f["response_kind"], f["response_kind"]),
                    "text": (f["text_en"] or f["text_nl"]) if english else f["text_nl"],
                }
                for f in c["follow_ups"]
            ],
        }
        for c in document["conclusions"]
    ]
    published = document.get("operational_figures") or {}
    frame = document["population_frame"]
    wave = document["wave"]
    return {
        "doc": document,
        "pdf": pdf,
        "wave": wave,
        "synthetic": bool(wave["synthetic"]),
        "english": english,
        "generated_at": generated_at,
        "generated_text": generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "population": analysis["population"],
        "response_rate": pct(analysis["population"]["respondents"] / analysis["population"]["N"], english)
        if analysis["population"]["N"]
        else "",
        "frame": frame,
        "frame_classes": [{"label": size_class_label(k), "N": v} for k, v in frame["size_class"].items()],
        "frame_regions": list(frame["riec_region"].items()),
        "trend_waves": document["trend_waves"],
        "min_cell": analysis["suppression"]["min_cell"],
        "breakdowns": breakdowns,
        "groups": {by: [_group_label(by, g) for g in gs] for by, gs in groups.items()},
        "group_titles": {
            by: [size_class_label(g) if by == "size_class" else g for g in gs] for by, gs in groups.items()
        },
        "themes": themes,
        "weighting": weighting_rows,
        "weighting_changes": changes,
        "models": model_rows(document, english, with_charts=with_charts),
        "conclusions": conclusions,
        "figures": figure_rows(published, english),
        "figures_meta": published,
        "size_classes": [size_class_label(c) for c, _l in SizeClass.choices],
    }


def render_html(
    document: Mapping[str, Any], *, english: bool = False, generated_at: datetime | None = None, pdf: bool = False
) -> str:
    """The report as one self-contained HTML file (styles and charts inside). ``pdf``: the version
    WeasyPrint draws, without the per-answer breakdowns of choice questions (thousands of table
    cells that would triple the time to lay the PDF out; the HTML and JSON keep them)."""
    with translation.override("en" if english else "nl"):
        ctx = context(document, english=english, generated_at=generated_at or generation_time(), pdf=pdf)
        return render_to_string("monitor/report/document.html", ctx)


def render_pdf(document: Mapping[str, Any], *, english: bool = False, generated_at: datetime | None = None) -> bytes:
    """The report as PDF (WeasyPrint draws the same HTML with its print styles)."""
    from weasyprint import HTML  # imported here: loading it costs a second, and only reports need it

    html = render_html(document, english=english, generated_at=generated_at, pdf=True)
    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf


def render(
    document: Mapping[str, Any], file_format: str, *, english: bool = False, generated_at: datetime | None = None
) -> bytes:
    from weerbaar.monitor.report import document_bytes

    if file_format == "json":
        return document_bytes(document)
    if file_format == "html":
        return render_html(document, english=english, generated_at=generated_at).encode("utf-8")
    if file_format == "pdf":
        return render_pdf(document, english=english, generated_at=generated_at)
    raise ValueError(f"unknown format {file_format!r}")


def download_name(year: int, file_format: str, synthetic: bool) -> str:
    return f"monitor-{year}{'-synthetic' if synthetic else ''}.{file_format}"
