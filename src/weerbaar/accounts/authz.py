# SPDX-License-Identifier: EUPL-1.2
"""Authorisation: does this user hold that permission, and in which role?

Every decision in Weerbaar records *who* took it *in which role*; :func:`authorize` answers both
at once and returns an :class:`Actor` that services take as their ``acting`` argument. A refusal
is itself recorded in the audit log (ASVS: authorisation decisions on sensitive data are logged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from weerbaar.accounts.permissions import SELF_SERVICE, Perm

if TYPE_CHECKING:
    from django.http import HttpRequest

    from weerbaar.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """Who acts: a user in one of their roles, or the system itself, and where from."""

    user: User | None
    role: str
    origin: str

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else f"system:{self.role}"


def _permission_map(user: User) -> dict[str, str]:
    """Permission -> code of the first role (by code) granting it; cached on the user object."""
    cached: dict[str, str] | None = getattr(user, "_weerbaar_perms", None)
    if cached is not None:
        return cached
    perms: dict[str, str] = {}
    if user.is_active:
        for role in sorted(user.roles.all(), key=lambda r: r.code):
            for perm in role.permissions:
                perms.setdefault(perm, role.code)
    user._weerbaar_perms = perms  # type: ignore[attr-defined]
    return perms


def role_granting(user: Any, perm: Perm | str) -> str | None:
    """The role code under which ``user`` may do ``perm``, or ``None``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if perm == SELF_SERVICE:
        return "self"
    return _permission_map(user).get(str(perm))


def has_perm(user: Any, perm: Perm | str) -> bool:
    return role_granting(user, perm) is not None


def client_address(request: HttpRequest) -> str | None:
    """The client address: REMOTE_ADDR, or behind ``WEERBAAR_PROXY_HOPS`` trusted proxies the
    X-Forwarded-For entry those proxies added (never one the client could have written itself).
    ``None`` when there is no valid address (django-axes' lockout key uses this too)."""
    import ipaddress

    from django.conf import settings

    candidate = request.META.get("REMOTE_ADDR")
    hops = settings.PROXY_HOPS
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def origin_of(request: HttpRequest) -> str:
    """The client address for the audit log ("unknown" when the request carries none)."""
    return client_address(request) or "unknown"


def authorize(user: Any, perm: Perm | str, *, origin: str) -> Actor:
    """Return the acting user in the role that grants ``perm``, or refuse and audit the refusal."""
    role = role_granting(user, perm)
    if role is None:
        from weerbaar.audit.services import audit_denial

        audit_denial(
            actor_id=getattr(user, "pk", None),
            actor_label=user.get_username() if getattr(user, "is_authenticated", False) else "anonymous",
            action=str(perm),
            origin=origin,
        )
        raise PermissionDenied(str(perm))
    return Actor(user=user, role=role, origin=origin)


def actor_by_username(username: str, perm: Perm | str, *, origin: str) -> Actor:
    """The active user named ``username`` acting under ``perm`` (the command line's sign-in), or
    refuse and audit the refusal as :func:`authorize` does; an unknown name is refused the same way."""
    from weerbaar.accounts.models import User

    return authorize(User.objects.filter(username=username, is_active=True).first(), perm, origin=origin)


def actor_for(request: HttpRequest, perm: Perm | str) -> Actor:
    return authorize(request.user, perm, origin=origin_of(request))


def system_actor(name: str, origin: str = "worker") -> Actor:
    """The system acting on its own (retention job, CLI batch): no user, a named role."""
    return Actor(user=None, role=name, origin=origin)
