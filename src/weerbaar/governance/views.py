# SPDX-License-Identifier: EUPL-1.2
"""Web views of governance (thin adapters over governance services)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm


@requires(Perm.QUEUE_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
