# SPDX-License-Identifier: EUPL-1.2
"""Database outage: a clear 503, no stack trace; the request's transaction never committed."""

from __future__ import annotations

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Exceptions from other middleware never arrive here (Django turns them into responses
        # first); errors.server_error handles those. This class handles the views' own.
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self.unavailable(request)
        return None

    @staticmethod
    def unavailable(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            from weerbaar.api import problem_response

            response = problem_response(
                503, "Service unavailable", "The database cannot be reached. Nothing was saved; try again."
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response


class DutchByDefaultMiddleware:
    """The UI is Dutch unless the user chose English (language cookie), whatever the browser says.

    Municipal workstations often run English browsers; the product's language is Dutch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
