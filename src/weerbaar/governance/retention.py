# SPDX-License-Identifier: EUPL-1.2
"""Retention over every category Weerbaar keeps, in one run (BIO2 5.33.01, security.md test 10).

Categories, each destroyed in its own transaction with its own content-free audit row:

* ``signal`` — signals whose term has passed in a closed state (``closed``, ``referred``,
  ``no_action``, ``stopped``, ``case_closed``): :func:`signals.retention.signal_destroy`, inside
  which the destroyers of research, approach and governance remove their own rows' content.
* ``snapshot`` — a source's snapshots that are no longer current and older than the source's
  ``retention_days``: their remaining records and their matching index files. Never the current
  snapshot. The snapshot row stays as a tombstone (load date, file hash, row count).
* ``index_file`` — index files on disk that belong to no known snapshot (an interrupted build, a
  deleted source): normalised personal data without an owner.
* ``generated_file`` — governance's own generated files (access reports, audit exports) past
  their expiry.
* ``request`` — data-subject requests answered or refused longer ago than
  :data:`REQUEST_RETENTION_MONTHS`: the requester's data, notes and restriction reasons go.

Caches: Weerbaar uses no Django cache for content (a test keeps it so). What a process keeps in
memory (the matching normalisation's bounded ``lru_cache`` of folded names) is cleared in the
process that ran the destruction; see docs/governance.md for what that does and does not reach.
"""

from __future__ import annotations

import calendar
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.governance.files import delete_files
from weerbaar.governance.models import DataSubjectRequest, GeneratedFile, RequestStatus, Restriction
from weerbaar.matching.services import index_dir
from weerbaar.signals.retention import retention_due, signal_destroy
from weerbaar.sources.models import Snapshot, Source, SourceRecord

log = logging.getLogger("weerbaar.retention")

SIGNAL = "signal"
SNAPSHOT = "snapshot"
INDEX_FILE = "index_file"
GENERATED_FILE = "generated_file"
REQUEST = "request"
CATEGORIES = (SIGNAL, SNAPSHOT, INDEX_FILE, GENERATED_FILE, REQUEST)

#: A handled data-subject request keeps the requester's data this long (accountability towards
#: the requester and the Autoriteit Persoonsgegevens), then only the tombstone stays.
REQUEST_RETENTION_MONTHS = 12
#: A half-written index file (``*.tmp<pid>``) older than this is an interrupted build.
STALE_TEMP_DAYS = 1

_SEGMENT_NAME = re.compile(r"^(?P<snapshot>\d+)-(?P<sha>[0-9a-f]{1,64})-(?P<kind>[a-z]+)\.sqlite$")


@dataclass(frozen=True)
class DueItem:
    """One thing retention destroys (or would): its category, a content-free reference, the date
    it became due, a short content-free detail (state, source, kind) and its internal key."""

    category: str
    reference: str
    due: date
    detail: str
    key: str


@dataclass
class RetentionResult:
    dry_run: bool
    items: list[DueItem] = field(default_factory=list)
    failed: list[DueItem] = field(default_factory=list)

    def by_category(self) -> dict[str, list[DueItem]]:
        grouped: dict[str, list[DueItem]] = {c: [] for c in CATEGORIES}
        for item in self.items:
            grouped[item.category].append(item)
        return grouped

    def of(self, category: str) -> list[DueItem]:
        return [i for i in self.items if i.category == category]


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _index_files() -> dict[str, list[Path]]:
    """Index files on disk per source folder (the folder is the source's code)."""
    root = index_dir()
    found: dict[str, list[Path]] = defaultdict(list)
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if folder.is_dir():
            found[folder.name] = sorted(p for p in folder.iterdir() if p.is_file())
    return found


def _local(moment: datetime) -> date:
    return timezone.localdate(moment)


