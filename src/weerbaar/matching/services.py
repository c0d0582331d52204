# SPDX-License-Identifier: EUPL-1.2
"""Hit/no-hit against the sources, and keeping their index files current.

This is the one door through which a question about a person reaches the sources. It passes a
person's question through the registered source gates (privacy check 1 of the signal the question
names, registered by the research app), checks the source's mode (an excluded source is never
searched), answers per source only ``hit``, ``possible`` or ``no-hit``, writes the audit row with
the purpose, and keeps the matched record ids inside the answer object for the content request
that a source owner may later approve (the research step); they are never shown. A source whose
index is not built yet answers ``unavailable``: a missing index must never read as "not found".
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from stdnum.nl.bsn import is_valid as is_valid_bsn

from weerbaar.accounts.authz import Actor, has_perm
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit, audit_batch
from weerbaar.matching.index import BuildReport, Segment, build_segments
from weerbaar.matching.records import KINDS, normalise_row
from weerbaar.sources.models import Mode, Snapshot, Source, SourceKind
from weerbaar.sources.selectors import iter_current_records

log = logging.getLogger(__name__)

HIT, POSSIBLE, NO_HIT = "hit", "possible", "no-hit"
UNAVAILABLE = "unavailable"  # the source has no current snapshot or its index is not built yet
EXCLUDED = "excluded"  # the source's legal regime excludes it (never searched)

#: Which index kinds a source of each kind carries: a departmental file holds records about
#: persons and companies at addresses, so it is searchable as all three.
SEGMENT_KINDS: dict[str, tuple[str, ...]] = {
    SourceKind.PERSON: ("person",),
    SourceKind.COMPANY: ("company",),
    SourceKind.ADDRESS: ("address",),
    SourceKind.RECORD: ("person", "company", "address"),
}


@dataclass
class SourceAnswer:
    """The answer of one source: ``hit``, ``possible``, ``no-hit``, ``unavailable`` or ``excluded``.

    ``record_ids`` are the matched records, kept for an approved content request; they are not
    part of any response, log line or page (``repr`` leaves them out).
    """

    source: str
    status: str
    record_ids: tuple[int, ...] = field(default=(), repr=False)


def index_dir() -> Path:
    return Path(str(settings.MATCHING_INDEX_DIR))


def segment_path(source: Source, snapshot: tuple[int, str], kind: str) -> Path:
    """The index file of one snapshot: named by its id *and* its file hash, so that a database
    restored from a backup (ids reused for other data) can never pick up a stale index."""
    snapshot_id, sha = snapshot
    return index_dir() / source.slug / f"{snapshot_id}-{sha[:16]}-{kind}.sqlite"


# Building --------------------------------------------------------------------------------------


def build_source_index(source: Source, *, acting: Actor, force: bool = False) -> list[BuildReport]:
    """Build the index files of the source's current snapshot (skipped when they exist).

    Old snapshots' files are removed afterwards; a worker that still has one open keeps reading
    it until it notices the new snapshot (POSIX keeps an unlinked open file readable).
    """
    snapshot = Snapshot.objects.filter(source=source, is_current=True).only("pk", "file_sha256").first()
    if snapshot is None:
        return []
    index_dir().mkdir(parents=True, exist_ok=True, mode=0o700)  # owner-only, also the root
    kinds = SEGMENT_KINDS[source.kind]
    targets = [(kind, segment_path(source, (snapshot.pk, snapshot.file_sha256), kind)) for kind in kinds]
    if not force and all(path.exists() for _kind, path in targets):
        return []
    with transaction.atomic():  # one consistent view of the snapshot, read (and decrypted) once
        rows = iter_current_records(source)
        reports = build_segments(dict(targets), rows, grouped=source.kind == SourceKind.RECORD)
    keep = {path.name for _kind, path in targets}
    for stale in (index_dir() / source.slug).glob("*.sqlite"):
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    with transaction.atomic():
        audit(
            acting,
            "matching:index:build",
            obj=source,
            purpose="index for hit/no-hit",
            detail={"snapshot": snapshot.pk, "segments": {r.kind: r.records for r in reports}},
        )
    return reports


def build_all(*, acting: Actor, force: bool = False, workers: int | None = None) -> list[BuildReport]:
    """Build every searchable source's index, the largest first, in parallel processes.

    A city's sources are independent, so they are built side by side on the machine's cores
    (``workers``, default the number of CPUs, at most 4); each process opens its own database
    connection after the fork. With one worker, or one source, it all runs in this process.
    """
    sources = list(
        Source.objects.filter(active=True)
        .exclude(mode=Mode.EXCLUDED)
        .filter(snapshots__is_current=True)
        .order_by("-snapshots__row_count", "slug")
    )
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(sources) <= 1:
        return [r for source in sources for r in build_source_index(source, acting=acting, force=force)]
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    jobs = [(source.pk, acting.role, acting.origin, force) for source in sources]
    with context.Pool(min(workers, len(sources))) as pool:
        parts = pool.map(_build_in_child, jobs, chunksize=1)
    return [report for part in parts for report in part]


def _build_in_child(job: tuple[int, str, str, bool]) -> list[BuildReport]:
    source_id, role, origin, force = job
    from django.db import connections

    try:
        source = Source.objects.get(pk=source_id)
        return build_source_index(source, acting=Actor(user=None, role=role, origin=origin), force=force)
    finally:
        connections.close_all()


# Reading ---------------------------------------------------------------------------------------

_segments: dict[Path, Segment] = {}
_lock = threading.Lock()


def _segment(path: Path) -> Segment | None:
    """The open segment for a path (opened once per process), or None when it is not built."""
    if not path.exists():  # one stat: an index removed on disk is no longer answered from memory
        stale = _segments.pop(path, None)
        if stale is not None:
            stale.close()
        return None
    segment = _segments.get(path)
    if segment is not None and segment._pid == os.getpid():
        return segment
    with _lock:
        segment = Segment(path)
        for old in [p for p in _segments if p.parent == path.parent and p != path]:
            _segments.pop(old).close()
        _segments[path] = segment
    return segment


def searchable_sources(names: Iterable[str] | None = None) -> list[Source]:
    """Active sources (all, or those named), excluded ones included so that they can be refused."""
    query = Source.objects.filter(active=True).order_by("slug")
    if names is not None:
        wanted = list(names)
        found = list(query.filter(slug__in=wanted))
        missing = sorted(set(wanted) - {s.slug for s in found})
        if missing:
            raise ValidationError(f"unknown or inactive source(s): {', '.join(missing)}")
        return found
    return list(query)


def _answers(
    sources: Sequence[Source], current: Mapping[int, tuple[int, str]], kind: str, subject: Mapping[str, Any]
) -> list[SourceAnswer]:
    """One subject's answer from every source that carries its kind (normalised once for all)."""
    record = normalise_row(kind, subject)
    answers: list[SourceAnswer] = []
    for source in sources:
        if source.mode == Mode.EXCLUDED:
            answers.append(SourceAnswer(source.slug, EXCLUDED))
            continue
        if kind not in SEGMENT_KINDS[source.kind]:
            continue  # a person is not looked up in the address registry, and so on
        snapshot = current.get(source.pk)
        segment = _segment(segment_path(source, snapshot, kind)) if snapshot is not None else None
        if segment is None:
            answers.append(SourceAnswer(source.slug, UNAVAILABLE))
            continue
        match = segment.match(record)
        answers.append(SourceAnswer(source.slug, match.decision.status, match.record_ids))
    return answers


