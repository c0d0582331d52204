# SPDX-License-Identifier: EUPL-1.2
"""The on-disk candidate index: one SQLite file per source snapshot and record kind.

Why a file and not memory: every gunicorn worker must answer hit/no-hit over a whole city
without loading its own copy. A read-only SQLite file is shared through the operating system's
page cache by all workers (and survives a restart warm), is replaced atomically by a rename when
a source is re-imported, and needs no server. Each file holds the normalised records, the blocks
(key → record), the term-frequency tables and the model, so a query touches a few pages only.

The file holds normalised personal data: it lives in the data directory with owner-only rights,
is rebuilt from the database at any time (``weerbaar matching reindex``), and is deleted with
the snapshot it was built from.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from weerbaar.matching.compare import COMPARISONS, index_keys, query_keys
from weerbaar.matching.decide import T_POSSIBLE, Candidate, Decision, decide
from weerbaar.matching.linkage import MAX_BLOCK, group_of
from weerbaar.matching.model import Model, Scorer, default_model, estimate_u, probability
from weerbaar.matching.records import Record, dump, has_identity, load, normalise_row

FORMAT_VERSION = 1
#: Online, a broad block larger than this is skipped, and at most this many broad candidates are
#: compared (smallest blocks first): the tail latency stays bounded in a city of a million.
ONLINE_BROAD_CAP = 250
ONLINE_BROAD_BUDGET = 400
#: The index file is memory-mapped read-only: every worker maps the same file, so its pages live
#: once in the operating system's cache and are shared (they count as shared, not private, memory);
#: a candidate row is then read without a system call.
MMAP_BYTES = 8 * 1024**3
#: Prior share of subjects that are in a registry at all; the per-record prior is this over N.
IN_REGISTRY = 0.5


@dataclass
class BuildReport:
    path: Path
    kind: str
    records: int
    blocks: int
    seconds: float


#: A row lacking all of these cannot identify an entity of the kind (``records.has_identity``).
_IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("surname", "bsn", "national_id"),
    "company": ("kvk_number", "trade_name"),
    "address": ("postcode", "street"),
}


class _Writer:
    """Writes one index file of one kind; several writers share one pass over the rows."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.temp = path.with_suffix(f".tmp{os.getpid()}")
        self.temp.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.temp)
        os.chmod(self.temp, 0o600)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -200000;
            CREATE TABLE rec (rid INTEGER PRIMARY KEY, record_id INTEGER NOT NULL, data TEXT NOT NULL);
            CREATE TABLE blk (key TEXT NOT NULL, rid INTEGER NOT NULL);
            CREATE TABLE tf (field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
                             PRIMARY KEY (field, value)) WITHOUT ROWID;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
            """
        )
        self.records: list[Record] = []
        self.tf_getters = [(c.name, c.tf_value) for c in COMPARISONS[kind] if c.tf_value is not None]
        self.tf: dict[str, Counter[str]] = {name: Counter() for name, _getter in self.tf_getters}
        self.rec_batch: list[tuple[int, int, str]] = []
        self.blk_batch: list[tuple[str, int]] = []
        self.blocks = 0

    def add(self, record_id: int, ext_id: str, data: Mapping[str, Any]) -> None:
        if not any(data.get(field) for field in _IDENTITY_FIELDS[self.kind]):
            return  # a company's permit has no person in it: skip before normalising anything
        record = normalise_row(self.kind, {**data, "id": ext_id})
        if not has_identity(self.kind, record):
            return
        rid = len(self.records)
        self.records.append(record)
        self.rec_batch.append((rid, record_id, json.dumps(dump(record), separators=(",", ":"))))
        self.blk_batch.extend((key, rid) for key in index_keys(record))
        for name, getter in self.tf_getters:
            value = getter(record)
            if value:
                self.tf[name][value] += 1
        if len(self.rec_batch) >= 20_000:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO rec VALUES (?, ?, ?)", self.rec_batch)
        self.db.executemany("INSERT INTO blk VALUES (?, ?)", self.blk_batch)
        self.blocks += len(self.blk_batch)
        self.rec_batch, self.blk_batch = [], []

    def finish(self, *, m: list[list[float]] | None, grouped: bool, started: float) -> BuildReport:
        self._flush()
        db, records, kind = self.db, self.records, self.kind
        try:
            db.execute("CREATE INDEX blk_key ON blk (key, rid)")
            db.executemany(
                "INSERT INTO tf VALUES (?, ?, ?)",
                ((name, value, count) for name, counter in self.tf.items() for value, count in counter.items()),
            )
            u = estimate_u(kind, records, records, pairs=min(20_000, 20 * max(len(records), 1)))
            model = Model(
                kind=kind,
                m=m or default_model(kind),
                u=u,
                prior=min(IN_REGISTRY / max(len(records), 1), 0.5),
                tf_total=max(len(records), 1),
                trained_by="em" if m else "priors",
            )
            meta = {
                "format": FORMAT_VERSION,
                "kind": kind,
                "records": len(records),
                "grouped": grouped,
                "model": model.to_json(),
                "built_at": time.time(),
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, json.dumps(v)) for k, v in meta.items()))
            db.commit()
            db.execute("ANALYZE")
            db.commit()
        finally:
            db.close()
        os.replace(self.temp, self.path)
        return BuildReport(self.path, kind, len(records), self.blocks, time.perf_counter() - started)

    def abandon(self) -> None:
        self.db.close()
        self.temp.unlink(missing_ok=True)


def build_segments(
    targets: Mapping[str, Path],
    rows: Iterable[tuple[int, str, Mapping[str, Any]]],
    *,
    m: list[list[float]] | None = None,
    grouped: bool = False,
) -> list[BuildReport]:
    """Normalise, block and store ``rows`` (record pk, external id, data) as one index file per kind.

    One pass over the rows feeds every kind (a departmental file is indexed as persons, companies
    and addresses), so a large source is read and decrypted once. Each file is written under a
    temporary name and renamed into place: readers see the old file or the new one, never half.
    Rows without enough identity for a kind are left out of that kind's file.
    """
    started = time.perf_counter()
    writers = [_Writer(path, kind) for kind, path in targets.items()]
    try:
        for record_id, ext_id, data in rows:
            for writer in writers:
                writer.add(record_id, ext_id, data)
    except BaseException:
        for writer in writers:
            writer.abandon()
        raise
    return [writer.finish(m=m, grouped=grouped, started=started) for writer in writers]


def build_segment(
    path: Path,
    kind: str,
    rows: Iterable[tuple[int, str, Mapping[str, Any]]],
    *,
    m: list[list[float]] | None = None,
    grouped: bool = False,
) -> BuildReport:
    """One index file of one kind (see :func:`build_segments`)."""
    return build_segments({kind: path}, rows, m=m, grouped=grouped)[0]


@dataclass
class Match:
    """A decision with the matched index rows; ``record_ids`` never leave the service layer."""

    decision: Decision
    record_ids: tuple[int, ...]


class Segment:
    """A read-only view of one index file, opened once per process and shared through the page cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = os.getpid()
        self._db = self._open()
        meta = {k: json.loads(v) for k, v in self._db.execute("SELECT k, v FROM meta")}
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} has index format {meta.get('format')}, expected {FORMAT_VERSION}")
        self.kind: str = meta["kind"]
        self.records: int = meta["records"]
        self.grouped: bool = bool(meta.get("grouped"))
        self.model = Model.from_json(meta["model"])
        self.scorer = Scorer(self.model, tf_lookup=self._tf)
        self._tf_cached = lru_cache(maxsize=50_000)(self._tf_query)

    def _open(self) -> sqlite3.Connection:
        uri = f"file:{self.path}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.execute("PRAGMA cache_size = -16000")  # 16 MB per worker; the OS cache is shared
        connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        return connection

    @property
    def db(self) -> sqlite3.Connection:
        if os.getpid() != self._pid:  # after a fork (gunicorn preload) a connection must not be shared
            self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def _tf_query(self, name: str, value: str) -> int:
        row = self.db.execute("SELECT n FROM tf WHERE field = ? AND value = ?", (name, value)).fetchone()
        return int(row[0]) if row else 0

    def _tf(self, name: str, value: str) -> int:
        return int(self._tf_cached(name, value))

    def _rids(self, keys: list[str], cap: int, budget: int | None = None) -> set[int]:
        """Record ids of the blocks, skipping blocks larger than ``cap``; with a ``budget``, the
        smallest (most telling) blocks first until that many candidates are gathered."""
        db = self.db
        blocks = []
        for key in keys:
            rows = db.execute("SELECT rid FROM blk WHERE key = ? LIMIT ?", (key, cap + 1)).fetchall()
            if len(rows) <= cap:
                blocks.append(rows)
        found: set[int] = set()
        for rows in sorted(blocks, key=len) if budget is not None else blocks:
            if budget is not None and found and len(found) + len(rows) > budget:
                break
            found.update(row[0] for row in rows)
        return found

    def _fetch(self, rids: set[int]) -> Iterator[tuple[int, int, Record]]:
        ordered = sorted(rids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT rid, record_id, data FROM rec WHERE rid IN ({marks})"  # noqa: S608  # nosec B608 - only "?" marks
            for rid, record_id, data in self.db.execute(query, chunk):
                yield rid, record_id, load(json.loads(data))

    def _score(self, subject: Record, rids: set[int], scored: list[Candidate], record_of: dict[int, int]) -> None:
        comparisons = COMPARISONS[self.kind]
        for rid, record_id, record in self._fetch(rids):
            levels = tuple(c.compare(subject, record) for c in comparisons)
            bits, parts = self.scorer.weight(levels, record)
            scored.append(Candidate(rid, record.ext_id, bits, probability(bits), levels, parts, group_of(record)))
            record_of[rid] = record_id

    def match(self, subject: Record) -> Match:
        """The decision for one normalised subject, with the matched rows kept for the service layer.

        The specific blocks are searched first; the broad ones only when those find no candidate
        worth a look, which keeps the usual query to a few dozen comparisons in a city.
        """
        scored: list[Candidate] = []
        record_of: dict[int, int] = {}
        if has_identity(self.kind, subject):
            specific, fallback = query_keys(subject)
            seen = self._rids(specific, MAX_BLOCK)
            self._score(subject, seen, scored, record_of)
            if fallback and not any(c.probability >= T_POSSIBLE for c in scored):
                # A departmental file is searched broadly with a smaller budget than a registry:
                # most subjects are in no such file, and its records are found by the specific
                # blocks when they are (the same name with a birth date or an address).
                budget = ONLINE_BROAD_BUDGET // 3 if self.grouped else ONLINE_BROAD_BUDGET
                broad = self._rids(fallback, ONLINE_BROAD_CAP, budget=budget) - seen
                self._score(subject, broad, scored, record_of)
        decision = decide(self.kind, scored, grouped=self.grouped)
        if decision.status == "hit" and decision.best is not None:
            best = decision.best
            same = [c.ref for c in scored if self.grouped and c.group == best.group] or [best.ref]
            ids = tuple(sorted(record_of[ref] for ref in same))
        else:
            ids = tuple(sorted(record_of[c.ref] for c in decision.candidates))
        return Match(decision, ids)

    def query(self, kind: str, row: Mapping[str, Any]) -> Match:
        return self.match(normalise_row(kind, row))

    def close(self) -> None:
        self._db.close()
