# SPDX-License-Identifier: EUPL-1.2
"""Matching benchmarks (issue 3), written to docs/benchmarks.md beside their peers measured in the same run.

Quick (default, a few minutes; section ``matching``):

1. FEBRL4 (5,000 × 5,000): ``weerbaar link`` against Splink 5 as its FEBRL4 notebook configures it,
   ``--runs`` times interleaved; precision, recall and F1 of the hits, wall time, peak RSS.
2. The Dutch person benchmark (bench/dutch_benchmark.py, 20,000 registry persons, 5,000 subjects, seed 1):
   ``weerbaar link`` and Splink's person model in batch, and the online engine in process (an index file
   built with ``build_segment`` from registry.csv, ``Segment.query`` per subject), scored per difficulty
   by ``dutch_benchmark.score``; the online peers (pg_trgm, Splink real-time) on 1,000 of the subjects.

City scale (``--city``; section ``matching-city``), on a fresh PostgreSQL database ``weerbaar_bench_matching``:
a city of ``--persons`` (1,000,000) from ``synthetic.generate_city`` and ``--subjects`` (100,000) benchmark
subjects of the same seed, then (a) the import of every file through ``weerbaar sources import`` beside a
bare ``COPY`` of the persons CSV, (b) ``weerbaar matching reindex --force`` under ``/usr/bin/time -v``,
(c) ``hit_no_hit`` in process over every active, non-excluded source, and the engine alone, (d) the same
through the HTTP API on gunicorn with 2 workers, (e) ``weerbaar screen`` of all subjects beside Splink
batch linkage, (f) the online peers (pg_trgm, Splink real-time).

Why subprocesses: every tool runs as a user runs it (process start to exit, imports and reading included),
peak RSS comes from ``os.wait4`` per child, and the in-process measurements run in a fresh worker process of
their own (``python bench/matching.py worker …``), so that no cache of an earlier measurement flatters a
later one.

Why ``WEERBAAR_PROFILE=demo`` with ``DATABASE_URL``: the CLI picks the production profile when
DATABASE_URL is set, and production demands a secret key, encryption keys, HTTPS cookies and MFA for every
account. The demo profile accepts PostgreSQL through DATABASE_URL as well (bench/run.py does the same), keeps
a generated key in WEERBAAR_DATA_DIR (one directory for every step, or the importer and the index builder
would hold different keys), and lets a demo account (``is_demo``) skip MFA at login, which the HTTP
measurement needs. Nothing measured depends on the profile otherwise.

Usage:
    python bench/matching.py [--runs 3]
    python bench/matching.py --city [--persons 1000000] [--subjects 100000] [--work DIR]
    (--no-write: print only; --no-online-peers: skip pg_trgm and Splink real-time in quick mode)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "peers"))  # metrics.py: both sides of FEBRL4 are scored by the same code

from dutch_benchmark import build_benchmark, score, write_benchmark  # noqa: E402
from metrics import evaluate  # noqa: E402
from report import write_section  # noqa: E402

DATA = HERE / "data"
PEERS = HERE / "peers"
PEER_PYTHON = HERE / ".peers-venv" / "bin" / "python"
FEBRL_MAP = (
    "id=rec_id,given_names=given_name,street=address_1,house_number=street_number,city=suburb,national_id=soc_sec_id"
)
DB_NAME = "weerbaar_bench_matching"
DB_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
OWNER, SCREENER, PASSWORD = "bench-owner", "bench-screen", "bench-password-123"
TEAM, PRIVACY = "bench-team", "bench-privacy"
HTTP_PORT = 8797
#: Source slug per file of write_city (company_directors.csv has no source of its own).
CITY_SOURCES = (
    ("brp", "persons.csv"),
    ("handelsregister", "companies.csv"),
    ("bag", "addresses.csv"),
    ("permits", "permits.csv"),
    ("vth", "enforcement.csv"),
    ("woz", "taxes.csv"),
)
PERSON_FIELDS = (
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
)
Answers = dict[str, tuple[str, str]]  # subject id → (hit | possible | no_hit, registry id)


def log(message: str) -> None:
    """Progress on stderr with the wall clock, so a long city run shows where it is."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------ running processes
class BenchError(RuntimeError):
    """A measured program failed; the message carries the end of its stderr."""


@dataclass
class Proc:
    argv: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    max_rss_mib: float
    #: Peak of the summed proportional set size (PSS) of the process and all its descendants, sampled twice
    #: a second (``run(tree=True)`` only): what a program that forks workers holds in memory altogether.
    tree_pss_mib: float = 0.0


def tree_pss_kib(root: int) -> int:
    """Summed PSS of ``root`` and its descendants. PSS, not RSS: forked workers share pages with their
    parent, and summing their RSS would count those pages once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            found = re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
        except OSError:
            continue
        total += int(found.group(1)) if found else 0
    return total


def run(
    argv: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    check: bool = True,
    tree: bool = False,
) -> Proc:
    """Run a program to its end: wall seconds from start to exit and the child's own peak RSS (``wait4``);
    with ``tree``, also the peak memory of the whole process tree (see :class:`Proc`).

    Output goes to temporary files rather than pipes, so a chatty program never blocks on a full pipe and
    nothing in this process competes with it while it runs.
    """
    args = [str(a) for a in argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=dict(env) if env is not None else None, cwd=ROOT)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], tree_pss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True) if tree else None
        if sampler:
            sampler.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
            if timer:
                timer.cancel()
            if sampler:
                sampler.join()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Proc(
            args,
            seconds,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            round(usage.ru_maxrss / 1024, 1),
            round(peak[0] / 1024, 1),
        )
    if check and result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise BenchError(f"{shown(args)} exited with {result.returncode}:\n{tail}")
    return result


def weerbaar() -> list[str]:
    """The ``weerbaar`` console script of this venv (what a user types), else ``python -m weerbaar.cli``."""
    script = Path(sys.executable).parent / "weerbaar"
    return [str(script)] if script.exists() else [sys.executable, "-m", "weerbaar.cli"]


#: The work directory of this run; commands show it as $WORK (the report says where it was).
WORK = Path(tempfile.gettempdir()) / "weerbaar-bench-matching"


def shown(argv: Sequence[str | Path]) -> str:
    """A command as a reader can retype it: paths inside the repository relative to it, the work directory as
    $WORK, venv scripts short."""
    parts = []
    for raw in argv:
        text = str(raw)
        if text.startswith(str(WORK) + os.sep):  # $WORK must stay outside quotes to expand
            parts.append("$WORK" + shlex.quote(text[len(str(WORK)) :]))
            continue
        if text == sys.executable:
            text = "python"
        elif text == str(Path(sys.executable).parent / "weerbaar"):
            text = "weerbaar"
        elif text.startswith(str(ROOT) + os.sep):
            text = text[len(str(ROOT)) + 1 :]
        parts.append(shlex.quote(text))
    return " ".join(parts)


def last_json(text: str) -> dict[str, Any]:
    """The last JSON line a peer printed (its log may precede it)."""
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            parsed: dict[str, Any] = json.loads(line)
            return parsed
    raise BenchError(f"no JSON line in output: {text[-500:]!r}")


def worker(name: str, params: Mapping[str, Any], *, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run ``worker NAME`` of this script in a fresh process; its result comes back as JSON in a file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        proc = run(
            [sys.executable, __file__, "worker", name, json.dumps({**params, "out": str(out)})],
            env=env,
            timeout=3600,
        )
        result: dict[str, Any] = json.loads(out.read_text())
    result["worker_wall_s"] = proc.seconds
    result["worker_rss_mib"] = proc.max_rss_mib
    return result


# ------------------------------------------------------------------------------------------- statistics
def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile, the definition bench/run.py and the peers use."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


@dataclass
class Spread:
    """Median and range of one figure over repeated runs."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        data = list(values)
        return cls(statistics.median(data), min(data), max(data), len(data))


