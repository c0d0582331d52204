# SPDX-License-Identifier: EUPL-1.2
"""The source catalogue: which sources exist, who owns them, what the law allows, how fresh they are.

It shows configuration and load dates only, no records, so it is not an audited read.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weerbaar.accounts.declare import requires
from weerbaar.accounts.permissions import Perm
from weerbaar.sources.selectors import source_list


@requires(Perm.SOURCE_VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "sources/catalogue.html", {"sources": source_list()})
