# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL pg_trgm as the online peer: the fuzzy name query most teams write. Runs in /work/venv (psycopg).

Usage:
    python bench/peers/pg_trgm.py REGISTRY.csv SUBJECTS.csv [--truth TRUTH.csv] [--subjects 1000]
        [--no-dob] [--dob-index] [--reload] [--dsn postgresql://postgres@127.0.0.1:5432/weerbaar_bench_trgm]

What it does, and why this way:
- Loads the registry (canonical person CSV) with COPY into table `persons` of its own database
  (weerbaar_bench_trgm, created when missing; it refuses any database named `test`), with a stored generated
  column `full_name` = lower(given_names || ' ' || prefix || ' ' || surname) and a GIN trigram index on it:
  the one index such a team creates (--dob-index adds a b-tree on date_of_birth, which few think of). The
  load is skipped when the table already holds this very file (path, size and mtime kept as the table
  comment), so that repeated runs measure queries, not loading; --reload forces it. Load and index seconds
  are reported when it loads.
- Per subject, the query found in most code bases and tutorials: `WHERE full_name % $name ORDER BY
  similarity(full_name, $name) DESC LIMIT 1`, with `AND date_of_birth = $dob` when the subject has a date
  that PostgreSQL would accept (--no-dob leaves it out). `%` uses pg_trgm.similarity_threshold (0.3 unless
  --threshold says otherwise), so any row returned is an answer "this person is in the registry".
- Client-side wall time per query on one connection, prepared statements, the first --warmup not counted.
- With a truth file (subject_id,registry_id[,…]): precision of the returned rows, recall, and the false-hit
  rate: the share of subjects who are not in the registry (empty registry_id) that got any row back.
One JSON line on stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/weerbaar_bench_trgm"
COLUMNS = (
    "id",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "bsn",
)
CREATE = """
create table persons (
    id text primary key,
    given_names text, surname_prefix text, surname text, date_of_birth date,
    street text, house_number text, house_number_addition text, postcode text, city text, bsn text,
    full_name text generated always as (
        lower(coalesce(given_names, '') || ' ' || coalesce(surname_prefix, '') || ' ' || coalesce(surname, ''))
    ) stored
)
"""
QUERY = "select id, similarity(full_name, %(name)s) as sim from persons where full_name %% %(name)s"
QUERY_DOB = QUERY + " and date_of_birth = %(dob)s"
ORDER = " order by sim desc limit 1"


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile; the same definition bench/run.py uses."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def full_name(row: dict[str, str]) -> str:
    """The subject's name as the generated column builds the registry's (pg_trgm splits on the spaces)."""
    parts = (row.get("given_names") or "", row.get("surname_prefix") or "", row.get("surname") or "")
    return " ".join(parts).lower()


def parse_dob(text: str) -> date | None:
    """A date PostgreSQL's date type would take from a typical form, else None (then no dob filter)."""
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def ensure_database(dsn: str) -> None:
    """Create the benchmark's own database when missing; never touch one named `test`."""
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    name = str(info.get("dbname", ""))
    if not name or name == "test":
        raise SystemExit(f"refusing database {name!r}: use a database of the benchmark's own")
    admin = psycopg.conninfo.make_conninfo(dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def load_registry(conn: psycopg.Connection[Any], path: Path, *, reload: bool, dob_index: bool) -> dict[str, Any]:
    """COPY the registry and build the trigram index, unless the table already holds this exact file."""
    stat = path.stat()
    stamp = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|dob_index={dob_index}"
    current = conn.execute("select obj_description('persons'::regclass)").fetchone() if table_exists(conn) else None
    if current and current[0] == stamp and not reload:
        rows = conn.execute("select count(*) from persons").fetchone()
        return {"reused": True, "registry_rows": rows[0] if rows else 0}

    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    missing = [c for c in COLUMNS if c not in header and c != "bsn"]
    if missing:
        raise SystemExit(f"{path}: missing columns {', '.join(missing)}")

    started = time.perf_counter()
    conn.execute("drop table if exists persons")
    conn.execute(CREATE)
    for extra in (c for c in header if c not in COLUMNS):  # extra columns are kept, as the file format says
        conn.execute(sql.SQL("alter table persons add column {} text").format(sql.Identifier(extra)))
    copy = sql.SQL("copy persons ({}) from stdin with (format csv, header true)").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in header)
    )
    with conn.cursor().copy(copy) as sink, path.open("rb") as source:
        while chunk := source.read(1 << 20):
            sink.write(chunk)
    conn.commit()
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    conn.execute("create index persons_full_name_trgm on persons using gin (full_name gin_trgm_ops)")
    if dob_index:
        conn.execute("create index persons_dob on persons (date_of_birth)")
    conn.execute("analyze persons")
    conn.execute(sql.SQL("comment on table persons is {}").format(sql.Literal(stamp)))
    conn.commit()
    index_s = time.perf_counter() - started
    rows = conn.execute("select count(*) from persons").fetchone()
    return {
        "reused": False,
        "registry_rows": rows[0] if rows else 0,
        "load_s": round(load_s, 3),
        "index_s": round(index_s, 3),
    }


