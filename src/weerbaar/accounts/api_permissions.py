# SPDX-License-Identifier: EUPL-1.2
"""DRF permission class: every API operation declares the permission it needs.

A viewset lists ``required_permissions = {"list": Perm.X, "create": Perm.Y, ...}``; an action
missing from that map is refused (deny by default), and the meta-test flags it.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from weerbaar.accounts.authz import role_granting


class DeclaredPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        declared: dict[str, str] = getattr(view, "required_permissions", {})
        action = getattr(view, "action", None) or (request.method or "get").lower()
        perm = declared.get(action)
        if perm is None:
            return False
        if perm == "public":
            return True
        return role_granting(request.user, perm) is not None
