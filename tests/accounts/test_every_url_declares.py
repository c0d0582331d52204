# SPDX-License-Identifier: EUPL-1.2
"""Meta-test: every URL and every API operation declares the permission it needs."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from weerbaar.accounts.permissions import PUBLIC, SELF_SERVICE, Perm

KNOWN = {p.value for p in Perm} | {PUBLIC, SELF_SERVICE}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found.extend(_walk(p.url_patterns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p.callback))
    return found


def test_every_url_declares_a_known_permission() -> None:
    missing, unknown = [], []
    for route, callback in _walk(get_resolver().url_patterns):
        viewset = getattr(callback, "cls", None)
        if viewset is not None and hasattr(viewset, "required_permissions"):
            for method, action in (getattr(callback, "actions", None) or {}).items():
                perm = viewset.required_permissions.get(action)
                if perm is None:
                    missing.append(f"{route} {method} -> {action}")
                elif str(perm) not in KNOWN:
                    unknown.append(f"{route} {action}: {perm}")
            continue
        perm = getattr(callback, "required_permission", None) or getattr(
            getattr(callback, "view_class", None), "required_permission", None
        )
        if perm is None:
            missing.append(route)
        elif str(perm) not in KNOWN:
            unknown.append(f"{route}: {perm}")
    assert not missing, f"URLs without a declared permission: {missing}"
    assert not unknown, f"URLs declaring an unknown permission: {unknown}"


def test_the_walk_sees_the_signal_views() -> None:
    routes = [r for r, _c in _walk(get_resolver().url_patterns)]
    assert "signals/<int:signal_id>/weigh" in routes and any(r.startswith("api/v1/") for r in routes)
