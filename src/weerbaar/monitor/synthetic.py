# SPDX-License-Identifier: EUPL-1.2
"""Synthetic monitor waves for the demo, tests and benchmarks: 2009, 2012, 2016 and 2022.

**Synthetic data.** Nothing here is a real municipality's answer. The waves are made to look like
the real series where it has been published (monitor.md): in 2022 the nine phenomena are reported
present by 73/54/54/48/40/35/22/19/17 % of the municipalities that answered the item, about half
say they lack in-house expertise for risk awareness, Bibob tests and supervision/enforcement, and
most lack criminological and data-analysis expertise. Elsewhere the figures follow plausible
trends (awareness and embedding grow from wave to wave, a turn towards prevention) and size
effects (larger municipalities have more capacity, more instruments in use, more phenomena).
About 69 % of municipalities respond (2016's published figure; similar in the other waves),
larger ones more often, and some respondents stop part-way (a partial response).

How: every municipality of the year (lineage) gets a latent "maturity" and "exposure"; each item
is generated for all respondents at once, in questionnaire order, so that routing (``ask_if``) is
applied to the answers given so far. For a yes/no item the number of "yes" answers is fixed to
round(share × answered) and the municipalities saying yes are drawn with weights from their latent
scores and size, so a published share is met to within half a respondent while who says yes
still varies plausibly. ``generate_wave`` is free of Django; ``load_synthetic_waves`` stores the
waves through the real import path (``answers_import.import_rows``) and marks them synthetic.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from weerbaar.monitor import lineage
from weerbaar.monitor.codebook_schema import (
    SHIPPED_CODEBOOK,
    CodebookSpec,
    ItemSpec,
    condition_holds,
    parse_codebook,
)

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor

YEARS = (2009, 2012, 2016, 2022)
DEFAULT_SEED = 20221222  # the day the WODC published the 2022 monitor
#: Share of municipalities that respond (fully or partly), per wave.
RESPONSE_RATE = {2009: 0.72, 2012: 0.70, 2016: 0.69, 2022: 0.68}
#: Share of respondents who stop part-way.
PARTIAL_RATE = 0.12
#: Chance that a respondent skips one question they were asked (item non-response; with ~200
#: questions about one respondent in seven skips one).
ITEM_NONRESPONSE = 0.0007
SIZE_EFFECT = {"under_20k": -0.6, "20k_50k": -0.15, "50k_100k": 0.35, "100k_plus": 0.9}
RESPONSE_BY_SIZE = {"under_20k": -0.45, "20k_50k": 0.0, "50k_100k": 0.35, "100k_plus": 0.9}

#: Published 2022 shares (monitor.md) and plausible earlier values; the test checks 2022.
PHENOMENA: dict[str, dict[int, float]] = {
    "ph_cannabis": {2009: 0.62, 2012: 0.66, 2016: 0.70, 2022: 0.73},
    "ph_laundering": {2009: 0.33, 2012: 0.39, 2016: 0.46, 2022: 0.54},
    "ph_families": {2012: 0.41, 2016: 0.47, 2022: 0.54},
    "ph_synthetic": {2009: 0.28, 2012: 0.33, 2016: 0.41, 2022: 0.48},
    "ph_trafficking": {2009: 0.24, 2012: 0.29, 2016: 0.35, 2022: 0.40},
    "ph_care_fraud": {2016: 0.22, 2022: 0.35},
    "ph_violence": {2022: 0.22},
    "ph_gangs": {2012: 0.26, 2016: 0.24, 2022: 0.19},
    "ph_environment": {2022: 0.17},
    "ph_cocaine": {2016: 0.24, 2022: 0.31},
    "ph_real_estate": {2009: 0.18, 2012: 0.23, 2016: 0.28, 2022: 0.33},
    "ph_address_fraud": {2012: 0.24, 2016: 0.31, 2022: 0.38},
    "ph_parks": {2016: 0.14, 2022: 0.19},
    "ph_youth": {2022: 0.29},
}
#: Shares of "yes" that the 2022 report states or implies, and their history.
SHARES: dict[str, dict[int, float]] = {
    **PHENOMENA,
    "or_expertise_risk": {2016: 0.44, 2022: 0.50},
    "or_expertise_bibob": {2016: 0.43, 2022: 0.49},
    "or_expertise_enforcement": {2016: 0.45, 2022: 0.51},
    "or_expertise_legal": {2016: 0.50, 2022: 0.55},
    "or_expertise_privacy": {2022: 0.42},
    "or_expertise_financial": {2022: 0.18},
    "or_expertise_criminology": {2022: 0.21},
    "or_expertise_data": {2022: 0.24},
    "or_coordinator": {2009: 0.35, 2012: 0.48, 2016: 0.62, 2022: 0.78},
    "ad_policy_v1": {2009: 0.38, 2012: 0.52},
    "ad_policy": {2016: 0.61, 2022: 0.74},
    "ad_bibob_policy": {2009: 0.55, 2012: 0.72, 2016: 0.86, 2022: 0.95},
    "ad_damocles": {2009: 0.70, 2012: 0.80, 2016: 0.88, 2022: 0.93},
    "ad_coalition": {2009: 0.22, 2012: 0.30, 2016: 0.45, 2022: 0.63},
    "ad_isp": {2009: 0.45, 2012: 0.58, 2016: 0.72, 2022: 0.85},
    "in_bibob_used_v1": {2009: 0.40, 2012: 0.55},
    "in_bibob_used": {2016: 0.62, 2022: 0.71},
    "in_13b_used": {2009: 0.25, 2012: 0.33, 2016: 0.45, 2022: 0.57},
    "co_riec_case": {2009: 0.20, 2012: 0.38, 2016: 0.52, 2022: 0.61},
    "co_riec_covenant": {2009: 0.55, 2012: 0.85, 2016: 0.95, 2022: 0.98},
    "aw_beeld": {2012: 0.30, 2016: 0.55, 2022: 0.74},
    "if_privacy_protocol": {2016: 0.35, 2022: 0.64},
    "if_data_analysis": {2016: 0.18, 2022: 0.31},
    "pr_youth": {2016: 0.30, 2022: 0.55},
    "pr_policy_theory": {2022: 0.23},
    "or_depends_on_few": {2016: 0.58, 2022: 0.55},
    "in_sufficient": {2012: 0.55, 2016: 0.50, 2022: 0.46},
    "fa_border": dict.fromkeys(YEARS, 0.13),
    "fa_logistics": dict.fromkeys(YEARS, 0.08),
    "fa_holiday_parks": {2016: 0.45, 2022: 0.45},
    "aw_threats": {2022: 0.24},
    "fa_major_incident": {2022: 0.15},
}
#: Items where a *yes* means a weakness: weaker (less mature) municipalities say yes more often.
NEGATIVE = frozenset({"or_depends_on_few", "or_turnover", "aw_threats", "in_legal_challenges", "fa_major_incident"})
#: Mean of scale items (1–5) per wave for a few items; others drift up from 2.9 by 0.15 per wave.
SCALE_MEANS: dict[str, dict[int, float]] = {
    "co_riec_satisfaction_v1": {2012: 3.3},
    "co_riec_satisfaction": {2016: 3.5, 2022: 3.7},
    "if_position_v1": {2009: 2.6, 2012: 2.7, 2016: 2.8},
    "if_position": {2022: 2.7},
    "or_capacity_sufficient": {2009: 2.6, 2012: 2.6, 2016: 2.5, 2022: 2.4},
    "pr_orientation_scale": {2022: 3.1},
    "aw_actor_mayor": {2009: 3.4, 2012: 3.7, 2016: 4.0, 2022: 4.3},
    "aw_actor_aldermen": {2009: 2.5, 2012: 2.6, 2016: 2.8, 2022: 3.0},
    "aw_dept_oov": {2016: 4.0, 2022: 4.3},
}
WAVE_INDEX = {2009: 0, 2012: 1, 2016: 2, 2022: 3, 2026: 4}


@dataclass(frozen=True)
class _Frame:
    codes: list[str]
    size_class: np.ndarray
    population: np.ndarray
    size: np.ndarray  # SIZE_EFFECT per municipality
    maturity: np.ndarray  # latent capacity/embedding
    exposure: np.ndarray  # latent exposure to phenomena


def _stable(text: str) -> float:
    """A number in [0, 1) fixed by ``text`` (per-item variation that does not depend on the seed)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32


