# SPDX-License-Identifier: EUPL-1.2
# ruff: noqa: S608  # SQL is assembled from fixed identifiers and the operator's own file paths, never from data
"""Splink 5 real-time scoring behind a DuckDB candidate lookup: the online hit/no-hit peer.
Runs in bench/.peers-venv (bench/peers/setup.sh creates it).

Usage:
    python bench/peers/splink_online.py REGISTRY.csv SUBJECTS.csv [--subjects 1000] [--truth TRUTH.csv]
        [--scorer compare_records|score_pairs] [--max-pairs 1e7] [--accept 0.5] [--seed 1]

What is measured, and why this way:
- Training once, as a deployment would: the person model of splink_person.py (the same as the batch peer),
  trained between the subjects file and the registry. Its seconds and the peak RSS after training are reported.
- Then, per subject, what a service answering "is this person in the registry?" with Splink does: look up
  candidates in DuckDB with the model's own blocking rules (an index on each blocking key, one query that
  unions the three lookups), and score the subject against them with Splink's real-time function,
  `splink.internals.realtime.compare_records` in Splink 5 (Splink 4's `linker.inference.compare_two_records`
  is `linker.inference.score_pair`/`score_pairs` in Splink 5, selectable with --scorer). compare_records is
  run with an SQL cache key, which its docstring offers for exactly this use: the SQL is generated once and
  reused.
- Term frequencies are supplied as tf_* columns on both sides, precomputed once (Splink's guidance for real
  time); subjects are cleaned in bulk before the clock starts. Both favour the peer: the per-subject figure
  is lookup + scoring + reading the best row, nothing else.
- The first --warmup subjects are scored but not counted (the first call builds the SQL); p50/p95/p99 are
  over the rest. One JSON line on stdout.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402
import splink  # noqa: E402
from splink import DuckDBAPI, Linker  # noqa: E402
from splink.internals.realtime import compare_records  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splink_person import both_have, load_person_table, peak_rss_mib, person_settings, train_person  # noqa: E402

TF_COLUMNS = ("first_name", "surname", "postcode")  # the columns whose comparisons use term frequencies
# One candidate query per blocking rule of the model (PERSON_BLOCKING), each on its own index.
CANDIDATES = """
    select * from registry_online where dob = $dob
    union
    select * from registry_online where key_name = $key_name
    union
    select * from registry_online where key_address = $key_address
