# SPDX-License-Identifier: EUPL-1.2
"""Optional sign-in through the municipality's OpenID Connect provider (off by default).

Only existing, active Weerbaar accounts can sign in this way: the provider proves who someone is,
Weerbaar's own roles decide what they may do. Accounts are matched on e-mail address and never
created automatically, so an identity at the provider grants no access by itself; only an
address the provider says it verified counts.
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from weerbaar.accounts.models import User


class WeerbaarOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = claims.get("email")
        if not email or claims.get("email_verified") is not True:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        """Never: accounts and their roles are made by the functional administrator."""
        return