def _snapshot_plan(today: date) -> list[DueItem]:
    """Non-current snapshots past their source's term that still hold records or index files,
    and index files that belong to no known snapshot."""
    files = _index_files()
    sources = {s.slug: s for s in Source.objects.all()}
    snapshots = {s.pk: s for s in Snapshot.objects.select_related("source")}
    files_of: dict[int, list[Path]] = defaultdict(list)
    items: list[DueItem] = []
    for slug, paths in files.items():
        for path in paths:
            found = _SEGMENT_NAME.match(path.name)
            snapshot = snapshots.get(int(found["snapshot"])) if found else None
            known = found and snapshot is not None and snapshot.source.slug == slug and slug in sources
            if known and snapshot is not None and found and snapshot.file_sha256.startswith(found["sha"]):
                files_of[snapshot.pk].append(path)
                continue
            if found is None and ".tmp" not in path.name:
                continue  # not an index file: not ours to judge
            if found is None:
                modified = date.fromtimestamp(path.stat().st_mtime)
                if modified + timedelta(days=STALE_TEMP_DAYS) > today:
                    continue  # a build may be writing it right now
                due = modified + timedelta(days=STALE_TEMP_DAYS)
            else:
                due = today
            items.append(DueItem(INDEX_FILE, f"{slug}/{path.name}", due, slug, str(path)))
    with_records = set(
        SourceRecord.objects.filter(snapshot__is_current=False).values_list("snapshot_id", flat=True).distinct()
    )
    for snapshot in snapshots.values():
        if snapshot.is_current:
            continue
        due = _local(snapshot.loaded_at) + timedelta(days=snapshot.source.retention_days)
        if due > today or not (snapshot.pk in with_records or files_of.get(snapshot.pk)):
            continue
        items.append(
            DueItem(
                SNAPSHOT,
                f"{snapshot.source.slug}#{snapshot.pk}",
                due,
                snapshot.source.slug,
                str(snapshot.pk),
            )
        )
    return items


def retention_plan(today: date | None = None) -> list[DueItem]:
    """Everything due on ``today`` in every category, oldest first within a category."""
    today = today or timezone.localdate()
    items = [DueItem(SIGNAL, i.reference, i.destroy_after, i.state, str(i.signal_id)) for i in retention_due(today)]
    items += sorted(_snapshot_plan(today), key=lambda i: (i.category, i.due, i.reference))
    items += [
        DueItem(GENERATED_FILE, f.reference, f.expires_on, f.kind, str(f.pk))
        for f in GeneratedFile.objects.filter(destroyed_at__isnull=True, expires_on__lte=today).order_by(
            "expires_on", "id"
        )
    ]
    handled = DataSubjectRequest.objects.filter(
        destroyed_at__isnull=True,
        status__in=[RequestStatus.ANSWERED, RequestStatus.REFUSED],
        handled_at__isnull=False,
    ).order_by("handled_at", "id")
    for request in handled:
        assert request.handled_at is not None  # nosec B101 - filtered above
        due = _add_months(_local(request.handled_at), REQUEST_RETENTION_MONTHS)
        if due <= today:
            items.append(DueItem(REQUEST, request.reference, due, request.status, str(request.pk)))
    return items


# Destruction per category ---------------------------------------------------------------------


def _destroy_signal(acting: Actor, item: DueItem, today: date) -> bool:
    return signal_destroy(acting=acting, signal_id=int(item.key), today=today)


def _destroy_snapshot(acting: Actor, item: DueItem, today: date) -> bool:
    with transaction.atomic():
        snapshot = Snapshot.objects.select_for_update().select_related("source").filter(pk=int(item.key)).first()
        if snapshot is None or snapshot.is_current:
            return False  # made current again, or gone: never destroy the current snapshot
        if _local(snapshot.loaded_at) + timedelta(days=snapshot.source.retention_days) > today:
            return False
        records, _by_model = SourceRecord.objects.filter(snapshot=snapshot).delete()
        folder = index_dir() / snapshot.source.slug
        paths = [
            p
            for p in (folder.glob(f"{snapshot.pk}-*.sqlite") if folder.is_dir() else [])
            if (m := _SEGMENT_NAME.match(p.name)) and snapshot.file_sha256.startswith(m["sha"])
        ]
        audit(
            acting,
            "governance:retention:destroy-snapshot",
            obj=snapshot,
            purpose="retention",
            detail={"source": snapshot.source.slug, "records": records, "index_files": len(paths)},
        )
        transaction.on_commit(lambda: _unlink(paths))
    return True


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _destroy_index_file(acting: Actor, item: DueItem, today: date) -> bool:
    path = Path(item.key)
    if not path.exists():
        return False
    with transaction.atomic():
        audit(
            acting,
            "governance:retention:destroy-index-file",
            object_type="matching.index",
            object_id=item.reference[:64],
            purpose="retention",
            detail={"source": item.detail},
        )
        transaction.on_commit(lambda: _unlink([path]))
    return True