def table_exists(conn: psycopg.Connection[Any]) -> bool:
    return bool(conn.execute("select to_regclass('persons') is not null").fetchone()[0])  # type: ignore[index]


def rate(subjects: list[str], hits: dict[str, str]) -> float | None:
    """Share of `subjects` that got a row; None when there are none to judge."""
    return round(sum(1 for s in subjects if s in hits) / len(subjects), 6) if subjects else None


def read_truth(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return {row[0].strip(): (row[1].strip() if len(row) > 1 else "") for row in reader if row}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("registry", type=Path)
    parser.add_argument("subjects_csv", type=Path)
    parser.add_argument("--truth", type=Path)
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.3, help="pg_trgm.similarity_threshold")
    parser.add_argument("--no-dob", action="store_true", help="never add the date-of-birth equality")
    parser.add_argument("--dob-index", action="store_true", help="also a b-tree on date_of_birth (not the default)")
    parser.add_argument("--reload", action="store_true", help="load the registry even if it is already there")
    parser.add_argument("--dsn", default=DEFAULT_DSN)
    args = parser.parse_args(argv)

    ensure_database(args.dsn)
    with psycopg.connect(args.dsn) as conn:
        server_version = conn.info.server_version
        conn.execute("create extension if not exists pg_trgm")
        conn.commit()
        loading = load_registry(conn, args.registry, reload=args.reload, dob_index=args.dob_index)
        conn.execute(sql.SQL("set pg_trgm.similarity_threshold = {}").format(sql.Literal(args.threshold)))
        conn.commit()
        conn.autocommit = True

        with args.subjects_csv.open(newline="", encoding="utf-8") as handle:
            subjects = list(csv.DictReader(handle))
        random.Random(args.seed).shuffle(subjects)
        subjects = subjects[: args.subjects + args.warmup]

        times: list[float] = []
        answers: dict[str, str | None] = {}
        dob_used: dict[str, bool] = {}
        with_dob = 0
        for n, subject in enumerate(subjects):
            name = full_name(subject)
            dob = None if args.no_dob else parse_dob(subject.get("date_of_birth", "") or "")
            query = (QUERY_DOB if dob else QUERY) + ORDER
            started = time.perf_counter()
            row = conn.execute(query, {"name": name, "dob": dob}, prepare=True).fetchone()
            elapsed = (time.perf_counter() - started) * 1000
            answers[subject["id"]] = row[0] if row else None
            dob_used[subject["id"]] = dob is not None
            if n >= args.warmup:
                times.append(elapsed)
                with_dob += dob is not None

    result: dict[str, Any] = {
        "peer": "pg_trgm",
        "postgres": server_version,
        "threshold": args.threshold,
        "dob_filter": not args.no_dob,
        "dob_index": args.dob_index,
        **loading,
        "subjects_queried": len(times),
        "with_dob": with_dob,
        "ms_per_query": {
            "p50": round(pct(times, 50), 3),
            "p95": round(pct(times, 95), 3),
            "p99": round(pct(times, 99), 3),
            "mean": round(statistics.fmean(times), 3),
        },
        "rows_returned": sum(1 for v in answers.values() if v),
    }
    if args.truth:
        truth = read_truth(args.truth)
        hits = {s: r for s, r in answers.items() if r}
        correct = sum(1 for s, r in hits.items() if truth.get(s) == r)
        absent = [s for s in answers if not truth.get(s)]
        present = [s for s in answers if truth.get(s)]
        result["metrics"] = {
            "precision": round(correct / len(hits), 6) if hits else 1.0,
            "recall": round(correct / len(present), 6) if present else 1.0,
            "absent_subjects": len(absent),
            "false_hits": sum(1 for s in absent if s in hits),
            "false_hit_rate": rate(absent, hits),
            # the date-of-birth filter is what keeps pg_trgm's false hits down; show the two halves apart
            "false_hit_rate_with_dob": rate([s for s in absent if dob_used[s]], hits),
            "false_hit_rate_without_dob": rate([s for s in absent if not dob_used[s]], hits),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