#: What a subject of each kind must carry to be looked up at all (else it is refused, not no-hit).
IDENTIFYING: dict[str, tuple[tuple[str, ...], ...]] = {
    "person": (("surname",), ("national_id",), ("bsn",)),
    "company": (("kvk_number",), ("trade_name",)),
    "address": (("postcode", "house_number"), ("street", "house_number")),
}


def identifies(kind: str, subject: Mapping[str, Any]) -> bool:
    """Whether the subject names enough to be looked up as ``kind`` (a surname or a BSN, …)."""
    return any(all(str(subject.get(field) or "").strip() for field in fields) for fields in IDENTIFYING[kind])


#: ``gate(acting, reference, sources)``: return to allow, raise ``PermissionDenied`` to refuse.
SourceGate = Callable[[Actor, str, Sequence[Source]], None]

#: The gates a person's question passes before any source is searched. The research app
#: registers privacy check 1 here (``research.apps``): the ``reference`` must name a signal whose
#: current approvals cover every source asked. Matching cannot import research (architecture.md:
#: an app imports only from apps above it), so the rule arrives through this registry.
SOURCE_GATES: list[SourceGate] = []


def register_source_gate(gate: SourceGate) -> SourceGate:
    if gate not in SOURCE_GATES:
        SOURCE_GATES.append(gate)
    return gate


def _pass_gates(acting: Actor, reference: str, sources: Sequence[Source]) -> None:
    """Every question a person asks passes every registered gate (domain.md §2: no source query
    without an approved privacy check 1 naming that source). The system actor (index builds,
    benchmarks, demo preparation) asks no question about a subject of its own and is exempt.
    With no gate registered a person is refused: the rule must not vanish with a missing app."""
    if acting.user is None:
        return
    if not SOURCE_GATES:
        raise PermissionDenied("no privacy check 1 gate is registered; a person's hit/no-hit question is refused")
    for gate in SOURCE_GATES:
        gate(acting, reference, sources)


