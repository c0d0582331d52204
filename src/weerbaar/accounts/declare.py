# SPDX-License-Identifier: EUPL-1.2
"""How a view declares the permission it needs.

Each view carries a ``required_permission`` attribute; the meta-test in
``tests/accounts/test_every_url_declares.py`` walks the URL configuration and fails on any view
without one. The check itself happens here, so a view cannot declare one permission and check
another.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.authz import actor_for
from weerbaar.accounts.permissions import PUBLIC, Perm

V = TypeVar("V", bound=Callable[..., HttpResponse])


def requires(perm: Perm | str) -> Callable[[V], V]:
    """Decorate a function view: sign-in required, then ``perm``; ``request.actor`` is set."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.actor = actor_for(request, perm)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_permission = str(perm)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: V) -> V:
    """Mark a view as reachable without signing in (login, health check)."""
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view
