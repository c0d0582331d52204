# SPDX-License-Identifier: EUPL-1.2
"""Web views of step 3 (thin adapters over research.services / research.selectors)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm


@requires(Perm.QUEUE_VIEW)
def tasks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
