# SPDX-License-Identifier: EUPL-1.2
"""The private benchmark sheet: a municipality's own answers beside its size class, its RIEC region
and the country.

The comparison figures are the published figures: the wave is analysed by the monitor's analysis
package (``weerbaar.monitor.analysis``) with its default disclosure rule, so a group of fewer than
five municipalities — and any cell that would give such a group away from the totals
(complementary suppression) — shows no figure, exactly as in the report. The sheet adds only the
municipality's own answers, which it already knows.

When: the sheet opens after the wave closes (figures final; see survey.py for why not earlier) and
stays reachable with the municipality's link for ``waves.BENCHMARK_DAYS`` days. Researchers (wave
management) can preview any municipality's sheet at any time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from weerbaar.monitor.analysis import AnalysisConfig, analyse, build_report, codebook_of
from weerbaar.monitor.analysis import Item as AnalysisItem
from weerbaar.monitor.analysis import Wave as AnalysisWave
from weerbaar.monitor.codebook_schema import ItemSpec
from weerbaar.monitor.models import Municipality, Response, SizeClass, Wave, item_dict
from weerbaar.monitor.survey import choice_label, label, pages, show_number
from weerbaar.monitor.waves import frame_year, municipalities_of, wave_items

#: Shown in a cell whose figure is withheld (fewer than five municipalities, or would reveal one).
SUPPRESSED = "•"
CACHE_SECONDS = 24 * 3600


# --- the wave's figures (the analysis package) ---------------------------------------------------


def analysis_inputs(wave: Wave) -> tuple[AnalysisWave, dict[str, AnalysisItem]]:
    """A stored wave as the analysis package's plain inputs: answers per municipality and the
    population frame of the wave's municipalities (its lineage year)."""
    items = [AnalysisItem.from_mapping(item_dict(item)) for item in wave.codebook.items.order_by("order")]
    codebook = codebook_of(items)
    asked = [item.id for item in items if wave.year in item.waves]
    population = pd.DataFrame.from_records(
        [
            {
                "municipality_code": m.cbs_code,
                "size_class": m.size_class,
                "riec_region": m.riec_region,
                "population": m.population,
            }
            for m in municipalities_of(wave)
        ],
        columns=["municipality_code", "size_class", "riec_region", "population"],
    )
    rows = list(Response.objects.filter(wave=wave).values_list("municipality_code", "answers"))
    answers = pd.DataFrame.from_records(
        [{key: value for key, value in answers.items() if key in codebook} for _code, answers in rows],
        index=pd.Index([code for code, _answers in rows], name="municipality_code"),
        columns=asked,
    )
    return AnalysisWave(year=wave.year, answers=answers, population=population), codebook


def wave_figures(wave: Wave) -> dict[str, Any]:
    """The wave's report figures after disclosure control (the analysis package's report JSON).

    Cached per state of the responses (their number and latest change), so a closed wave is
    analysed once and an open one again after every change.
    """
    state = Response.objects.filter(wave=wave).aggregate(n=Count("id"), last=Max("updated_at"))
    last = state["last"].isoformat() if state["last"] else ""
    key = f"monitor:figures:{wave.pk}:{wave.codebook_id}:{state['n']}:{last}"
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    data, codebook = analysis_inputs(wave)
    figures = build_report(analyse([data], codebook, AnalysisConfig(weight_by=None)), wave.year)
    cache.set(key, figures, CACHE_SECONDS)
    return figures


# --- the sheet -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One comparison figure: ``text`` for the table, ``share`` (0–1) for a bar, ``n`` respondents."""

    text: str
    n: int
    suppressed: bool = False
    share: float | None = None


@dataclass(frozen=True)
class Row:
    number: int
    item_id: str
    question: str
    kind: str
    own: str
    size_class: Cell
    region: Cell
    country: Cell
    unit: str = ""

    @property
    def cells(self) -> list[Cell]:
        """The comparison columns in reading order: size class, region, country."""
        return [self.size_class, self.region, self.country]


@dataclass(frozen=True)
class Section:
    theme: str
    title: str
    rows: list[Row]


@dataclass
class Sheet:
    wave: Wave
    municipality: Municipality
    size_class_label: str
    status: str  # complete | partial | not_started
    respondents: int
    population: int
    min_cell: int
    sections: list[Section] = field(default_factory=list)


def _percent(share: float | None) -> str:
    if share is None:
        return ""
    return f"{round(share * 100)}%"