def fmt_time(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def fmt_spread(s: Spread, unit: str = "s", digits: int = 2) -> str:
    if s.runs == 1:
        return f"{s.median:.{digits}f} {unit} (1 run)"
    return f"{s.median:.{digits}f} {unit} ({s.low:.{digits}f}–{s.high:.{digits}f})"


def fmt_rate(value: float | None, digits: int = 4) -> str:
    if value is None or value != value:  # NaN: nothing to judge
        return "—"
    return f"{value:.{digits}f}"


def fmt_pct(value: float | None, digits: int = 2) -> str:
    if value is None or value != value:
        return "—"
    return f"{100 * value:.{digits}f} %"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer else "—"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


# ------------------------------------------------------------------------------------------- machine
def machine() -> str:
    """Platform, CPU, cores, memory and Python: the line every figure is read against."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}, "
        f"Python {platform.python_version()}"
    )


def postgres_version() -> str:
    import psycopg

    try:
        with psycopg.connect(DB_ADMIN, connect_timeout=5) as conn:
            row = conn.execute("show server_version").fetchone()
            return f"PostgreSQL {str(row[0]).split()[0]}" if row else "PostgreSQL"
    except psycopg.Error:
        return "PostgreSQL (not reachable)"


def ensure_peers() -> None:
    """Splink's own venv (bench/peers/setup.sh returns at once when it is there)."""
    run(["bash", PEERS / "setup.sh"], timeout=1800)


def generator_stamp(*parts: object) -> str:
    """Generated files are reused only when the generators' code and the arguments are the same."""
    digest = hashlib.sha256()
    for path in (HERE / "dutch_benchmark.py", ROOT / "src" / "weerbaar" / "sources" / "synthetic.py"):
        digest.update(path.read_bytes())
    digest.update(repr(parts).encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# ------------------------------------------------------------------------------------------- answers
def read_truth(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(r[0], r[1], r[2], r[3]) for r in reader if r]


def read_subjects(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def dob_ids(subjects: Iterable[Mapping[str, str]]) -> set[str]:
    return {s["id"] for s in subjects if (s.get("date_of_birth") or "").strip()}


def answers_from_links(path: Path) -> Answers:
    """One answer per subject from a links file: its ``hit`` row, else its first ``possible`` row.

    Splink's files hold only hits; ours hold one hit row, or the candidates of a ``possible``.
    """
    answers: Answers = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sid, status = row["left_id"], (row.get("status") or "hit").strip()
            if status == "hit":
                answers[sid] = ("hit", row["right_id"])
            elif status == "possible" and sid not in answers:
                answers[sid] = ("possible", row["right_id"])
    return answers


def simple_metrics(answers: Answers, truth: Mapping[str, str]) -> dict[str, float]:
    """The online peers' own definitions (pg_trgm.py, splink_online.py), for a like-for-like row:
    precision of hits, recall over every subject who is in the registry, false-hit rate over outsiders."""
    hits = {s: r for s, (d, r) in answers.items() if d == "hit"}
    correct = sum(1 for s, r in hits.items() if truth.get(s) == r)
    absent = [s for s in answers if not truth.get(s)]
    present = [s for s in answers if truth.get(s)]
    return {
        "precision": correct / len(hits) if hits else 1.0,
        "recall": correct / len(present) if present else float("nan"),
        "false_hit_rate": sum(1 for s in absent if s in hits) / len(absent) if absent else float("nan"),
    }


def status_counts(answers: Answers, n: int) -> str:
    c = Counter(d for d, _ in answers.values())
    return f"{c['hit']} / {c['possible']} / {n - c['hit'] - c['possible']}"


# ------------------------------------------------------------------------------------------- FEBRL4
def bench_febrl(runs: int, work: Path) -> dict[str, Any]:
    """FEBRL4 with ours and Splink, interleaved (the order alternates per run), scored by the same code."""
    left, right, truth = DATA / "febrl4a.csv", DATA / "febrl4b.csv", DATA / "febrl4_truth.csv"
    if not all(p.exists() for p in (left, right, truth)):
        log("FEBRL4: fetching the data (bench/febrl.py)")
        run([sys.executable, HERE / "febrl.py"], timeout=600)
    ours_out, peer_out = work / "febrl_ours.csv", work / "febrl_splink.csv"
    commands = {
        "ours": [*weerbaar(), "link", left, right, "--kind", "person", "--out", ours_out, "--map", FEBRL_MAP],
        "splink": [PEER_PYTHON, PEERS / "splink_link.py", "febrl4", left, right, "--out", peer_out],
    }
    outputs = {"ours": ours_out, "splink": peer_out}
    times: dict[str, list[float]] = {"ours": [], "splink": []}
    rss: dict[str, list[float]] = {"ours": [], "splink": []}
    quality: dict[str, list[dict[str, Any]]] = {"ours": [], "splink": []}
    answers: dict[str, Answers] = {}
    peer_info: dict[str, Any] = {}
    for i in range(runs):
        for side in ("ours", "splink") if i % 2 == 0 else ("splink", "ours"):
            log(f"FEBRL4 run {i + 1}/{runs}: {side}")
            proc = run(commands[side], timeout=900)
            times[side].append(proc.seconds)
            rss[side].append(proc.max_rss_mib)
            quality[side].append(evaluate(outputs[side], truth))
            answers[side] = answers_from_links(outputs[side])
            if side == "splink":
                peer_info = last_json(proc.stdout)
    return {
        "commands": {k: shown(v) for k, v in commands.items()},
        "time": {k: Spread.of(v) for k, v in times.items()},
        "rss": {k: Spread.of(v) for k, v in rss.items()},
        "quality": {k: v[-1] for k, v in quality.items()},
        "stable": {k: len({json.dumps(q, sort_keys=True) for q in v}) == 1 for k, v in quality.items()},
        "answers": {k: status_counts(v, 5000) for k, v in answers.items()},
        "peer": peer_info,
    }


# ------------------------------------------------------------------------------------------- Dutch persons
def prepare_dutch(work: Path, persons: int, subjects: int, seed: int) -> Path:
    """registry.csv, subjects.csv and truth.csv of the Dutch benchmark (regenerated when the generator changed)."""
    out = work / f"nl-{persons}-{subjects}-{seed}"
    stamp = generator_stamp("dutch", persons, subjects, seed)
    marker = out / "STAMP"
    if marker.exists() and marker.read_text() == stamp:
        return out
    log(f"Dutch benchmark: generating {persons:,} persons and {subjects:,} subjects (seed {seed})")
    write_benchmark(build_benchmark(persons, subjects, seed), out)
    marker.write_text(stamp)
    return out


def bench_dutch(runs: int, work: Path, persons: int, subjects: int, seed: int) -> dict[str, Any]:
    """Batch linkage of the subjects against the registry: ours and Splink's person model, interleaved."""
    data = prepare_dutch(work, persons, subjects, seed)
    registry, subjects_csv, truth_csv = data / "registry.csv", data / "subjects.csv", data / "truth.csv"
    ours_out, peer_out = work / "nl_ours.csv", work / "nl_splink.csv"
    commands = {
        "ours": [*weerbaar(), "link", subjects_csv, registry, "--kind", "person", "--out", ours_out],
        "splink": [PEER_PYTHON, PEERS / "splink_link.py", "person", subjects_csv, registry, "--out", peer_out],
    }
    outputs = {"ours": ours_out, "splink": peer_out}
    times: dict[str, list[float]] = {"ours": [], "splink": []}
    rss: dict[str, list[float]] = {"ours": [], "splink": []}
    answers: dict[str, Answers] = {}
    peer_info: dict[str, Any] = {}
    for i in range(runs):
        for side in ("ours", "splink") if i % 2 == 0 else ("splink", "ours"):
            log(f"Dutch batch run {i + 1}/{runs}: {side}")
            proc = run(commands[side], timeout=1800)
            times[side].append(proc.seconds)
            rss[side].append(proc.max_rss_mib)
            answers[side] = answers_from_links(outputs[side])
            if side == "splink":
                peer_info = last_json(proc.stdout)
    truth = read_truth(truth_csv)
    with_dob = dob_ids(read_subjects(subjects_csv))
    return {
        "data": data,
        "persons": persons,
        "subjects": subjects,
        "seed": seed,
        "commands": {k: shown(v) for k, v in commands.items()},
        "time": {k: Spread.of(v) for k, v in times.items()},
        "rss": {k: Spread.of(v) for k, v in rss.items()},
        "scores": {k: score(truth, v, with_dob) for k, v in answers.items()},
        "answers": answers,
        "peer": peer_info,
    }


def bench_online_engine(runs: int, data: Path) -> dict[str, Any]:
    """The online engine in process at the quick size: one fresh worker process per run."""
    per_run = []
    for i in range(runs):
        log(f"online engine run {i + 1}/{runs}")
        per_run.append(
            worker("engine", {"registry": str(data / "registry.csv"), "subjects": str(data / "subjects.csv")})
        )
    truth = read_truth(data / "truth.csv")
    subjects = read_subjects(data / "subjects.csv")
    answers: Answers = {k: (v[0], v[1]) for k, v in per_run[-1]["answers"].items()}
    return {
        "p50": Spread.of(r["latency"]["p50"] for r in per_run),
        "p99": Spread.of(r["latency"]["p99"] for r in per_run),
        "build": Spread.of(r["build_s"] for r in per_run),
        "rss": Spread.of(r["worker_rss_mib"] for r in per_run),
        "timed": per_run[-1]["latency"]["n"],
        "warmup": per_run[-1]["warmup"],
        "index_mib": per_run[-1]["index_mib"],
        "answers": answers,
        "score": score(truth, answers, dob_ids(subjects)),
        "simple": simple_metrics(answers, {t[0]: t[1] for t in truth}),
        "stable": len({json.dumps(r["answers"], sort_keys=True) for r in per_run}) == 1,
    }


def bench_online_peers(runs: int, data: Path, count: int) -> dict[str, Any]:
    """pg_trgm (repeated: its load is reused) and Splink real-time (once: it trains for each run)."""
    registry, subjects_csv, truth = data / "registry.csv", data / "subjects.csv", data / "truth.csv"
    trgm_cmd = [sys.executable, PEERS / "pg_trgm.py", registry, subjects_csv, "--subjects", str(count)]
    trgm_cmd += ["--truth", truth]
    trgm = []
    for i in range(runs):
        log(f"pg_trgm run {i + 1}/{runs}")
        trgm.append(last_json(run(trgm_cmd, timeout=3600).stdout))
    splink_cmd = [PEER_PYTHON, PEERS / "splink_online.py", registry, subjects_csv, "--subjects", str(count)]
    splink_cmd += ["--truth", truth]
    log("Splink real-time (one run)")
    proc = run(splink_cmd, timeout=3600)
    splink = last_json(proc.stdout)
    return {
        "trgm": trgm,
        "trgm_p50": Spread.of(r["ms_per_query"]["p50"] for r in trgm),
        "trgm_p99": Spread.of(r["ms_per_query"]["p99"] for r in trgm),
        "trgm_load": next((r for r in trgm if not r.get("reused")), None),
        "splink": splink,
        "splink_rss": proc.max_rss_mib,
        "commands": {"trgm": shown(trgm_cmd), "splink": shown(splink_cmd)},
    }


# ------------------------------------------------------------------------------------------- workers
def worker_engine(params: Mapping[str, Any]) -> dict[str, Any]:
    """Build the person index from registry.csv and time ``Segment.query`` per subject (quick size)."""
    import resource

    from weerbaar.matching.index import Segment, build_segment

    registry, subjects_csv = Path(params["registry"]), Path(params["subjects"])
    warmup = int(params.get("warmup", 200))

    def rows() -> Iterable[tuple[int, str, dict[str, str]]]:
        with registry.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=1):
                yield number, row["id"], row

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry-person.sqlite"
        started = time.perf_counter()
        build_segment(path, "person", rows())
        build_s = time.perf_counter() - started
        segment = Segment(path)
        subjects = read_subjects(subjects_csv)
        for subject in subjects[:warmup]:
            segment.query("person", subject)
        times: list[float] = []
        answers: dict[str, list[str]] = {}
        for number, subject in enumerate(subjects):
            t0 = time.perf_counter()
            match = segment.query("person", subject)
            elapsed = (time.perf_counter() - t0) * 1000
            if number >= warmup:
                times.append(elapsed)
            answers[subject["id"]] = decision_answer(match.decision)
        index_mib = path.stat().st_size / 2**20
        segment.close()
    return {
        "build_s": build_s,
        "index_mib": index_mib,
        "warmup": warmup,
        "latency": latency(times),
        "answers": answers,
        "self_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def decision_answer(decision: Any) -> list[str]:
    """(decision, registry id) of an engine decision, in the words of dutch_benchmark.score."""
    if decision.status == "hit" and decision.best is not None:
        return ["hit", decision.best.ext_id]
    if decision.status == "possible":
        return ["possible", decision.candidates[0].ext_id if decision.candidates else ""]
    return ["no_hit", ""]


def sample(subjects: Sequence[Mapping[str, str]], n: int, seed: int) -> list[dict[str, str]]:
    """The same pseudo-random subjects for every city measurement (in process, engine, HTTP)."""
    order = list(range(len(subjects)))
    random.Random(f"matching-bench:{seed}").shuffle(order)
    return [dict(subjects[i]) for i in order[:n]]


def worker_users(params: Mapping[str, Any]) -> dict[str, Any]:
    """The bench accounts: a regisseur for hit/no-hit and screening, and a source owner in each department
    that owns one of the city's sources (only a source's own department may load it)."""
    import django

    django.setup()
    from weerbaar.accounts.models import Role, User
    from weerbaar.sources.models import Source

    def account(username: str, role: str, department: Any = None) -> None:
        user, _ = User.objects.get_or_create(username=username, defaults={"is_demo": True})
        user.is_demo = True  # the demo profile lets demo accounts skip MFA (as bench/run.py's account does)
        user.department = department
        user.set_password(PASSWORD)
        user.save()
        user.roles.set(Role.objects.filter(code=role))

    account(SCREENER, "regisseur")
    account(TEAM, "ondermijningsteam")
    account(PRIVACY, "privacyfunctionaris")
    owners: dict[str, str] = {}
    for source in Source.objects.filter(slug__in=[slug for slug, _ in CITY_SOURCES]).select_related("owner_department"):
        department = source.owner_department
        username = f"{OWNER}-{department.code}" if department else OWNER
        account(username, "source_owner", department)
        owners[source.slug] = username
    return {"owners": owners}


def worker_research_signal(params: Mapping[str, Any]) -> dict[str, Any]:
    """A signal in source research whose privacy check 1 approves every searchable source: a person
    may ask hit/no-hit only under such a check (the gate in matching.services), so the bench asks
    under it as a regisseur would; the system actor would skip the gate and flatter the figures."""
    import django

    django.setup()
    from datetime import date

    from weerbaar.accounts.authz import Actor
    from weerbaar.accounts.models import User
    from weerbaar.matching import services as matching
    from weerbaar.research import services as research
    from weerbaar.signals.models import ChecklistItem, ChecklistKind, WeighingCriterion
    from weerbaar.signals.services import SignalInput, signal_create, signal_qualify, signal_weigh
    from weerbaar.sources.models import Mode

    def as_(username: str, role: str) -> Actor:
        return Actor(user=User.objects.get(username=username), role=role, origin="bench:matching")

    regisseur, team, privacy = (
        as_(SCREENER, "regisseur"),
        as_(TEAM, "ondermijningsteam"),
        as_(PRIVACY, "privacyfunctionaris"),
    )
    signal = signal_create(
        acting=regisseur,
        data=SignalInput(
            channel="department",
            received_on=date.today(),
            description="Benchmark: screening of the city's subjects.",
            phenomena=["cannabis"],
            subjects=[{"kind": "address", "data": {"postcode": "9999ZZ"}}],
        ),
    )
    anchoring = ChecklistItem.objects.filter(kind=ChecklistKind.ANCHORING).values_list("code", flat=True).first()
    flag = ChecklistItem.objects.filter(kind=ChecklistKind.RED_FLAG).values_list("code", flat=True).first()
    signal_qualify(
        acting=regisseur,
        signal_id=signal.pk,
        checked_items=[anchoring, flag],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="Benchmark.",
    )
    scores = {c.code: (1, "Benchmark.") for c in WeighingCriterion.objects.filter(active=True)}
    signal_weigh(acting=team, signal_id=signal.pk, scores=scores, route="d", reasons="Benchmark.")
    slugs = [s.slug for s in matching.searchable_sources() if s.mode != Mode.EXCLUDED]
    pc1 = research.pc1_request(acting=team, signal_id=signal.pk, source_slugs=slugs, reasons="Benchmark.")
    text = "Benchmark."
    assessment = {
        "legal_basis": text,
        "compatibility": dict.fromkeys(("link", "context", "nature", "consequences", "safeguards"), text),
        **dict.fromkeys(("necessity", "proportionality", "subsidiarity", "minimisation"), text),
    }
    research.pc1_decide(
        acting=privacy,
        pc1_id=pc1.pk,
        decisions=[
            research.SourceDecision(source=slug, outcome="approved", reasons=text, assessment=assessment)
            for slug in slugs
        ],
    )
    return {"reference": signal.reference, "sources": slugs}


def worker_city_online(params: Mapping[str, Any]) -> dict[str, Any]:
    """hit_no_hit (mode ``service``) or the engine alone (mode ``engine``) for the sampled subjects.

    The engine mode does what hit_no_hit does per source (normalise the subject, ``Segment.match``) over the
    same index files, without the permission check, the snapshot query and the audit write, so the
    difference between the two is the service's own share.
    """
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from weerbaar.accounts.authz import authorize
    from weerbaar.accounts.models import User
    from weerbaar.accounts.permissions import Perm
    from weerbaar.matching import services
    from weerbaar.matching.index import Segment
    from weerbaar.matching.records import normalise_row
    from weerbaar.sources.models import Mode, Snapshot, SourceRecord

    mode, warmup, count = params["mode"], int(params["warmup"]), int(params["count"])
    chosen = sample(read_subjects(Path(params["subjects"])), warmup + count, int(params["seed"]))
    sources = [s for s in services.searchable_sources() if s.mode != Mode.EXCLUDED]
    acting = authorize(User.objects.get(username=SCREENER), Perm.MATCH_SCREEN, origin="bench:matching")
    current = {
        sid: (pk, sha)
        for sid, pk, sha in Snapshot.objects.filter(source__in=sources, is_current=True).values_list(
            "source_id", "pk", "file_sha256"
        )
    }
    segments: list[tuple[str, Any]] = []
    for source in sources:
        if source.pk in current and "person" in services.SEGMENT_KINDS[source.kind]:
            path = services.segment_path(source, current[source.pk], "person")
            if path.exists():
                segments.append((source.slug, Segment(path)))

    def ask(subject: Mapping[str, str]) -> dict[str, tuple[str, tuple[int, ...]]]:
        if mode == "service":
            try:
                found = services.hit_no_hit(
                    acting=acting,
                    subject=subject,
                    kind="person",
                    sources=sources,
                    purpose="benchmark",
                    reference=params["reference"],
                )
            except ValidationError:  # a subject too thin to be looked up is refused, never a no-hit
                return {"brp": ("refused", ())}
            return {a.source: (a.status, a.record_ids) for a in found}
        result = {}
        for slug, segment in segments:
            match = segment.match(normalise_row("person", subject))
            result[slug] = (match.decision.status, match.record_ids)
        return result

    for subject in chosen[:warmup]:
        ask(subject)
    times: list[float] = []
    normalise_ms: list[float] = []
    brp: dict[str, tuple[str, tuple[int, ...]]] = {}
    statuses: Counter[str] = Counter()
    for subject in chosen[warmup:]:
        t0 = time.perf_counter()
        answer = ask(subject)
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        normalise_row("person", subject)
        normalise_ms.append((time.perf_counter() - t0) * 1000)
        brp[subject["id"]] = answer.get("brp", ("unavailable", ()))
        statuses.update(f"{slug}:{status}" for slug, (status, _ids) in answer.items())
    ext = dict(
        SourceRecord.objects.filter(pk__in={i for _s, ids in brp.values() for i in ids[:1]}).values_list("pk", "ext_id")
    )
    words = {"hit": "hit", "possible": "possible"}
    answers = {
        sid: [words.get(status, "no_hit"), ext.get(ids[0], "") if ids else ""] for sid, (status, ids) in brp.items()
    }
    return {
        "mode": mode,
        "sources": [s.slug for s in sources],
        "segments": [slug for slug, _ in segments],
        "warmup": warmup,
        "latency": latency(times),
        "normalise": latency(normalise_ms),
        "answers": answers,
        "statuses": dict(statuses),
    }


def worker_generate(params: Mapping[str, Any]) -> dict[str, Any]:
    """The city files and the benchmark files of one seed, in a process of their own (about 1 GB at 1 M)."""
    import gc

    from weerbaar.sources.synthetic import generate_city, write_city

    persons, subjects, seed = int(params["persons"]), int(params["subjects"]), int(params["seed"])
    city_dir, nl_dir = Path(params["city_dir"]), Path(params["nl_dir"])
    started = time.perf_counter()
    city = generate_city(persons, seed=seed)
    write_city(city, city_dir)
    counts = {name: len(table) for name, table in city.tables().items()}
    del city
    gc.collect()
    city_s = time.perf_counter() - started
    started = time.perf_counter()
    bench = build_benchmark(persons, subjects, seed)
    write_benchmark(bench, nl_dir)
    del bench
    return {"city_s": city_s, "benchmark_s": time.perf_counter() - started, "counts": counts}


WORKERS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "engine": worker_engine,
    "users": worker_users,
    "research-signal": worker_research_signal,
    "city-online": worker_city_online,
    "generate": worker_generate,
}


# ------------------------------------------------------------------------------------------- city scale
def city_env(work: Path) -> dict[str, str]:
    """One environment for every city step: the bench database, one data directory (one demo key)."""
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "WEERBAAR_PROFILE": "demo",
        "WEERBAAR_DATA_DIR": str(work / "data"),
        "WEERBAAR_INDEX_DIR": str(work / "index"),
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings.base",
        "WEERBAAR_LOG_LEVEL": "WARNING",
    }


def fresh_database(work: Path) -> None:
    """Drop and create the bench database, and empty the data and index directories that belong to it."""
    import psycopg
    from psycopg import sql

    if DB_NAME == "test":  # never; the name is a constant, the check is a guard against an edit
        raise SystemExit("refusing the database named test")
    with psycopg.connect(DB_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(DB_NAME)))
    for sub in ("data", "index"):
        shutil.rmtree(work / sub, ignore_errors=True)
        (work / sub).mkdir(parents=True)


