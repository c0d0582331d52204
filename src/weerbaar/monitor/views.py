# SPDX-License-Identifier: EUPL-1.2
"""Web views of the monitor (thin adapters over the monitor's services and analysis package)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm


@requires(Perm.MONITOR_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
