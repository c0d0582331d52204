# SPDX-License-Identifier: EUPL-1.2
"""Error pages: problem+json for the API, plain Dutch/English pages for people, never a trace."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from weerbaar.api import problem_response


def _page(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(status, title, detail)
    return render(request, "error.html", {"title": title, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _page(request, 413, _("Upload too large"), _("The files together are too large. Nothing was saved."))
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, _("No access"), _("Your roles do not allow this. Ask the functional administrator."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, _("Not found"), _("This page or item does not exist, or is not yours to see."))


def server_error(request: HttpRequest) -> HttpResponse:
    # An unreachable database fails in any middleware (sessions, authentication) before a view
    # runs; Django then calls this handler inside its except block, so the cause is known here.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        from weerbaar.middleware import DatabaseUnavailableMiddleware

        return DatabaseUnavailableMiddleware.unavailable(request)
    return _page(request, 500, _("Something went wrong"), _("The error has been logged. Nothing half-done was saved."))