def copy_floor(path: Path) -> dict[str, float]:
    """COPY of the same CSV into a plain table of text columns in the bench database: the import's floor."""
    import psycopg
    from psycopg import sql

    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    conninfo = DB_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo) as conn:
        conn.execute("drop table if exists bench_copy_floor")
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
        conn.execute(sql.SQL("create table bench_copy_floor ({})").format(columns))
        conn.commit()
        started = time.perf_counter()
        copy = "copy bench_copy_floor from stdin with (format csv, header true)"
        with conn.cursor().copy(copy) as sink, path.open("rb") as source:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - started
        row = conn.execute("select count(*) from bench_copy_floor").fetchone()
        conn.execute("drop table bench_copy_floor")
        conn.commit()
    return {"seconds": seconds, "rows": float(row[0]) if row else 0.0}


def parse_time_v(stderr: str) -> dict[str, float]:
    """Wall seconds and peak RSS (MiB) from GNU time's -v report."""
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    seconds = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    return {"wall_s": seconds, "max_rss_mib": int(rss.group(1)) / 1024 if rss else 0.0}


def http_session(base: str) -> Any:
    """A logged-in httpx client for the regisseur account (demo profile: a demo account skips MFA)."""
    import httpx

    client = httpx.Client(base_url=base, timeout=30)
    client.get("/accounts/login")
    token = client.cookies["csrftoken"]
    response = client.post(
        "/accounts/login",
        data={"username": SCREENER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base},
    )
    if response.status_code != 302:
        raise BenchError(f"login as {SCREENER} failed: {response.status_code} {response.text[:300]}")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    client.headers["Referer"] = base
    return client