def shipped_spec() -> CodebookSpec:
    return parse_codebook(SHIPPED_CODEBOOK.read_bytes())


def _frame(year: int, rng: np.random.Generator) -> _Frame:
    entries = sorted(lineage.entries(year).values(), key=lambda e: e.cbs_code)
    size_class = np.array([e.size_class for e in entries])
    size = np.array([SIZE_EFFECT[c] for c in size_class])
    # The same municipality keeps much of its latent character across waves: seed by its 2024 code.
    base = np.array([_stable("maturity:" + e.current_code) for e in entries])
    maturity = 1.2 * (base - 0.5) + rng.normal(0, 0.6, len(entries)) + 0.8 * size
    exposure = 1.5 * (np.array([_stable("exposure:" + e.current_code) for e in entries]) - 0.5) + 0.7 * size
    return _Frame(
        codes=[e.cbs_code for e in entries],
        size_class=size_class,
        population=np.array([e.population for e in entries], dtype=float),
        size=size,
        maturity=maturity,
        exposure=exposure,
    )


def _respondents(frame: _Frame, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of the municipalities that respond: exactly round(rate × N), larger ones more often."""
    n = len(frame.codes)
    k = round(rate * n)
    bias = np.array([RESPONSE_BY_SIZE[c] for c in frame.size_class]) + 0.3 * frame.maturity
    return np.sort(_weighted_pick(np.arange(n), bias, k, rng))


def _weighted_pick(candidates: np.ndarray, score: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k of ``candidates`` without replacement, more likely the higher the score (Gumbel top-k)."""
    if k <= 0 or not len(candidates):
        return candidates[:0]
    keys = score + rng.gumbel(0, 1, len(candidates))
    return candidates[np.argsort(-keys)[:k]]


def _share(item: ItemSpec, year: int) -> float:
    given = SHARES.get(item.id, {}).get(year)
    if given is not None:
        return given
    # Items without a published anchor: a base between 25 and 70 %, growing 6 points a wave.
    base = 0.25 + 0.45 * _stable("share:" + item.id)
    first = WAVE_INDEX.get(min(item.waves), 0)
    grown = base + 0.06 * (WAVE_INDEX.get(year, 3) - first)
    return float(min(0.95, grown))


def _scale_mean(item: ItemSpec, year: int) -> float:
    given = SCALE_MEANS.get(item.id, {}).get(year)
    if given is not None:
        return given
    return 2.8 + 0.6 * _stable("scale:" + item.id) + 0.15 * WAVE_INDEX.get(year, 3)


def generate_wave(
    year: int, seed: int = DEFAULT_SEED, *, spec: CodebookSpec | None = None, response_rate: float | None = None
) -> pd.DataFrame:
    """A synthetic survey export for ``year``: one row per responding municipality (codes of that
    year), ``municipality_code`` then one column per item asked that year, cells as text in the
    answers format ("" = not answered). ``df.attrs`` says it is synthetic and holds the seed."""
    spec = spec or shipped_spec()
    rng = np.random.default_rng([seed, year])
    frame = _frame(year, rng)
    rows = _respondents(frame, RESPONSE_RATE.get(year, 0.69) if response_rate is None else response_rate, rng)
    items = [item for item in spec.items if year in item.waves]
    m = len(rows)
    # A partial respondent stops somewhere between 30 % and 90 % of the questionnaire.
    stops = np.full(m, len(items))
    partial = rng.random(m) < PARTIAL_RATE
    stops[partial] = (rng.uniform(0.3, 0.9, int(partial.sum())) * len(items)).astype(int)
    answers: list[dict[str, Any]] = [{} for _ in range(m)]
    for position, item in enumerate(items):
        eligible = np.array(
            [
                r
                for r in range(m)
                if position < stops[r] and condition_holds(item.ask_if, answers[r]) and rng.random() >= ITEM_NONRESPONSE
            ],
            dtype=int,
        )
        if not len(eligible):
            continue
        values = _generate(item, year, eligible, rows, frame, answers, rng)
        for r, value in zip(eligible, values, strict=True):
            if value is not None:
                answers[r][item.id] = value
    records = []
    for r, row in enumerate(rows):
        record: dict[str, str] = {"municipality_code": frame.codes[row]}
        for item in items:
            record[item.id] = _text(answers[r].get(item.id))
        records.append(record)
    df = pd.DataFrame.from_records(records, columns=["municipality_code", *(i.id for i in items)])
    df.attrs.update({"synthetic": True, "year": year, "seed": seed, "municipalities": len(frame.codes)})
    return df


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def _generate(
    item: ItemSpec,
    year: int,
    eligible: np.ndarray,
    rows: np.ndarray,
    frame: _Frame,
    answers: Sequence[Mapping[str, Any]],
    rng: np.random.Generator,
) -> list[Any]:
    idx = rows[eligible]  # positions in the frame
    maturity, size, exposure = frame.maturity[idx], frame.size[idx], frame.exposure[idx]
    population = frame.population[idx]
    n = len(eligible)
    if item.type == "yes_no":
        if item.theme == "phenomena" or item.id.startswith("ph_"):
            score = 1.4 * exposure + 0.4 * size
        elif item.id in ("fa_border", "fa_logistics", "fa_holiday_parks", "fa_rural", "fa_nightlife"):
            score = rng.normal(0, 1, n) + (0.8 * size if item.id in ("fa_logistics", "fa_nightlife") else -0.3 * size)
        else:
            score = 1.2 * maturity + 0.5 * size
        if item.id in NEGATIVE:
            score = -score
        k = round(_share(item, year) * n)
        yes = set(_weighted_pick(np.arange(n), score, k, rng).tolist())
        return [1 if i in yes else 0 for i in range(n)]
    if item.type == "scale":
        low, high = item.scale_min or 1, item.scale_max or 5
        mean = _scale_mean(item, year)
        raw = mean + 0.45 * maturity + 0.2 * size + rng.normal(0, 0.8, n)
        if item.id in ("pr_orientation_scale",):
            raw = mean + 0.1 * maturity + rng.normal(0, 0.9, n)
        return [int(min(high, max(low, round(v)))) for v in raw]
    if item.type == "number":
        return [
            _number(item, year, float(p), float(mt), answers[e], rng)
            for p, mt, e in zip(population, maturity, eligible, strict=True)
        ]
    if item.type == "choice":
        return [
            _choice(item, year, float(mt), float(sz), answers[e], rng)
            for mt, sz, e in zip(maturity, size, eligible, strict=True)
        ]
    return [_multi(item, float(mt), answers[e], rng) for mt, e in zip(maturity, eligible, strict=True)]


def _bounded(item: ItemSpec, value: float) -> float:
    if item.number_min is not None:
        value = max(item.number_min, value)
    if item.number_max is not None:
        value = min(item.number_max, value)
    return value


def _number(
    item: ItemSpec, year: int, population: float, maturity: float, answers: Mapping[str, Any], rng: np.random.Generator
) -> float | int | None:
    scale = population / 25_000
    growth = 1 + 0.12 * WAVE_INDEX.get(year, 3)
    if item.id.endswith("_year"):
        return int(_bounded(item, year - int(rng.integers(0, 6))))
    if item.unit == "fte":
        if item.id in ("or_fte_total", "or_fte_total_v1"):
            value = 0.8 * scale * growth * math.exp(0.35 * maturity + rng.normal(0, 0.35))
        elif item.id == "or_coordinator_fte":
            value = min(1.0, 0.2 + 0.25 * scale) * math.exp(rng.normal(0, 0.3))
        else:
            total = float(answers.get("or_fte_total", 0.8 * scale))
            value = total * float(rng.uniform(0.1, 0.35))
        return round(_bounded(item, value), 1)
    if item.unit == "EUR":
        return int(_bounded(item, round(population * float(rng.uniform(0.8, 3.0)) * growth, -3)))
    # Counts (investigations, closures, cases…) grow with the population and the maturity.
    rate = {
        "in_bibob_tests": 6.0,
        "in_bibob_lbb": 0.6,
        "in_bibob_refusals": 0.4,
        "in_bibob_conditions": 0.8,
        "in_13b_closures": 2.0,
        "in_13b_warnings": 3.0,
        "in_174a_closures": 0.8,
        "in_integral_checks_count": 4.0,
        "if_signals_count": 25.0,
        "co_riec_case_count": 1.5,
        "ph_cannabis_sites": 3.0,
    }.get(item.id, 1.0)
    count = int(rng.poisson(max(0.05, rate * scale * math.exp(0.3 * maturity))))
    return int(_bounded(item, count))


def _choice(
    item: ItemSpec, year: int, maturity: float, size: float, answers: Mapping[str, Any], rng: np.random.Generator
) -> str | None:
    codes = item.choice_codes()
    if item.id == "fa_urbanisation":
        centre = 3.4 - 1.6 * size + rng.normal(0, 0.5)
        return str(int(min(5, max(1, round(centre)))))
    if item.id == "ph_top_priority":
        chosen = answers.get("ph_priorities") or []
        return str(chosen[0]) if chosen else None
    if item.id == "pr_orientation":
        preventive = {2016: 0.15, 2022: 0.30}.get(year, 0.3)
        weights = [max(0.05, 0.45 - preventive), 0.5, preventive + 0.05 * maturity]
        return str(rng.choice(codes, p=_normalise(weights)))
    # Ordered choices (trends, frequencies): the first option a little likelier for mature ones.
    weights = [1.0 + 0.3 * maturity * (1 if i == 0 else 0) + _stable(f"{item.id}:{c}") for i, c in enumerate(codes)]
    if "unknown" in codes:
        weights[codes.index("unknown")] *= 0.3
    return str(rng.choice(codes, p=_normalise(weights)))


def _multi(item: ItemSpec, maturity: float, answers: Mapping[str, Any], rng: np.random.Generator) -> list[str] | None:
    codes = item.choice_codes()
    if item.id == "ph_priorities":
        present = [c for c in codes if answers.get(f"ph_{c}") == 1]
        pool = present or codes
        k = min(len(pool), int(rng.integers(1, 4)))
        return [str(c) for c in rng.choice(pool, size=k, replace=False)]
    chosen = []
    for code in codes:
        if code == "none":
            continue
        p = min(0.9, max(0.05, 0.3 + 0.4 * _stable(f"{item.id}:{code}") + 0.1 * maturity))
        if rng.random() < p:
            chosen.append(code)
    if not chosen:
        return ["none"] if "none" in codes else [str(codes[int(rng.integers(0, len(codes)))])]
    return chosen


def _normalise(weights: Sequence[float]) -> list[float]:
    clipped = [max(1e-6, float(w)) for w in weights]
    total = sum(clipped)
    return [w / total for w in clipped]


# --- storing them (Django) -----------------------------------------------------------------------


def load_synthetic_waves(
    *, acting: Actor | None = None, seed: int = DEFAULT_SEED, years: Sequence[int] = YEARS, replace: bool = False
) -> dict[int, str]:
    """Store the synthetic waves through the real import path, marked ``synthetic=True``.

    Idempotent: a synthetic wave that already has responses is left alone (``replace`` regenerates
    it). A wave of real data (``synthetic=False`` with responses) is never touched.
    """
    from django.db import transaction

    from weerbaar.accounts.authz import system_actor
    from weerbaar.monitor.answers_import import import_rows
    from weerbaar.monitor.codebook import ensure_shipped_codebook, load_spec
    from weerbaar.monitor.models import Response, Wave

    acting = acting or system_actor("monitor-demo", origin="demo")
    codebook = ensure_shipped_codebook(acting=acting).codebook
    spec = load_spec(codebook)
    outcome: dict[int, str] = {}
    for year in years:
        wave = Wave.objects.filter(year=year).first()
        has_answers = wave is not None and Response.objects.filter(wave=wave).exists()
        if wave is not None and has_answers and not wave.synthetic:
            outcome[year] = "kept: real data"
            continue
        if wave is not None and has_answers and not replace:
            outcome[year] = "kept: already loaded"
            continue
        frame = generate_wave(year, seed, spec=spec)
        with transaction.atomic():
            if wave is not None and replace:
                Response.objects.filter(wave=wave).delete()
            result = import_rows(
                acting=acting,
                year=year,
                rows=[{str(k): v for k, v in record.items()} for record in frame.to_dict("records")],
                codebook_version=None if wave is not None else codebook.version,
                synthetic=True,
            )
            Wave.objects.filter(pk=result.wave.pk).update(
                synthetic=True, title=result.wave.title or f"Synthetic demo wave {year}"
            )
        outcome[year] = f"{result.responses} responses ({result.complete} complete)"
    return outcome
