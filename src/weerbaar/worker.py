# SPDX-License-Identifier: EUPL-1.2
"""``weerbaar worker``: the database-backed task worker plus a small scheduler.

django-tasks runs enqueued jobs but does not schedule them. The scheduler thread here enqueues
each periodic job when no run of it was enqueued within its interval, checked against the task
table itself, so a restart loses nothing. Check and enqueue happen in one transaction under a
lock (a PostgreSQL advisory lock; SQLite serialises write transactions anyway), so several
workers never enqueue the same run twice.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

log = logging.getLogger("weerbaar.worker")


def schedule() -> list[tuple[Any, timedelta]]:
    """Daily jobs: retention over every category (signals with their research and approach rows,
    old snapshots, generated files), deadline warnings of interventions, survey reminders."""
    from weerbaar.approach.tasks import run_deadline_warnings
    from weerbaar.governance.tasks import run_retention
    from weerbaar.monitor.tasks import send_due_reminders

    return [
        (run_retention, timedelta(days=1)),
        (run_deadline_warnings, timedelta(days=1)),
        (send_due_reminders, timedelta(days=1)),
    ]


_SCHEDULER_LOCK = 0x5765_6572  # "Weer": one advisory lock id for the scheduler


def enqueue_due() -> list[str]:
    """Enqueue every periodic job whose last enqueue is older than its interval."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULER_LOCK])
        return _enqueue_due_locked()


def _enqueue_due_locked() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    started = []
    for task, interval in schedule():
        recent = DBTaskResult.objects.filter(
            task_path=task.module_path, enqueued_at__gte=timezone.now() - interval
        ).exists()
        if not recent:
            task.enqueue()
            started.append(task.module_path)
            log.info("scheduled %s", task.module_path)
    return started


def _scheduler(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            enqueue_due()
        except Exception:  # a failed check must not end the worker; it is retried next round
            log.exception("scheduler check failed")
        finally:
            close_old_connections()
        stop.wait(every)


def run_worker(*, interval: float = 1.0, schedule_every: float = 60.0) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=_scheduler, args=(stop, schedule_every), daemon=True)
    thread.start()
    try:
        call_command("db_worker", interval=interval, no_startup_delay=True)
    finally:
        stop.set()
        time.sleep(0)