def _mean(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    shown = show_number(round(value, 1))
    return f"{shown} {unit}".strip()


def own_answer(item: ItemSpec, value: Any) -> str:
    """The municipality's own answer as it reads in the questionnaire."""
    if value is None:
        return _("not answered")
    if item.type == "yes_no":
        return _("yes") if value == 1 else _("no")
    if item.type == "number":
        return f"{show_number(value)} {item.unit}".strip()
    if item.type == "scale":
        return str(value)
    if item.type == "choice":
        return choice_label(item, str(value))
    return "; ".join(choice_label(item, str(code)) for code in value)


def _reveals_others(item: ItemSpec, figure: Mapping[str, Any], own: Any, n: int, min_cell: int) -> bool:
    """The reader knows its own answer, so it can take itself out of the group: the figure would then
    describe ``n - 1`` others. Withheld when those are fewer than ``min_cell``, or (yes/no) when they
    all answered alike — the published rule applied to what this reader, not the public, can derive."""
    if own is None or own == "" or own == []:
        return False
    if n - 1 < min_cell:
        return True
    if item.type == "yes_no" and figure.get("share") is not None:
        yes_others = float(figure["share"]) * n - (1.0 if str(own) in ("1", "True", "true") else 0.0)
        return round(yes_others, 6) in (0.0, float(n - 1))
    return False


def _cell(item: ItemSpec, figure: Mapping[str, Any] | None, own: Any, *, national: bool, min_cell: int = 5) -> Cell:
    """A group's figure for ``item``: the share saying yes (or choosing the municipality's own
    option), or the mean; withheld when the analysis suppressed it, or when this municipality could
    read the other members' answers off it by taking its own answer out."""
    if figure is None:
        return Cell("", 0)
    n = int(figure.get("n") or 0)
    if figure.get("suppressed") or (n and _reveals_others(item, figure, own, n, min_cell)):
        return Cell(SUPPRESSED, n, suppressed=True)
    if n == 0:
        return Cell("—", 0)
    if item.type == "yes_no":
        share = figure.get("share")
        return Cell(_("%(share)s yes") % {"share": _percent(share)}, n, share=share)
    if item.type in ("scale", "number"):
        return Cell(_mean(figure.get("mean"), item.unit), n)
    shares_raw = figure.get("shares") or {}
    shares = {code: (v.get("share") if national and isinstance(v, Mapping) else v) for code, v in shares_raw.items()}
    chosen = [str(own)] if item.type == "choice" and own is not None else [str(c) for c in (own or [])]
    if not chosen:  # not answered: the most frequent option
        best = max(shares.items(), key=lambda kv: kv[1] or 0.0, default=None)
        if best is None or best[1] is None:
            return Cell("—", n)
        return Cell(
            _("most often %(option)s (%(share)s)")
            % {"option": choice_label(item, best[0]), "share": _percent(best[1])},
            n,
        )
    parts = [
        f"{choice_label(item, code)} {_percent(shares.get(code))}" for code in chosen if shares.get(code) is not None
    ]
    first = shares.get(chosen[0])
    return Cell("; ".join(parts) or "—", n, share=first if len(chosen) == 1 else None)


def benchmark_sheet(wave: Wave, code: str) -> Sheet:
    """The sheet of municipality ``code`` (a code of the wave's municipalities)."""
    municipality = Municipality.objects.get(year=frame_year(wave.year) or wave.year, cbs_code=code)
    response = Response.objects.filter(wave=wave, municipality_code=code).first()
    answers: dict[str, Any] = dict(response.answers) if response is not None else {}
    figures = wave_figures(wave)
    body = figures.get("items", {})
    min_cell = int(figures.get("suppression", {}).get("min_cell", 5))
    size = municipality.size_class
    region = municipality.riec_region
    sections = []
    number = 0
    for page in pages(wave_items(wave)):
        rows = []
        for item in page.items:
            number += 1
            entry = body.get(item.id)
            by = (entry or {}).get("by", {})
            own = answers.get(item.id)
            rows.append(
                Row(
                    number=number,
                    item_id=item.id,
                    question=label(item),
                    kind=item.type,
                    own=own_answer(item, own),
                    size_class=_cell(item, by.get("size_class", {}).get(size), own, national=False, min_cell=min_cell),
                    region=_cell(item, by.get("riec_region", {}).get(region), own, national=False, min_cell=min_cell),
                    country=_cell(item, entry, own, national=True, min_cell=min_cell),
                    unit=item.unit,
                )
            )
        sections.append(Section(page.theme, page.title, rows))
    return Sheet(
        wave=wave,
        municipality=municipality,
        size_class_label=str(dict(SizeClass.choices).get(size, size)),
        status=response.status if response is not None else "not_started",
        respondents=int(figures.get("population", {}).get("respondents", 0)),
        population=int(figures.get("population", {}).get("N", 0)),
        min_cell=min_cell,
        sections=sections,
    )


def render_sheet(wave: Wave, code: str, *, language: str = "nl") -> str:
    """One municipality's sheet as a standalone HTML document (for a command that writes every
    municipality's sheet to a file, or for PDF): the same content as the page behind the link."""
    with translation.override(language):
        sheet = benchmark_sheet(wave, code)
        return render_to_string("monitor/benchmark_document.html", {"sheet": sheet, "language": language})