def _destroy_generated_file(acting: Actor, item: DueItem, today: date) -> bool:
    with transaction.atomic():
        record = GeneratedFile.objects.select_for_update().filter(pk=int(item.key), destroyed_at__isnull=True).first()
        if record is None or record.expires_on > today:
            return False
        name = record.stored_file.name
        _tombstone_file(record)
        audit(
            acting,
            "governance:file:destroy",
            obj=record,
            purpose="retention",
            detail={"kind": record.kind, "request": record.request_id},
        )
        transaction.on_commit(lambda: delete_files([name]))
    return True


def _tombstone_file(record: GeneratedFile) -> None:
    record.stored_file = ""
    record.destroyed_at = timezone.now()
    record.save(update_fields=["stored_file", "destroyed_at"])
    record.signals.clear()


def _destroy_request(acting: Actor, item: DueItem, today: date) -> bool:
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update().filter(pk=int(item.key), destroyed_at__isnull=True).first()
        )
        if request is None or request.handled_at is None:
            return False
        if _add_months(_local(request.handled_at), REQUEST_RETENTION_MONTHS) > today:
            return False
        names = []
        for record in GeneratedFile.objects.select_for_update().filter(request=request, destroyed_at__isnull=True):
            names.append(record.stored_file.name)
            _tombstone_file(record)
        Restriction.objects.filter(request=request).update(reasons=None)
        request.requester = request.notes = request.outcome_reasons = None
        request.destroyed_at = timezone.now()
        request.save(update_fields=["requester", "notes", "outcome_reasons", "destroyed_at"])
        audit(
            acting,
            "governance:dsr:destroy",
            obj=request,
            purpose="retention",
            detail={"kind": request.kind, "files": len(names)},
        )
        transaction.on_commit(lambda: delete_files(names))
    return True


DESTROY: dict[str, Callable[[Actor, DueItem, date], bool]] = {
    SIGNAL: _destroy_signal,
    SNAPSHOT: _destroy_snapshot,
    INDEX_FILE: _destroy_index_file,
    GENERATED_FILE: _destroy_generated_file,
    REQUEST: _destroy_request,
}


def clear_process_caches() -> int:
    """Empty this process's in-memory caches of normalised names and addresses (matching).

    They hold folded values of whatever was compared recently (a DSR search, a hit/no-hit
    question), bounded in size and never written anywhere; after a destruction they are emptied
    here so the worker keeps nothing of what it destroyed. Returns how many caches were cleared."""
    from weerbaar.matching import normalise, records

    cleared = 0
    for module in (normalise, records):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
                cleared += 1
    return cleared


def retention_run(*, acting: Actor, today: date | None = None, dry_run: bool = False) -> RetentionResult:
    """Destroy everything due in every category (or, with ``dry_run``, list it and change nothing).

    Each item is destroyed in its own transaction and audited; an item that fails is logged and
    left for the next run, and does not keep the others from being destroyed. The result lists
    what was destroyed (or would be) and what failed; the run itself writes one summary audit row."""
    today = today or timezone.localdate()
    plan = retention_plan(today)
    if dry_run:
        return RetentionResult(dry_run=True, items=plan)
    result = RetentionResult(dry_run=False)
    started = time.monotonic()
    for item in plan:
        try:
            if DESTROY[item.category](acting, item, today):
                result.items.append(item)
        except Exception:  # one broken item must not keep the others from being destroyed
            log.exception("retention: destroying %s %s failed; the others go on", item.category, item.reference)
            result.failed.append(item)
    if result.items:
        clear_process_caches()
    with transaction.atomic():
        audit(
            acting,
            "governance:retention:run",
            object_type="retention",
            purpose="retention",
            detail={
                "destroyed": {c: len(v) for c, v in result.by_category().items() if v},
                "failed": len(result.failed),
                "seconds": round(time.monotonic() - started, 3),
            },
        )
    return result
