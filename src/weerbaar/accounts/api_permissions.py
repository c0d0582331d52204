# SPDX-License-Identifier: EUPL-1.2
"""DRF permission class: every API operation declares the permission it needs.

A viewset lists ``required_permissions = {"list": Perm.X, "create": Perm.Y, ...}``; an action
missing from that map is refused (deny by default), and the meta-test flags it.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from weerbaar.accounts.authz import origin_of, role_granting
from weerbaar.audit.services import audit_denial


class DeclaredPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        declared: dict[str, str] = getattr(view, "required_permissions", {})
        action = getattr(view, "action", None) or (request.method or "get").lower()
        perm = declared.get(action)
        if perm is None:
            return False
        if perm == "public":
            return True
        if role_granting(request.user, perm) is not None:
            return True
        if getattr(request.user, "is_authenticated", False):
            # Same rule as the web: a refused authorisation decision is itself audited.
            audit_denial(
                actor_id=request.user.pk,
                actor_label=request.user.get_username(),
                action=str(perm),
                origin=origin_of(request),
            )
        return False
