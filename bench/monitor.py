# SPDX-License-Identifier: EUPL-1.2
"""Benchmark of the monitor's report from the database (issue 5 §6): 345 municipalities × ~250 items
× 5 waves; analysis ≤ 5 s, HTML report ≤ 10 s, PDF ≤ 30 s.

What it builds (seeded): a fresh database (SQLite in a temporary WEERBAAR_DATA_DIR, migrated, so the
municipal lineage is loaded), a codebook of ``--items`` items imported through the real
``import_codebook`` (yes/no, scales, numbers, choices, multiple choice; every twelfth item reworded
with ``previous_id``, some new in later waves), and five waves 2014–2022 whose responses (about 90 %
of each year's municipalities; 345 in 2022) are inserted with ORM bulk inserts — random answers,
not the monitor's figures (bench/monitor_analysis.py times the analysis package alone).

What it times, as the report command runs it (median of ``--runs``, and every run):

- **analysis**: the report document of the latest wave from the database — reading the answers and
  the lineage, every estimate with its interval, both breakdowns, disclosure control, weighting,
  trends over the five waves with their tests, two explanatory models, conclusions and figures;
- **html**: the same plus the HTML report with its charts;
- **pdf**: the same plus the PDF (WeasyPrint).

Usage: python bench/monitor.py [--runs 3] [--seed 1] [--items 250] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

YEARS = (2014, 2016, 2018, 2020, 2022)
TARGETS = {"analysis": 5.0, "html": 10.0, "pdf": 30.0}
THEMES = (
    "awareness",
    "administrative",
    "organisational",
    "instruments",
    "information",
    "cooperation",
    "prevention",
    "phenomena",
    "factors",
)


def _setup(data_dir: str) -> None:
    os.environ.setdefault("WEERBAAR_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.test")
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def codebook_yaml(items: int, seed: int) -> tuple[str, list[dict[str, Any]]]:
    """A codebook of ``items`` questions over the nine themes (plus reworded predecessors)."""
    import yaml

    rng = np.random.default_rng(seed)
    kinds = rng.choice(
        ["yes_no", "scale", "number", "choice", "multi_choice"], size=items, p=[0.44, 0.2, 0.12, 0.14, 0.1]
    )
    entries: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        base: dict[str, Any] = {
            "theme": THEMES[i * len(THEMES) // items],
            "type": str(kind),
            "label_nl": f"Benchmarkvraag {i} over de aanpak van ondermijning in uw gemeente?",
            "label_en": f"Benchmark question {i} about tackling undermining crime in your municipality?",
        }
        if kind == "scale":
            base["scale"] = {"min": 1, "max": 5}
        if kind == "number":
            base.update({"min": 0, "max": 1000})
        if kind in ("choice", "multi_choice"):
            base["choices"] = [
                {"code": c, "label_nl": f"Antwoord {c}", "label_en": f"Answer {c}"}
                for c in "abcdef"[: 4 if kind == "choice" else 6]
            ]
        item_id = f"q{i:03d}"
        if i % 12 == 0:
            entries.append({"id": f"{item_id}_old", **base, "waves": list(YEARS[:2])})
            entries.append({"id": item_id, **base, "waves": list(YEARS[2:]), "previous_id": f"{item_id}_old"})
        elif i % 25 == 1:
            entries.append({"id": item_id, **base, "waves": list(YEARS[2:])})
        else:
            entries.append({"id": item_id, **base, "waves": list(YEARS)})
    text = yaml.safe_dump({"title": "Benchmark codebook", "items": entries}, allow_unicode=True, sort_keys=False)
    return text, entries


def _answer(entry: dict[str, Any], rng: np.random.Generator, tilt: float) -> Any:
    kind = entry["type"]
    if kind == "yes_no":
        return int(rng.random() < 0.3 + 0.4 * tilt)
    if kind == "scale":
        return int(np.clip(round(rng.normal(2.5 + 1.5 * tilt, 1.0)), 1, 5))
    if kind == "number":
        return round(float(rng.gamma(2.0, 2.0 + 4 * tilt)), 1)
    codes = [c["code"] for c in entry["choices"]]
    if kind == "choice":
        return str(rng.choice(codes))
    return [c for c in codes if rng.random() < 0.35]


def build(items: int, seed: int) -> tuple[Any, dict[str, Any]]:
    """Codebook and five waves in the database; returns the latest wave and the model to fit."""
    from weerbaar.accounts.authz import system_actor
    from weerbaar.monitor.codebook import import_codebook
    from weerbaar.monitor.models import Municipality, Response, ResponseSource, ResponseStatus, Wave, WaveState

    text, entries = codebook_yaml(items, seed)
    codebook = import_codebook(
        acting=system_actor("bench", origin="bench"), content=text.encode(), name="bench.yaml"
    ).codebook
    rng = np.random.default_rng(seed)
    latest = None
    for year in YEARS:
        wave = Wave.objects.create(
            year=year, codebook=codebook, state=WaveState.CLOSED, source=ResponseSource.IMPORT, synthetic=True
        )
        asked = [e for e in entries if year in e["waves"]]
        rows = list(Municipality.objects.filter(year=min(year, 2024)).values_list("cbs_code", "size_class"))
        tilt_of = {"under_20k": 0.2, "20k_50k": 0.4, "50k_100k": 0.6, "100k_plus": 0.8}
        responses = []
        for code, size in rows:
            if rng.random() > 0.9:
                continue
            tilt = tilt_of[size] * 0.7 + 0.3 * rng.random()
            answers = {e["id"]: _answer(e, rng, tilt) for e in asked if rng.random() > 0.03}
            responses.append(
                Response(
                    wave=wave,
                    municipality_code=code,
                    status=ResponseStatus.COMPLETE,
                    source=ResponseSource.IMPORT,
                    answers=answers,
                )
            )
        Response.objects.bulk_create(responses, batch_size=500)
        latest = wave
    yes_no = [e["id"] for e in entries if e["type"] == "yes_no" and YEARS[-1] in e["waves"]]
    scale = [e["id"] for e in entries if e["type"] == "scale" and YEARS[-1] in e["waves"]]
    number = [e["id"] for e in entries if e["type"] == "number" and YEARS[-1] in e["waves"]]
    models = {"logistic": (yes_no[0], (number[0], scale[1])), "ordinal": (scale[0], (number[0], scale[1]))}
    return latest, models


def _time(step: Callable[[], Any], runs: int) -> tuple[float, list[float], float, Any]:
    """Median wall time, every run, and the median CPU time of this process (the machines are
    shared: when other work loads the cores, wall time grows and CPU time tells the cost)."""
    seconds, cpu, result = [], [], None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = step()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(seconds), seconds, statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--write", action="store_true", help="also write the table to docs/benchmarks.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="weerbaar-bench-monitor-") as data_dir:
        started = time.perf_counter()
        _setup(data_dir)
        migrated = time.perf_counter() - started
        from weerbaar.monitor import report, report_render
        from weerbaar.monitor.models import Item, Response

        started = time.perf_counter()
        wave, models = build(args.items, args.seed)
        built = time.perf_counter() - started
        defs = tuple(report.ModelDef(outcome, covariates, "bench", "bench") for outcome, covariates in models.values())

        def document() -> dict[str, Any]:
            return report.build_document(wave, models=defs, use_cache=False)

        def html() -> str:
            return report_render.render_html(document())

        def pdf() -> bytes:
            return report_render.render_pdf(document())

        results: dict[str, Any] = {}
        for name, step in (("analysis", document), ("html", html), ("pdf", pdf)):
            median, runs, cpu, output = _time(step, args.runs)
            size = len(output) if isinstance(output, str | bytes) else len(report.document_bytes(output))
            results[name] = {
                "median_s": round(median, 2),
                "runs_s": [round(s, 2) for s in runs],
                "cpu_median_s": round(cpu, 2),
                "bytes": size,
                "target_s": TARGETS[name],
            }
        doc = document()
        out = {
            "benchmark": "monitor report (bench/monitor.py)",
            "command": "python " + " ".join(["bench/monitor.py", *sys.argv[1:]]),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d"),
            "load_average": [round(v, 1) for v in os.getloadavg()],
            "size": {
                "waves": len(doc["trend_waves"]),
                "municipalities_latest": doc["population_frame"]["N"],
                "items_in_codebook": Item.objects.filter(codebook=wave.codebook).count(),
                "items_in_report": len(doc["analysis"]["items"]),
                "responses": Response.objects.count(),
                "models_ok": sum(1 for m in doc["analysis"]["models"] if m["ok"]),
            },
            "setup_s": {"migrate": round(migrated, 1), "build": round(built, 1)},
            "results": results,
        }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    size = out["size"]
    summary = (
        f"`{out['command']}`; {size['waves']} waves, {size['municipalities_latest']} municipalities in the latest, "
        f"{size['items_in_codebook']} items in the codebook, {size['responses']} responses in the database; "
        f"load average during the run {out['load_average']}. Each step is measured beside its target "
        "(performance.md); the monitor has no peer product to run beside it."
    )
    lines = [
        f"## Monitor: analysis and report of a wave ({out['date']}, {out['machine']})",
        "",
        summary,
        "",
        "| step | median wall (s) | runs (s) | median CPU (s) | target (s) | output |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        verdict = "met" if r["median_s"] <= r["target_s"] else "missed"
        runs = ", ".join(f"{s:.2f}" for s in r["runs_s"])
        lines.append(
            f"| {name} | {r['median_s']:.2f} ({verdict}) | {runs} | {r['cpu_median_s']:.2f} | ≤ {r['target_s']:.0f} "
            f"| {r['bytes'] / 1e6:.1f} MB |"
        )
    print("\n".join(lines))
    if args.write:
        from report import write_section  # bench/report.py, next to this script

        print(f"written to {write_section('monitor', chr(10).join(lines))}")


if __name__ == "__main__":
    main()
