# SPDX-License-Identifier: EUPL-1.2
"""The report of a wave: the stored answers through the analysis package, with what a reader needs
around the figures (labels, population frame, models, conclusions, operational figures).

Django orchestrates, the analysis package computes (style.md, habit 6): this module turns
``Response`` rows and the lineage into :class:`weerbaar.monitor.analysis.Wave` objects, calls
:func:`~weerbaar.monitor.analysis.analyse` and :func:`~weerbaar.monitor.analysis.build_report`, and
wraps the result in a *report document* (docs/monitor-report.md):

- ``analysis`` is the analysis package's report JSON, unchanged; it validates against
  ``report.schema.json``, whose top level admits no other keys — which is why everything else
  (labels, the synthetic notice, conclusions …) sits beside it rather than in it;
- the rest is the context: the wave (and whether it is synthetic), the population frame of the
  wave's lineage year with size class and RIEC region for every municipality, the earlier waves
  the trends use and how their municipalities map onto today's, labels per item and theme, the
  explanatory models asked for, the conclusions with their follow-up and the operational figures.

**Which waves a trend uses.** Every earlier wave with answers and the *same* ``synthetic`` flag:
a real wave is never compared with demo data, and a synthetic report never borrows real figures.
Each wave is analysed with the municipalities of its own year (its unit of analysis, as the
published monitor did); the ``trend_waves`` section says, per earlier wave, how many of its
municipalities have since merged into how many of today's.

**Reproducible.** The document holds no timestamp and is built in a fixed order from the stored
data, so the same data give byte-identical JSON (:func:`document_bytes`); the HTML and PDF add only
a generation time that the caller can fix (report_render.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from weerbaar.monitor import lineage
from weerbaar.monitor.analysis import AnalysisConfig, ModelSpec, analyse, build_report, codebook_of, load_schema
from weerbaar.monitor.analysis import Item as AnalysisItem
from weerbaar.monitor.analysis import Wave as AnalysisWave
from weerbaar.monitor.models import (
    Conclusion,
    FollowUp,
    Item,
    ItemType,
    Municipality,
    Response,
    ResponseStatus,
    SizeClass,
    Theme,
    Wave,
    item_dict,
)

DOCUMENT = "weerbaar-monitor-report"
DOCUMENT_VERSION = 1
CACHE_SECONDS = 24 * 3600
POPULATION_COLUMNS = ["municipality_code", "size_class", "riec_region", "population"]


@dataclass(frozen=True)
class ModelDef:
    """An explanatory model the report fits: an outcome and its numeric covariates (item ids).

    Size class and RIEC region always enter (as dummies, see the analysis package). A covariate
    item not asked in a wave's year is replaced by its comparable predecessor (``previous_id``)
    asked then, or left out, and the document says which (``model_specs``).
    """

    outcome: str
    covariates: tuple[str, ...]
    why_en: str
    why_nl: str


#: The models of monitor.md: which factors explain differences between municipalities. Capacity is
#: the FTE deployed (``or_fte_total``), funding the judgement that funding is sufficient
#: (``fa_funding``, 1–5).
DEFAULT_MODELS: tuple[ModelDef, ...] = (
    ModelDef(
        "ad_bibob_policy",
        ("or_fte_total", "fa_funding"),
        "Administrative embedding: which municipalities have a Bibob policy?",
        "Bestuurlijke inbedding: welke gemeenten hebben een Bibob-beleidslijn?",
    ),
    ModelDef(
        "if_data_analysis",
        ("or_fte_total", "fa_funding"),
        "Information position: which municipalities use data analysis?",
        "Informatiepositie: welke gemeenten gebruiken data-analyse?",
    ),
    ModelDef(
        "co_riec_satisfaction",
        ("or_fte_total", "fa_funding"),
        "Cooperation: what explains satisfaction with the RIEC's support (ordinal, 1–5)?",
        "Samenwerking: wat verklaart de tevredenheid over de ondersteuning door het RIEC (ordinaal, 1–5)?",
    ),
)


# --- inputs from the database ---------------------------------------------------------------------


def frame_year(year: int) -> int | None:
    """The lineage year whose municipalities a wave of ``year`` is about: the year itself, or the
    latest stored year before it (a wave after the last lineage year uses today's municipalities)."""
    known = [y for y in lineage.years() if y <= year]
    return max(known) if known else None


def population_frame(year: int) -> pd.DataFrame:
    """Every municipality of the wave's lineage year with size class, RIEC region and population.

    The analysis needs size class and region for *every* municipality (the breakdowns must partition
    the country, or N per group and the disclosure audit would be wrong); the lineage has them."""
    base = frame_year(year)
    if base is None:
        raise ValidationError({"year": _("There is no municipal lineage for %(year)s.") % {"year": year}})
    rows = list(
        Municipality.objects.filter(year=base)
        .order_by("cbs_code")
        .values_list("cbs_code", "size_class", "riec_region", "population")
    )
    return pd.DataFrame.from_records(rows, columns=POPULATION_COLUMNS)


def comparable_waves(wave: Wave) -> list[Wave]:
    """The waves a report of ``wave`` analyses: itself and every earlier wave with answers and the
    same synthetic flag (never a mix of real and demo data), oldest first."""
    earlier = (
        Wave.objects.filter(year__lt=wave.year, synthetic=wave.synthetic, responses__isnull=False)
        .select_related("codebook")
        .distinct()
        .order_by("year")
    )
    return [*earlier, wave]


def merged_items(waves: Sequence[Wave]) -> dict[str, Item]:
    """The codebook rows the analysis needs: the reported wave's codebook first, then any item of an
    earlier wave's codebook it lacks (an item dropped from a later version still has its trend)."""
    found: dict[str, Item] = {}
    for wave in reversed(waves):
        for item in Item.objects.filter(codebook_id=wave.codebook_id).order_by("order"):
            found.setdefault(item.item_id, item)
    return found


def analysis_wave(wave: Wave, codebook: Mapping[str, AnalysisItem]) -> AnalysisWave:
    """One stored wave as the analysis package's input: answers per municipality (codes of the
    wave's year) and the population frame."""
    rows = list(
        Response.objects.filter(wave=wave).order_by("municipality_code").values_list("municipality_code", "answers")
    )
    asked = [item_id for item_id, item in codebook.items() if wave.year in item.waves]
    present = sorted({key for _code, answers in rows for key in answers if key in codebook and key not in asked})
    answers = pd.DataFrame.from_records(
        [{key: value for key, value in answers.items() if key in codebook} for _code, answers in rows],
        index=pd.Index([code for code, _answers in rows], name="municipality_code"),
        columns=[*asked, *present],
    )
    return AnalysisWave(year=wave.year, answers=answers, population=population_frame(wave.year))


def _predecessors(item_id: str, items: Mapping[str, Item]) -> list[str]:
    chain, seen = [item_id], {item_id}
    current = items[item_id].previous_id if item_id in items else ""
    while current and current not in seen and current in items:
        chain.append(current)
        seen.add(current)
        current = items[current].previous_id
    return chain


def _model_specs(
    year: int, items: Mapping[str, Item], models: Sequence[ModelDef]
) -> list[tuple[ModelDef, ModelSpec, dict[str, Any]]]:
    """The models that can be fitted on ``year``, each covariate resolved to the item asked then."""
    found = []
    for model in models:
        outcome = items.get(model.outcome)
        if outcome is None or year not in (outcome.waves or []):
            continue
        used: list[str] = []
        replaced: dict[str, str] = {}
        dropped: list[str] = []
        for covariate in model.covariates:
            asked = next((c for c in _predecessors(covariate, items) if year in (items[c].waves or [])), None)
            if asked is None:
                dropped.append(covariate)
            else:
                used.append(asked)
                if asked != covariate:
                    replaced[covariate] = asked
        spec = ModelSpec(model.outcome, ("size_class", "riec_region", *used))
        found.append(
            (
                model,
                spec,
                {
                    "outcome": model.outcome,
                    "kind": "ordinal" if outcome.type == ItemType.SCALE else "logistic",
                    "covariates": list(spec.covariates or ()),
                    "replaced": replaced,
                    "not_asked": dropped,
                    "question_en": model.why_en,
                    "question_nl": model.why_nl,
                },
            )
        )
    return found


def _state_key(waves: Sequence[Wave], models: Sequence[ModelDef]) -> str:
    """A cache key that changes whenever an answer, a wave's codebook or the model set changes."""
    states = (
        Response.objects.filter(wave__in=waves)
        .values("wave_id")
        .annotate(n=Count("id"), last=Max("updated_at"))
        .order_by("wave_id")
    )
    parts = [f"{w.pk}:{w.year}:{w.codebook_id}:{int(w.synthetic)}" for w in waves]
    parts += [f"{s['wave_id']}:{s['n']}:{s['last'].isoformat() if s['last'] else ''}" for s in states]
    parts += [repr(m) for m in models]
    return "monitor:report:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


# --- the analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysed:
    """The analysis of a wave and what was needed to make it (kept for the pages and the bench)."""

    wave: Wave
    waves: list[Wave]
    items: dict[str, Item]
    analysis: dict[str, Any]
    model_specs: list[dict[str, Any]]
    frames: dict[int, AnalysisWave]


def analyse_wave(wave: Wave, *, models: Sequence[ModelDef] = DEFAULT_MODELS, use_cache: bool = True) -> Analysed:
    """Analyse ``wave`` with its comparable earlier waves (the analysis package does the statistics).

    Cached per state of the answers (their number and latest change per wave), so a closed wave is
    analysed once and an open one again after each change."""
    waves = comparable_waves(wave)
    items = merged_items(waves)
    key = _state_key(waves, models)
    cached = cache.get(key) if use_cache else None
    if cached is not None:
        return Analysed(wave=wave, waves=waves, items=items, analysis=cached[0], model_specs=cached[1], frames={})
    codebook = codebook_of(AnalysisItem.from_mapping(item_dict(item)) for item in items.values())
    frames = {w.year: analysis_wave(w, codebook) for w in waves}
    resolved = _model_specs(wave.year, items, models)
    result = build_report(
        analyse(list(frames.values()), codebook, AnalysisConfig()),
        wave.year,
        models=[spec for _model, spec, _info in resolved],
    )
    specs = [info for _model, _spec, info in resolved]
    if use_cache:
        cache.set(key, (result, specs), CACHE_SECONDS)
    return Analysed(wave=wave, waves=waves, items=items, analysis=result, model_specs=specs, frames=frames)


# --- the document ---------------------------------------------------------------------------------


def synthetic_notice() -> dict[str, str]:
    return {
        "nl": "Synthetische gegevens: deze meting bevat verzonnen antwoorden voor demonstratie en tests; "
        "geen enkel cijfer beschrijft een echte gemeente.",
        "en": "Synthetic data: this wave holds made-up answers for demonstration and testing; "
        "no figure describes a real municipality.",
    }


def _item_meta(item: Item, chain: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "theme": item.theme,
        "type": item.type,
        "label_nl": item.label_nl,
        "label_en": item.label_en,
        "comparable_items": chain[1:],
    }
    if item.type == ItemType.SCALE:
        meta["scale"] = {"min": item.scale_min, "max": item.scale_max}
    if item.type == ItemType.NUMBER:
        meta["unit"] = item.unit
        meta["bounds"] = {"min": item.number_min, "max": item.number_max}
    if item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        meta["choices"] = [
            {"code": str(c["code"]), "label_nl": str(c.get("label_nl", "")), "label_en": str(c.get("label_en", ""))}
            for c in item.choices or []
        ]
    return meta


def _frame_section(year: int) -> dict[str, Any]:
    base = frame_year(year) or 0
    rows = list(Municipality.objects.filter(year=base).order_by("cbs_code"))
    by_class: dict[str, int] = {code: 0 for code, _label in SizeClass.choices}
    by_region: dict[str, int] = {}
    for m in rows:
        by_class[m.size_class] = by_class.get(m.size_class, 0) + 1
        by_region[m.riec_region] = by_region.get(m.riec_region, 0) + 1
    return {
        "year": base,
        "N": len(rows),
        "size_class": by_class,
        "riec_region": dict(sorted(by_region.items())),
        "population_estimated": sum(1 for m in rows if m.population_is_estimate),
        "size_class_lower_bounds": dict(lineage.SIZE_CLASSES),
    }


def _trend_waves(waves: Sequence[Wave]) -> list[dict[str, Any]]:
    out = []
    for w in waves:
        base = frame_year(w.year) or 0
        rows = list(Municipality.objects.filter(year=base).values_list("cbs_code", "current_code"))
        counts = dict(
            Response.objects.filter(wave=w).values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        out.append(
            {
                "year": w.year,
                "frame_year": base,
                "N": len(rows),
                "responses": sum(counts.values()),
                "complete": counts.get(ResponseStatus.COMPLETE, 0),
                "synthetic": w.synthetic,
                "codebook_version": w.codebook.version,
                "merged_since": sum(1 for code, current in rows if code != current),
                "municipalities_today": len({current for _code, current in rows}),
            }
        )
    return out


def _themes(analysis: Mapping[str, Any], items: Mapping[str, Item]) -> list[dict[str, Any]]:
    themes = []
    for code, label in Theme.choices:
        ids = [item_id for item_id, entry in analysis["items"].items() if entry["theme"] == code]
        if ids:
            themes.append({"code": code, "label": str(label), "items": ids})
    return themes


def conclusions_section(wave: Wave) -> list[dict[str, Any]]:
    """The researchers' conclusions of the wave, each with the policy response (followup.py)."""
    follow = FollowUp.objects.filter(conclusion__wave=wave).order_by("conclusion__number", "created_at", "pk")
    by_conclusion: dict[int, list[dict[str, Any]]] = {}
    for f in follow:
        by_conclusion.setdefault(f.conclusion_id, []).append(
            {
                "id": f.pk,
                "response_kind": f.response_kind,
                "text_nl": f.text_nl,
                "text_en": f.text_en,
                "owner": f.owner,
                "deadline": f.deadline.isoformat() if f.deadline else None,
                "status": f.status,
                "indicators": list(f.indicators or []),
            }
        )
    return [
        {
            "number": c.number,
            "theme": c.theme,
            "text_nl": c.text_nl,
            "text_en": c.text_en,
            "follow_ups": by_conclusion.get(c.pk, []),
        }
        for c in Conclusion.objects.filter(wave=wave).order_by("number")
    ]


def build_document(
    wave: Wave, *, models: Sequence[ModelDef] = DEFAULT_MODELS, use_cache: bool = True
) -> dict[str, Any]:
    """The report document of ``wave`` (docs/monitor-report.md). Deterministic: no timestamps."""
    from weerbaar.monitor.figures import figures_for_year

    if not Response.objects.filter(wave=wave).exists():
        raise ValidationError({"wave": _("Wave %(year)s has no answers yet.") % {"year": wave.year}})
    done = analyse_wave(wave, models=models, use_cache=use_cache)
    items = done.items
    counts = _trend_waves(done.waves)
    return {
        "document": DOCUMENT,
        "document_version": DOCUMENT_VERSION,
        "wave": {
            "year": wave.year,
            "title": wave.title,
            "state": wave.state,
            "synthetic": wave.synthetic,
            "codebook_version": wave.codebook.version,
            "responses": counts[-1]["responses"],
            "complete": counts[-1]["complete"],
        },
        "notice": synthetic_notice() if wave.synthetic else None,
        "population_frame": _frame_section(wave.year),
        "trend_waves": counts,
        "themes": _themes(done.analysis, items),
        "items": {
            item_id: _item_meta(items[item_id], _predecessors(item_id, items))
            for item_id in done.analysis["items"]
            if item_id in items
        },
        "model_specs": done.model_specs,
        "analysis": done.analysis,
        "conclusions": conclusions_section(wave),
        "operational_figures": figures_for_year(wave.year),
    }


def document_bytes(document: Mapping[str, Any]) -> bytes:
    """The JSON file: UTF-8, indented, keys in the document's (fixed) order — byte-identical for
    the same data."""
    return (json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def validate_analysis(document: Mapping[str, Any]) -> None:
    """Check the ``analysis`` part against the analysis package's ``report.schema.json``."""
    import jsonschema  # type: ignore[import-untyped]

    jsonschema.validate(document["analysis"], load_schema(), format_checker=jsonschema.FormatChecker())


def wave_for_report(year: int) -> Wave:
    """The wave of ``year`` or ``Wave.DoesNotExist``."""
    return Wave.objects.select_related("codebook").get(year=year)


def items_of_theme(document: Mapping[str, Any], theme: str) -> Iterable[str]:
    return next((t["items"] for t in document["themes"] if t["code"] == theme), [])