def http_body(subject: Mapping[str, str], sources: Sequence[str], reference: str) -> dict[str, Any]:
    return {
        "kind": "person",
        "subject": {k: subject[k] for k in PERSON_FIELDS if subject.get(k)},
        "sources": list(sources),
        "purpose": "benchmark",
        "reference": reference,
    }


def _http_client(job: tuple[str, list[dict[str, Any]]]) -> tuple[list[float], int, Counter[str]]:
    """One client process: its own session, its share of the requests, client-side latency per request."""
    base, bodies = job
    client = http_session(base)
    times: list[float] = []
    errors = 0
    brp: Counter[str] = Counter()
    for body in bodies:
        t0 = time.perf_counter()
        response = client.post("/api/v1/matching/hit-no-hit", json=body)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            errors += 1
            continue
        for answer in response.json()["answers"]:
            if answer["source"] == "brp":
                brp[answer["status"]] += 1
    client.close()
    return times, errors, brp


def http_run(base: str, bodies: list[dict[str, Any]], clients: int) -> dict[str, Any]:
    """``clients`` processes (not threads: the GIL would add its own queueing) share the requests."""
    shares = [bodies[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        parts = pool.map(_http_client, [(base, share) for share in shares])
    wall = time.perf_counter() - started
    times = [t for part in parts for t in part[0]]
    brp: Counter[str] = Counter()
    for part in parts:
        brp.update(part[2])
    return {
        "clients": clients,
        "latency": latency(times),
        "errors": sum(p[1] for p in parts),
        "rps": len(times) / wall,
        "brp": dict(brp),
    }


def bench_http(
    env: Mapping[str, str],
    work: Path,
    warm: list[dict[str, str]],
    timed: list[dict[str, str]],
    floor_ms: int | None,
    reference: str,
) -> dict[str, Any]:
    """gunicorn with 2 (sync) workers on the bench database; sequential, then 4 concurrent clients.

    ``floor_ms`` sets WEERBAAR_MATCHING_MIN_RESPONSE_MS (the API holds every answer at least that long, so
    its timing tells no hit from a no-hit); None keeps the product's default. Measured both ways, the
    figures show what the floor costs and what the server's own work is.
    """
    import httpx

    if floor_ms is not None:
        env = {**env, "WEERBAAR_MATCHING_MIN_RESPONSE_MS": str(floor_ms)}
    sources = list(worker_sources(env))
    argv = [sys.executable, "-m", "gunicorn", "weerbaar.wsgi:application", "--workers", "2"]
    argv += ["--bind", f"127.0.0.1:{HTTP_PORT}", "--log-level", "warning"]
    logfile = (work / "gunicorn.log").open("wb")
    server = subprocess.Popen(argv, env=dict(env), cwd=ROOT, stdout=logfile, stderr=logfile)
    base = f"http://127.0.0.1:{HTTP_PORT}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise BenchError("gunicorn did not answer /health within 30 s")
        # Warm-up through 4 clients so that both workers open their index files before the clock runs.
        http_run(base, [http_body(s, sources, reference) for s in warm], 4)
        bodies = [http_body(s, sources, reference) for s in timed]
        sequential = http_run(base, bodies, 1)
        concurrent = http_run(base, bodies, 4)
    finally:
        server.terminate()
        server.wait(timeout=30)
        logfile.close()
    return {
        "command": shown(argv),
        "floor_ms": floor_ms,
        "sources": sources,
        "sequential": sequential,
        "concurrent": concurrent,
    }


def default_floor_ms(env: Mapping[str, str]) -> int | None:
    """The product's default WEERBAAR_MATCHING_MIN_RESPONSE_MS, as `weerbaar config` lists it."""
    text = run([*weerbaar(), "config"], env=env, timeout=120).stdout
    found = re.search(r"WEERBAAR_MATCHING_MIN_RESPONSE_MS\s+default: '(\d+)'", text)
    return int(found.group(1)) if found else None


def worker_sources(env: Mapping[str, str]) -> list[str]:
    """Active, non-excluded source slugs, asked of the bench database (the HTTP body names them)."""
    import psycopg

    conninfo = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            "select slug from sources_source where active and mode <> 'excluded' order by slug"
        ).fetchall()
    return [r[0] for r in rows]


def screen_answers(path: Path) -> dict[str, str]:
    """subject id → brp status from ``weerbaar screen``'s output (which carries no record ids)."""
    found: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source"] == "brp":
                found[row["subject_id"]] = row["status"]
    return found


def screen_figures(statuses: Mapping[str, str], truth: Sequence[tuple[str, str, str, str]]) -> dict[str, float]:
    """What a status-only answer can be judged on: false hits on outsiders, hits among expected hits."""
    outsiders = [t[0] for t in truth if not t[1]]
    expected = [t[0] for t in truth if t[3] == "hit"]
    ambiguous = [t[0] for t in truth if t[3] == "possible"]
    return {
        "false_hit_rate": sum(statuses.get(s) == "hit" for s in outsiders) / len(outsiders),
        "hit_share_expected": sum(statuses.get(s) == "hit" for s in expected) / len(expected),
        "ambiguous_hits": float(sum(statuses.get(s) == "hit" for s in ambiguous)),
        "possible_share": sum(v == "possible" for v in statuses.values()) / max(len(statuses), 1),
    }


def attempt(errors: dict[str, str], name: str, step: Callable[[], Any]) -> Any:
    """Run one city step; a failure is recorded for the report instead of losing the steps before it."""
    try:
        return step()
    except Exception as exc:  # any failure becomes a line in the report
        log(f"{name} FAILED: {exc}")
        errors[name] = str(exc).splitlines()[0][:300]
        return None


def bench_city(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    persons, n_subjects, seed = args.persons, args.subjects, args.seed
    city_dir = work / f"city-{persons}-{seed}"
    nl_dir = work / f"nl-{persons}-{n_subjects}-{seed}"
    errors: dict[str, str] = {}
    out: dict[str, Any] = {"persons": persons, "subjects": n_subjects, "seed": seed, "errors": errors}

    stamp = generator_stamp("city", persons, n_subjects, seed)
    if (city_dir / "STAMP").exists() and (city_dir / "STAMP").read_text() == stamp:
        log("city files are there (same generator, same arguments): reused")
        out["generate"] = {"reused": True}
    else:
        log(f"generating the city ({persons:,} persons) and {n_subjects:,} benchmark subjects")
        out["generate"] = worker(
            "generate",
            {
                "persons": persons,
                "subjects": n_subjects,
                "seed": seed,
                "city_dir": str(city_dir),
                "nl_dir": str(nl_dir),
            },
        )
        (city_dir / "STAMP").write_text(stamp)
    out["same_persons"] = file_sha256(city_dir / "persons.csv") == file_sha256(nl_dir / "registry.csv")
    if not out["same_persons"]:
        raise BenchError("persons.csv of the city differs from the benchmark's registry.csv: the truth would not hold")
    out["rows"] = {slug: sum(1 for _ in (city_dir / name).open(encoding="utf-8")) - 1 for slug, name in CITY_SOURCES}

    env = city_env(work)
    log(f"fresh database {DB_NAME}; migrate")
    fresh_database(work)
    out["migrate"] = run([*weerbaar(), "manage", "migrate", "--verbosity", "0"], env=env, timeout=900).seconds
    owners = worker("users", {}, env=env)["owners"]

    # (a) imports: persons beside the COPY floor, then the other sources
    imports: dict[str, dict[str, Any]] = {}
    for slug, name in CITY_SOURCES:
        argv = [*weerbaar(), "sources", "import", slug, city_dir / name, "--user", owners.get(slug, OWNER)]
        argv += ["--no-progress"]
        log(f"import {name} → {slug}")
        proc = attempt(errors, f"import {slug}", lambda argv=argv: run(argv, env=env, timeout=3600))
        if proc is None:
            continue
        said = re.search(r"Imported ([\d,]+) rows into \S+ in ([\d.]+) s", proc.stdout)
        imports[slug] = {
            "command": shown(argv),
            "wall_s": proc.seconds,
            "rss_mib": proc.max_rss_mib,
            "rows": int(said.group(1).replace(",", "")) if said else None,
            "service_s": float(said.group(2)) if said else None,
        }
        if slug == "brp":
            log("COPY floor of persons.csv")
            out["copy_floor"] = attempt(errors, "COPY floor", lambda: copy_floor(city_dir / "persons.csv"))
    out["imports"] = imports

    # (b) the index
    log("weerbaar matching reindex --force")
    reindex_argv = ["/usr/bin/time", "-v", *weerbaar(), "matching", "reindex", "--force"]
    proc = attempt(errors, "reindex", lambda: run(reindex_argv, env=env, timeout=3600, tree=True))
    if proc is not None:
        files = [
            {"source": m[0], "kind": m[1], "records": int(m[2]), "seconds": float(m[3])}
            for m in re.findall(r"^\s+(\S+)\s+(\S+)\s+(\d+) records\s+([\d.]+) s$", proc.stdout, re.M)
        ]
        sizes = {
            p.parent.name + "/" + p.name.rsplit("-", 1)[-1]: p.stat().st_size
            for p in (work / "index").rglob("*.sqlite")
        }
        out["reindex"] = {
            "command": shown(reindex_argv[2:]),
            **parse_time_v(proc.stderr),
            "tree_pss_mib": proc.tree_pss_mib,
            "files": files,
            "index_mib": sum(sizes.values()) / 2**20,
        }

    # (c) online in process; (d) over HTTP
    subjects_csv, truth_csv, registry = nl_dir / "subjects.csv", nl_dir / "truth.csv", nl_dir / "registry.csv"
    truth = read_truth(truth_csv)
    log("a signal in source research whose privacy check 1 approves every searchable source")
    research = worker("research-signal", {}, env=env)
    reference = str(research["reference"])
    params = {"subjects": str(subjects_csv), "seed": seed, "warmup": 200, "count": 2000, "reference": reference}
    for mode in ("service", "engine"):
        log(f"in process: {mode}")
        out[mode] = attempt(
            errors, f"in process {mode}", lambda mode=mode: worker("city-online", {**params, "mode": mode}, env=env)
        )
    chosen = sample(read_subjects(subjects_csv), 2200, seed)
    out["floor_default_ms"] = attempt(errors, "weerbaar config", lambda: default_floor_ms(env))
    for key, floor in (("http", None), ("http_nofloor", 0)):
        log(f"HTTP: gunicorn, 2 workers (response floor {'default' if floor is None else floor})")
        out[key] = attempt(
            errors, key, lambda floor=floor: bench_http(env, work, chosen[:200], chosen[200:1200], floor, reference)
        )

    # (e) batch screening beside Splink batch linkage
    screen_out = work / "screen.csv"
    screen_argv = [*weerbaar(), "screen", subjects_csv, "--out", screen_out, "--user", SCREENER]
    screen_argv += ["--purpose", "benchmark", "--signal", reference]
    for label, extra in (("all", ["--sources", ",".join(research["sources"])]), ("brp", ["--sources", "brp"])):
        log(f"weerbaar screen ({label} sources)")
        proc = attempt(
            errors,
            f"screen {label}",
            lambda extra=extra: run([*screen_argv, *extra], env=env, timeout=3600, tree=True),
        )
        if proc is not None:
            said = re.search(r"Screened (\d+) subjects against (\d+) sources in ([\d.]+) s", proc.stderr)
            out[f"screen_{label}"] = {
                "command": shown([*screen_argv, *extra]),
                "wall_s": proc.seconds,
                "rss_mib": proc.max_rss_mib,
                "tree_pss_mib": proc.tree_pss_mib,
                "service_s": float(said.group(3)) if said else None,
                "sources": int(said.group(2)) if said else None,
                "figures": screen_figures(screen_answers(screen_out), truth),
            }
    splink_out = work / "splink_city.csv"
    splink_argv = [PEER_PYTHON, PEERS / "splink_link.py", "person", subjects_csv, registry, "--out", splink_out]
    log("Splink batch linkage")
    proc = attempt(errors, "Splink batch", lambda: run(splink_argv, timeout=7200))
    if proc is not None:
        with_dob = dob_ids(read_subjects(subjects_csv))
        out["splink_batch"] = {
            "command": shown(splink_argv),
            "wall_s": proc.seconds,
            "rss_mib": proc.max_rss_mib,
            "peer": last_json(proc.stdout),
            "score": score(truth, answers_from_links(splink_out), with_dob)["all"],
        }

    # (f) online peers
    for name, argv in (
        ("trgm", [sys.executable, PEERS / "pg_trgm.py", registry, subjects_csv, "--subjects", "1000"]),
        ("splink_online", [PEER_PYTHON, PEERS / "splink_online.py", registry, subjects_csv, "--subjects", "1000"]),
    ):
        argv = [*argv, "--truth", truth_csv]
        log(f"online peer {name}")
        proc = attempt(errors, f"peer {name}", lambda argv=argv: run(argv, timeout=7200))
        if proc is not None:
            out[name] = {
                "command": shown(argv),
                "wall_s": proc.seconds,
                "rss_mib": proc.max_rss_mib,
                **last_json(proc.stdout),
            }

    # accuracy of the in-process answers on the sampled subjects
    chosen_ids = {s["id"] for s in chosen[200:]}
    sampled_truth = [t for t in truth if t[0] in chosen_ids]
    with_dob = dob_ids(chosen[200:])
    truth_map = {t[0]: t[1] for t in truth}
    for mode in ("service", "engine"):
        if out.get(mode):
            answers = {k: (v[0], v[1]) for k, v in out[mode]["answers"].items()}
            out[mode]["score"] = score(sampled_truth, answers, with_dob)["all"]
            out[mode]["simple"] = simple_metrics(answers, truth_map)
    return out


# ------------------------------------------------------------------------------------------- report
def row(*cells: object) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


#: code_version() when the run began (main sets it): the figures belong to the code that was measured.
CODE_AT_START = ""


def code_version() -> str:
    """The commit measured, and whether src/ had uncommitted changes (others edit it while benchmarks run)."""
    try:
        commit = run(["git", "rev-parse", "--short", "HEAD"], timeout=30).stdout.strip()
        dirty = run(["git", "status", "--porcelain", "--", "src"], timeout=30).stdout.strip()
    except (BenchError, OSError):
        return "code version unknown"
    return f"code at {commit}" + (" with uncommitted changes in src/" if dirty else "")


def code_note() -> str:
    """The code measured; a warning when it changed while the run went on (then the figures mix versions)."""
    now = code_version()
    if not CODE_AT_START or now == CODE_AT_START:
        return now
    return f"**the code changed during the run**: {CODE_AT_START} at the start, {now} at the end"


def header(command: str, started: datetime, extra: str = "") -> str:
    return (
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} UTC ({code_note()}); {machine()}; "
        f"{postgres_version()}{extra}. "
        "Targets come from the product brief (performance.md); every peer ran in this same run, on the same "
        f"files and the same machine. `$WORK` in the commands is {WORK}."
    )


def dutch_rows(scores: Mapping[str, Mapping[str, Mapping[str, float]]], sides: Sequence[str]) -> list[str]:
    """Per difficulty: the figures of each side, separated by ' · ' (order as in the column heading)."""
    rows = []
    keys = sorted(scores[sides[0]], key=lambda k: (k == "all", k != "not_in_registry", k))
    for key in keys:
        figures = {side: scores[side][key] for side in sides}

        def cell(metric: str, which: Sequence[str], as_pct: bool = False, figures: Mapping = figures) -> str:
            values = [figures[s][metric] for s in which]
            return " · ".join(fmt_pct(v, 1) if as_pct else fmt_rate(v, 3) for v in values)

        rows.append(
            row(
                f"**{key}**" if key == "all" else key,
                int(figures[sides[0]]["n"]),
                cell("precision", sides),
                cell("recall", sides),
                cell("recall_dob", sides),
                cell("false_hit_rate", sides, as_pct=True),
                cell("possible_share", sides[:2], as_pct=True),
                " · ".join(str(int(figures[s]["ambiguous_hits"])) for s in sides),
            )
        )
    return rows


def febrl_lines(f: Mapping[str, Any]) -> list[str]:
    qo, qs = f["quality"]["ours"], f["quality"]["splink"]
    to, ts = f["time"]["ours"], f["time"]["splink"]
    ro, rs = f["rss"]["ours"].median, f["rss"]["splink"].median
    note = "" if all(f["stable"].values()) else " The figures varied between runs; the last run's are shown."
    return [
        "### FEBRL4 linkage (5,000 × 5,000 persons, 5,000 true pairs)",
        "",
        row("measure", "Weerbaar", "Splink 5 (its FEBRL4 notebook)", "ours ÷ peer", "target", "met"),
        row("---", "---", "---", "---", "---", "---"),
        row("precision (hits)", f"{qo['precision']:.4f}", f"{qs['precision']:.4f}", "—", "—", ""),
        row("recall", f"{qo['recall']:.4f}", f"{qs['recall']:.4f}", "—", "—", ""),
        row(
            "F1",
            f"{qo['f1']:.4f}",
            f"{qs['f1']:.4f}",
            f"{qo['f1'] / qs['f1']:.4f}",
            "≥ the peer's F1",
            verdict(qo["f1"] >= qs["f1"]),
        ),
        row(
            "wall time",
            fmt_spread(to),
            fmt_spread(ts),
            ratio(to.median, ts.median),
            "below the peer's",
            verdict(to.median < ts.median),
        ),
        row("peak RSS", f"{ro:.0f} MiB", f"{rs:.0f} MiB", ratio(ro, rs), "—", ""),
        row(
            "answers hit / possible / no-hit", f["answers"]["ours"], f"{f['answers']['splink']} (hits only)", "", "", ""
        ),
        "",
        (
            f"Commands: `{f['commands']['ours']}`; `{f['commands']['splink']}`. Both are scored by "
            f"bench/peers/metrics.py on hits only (a `possible` is a question to a human, not a claimed match).{note}"
        ),
        "",
    ]


def dutch_lines(d: Mapping[str, Any], e: Mapping[str, Any]) -> list[str]:
    so, se, ss = d["scores"]["ours"]["all"], e["score"]["all"], d["scores"]["splink"]["all"]
    dto, dts = d["time"]["ours"], d["time"]["splink"]

    def met(check: Callable[[Mapping[str, float]], bool]) -> str:
        return f"{verdict(check(so))}, {verdict(check(se))}"

    scores = {"batch": d["scores"]["ours"], "online": e["score"], "splink": d["scores"]["splink"]}
    return [
        f"### Dutch person matching ({d['persons']:,} registry persons, {d['subjects']:,} subjects, seed {d['seed']})",
        "",
        (
            "Generated by bench/dutch_benchmark.py and scored by its `score()`. *Batch* is `weerbaar link` (model "
            "trained on the two files by EM); *online* is the index the product queries (`build_segment` on "
            "registry.csv, `Segment.query` per subject; m from priors, u from the registry); *Splink* is its "
            "person model as a competent user configures it (bench/peers/README.md). Recall counts correct hits "
            "among subjects whose expected answer is a hit; the false-hit rate is the share of subjects not in the "
            "registry that got a hit."
        ),
        "",
        row("measure", "Weerbaar batch", "Weerbaar online", "Splink 5 batch", "target", "met (batch, online)"),
        row("---", "---", "---", "---", "---", "---"),
        row(
            "hit precision",
            f"{so['precision']:.4f}",
            f"{se['precision']:.4f}",
            f"{ss['precision']:.4f}",
            "≥ 0.99",
            met(lambda s: s["precision"] >= 0.99),
        ),
        row(
            "false-hit rate, not in registry",
            fmt_pct(so["false_hit_rate"]),
            fmt_pct(se["false_hit_rate"]),
            fmt_pct(ss["false_hit_rate"]),
            "≤ 0.5 %",
            met(lambda s: s["false_hit_rate"] <= 0.005),
        ),
        row(
            "recall where the subject has a date of birth",
            f"{so['recall_dob']:.4f}",
            f"{se['recall_dob']:.4f}",
            f"{ss['recall_dob']:.4f}",
            "≥ 0.95",
            met(lambda s: s["recall_dob"] >= 0.95),
        ),
        row("recall, all expected hits", f"{so['recall']:.4f}", f"{se['recall']:.4f}", f"{ss['recall']:.4f}", "—", ""),
        row(
            "share `possible`",
            fmt_pct(so["possible_share"], 1),
            fmt_pct(se["possible_share"], 1),
            "— (Splink has none)",
            "—",
            "",
        ),
        row(
            "hits on ambiguous subjects (expected `possible`)",
            int(so["ambiguous_hits"]),
            int(se["ambiguous_hits"]),
            int(ss["ambiguous_hits"]),
            "0: ambiguous → `possible`, never `hit`",
            met(lambda s: s["ambiguous_hits"] == 0),
        ),
        row(
            "wall time (batch)",
            fmt_spread(dto),
            "—",
            fmt_spread(dts),
            "—",
            f"ours ÷ peer {ratio(dto.median, dts.median)}",
        ),
        row(
            "peak RSS (batch)",
            f"{d['rss']['ours'].median:.0f} MiB",
            "—",
            f"{d['rss']['splink'].median:.0f} MiB",
            "—",
            "",
        ),
        "",
        "Per difficulty (batch · online · Splink; `possible`: batch · online):",
        "",
        row(
            "difficulty", "n", "precision", "recall", "recall with dob", "false-hit rate", "possible", "ambiguous hits"
        ),
        row("---", "---", "---", "---", "---", "---", "---", "---"),
        *dutch_rows(scores, ["batch", "online", "splink"]),
        "",
        (
            f"Commands: `python bench/dutch_benchmark.py --persons {d['persons']} --subjects {d['subjects']} "
            f"--seed {d['seed']} --out DIR`; `{d['commands']['ours']}`; `{d['commands']['splink']}`."
        ),
        "",
    ]


def online_quick_lines(d: Mapping[str, Any], e: Mapping[str, Any], p: Mapping[str, Any] | None, runs: int) -> list[str]:
    lines = [
        f"### Online hit/no-hit at the quick size ({d['persons']:,} persons, in process)",
        "",
        (
            "Weerbaar: one person index file built from registry.csv, `Segment.query` per subject, in a fresh "
            f"process per run; {e['warmup']} subjects of warm-up, then {e['timed']:,} timed (median of "
            f"{plural(runs, 'run')}, range in brackets). The peers time 1,000 subjects each (their own samples) "
            "after 5 of warm-up. "
            "Accuracy in the peers' own definitions here (recall over every subject in the registry). The "
            "targets (p50 ≤ 2 ms, p99 ≤ 10 ms) are for city scale and judged in the city section."
        ),
        "",
    ]
    if not p:
        return [
            *lines,
            row("measure", "Weerbaar index"),
            row("---", "---"),
            row("latency p50", fmt_spread(e["p50"], "ms", 3)),
            row("latency p99", fmt_spread(e["p99"], "ms", 3)),
            "",
            "(online peers skipped: --no-online-peers)",
            "",
        ]
    sp, tr = p["splink"], p["trgm"][-1]
    load = p["trgm_load"]
    trgm_setup = f"COPY {load['load_s']:.2f} s + GIN index {load['index_s']:.2f} s" if load else "load reused"
    return [
        *lines,
        row("measure", "Weerbaar index", "pg_trgm", "Splink 5 real-time", "ours ÷ pg_trgm", "ours ÷ Splink"),
        row("---", "---", "---", "---", "---", "---"),
        row(
            "latency p50",
            fmt_spread(e["p50"], "ms", 3),
            fmt_spread(p["trgm_p50"], "ms", 2),
            f"{sp['ms_per_subject']['p50']:.2f} ms (1 run)",
            ratio(e["p50"].median, p["trgm_p50"].median),
            ratio(e["p50"].median, sp["ms_per_subject"]["p50"]),
        ),
        row(
            "latency p99",
            fmt_spread(e["p99"], "ms", 3),
            fmt_spread(p["trgm_p99"], "ms", 2),
            f"{sp['ms_per_subject']['p99']:.2f} ms (1 run)",
            ratio(e["p99"].median, p["trgm_p99"].median),
            ratio(e["p99"].median, sp["ms_per_subject"]["p99"]),
        ),
        row(
            "hit precision",
            f"{e['simple']['precision']:.4f}",
            f"{tr['metrics']['precision']:.4f}",
            f"{sp['metrics']['precision']:.4f}",
            "",
            "",
        ),
        row(
            "recall (all in registry)",
            f"{e['simple']['recall']:.4f}",
            f"{tr['metrics']['recall']:.4f}",
            f"{sp['metrics']['recall']:.4f}",
            "",
            "",
        ),
        row(
            "false-hit rate",
            fmt_pct(e["simple"]["false_hit_rate"]),
            fmt_pct(tr["metrics"]["false_hit_rate"]),
            fmt_pct(sp["metrics"]["false_hit_rate"]),
            "",
            "",
        ),
        row(
            "set-up",
            f"index build {fmt_spread(e['build'])}, {e['index_mib']:.0f} MiB file",
            trgm_setup,
            f"training {sp['training_s']:.1f} s",
            "",
            "",
        ),
        row("peak RSS", f"{e['rss'].median:.0f} MiB (worker)", "— (server)", f"{p['splink_rss']:.0f} MiB", "", ""),
        "",
        (
            f"Commands: `{p['commands']['trgm']}` ({plural(len(p['trgm']), 'run')}; the load is reused after the "
            "first); "
            f"`{p['commands']['splink']}` (1 run: it trains each time)."
        ),
        "",
    ]


def quick_report(args: argparse.Namespace, started: datetime, results: dict[str, Any]) -> str:
    runs = args.runs
    command = "python bench/matching.py" + (f" --runs {runs}" if runs != 3 else "")
    f, d, e = results["febrl"], results["dutch"], results["engine"]
    versions = f"; peers Splink {f['peer'].get('splink', '?')} on DuckDB {f['peer'].get('duckdb', '?')}"
    lines = [
        "## Matching: FEBRL4, Dutch persons, online engine (quick size)",
        "",
        header(command, started, versions),
        (
            "Batch times are wall-clock from process start to exit (imports and reading the files count, as they "
            f"do for a user): the median of {plural(runs, 'run')}, ours and the peer's interleaved, with the range in "
            "brackets; the ratio is ours ÷ peer of the medians. The machine is shared and noisy."
        ),
        "",
        *febrl_lines(f),
        *dutch_lines(d, e),
        *online_quick_lines(d, e, results.get("peers"), runs),
    ]
    return "\n".join(lines)


def city_intro(c: Mapping[str, Any], started: datetime) -> list[str]:
    command = f"python bench/matching.py --city --persons {c['persons']} --subjects {c['subjects']}"
    rows = c.get("rows", {})
    counts = ", ".join(f"{rows[s]:,} {s}" for s, _ in CITY_SOURCES if s in rows)
    same = "checked" if c.get("same_persons") else "NOT the same"
    lines = [
        f"## Matching at city scale ({c['persons']:,} persons, {c['subjects']:,} subjects)",
        "",
        header(command, started),
        (
            "Single runs (each step takes minutes at this size): read them with the noise of a shared machine in "
            f"mind. Database: PostgreSQL `{DB_NAME}`, dropped and created for the run; profile demo with "
            "DATABASE_URL (bench/matching.py says why) and one WEERBAAR_DATA_DIR and WEERBAAR_INDEX_DIR for every "
            f"step. The city is `synthetic.generate_city(N, seed=1)`: {counts} rows; its persons.csv is byte for "
            f"byte the benchmark's registry.csv ({same})."
        ),
        "",
    ]
    if c["errors"]:
        lines += ["**Steps that failed:** " + "; ".join(f"{k}: {v}" for k, v in c["errors"].items()), ""]
    return lines


def import_lines(c: Mapping[str, Any]) -> list[str]:
    imports, floor = c.get("imports", {}), c.get("copy_floor")
    if not imports:
        return []
    lines = [
        "### Import (`weerbaar sources import`: validated, all or nothing)",
        "",
        row("source", "rows", "wall (process)", "import (its own report)", "peak RSS", "target"),
        row("---", "---", "---", "---", "---", "---"),
    ]
    for slug, _name in CITY_SOURCES:
        if slug in imports:
            i = imports[slug]
            lines.append(
                row(
                    slug,
                    f"{i['rows'] or 0:,}",
                    fmt_time(i["wall_s"]),
                    f"{i['service_s']:.1f} s" if i["service_s"] is not None else "—",
                    f"{i['rss_mib']:.0f} MiB",
                    f"≤ 60 s: {verdict(i['wall_s'] <= 60)}" if slug == "brp" else "—",
                )
            )
    if floor and "brp" in imports:
        lines.append(
            row(
                "floor: `COPY` of persons.csv into a plain table",
                f"{int(floor['rows']):,}",
                fmt_time(floor["seconds"]),
                "—",
                "—",
                f"brp import ÷ COPY = {ratio(imports['brp']['wall_s'], floor['seconds'])}",
            )
        )
    first = imports[next(iter(imports))]["command"]
    return [*lines, "", f"Command: `{first}` (likewise per source).", ""]


def reindex_lines(c: Mapping[str, Any]) -> list[str]:
    r = c.get("reindex")
    if not r:
        return []
    resident = max(r["max_rss_mib"], r.get("tree_pss_mib", 0.0))
    return [
        "### Index build (`weerbaar matching reindex --force`, under `/usr/bin/time -v`)",
        "",
        row("measure", "result", "target"),
        row("---", "---", "---"),
        row("wall time", fmt_time(r["wall_s"]), f"≤ 2 min: {verdict(r['wall_s'] <= 120)}"),
        row("peak RSS of the largest process (`time -v`)", f"{r['max_rss_mib'] / 1024:.2f} GiB", "—"),
        row(
            "peak memory of the whole process tree (summed PSS, sampled every 0.5 s)",
            f"{r.get('tree_pss_mib', 0.0) / 1024:.2f} GiB",
            f"≤ 4 GB: {verdict(resident * 2**20 <= 4e9)}",
        ),
        row("index files on disk", f"{r['index_mib']:.0f} MiB", "—"),
        "",
        row("source", "kind", "records", "seconds (its own report; one pass per source feeds all its kinds)"),
        row("---", "---", "---", "---"),
        *[row(x["source"], x["kind"], f"{x['records']:,}", f"{x['seconds']:.1f}") for x in r["files"]],
        "",
    ]


def online_city_lines(c: Mapping[str, Any]) -> list[str]:
    svc, eng = c.get("service"), c.get("engine")
    trgm, spo = c.get("trgm"), c.get("splink_online")
    lines = [
        "### Online hit/no-hit, one subject over every active non-excluded source",
        "",
        (
            "In process: a fresh worker process per mode, 200 subjects of warm-up, then 2,000 timed (the same "
            "pseudo-random sample of the benchmark's subjects in every mode). *Service* is "
            "`weerbaar.matching.services.hit_no_hit` (permission check, current snapshots, every source's index, "
            "the audit row); *engine* is `Segment.match` over the same index files without the rest. HTTP: "
            "`POST /api/v1/matching/hit-no-hit` on gunicorn with 2 sync workers, 1,000 of those subjects, "
            "client-side latency on loopback (the client processes share the 2 cores with the server). The API "
            "holds every answer for at least WEERBAAR_MATCHING_MIN_RESPONSE_MS so that its timing tells no hit "
            "from a no-hit (security test 9); it is measured with the default and with 0. Peers: 1,000 subjects "
            "each, their own samples, single runs."
        ),
        "",
        row("measure", "p50", "p99", "max", "target", "met"),
        row("---", "---", "---", "---", "---", "---"),
    ]
    if svc:
        lat = svc["latency"]
        lines.append(
            row(
                f"service in process (`hit_no_hit`, {len(svc['sources'])} sources, "
                f"{len(svc['segments'])} person indexes)",
                f"{lat['p50']:.2f} ms",
                f"{lat['p99']:.2f} ms",
                f"{lat['max']:.1f} ms",
                "p50 ≤ 2 ms, p99 ≤ 10 ms",
                f"{verdict(lat['p50'] <= 2)}, {verdict(lat['p99'] <= 10)}",
            )
        )
    if eng:
        lat, norm = eng["latency"], eng["normalise"]
        lines += [
            row(
                "engine alone (`Segment.match` over the same indexes)",
                f"{lat['p50']:.2f} ms",
                f"{lat['p99']:.2f} ms",
                f"{lat['max']:.1f} ms",
                "—",
                "",
            ),
            row(
                "of which: normalising the subject once",
                f"{norm['p50']:.3f} ms",
                f"{norm['p99']:.3f} ms",
                f"{norm['max']:.1f} ms",
                "—",
                "",
            ),
        ]
    refused = svc["statuses"].get("brp:refused", 0) if svc else 0
    if refused:
        lines.append(row(f"(of these, {refused} subjects refused as too thin to look up)", "", "", "", "", ""))
    if svc and eng:
        share = svc["latency"]["p50"] - eng["latency"]["p50"]
        lines.append(row("service's own share (p50 difference)", f"{share:.2f} ms", "—", "—", "—", ""))
    floor = c.get("floor_default_ms")
    for run_key, note in (
        ("http", f"answer floor {floor} ms, the default" if floor is not None else "default answer floor"),
        ("http_nofloor", "floor 0: the server's own work"),
    ):
        if not c.get(run_key):
            continue
        for key, label in (("sequential", "1 client"), ("concurrent", "4 concurrent clients")):
            h = c[run_key][key]
            lat = h["latency"]
            judged = run_key == "http"
            lines.append(
                row(
                    f"HTTP API, {label}, {note} ({h['rps']:.0f} req/s, {h['errors']} errors)",
                    f"{lat['p50']:.1f} ms",
                    f"{lat['p99']:.1f} ms",
                    f"{lat['max']:.0f} ms",
                    "p99 ≤ 30 ms" if judged else "—",
                    verdict(lat["p99"] <= 30 and h["errors"] == 0) if judged else "",
                )
            )
    if trgm:
        m = trgm["ms_per_query"]
        lines.append(row("peer: PostgreSQL pg_trgm query", f"{m['p50']:.1f} ms", f"{m['p99']:.1f} ms", "—", "—", ""))
    if spo:
        m = spo["ms_per_subject"]
        lines.append(
            row(
                f"peer: Splink 5 real-time behind a DuckDB lookup (training {spo['training_s']:.0f} s, "
                f"{spo['rss_mib'] / 1024:.1f} GiB)",
                f"{m['p50']:.1f} ms",
                f"{m['p99']:.1f} ms",
                "—",
                "—",
                "",
            )
        )
    lines.append("")
    if svc and (trgm or spo):
        ratios = []
        if trgm:
            ratios.append(f"pg_trgm {ratio(svc['latency']['p50'], trgm['ms_per_query']['p50'])}")
        if spo:
            ratios.append(f"Splink real-time {ratio(svc['latency']['p50'], spo['ms_per_subject']['p50'])}")
        lines += [f"p50 ratio, service in process ÷ peer: {', '.join(ratios)}.", ""]
    return lines


def accuracy_city_lines(c: Mapping[str, Any]) -> list[str]:
    acc = []
    for key, label in (("service", "service in process (brp answer)"), ("engine", "engine alone (brp index)")):
        if c.get(key) and "score" in c[key]:
            s = c[key]["score"]
            acc.append(
                row(
                    label,
                    f"{s['precision']:.4f}",
                    fmt_pct(s["false_hit_rate"]),
                    f"{s['recall_dob']:.4f}",
                    f"{s['recall']:.4f}",
                    fmt_pct(s["possible_share"], 1),
                    int(s["ambiguous_hits"]),
                )
            )
    sb = c.get("splink_batch")
    if sb:
        s = sb["score"]
        acc.append(
            row(
                f"Splink 5 batch (all {c['subjects']:,} subjects)",
                f"{s['precision']:.4f}",
                fmt_pct(s["false_hit_rate"]),
                f"{s['recall_dob']:.4f}",
                f"{s['recall']:.4f}",
                "— (none)",
                int(s["ambiguous_hits"]),
            )
        )
    for name, label in (("trgm", "pg_trgm"), ("splink_online", "Splink real-time")):
        if c.get(name) and "metrics" in c[name]:
            m = c[name]["metrics"]
            acc.append(
                row(
                    f"{label} (1,000 subjects, the peer's own definitions)",
                    f"{m['precision']:.4f}",
                    fmt_pct(m["false_hit_rate"]),
                    "—",
                    f"{m['recall']:.4f} (all in registry)",
                    "—",
                    "—",
                )
            )
    if not acc:
        return []
    cmds = [f"`{c['http']['command']}`"] if c.get("http") else []
    cmds += [f"`{c[n]['command']}`" for n in ("trgm", "splink_online") if c.get(n)]
    return [
        "Accuracy at city scale (`score()` of bench/dutch_benchmark.py on the 2,000 timed subjects; others as noted):",
        "",
        row("who", "hit precision", "false-hit rate", "recall with dob", "recall", "possible", "ambiguous hits"),
        row("---", "---", "---", "---", "---", "---", "---"),
        *acc,
        row("target", "≥ 0.99", "≤ 0.5 %", "≥ 0.95", "—", "—", "0"),
        "",
        *(["Commands: " + "; ".join(cmds) + ".", ""] if cmds else []),
    ]


def screen_lines(c: Mapping[str, Any]) -> list[str]:
    sa, sbrp, sb = c.get("screen_all"), c.get("screen_brp"), c.get("splink_batch")
    if not (sa or sbrp or sb):
        return []
    lines = [
        f"### Batch screening of {c['subjects']:,} subjects",
        "",
        row(
            "who",
            "wall (process)",
            "its own report",
            "peak memory (process tree)",
            "false-hit rate",
            "hit on expected hits",
            "target",
        ),
        row("---", "---", "---", "---", "---", "---", "---"),
    ]
    for scr, label in ((sa, "`weerbaar screen`, every active source"), (sbrp, "`weerbaar screen --sources brp`")):
        if scr:
            fig = scr["figures"]
            lines.append(
                row(
                    f"{label} ({plural(scr['sources'] or 0, 'source')})",
                    fmt_time(scr["wall_s"]),
                    f"{scr['service_s']:.1f} s" if scr["service_s"] is not None else "—",
                    f"{max(scr['rss_mib'], scr.get('tree_pss_mib', 0.0)):.0f} MiB",
                    fmt_pct(fig["false_hit_rate"]),
                    f"{fig['hit_share_expected']:.4f}",
                    f"≤ 60 s: {verdict(scr['wall_s'] <= 60)}",
                )
            )
    if sb:
        s, peer = sb["score"], sb["peer"]
        lines.append(
            row(
                "Splink 5 batch linkage against the registry",
                fmt_time(sb["wall_s"]),
                f"training {peer.get('training_s', 0):.1f} s, predict {peer.get('predict_s', 0):.1f} s",
                f"{sb['rss_mib']:.0f} MiB",
                fmt_pct(s["false_hit_rate"]),
                f"{s['recall']:.4f}",
                "—",
            )
        )
    if sa and sb:
        text = f"Ratio ours (every source) ÷ Splink (registry only): {ratio(sa['wall_s'], sb['wall_s'])}"
        if sbrp:
            text += f"; ours (registry only) ÷ Splink: {ratio(sbrp['wall_s'], sb['wall_s'])}"
        lines += ["", text + "."]
    cmds = [f"`{x['command']}`" for x in (sa, sbrp, sb) if x]
    return [
        *lines,
        "",
        (
            "`weerbaar screen` writes statuses only (no record ids), so its brp answers are judged on what a status "
            "can show: hits on subjects not in the registry, and the share of expected hits answered `hit` (the "
            "identity is not checked; the in-process rows above check it)."
        ),
        "",
        "Commands: " + "; ".join(cmds) + ".",
        "",
    ]


def city_report(args: argparse.Namespace, started: datetime, c: dict[str, Any]) -> str:
    lines = [
        *city_intro(c, started),
        *import_lines(c),
        *reindex_lines(c),
        *online_city_lines(c),
        *accuracy_city_lines(c),
        *screen_lines(c),
    ]
    gen = c.get("generate", {})
    if gen and not gen.get("reused"):
        lines += [
            (
                f"Generating the city took {gen['city_s']:.0f} s and the benchmark subjects {gen['benchmark_s']:.0f} "
                f"s (peak {gen['worker_rss_mib'] / 1024:.1f} GiB); migrating the empty database "
                f"{c.get('migrate', 0):.0f} s."
            ),
            "",
        ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    global WORK  # shown() writes the work directory as $WORK
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        params = json.loads(argv[2])
        result = WORKERS[argv[1]](params)
        Path(params["out"]).write_text(json.dumps(result))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="repeated runs of the cheap measurements (default 3)")
    parser.add_argument("--city", action="store_true", help="city scale instead of the quick size")
    parser.add_argument("--persons", type=int, default=1_000_000, help="city: persons (default 1,000,000)")
    parser.add_argument("--subjects", type=int, default=100_000, help="city: benchmark subjects (default 100,000)")
    parser.add_argument("--quick-persons", type=int, default=20_000)
    parser.add_argument("--quick-subjects", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=WORK, help=f"generated files and outputs (default {WORK})")
    parser.add_argument("--no-online-peers", action="store_true", help="quick: skip pg_trgm and Splink real-time")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    WORK = args.work.resolve()
    WORK.mkdir(parents=True, exist_ok=True)
    args.work = WORK
    started = datetime.now(UTC)
    global CODE_AT_START
    CODE_AT_START = code_version()
    log(f"peers: bench/peers/setup.sh ({CODE_AT_START})")
    ensure_peers()
    if args.city:
        body = city_report(args, started, bench_city(args, args.work))
        name = "matching-city"
    else:
        results: dict[str, Any] = {"febrl": bench_febrl(args.runs, args.work)}
        results["dutch"] = bench_dutch(args.runs, args.work, args.quick_persons, args.quick_subjects, args.seed)
        results["engine"] = bench_online_engine(args.runs, results["dutch"]["data"])
        if not args.no_online_peers:
            results["peers"] = bench_online_peers(args.runs, results["dutch"]["data"], 1000)
        body = quick_report(args, started, results)
        name = "matching"
    print(body)
    if not args.no_write:
        path = write_section(name, body)
        log(f"section {name!r} written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
