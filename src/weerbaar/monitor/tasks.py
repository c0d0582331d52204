# SPDX-License-Identifier: EUPL-1.2
"""Background jobs of the monitor, run by ``weerbaar worker``."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from weerbaar.accounts.authz import system_actor
from weerbaar.monitor.models import Wave, WaveState
from weerbaar.monitor.waves import send_reminders


@task()
def send_due_reminders() -> int:
    """Daily: remind, by e-mail, every municipality of an open wave that has not submitted and
    was not invited or reminded in the last week (``waves.REMINDER_INTERVAL``). Waves whose closing
    date has passed get none: their links no longer work. Returns the number of mails sent."""
    acting = system_actor("monitor-reminders")
    today = timezone.localdate()
    sent = 0
    for wave in Wave.objects.filter(state=WaveState.OPEN, closes_on__gte=today).order_by("year"):
        sent += send_reminders(acting=acting, year=wave.year, due_only=True).sent
    return sent
