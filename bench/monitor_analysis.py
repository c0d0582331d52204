# SPDX-License-Identifier: EUPL-1.2
"""Benchmark of the monitor analysis (issue 5 §6: 345 municipalities × ~250 items × 5 waves ≤ 5 s).

Generates seeded random waves of that size (synthetic: random answers, not the monitor's figures),
then times the whole analysis as the report command runs it: coding and estimating every wave,
breakdowns by size class and RIEC region, disclosure control, post-stratification, the report JSON
of every wave with its trends and change tests, and four explanatory models (three logistic, one
ordinal) on the latest wave. Prints the median of ``--runs`` runs (default 3) and each run.

Usage: python bench/monitor_analysis.py [--runs 3] [--seed 1] [--items 250] [--municipalities 345] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from typing import Any

import numpy as np
import pandas as pd

from weerbaar.monitor.analysis import AnalysisConfig, Item, ItemType, ModelSpec, Wave, analyse, build_report
from weerbaar.monitor.analysis.inputs import codebook_of

YEARS = (2009, 2012, 2016, 2022, 2025)
REGIONS = (
    "Noord-Nederland", "Oost-Nederland", "Midden-Nederland", "Noord-Holland", "Amsterdam-Amstelland",
    "Den Haag", "Rotterdam", "Zeeland-West-Brabant", "Oost-Brabant", "Limburg",
)  # fmt: skip


def size_class(population: np.ndarray) -> np.ndarray:
    """The monitor's cut-offs (monitor/lineage.py): under 20k, 20k–50k, 50k–100k, 100k and more."""
    labels = np.array(["under_20k", "20k_50k", "50k_100k", "100k_plus"])
    return labels[np.searchsorted([20_000, 50_000, 100_000], population, side="right")]


def generate(seed: int = 1, items: int = 250, municipalities: int = 345) -> tuple[list[Wave], dict[str, Item]]:
    """Waves and codebook of the benchmark's size; every wave its own random population frame."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(
        [ItemType.YES_NO, ItemType.SCALE, ItemType.NUMBER, ItemType.CHOICE, ItemType.MULTI_CHOICE],
        size=items,
        p=[0.44, 0.2, 0.12, 0.14, 0.1],
    )
    book: list[Item] = []
    for i, kind in enumerate(kinds):
        item_id = f"q{i:03d}"
        choices = tuple("abcdef"[: 4 if kind == ItemType.CHOICE else 6]) if kind in (
            ItemType.CHOICE, ItemType.MULTI_CHOICE,
        ) else ()  # fmt: skip
        scale = (1.0, 5.0) if kind == ItemType.SCALE else (0.0, None) if kind == ItemType.NUMBER else (None, None)
        if i % 12 == 0:
            # A reworded question: the old one in the first three waves, the new one after, linked.
            book.append(Item(f"{item_id}_old", kind, scale[0], scale[1], choices, None, YEARS[:3]))
            book.append(Item(item_id, kind, scale[0], scale[1], choices, f"{item_id}_old", YEARS[3:]))
        elif i % 25 == 1:
            # A new question: no predecessor, so no trend before it.
            book.append(Item(item_id, kind, scale[0], scale[1], choices, None, YEARS[2:]))
        else:
            book.append(Item(item_id, kind, scale[0], scale[1], choices, None, YEARS))
    codebook = codebook_of(book)
    waves = [_wave(rng, year, codebook, municipalities) for year in YEARS]
    return waves, codebook


def _wave(rng: np.random.Generator, year: int, codebook: dict[str, Item], size: int) -> Wave:
    population = np.round(np.exp(rng.normal(10.3, 0.8, size))).astype(int) + 1_000
    codes = [f"GM{i:04d}" for i in range(1, size + 1)]
    frame = pd.DataFrame(
        {
            "municipality_code": codes,
            "size_class": size_class(population),
            "riec_region": rng.choice(REGIONS, size),
            "population": population,
            "capacity_fte": np.round(population / 40_000 + rng.gamma(1.5, 0.5, size), 1),
            "funding": rng.integers(0, 2, size),
        }
    )
    big = np.log(population) - 10.3
    # Small municipalities answer less often: the non-response that weighting corrects.
    responds = rng.random(size) < 1 / (1 + np.exp(-(0.9 + 0.8 * big)))
    columns: dict[str, Any] = {}
    for item in codebook.values():
        if year not in item.waves:
            continue
        asked = responds & (rng.random(size) < (0.3 if item.id.endswith("7") else 0.96))
        tilt = rng.normal(0, 0.8)
        if item.type == ItemType.YES_NO:
            values = (rng.random(size) < 1 / (1 + np.exp(-(rng.normal(0, 1) + tilt * big)))).astype(float)
        elif item.type == ItemType.SCALE:
            values = np.clip(np.round(3 + tilt * big + rng.normal(0, 1, size)), 1, 5)
        elif item.type == ItemType.NUMBER:
            values = np.round(rng.gamma(2.0, 1.5, size) * np.exp(0.5 * big), 1)
        elif item.type == ItemType.CHOICE:
            values = rng.choice(list(item.choices), size).astype(object)
        else:
            chosen = rng.random((size, len(item.choices))) < 0.35
            values = np.array(
                [";".join(c for c, on in zip(item.choices, row, strict=True) if on) for row in chosen], dtype=object
            )
            # An empty selection must still read as an answer ("none of these"): use a list there.
            values = np.array([v if v else [] for v in values], dtype=object)
        column = pd.Series(values, index=codes, dtype=object if values.dtype == object else float)
        columns[item.id] = column.where(asked, None if column.dtype == object else np.nan)
    answers = pd.DataFrame(columns, index=pd.Index(codes, name="municipality_code"))
    return Wave(year=year, answers=answers[answers.notna().any(axis=1)], population=frame)


def run_once(waves: list[Wave], codebook: dict[str, Item]) -> tuple[float, dict[str, Any]]:
    latest = max(w.year for w in waves)
    yes_no = [i.id for i in codebook.values() if i.type == ItemType.YES_NO and latest in i.waves]
    scale = [i.id for i in codebook.values() if i.type == ItemType.SCALE and latest in i.waves]
    models = (*(ModelSpec(outcome) for outcome in yes_no[:3]), ModelSpec(scale[0]))
    started = time.perf_counter()
    analysis = analyse(waves, codebook, AnalysisConfig())
    reports = {w.year: build_report(analysis, w.year, models=models if w.year == latest else ()) for w in waves}
    elapsed = time.perf_counter() - started
    return elapsed, reports[latest]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--municipalities", type=int, default=345)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    waves, codebook = generate(args.seed, args.items, args.municipalities)
    times = []
    report: dict[str, Any] = {}
    for _ in range(args.runs):
        elapsed, report = run_once(waves, codebook)
        times.append(elapsed)
    result = {
        "municipalities": args.municipalities,
        "items": len(codebook),
        "waves": len(waves),
        "runs": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
        "target_s": 5.0,
        "models_ok": sum(m["ok"] for m in report["models"]),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"monitor analysis: {result['municipalities']} municipalities × {result['items']} items × "
            f"{result['waves']} waves: median {result['median_s']:.2f} s over {args.runs} runs "
            f"({', '.join(f'{t:.2f}' for t in times)}; target ≤ 5 s)"
        )


if __name__ == "__main__":
    main()
