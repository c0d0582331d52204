# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from weerbaar.accounts.authz import has_perm
from weerbaar.accounts.permissions import Perm


def weerbaar(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the profile banner and the menu entries this user may see."""
    user = getattr(request, "user", None)
    return {
        "MUNICIPALITY": settings.MUNICIPALITY_NAME,
        "OIDC_ENABLED": settings.OIDC_ENABLED,
        "DEMO_PROFILE": settings.PROFILE != "production",
        "MFA_SKIPPED": bool(settings.MFA_DEMO_BYPASS and user is not None and getattr(user, "is_demo", False)),
        "can": {
            "create": has_perm(user, Perm.SIGNAL_CREATE),
            "list": any(has_perm(user, p) for p in (Perm.SIGNAL_READ, Perm.SIGNAL_READ_OWN, Perm.SIGNAL_READ_RIEC)),
            "admin": has_perm(user, Perm.ADMIN_ACCESS),
            "import": has_perm(user, Perm.SIGNAL_IMPORT),
            "sources": has_perm(user, Perm.SOURCE_VIEW),
            "research": any(
                has_perm(user, p) for p in (Perm.PC1_DECIDE, Perm.CONTENT_DECIDE, Perm.QUERY_RUN, Perm.W4_DECIDE)
            ),
            "cases": has_perm(user, Perm.CASE_VIEW),
            "monitor": has_perm(user, Perm.MONITOR_VIEW),
            "governance": any(
                has_perm(user, p)
                for p in (
                    Perm.AUDIT_READ,
                    Perm.AUDIT_EXPORT,
                    Perm.DSR_HANDLE,
                    Perm.REGISTER_VIEW,
                    Perm.PUBLICATION_EXPORT,
                    Perm.RETENTION_RUN,
                )
            ),
        },
    }