"""


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile; the same definition bench/run.py uses."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def prepare_online(con: Any, linker: Linker) -> None:
    """Registry and subjects with tf_* columns and blocking keys; an index per key on the registry."""
    tf_tables = {col: linker.table_management.compute_tf_table(col).physical_name for col in TF_COLUMNS}
    joins = " ".join(f"left join {tf_tables[c]} tf_{c} on t.{c} = tf_{c}.{c}" for c in TF_COLUMNS)
    tf_select = ", ".join(f"tf_{c}.tf_{c}" for c in TF_COLUMNS)
    keys = "t.surname || '|' || t.first_initial as key_name, t.postcode || '|' || t.house_number as key_address"
    for source, target in (("input_right", "registry_online"), ("input_left", "subjects_online")):
        con.execute(f"create or replace table {target} as select t.*, {tf_select}, {keys} from {source} t {joins}")
    for key in ("dob", "key_name", "key_address"):
        con.execute(f"create index registry_{key} on registry_online({key})")


def release(con: Any, scored: Any) -> None:
    """Drop the result table and the views the call registered, so that 1,000 calls do not pile up 3,000."""
    uid = scored.physical_name.rsplit("_", 1)[-1]
    con.execute(f"drop table if exists {scored.physical_name}")
    for view in (f"__splink__compare_records_left_{uid}", f"__splink__compare_records_right_{uid}"):
        con.unregister(view)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("registry", type=Path)
    parser.add_argument("subjects_csv", type=Path)
    parser.add_argument("--subjects", type=int, default=1000, help="subjects to score one by one")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--scorer", choices=("compare_records", "score_pairs"), default="compare_records")
    parser.add_argument("--max-pairs", type=float, default=1e7, help="u sampling pairs")
    parser.add_argument("--accept", type=float, default=0.5, help="minimum match probability of a hit")
    parser.add_argument("--seed", type=int, default=1, help="which subjects are drawn")
    parser.add_argument("--truth", type=Path, help="subject_id,registry_id[,…]: adds precision and false hits")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

    db_api = DuckDBAPI()
    con = db_api.duckdb_con
    rows = {
        "registry_rows": load_person_table(con, str(args.registry), "input_right"),
        "subject_rows": load_person_table(con, str(args.subjects_csv), "input_left"),
    }
    with_bsn = both_have(con, ("input_left", "input_right"), "bsn")
    sdfs = [db_api.register(f"input_{name}", dataset_display_name=name) for name in ("left", "right")]
    linker = Linker(sdfs, person_settings(with_bsn=with_bsn))
    load_s = time.perf_counter() - STARTED

    started = time.perf_counter()
    train_person(linker, with_bsn=with_bsn, max_pairs=args.max_pairs)
    training_s = time.perf_counter() - started
    rss_after_training = peak_rss_mib()

    started = time.perf_counter()
    prepare_online(con, linker)
    settings = linker.misc.save_model_to_json()
    # compare_records joins the two inputs itself (no blocking, no source datasets), so the model is scored
    # as a comparison of two record sets rather than as a link between two registered inputs.
    settings["link_type"] = "dedupe_only"
    prepare_s = time.perf_counter() - started

    subject_ids = [
        r[0]
        for r in con.execute(
            "select id from subjects_online order by hash(id || ?::varchar) limit ?",
            [str(args.seed), args.subjects + args.warmup],
        ).fetchall()
    ]
    lookup_ms: list[float] = []
    score_ms: list[float] = []
    total_ms: list[float] = []
    candidates: list[int] = []
    answers: dict[str, str | None] = {}
    for n, subject_id in enumerate(subject_ids):
        # the subject as it arrives: one cleaned record (an Arrow table, so its column types stay text)
        subject = con.sql("select * from subjects_online where id = ?", params=[subject_id]).to_arrow_table()
        keys = {k: subject.column(k)[0].as_py() for k in ("dob", "key_name", "key_address")}
        t0 = time.perf_counter()
        found = con.sql(CANDIDATES, params=keys).to_arrow_table()
        t1 = time.perf_counter()
        best: list[tuple[str, float]] = []
        if found.num_rows:
            if args.scorer == "compare_records":
                scored = compare_records(subject, found, settings, db_api, sql_cache_key="weerbaar_online_peer")
            else:
                scored = linker.inference.score_pairs(
                    db_api.register(subject, table_name=f"subject_{n}"),
                    db_api.register(found, table_name=f"candidates_{n}"),
                )
            best = con.execute(
                f"select id_r, match_probability from {scored.physical_name} "
                "order by match_probability desc, id_r limit 1"
            ).fetchall()
            release(con, scored)
        t2 = time.perf_counter()
        answers[subject_id] = best[0][0] if best and best[0][1] >= args.accept else None
        if n >= args.warmup:
            lookup_ms.append((t1 - t0) * 1000)
            score_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            candidates.append(found.num_rows)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "p50": round(pct(values, 50), 3),
            "p95": round(pct(values, 95), 3),
            "p99": round(pct(values, 99), 3),
            "mean": round(statistics.fmean(values), 3),
        }

    result: dict[str, Any] = {
        "peer": "splink_online",
        "splink": splink.__version__,
        "duckdb": duckdb.__version__,
        "scorer": args.scorer,
        **rows,
        "subjects_scored": len(total_ms),
        "load_s": round(load_s, 3),
        "training_s": round(training_s, 3),
        "peak_rss_after_training_mib": rss_after_training,
        "prepare_s": round(prepare_s, 3),
        "ms_per_subject": summary(total_ms),
        "lookup_ms": summary(lookup_ms),
        "scoring_ms": summary(score_ms),
        "candidates": {"mean": round(statistics.fmean(candidates), 1), "p99": pct([float(c) for c in candidates], 99)},
        "hits": sum(1 for v in answers.values() if v),
        "wall_s": round(time.perf_counter() - STARTED, 3),
        "peak_rss_mib": peak_rss_mib(),
    }
    if args.truth:
        result["metrics"] = judge(answers, args.truth)
    print(json.dumps(result))
    return 0


def judge(answers: dict[str, str | None], truth_csv: Path) -> dict[str, float | int]:
    """Precision of the hits and the false-hit rate among the scored subjects who are not in the registry."""
    import csv

    with truth_csv.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        truth = {row[0]: (row[1] if len(row) > 1 else "") for row in reader if row}
    hits = {s: r for s, r in answers.items() if r}
    correct = sum(1 for s, r in hits.items() if truth.get(s) == r)
    absent = [s for s in answers if not truth.get(s)]
    present = [s for s in answers if truth.get(s)]
    return {
        "hits": len(hits),
        "precision": round(correct / len(hits), 6) if hits else 1.0,
        "recall": round(correct / len(present), 6) if present else 1.0,
        "absent_subjects": len(absent),
        "false_hit_rate": round(sum(1 for s in absent if s in hits) / len(absent), 6) if absent else 0.0,
    }


if __name__ == "__main__":
    raise SystemExit(main())
