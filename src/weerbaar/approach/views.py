# SPDX-License-Identifier: EUPL-1.2
"""Web views of step 4 (thin adapters over approach.services / approach.selectors)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm


@requires(Perm.CASE_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