def _check(acting: Actor, kind: str, purpose: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"unknown subject kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not purpose.strip():
        raise ValidationError("a purpose is required for every hit/no-hit query")
    # The matching API and `weerbaar screen` need matching:screen:run; the research step's
    # queries (research:query:run) reach the sources through the same door.
    if acting.user is not None and not (
        has_perm(acting.user, Perm.MATCH_SCREEN) or has_perm(acting.user, Perm.QUERY_RUN)
    ):
        raise PermissionDenied(str(Perm.MATCH_SCREEN))


def _current(sources: Sequence[Source]) -> dict[int, tuple[int, str]]:
    rows = Snapshot.objects.filter(source__in=sources, is_current=True).values_list("source_id", "pk", "file_sha256")
    return {source_id: (pk, sha) for source_id, pk, sha in rows}


def hit_no_hit(
    *,
    acting: Actor,
    subject: Mapping[str, Any],
    kind: str = "person",
    sources: Sequence[Source],
    purpose: str,
    reference: str = "",
) -> list[SourceAnswer]:
    """One subject against the given sources: per source only hit / possible / no-hit.

    ``sources`` are those the caller's privacy check allows: for a person (``acting.user``) every
    registered source gate must allow them for ``reference`` (privacy check 1 of the signal it
    names, see :data:`SOURCE_GATES`); an excluded source answers ``excluded`` whatever the caller
    asks. The audit row names the purpose, the reference (the signal or case the question belongs
    to) and the statuses, never the subject's data.
    """
    _check(acting, kind, purpose)
    _pass_gates(acting, reference, sources)
    if not identifies(kind, subject):
        wanted = " or ".join("+".join(fields) for fields in IDENTIFYING[kind])
        raise ValidationError(f"a {kind} is looked up by {wanted}; the subject gives none of these")
    current = _current(sources)
    answers = _answers(sources, current, kind, subject)
    with transaction.atomic():
        audit(
            acting,
            "matching:subject:hit-no-hit",
            object_type="matching.subject",
            object_id=reference[:64],
            purpose=purpose,
            detail={"kind": kind, "answers": {a.source: a.status for a in answers}},
        )
    return answers


def screen(
    *,
    acting: Actor,
    subjects: Sequence[Mapping[str, Any]],
    kind: str = "person",
    sources: Sequence[Source],
    purpose: str,
    reference: str = "",
    workers: int | None = None,
) -> list[tuple[str, list[SourceAnswer]]]:
    """Many subjects against the sources (batch). One audit row per subject, appended together.

    As for :func:`hit_no_hit`, a person's batch passes the source gates for ``reference`` (the
    signal whose privacy check 1 approves the sources); each audit row names that reference.
    Large batches are answered in parallel processes (``workers``, default the CPUs, at most 4):
    the index files are shared through the page cache, so each process only opens them.
    """
    _check(acting, kind, purpose)
    _pass_gates(acting, reference, sources)
    current = _current(sources)
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers > 1 and len(subjects) >= PARALLEL_SCREEN_FROM:
        global _screen_job
        _screen_job = (list(sources), current, kind)
        size = -(-len(subjects) // (workers * 4))
        chunks = [list(subjects[i : i + size]) for i in range(0, len(subjects), size)]
        # The children read only the index files, never the database: the parent's connection
        # (inherited, unused, left open by os._exit) stays the parent's, inside its transaction.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            answered = [answers for part in pool.map(_screen_chunk, chunks, chunksize=1) for answers in part]
        _screen_job = None
    else:
        answered = [_answers(sources, current, kind, subject) for subject in subjects]
    results: list[tuple[str, list[SourceAnswer]]] = []
    with transaction.atomic(), audit_batch():
        for row, (subject, answers) in enumerate(zip(subjects, answered, strict=True), start=1):
            subject_id = str(subject.get("id", ""))
            # A file may use BSNs as ids; the audit then names the row, never the number.
            logged_id = f"row {row}" if is_valid_bsn(subject_id) else subject_id
            audit(
                acting,
                "matching:subject:hit-no-hit",
                object_type="matching.subject",
                object_id=logged_id[:64],
                purpose=purpose,
                detail={
                    "kind": kind,
                    "batch": True,
                    **({"reference": reference[:64]} if reference else {}),
                    "answers": {a.source: a.status for a in answers},
                },
            )
            results.append((subject_id, answers))
    return results


#: From this many subjects a screening runs in parallel processes.
PARALLEL_SCREEN_FROM = 2000
_screen_job: tuple[list[Source], dict[int, tuple[int, str]], str] | None = None


def _screen_chunk(chunk: list[Mapping[str, Any]]) -> list[list[SourceAnswer]]:
    """In a forked worker: the answers for a chunk of subjects (no database access needed)."""
    if _screen_job is None:
        raise RuntimeError("_screen_chunk runs only in a worker forked by screen()")
    sources, current, kind = _screen_job
    return [_answers(sources, current, kind, subject) for subject in chunk]
