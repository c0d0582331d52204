# SPDX-License-Identifier: EUPL-1.2
"""Third-party models in the admin: only what the functional administrator needs, audited like ours.

Their own ModelAdmins (registered by admin autodiscovery, after Weerbaar's apps) write no audit
rows, so they are replaced when the admin's URLs are first built.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin


class TOTPDeviceAdmin(AuditedModelAdmin):
    """Remove a lost authenticator so the user registers a new one at the next sign-in."""

    model_permission = Perm.USER_MANAGE
    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name"]

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False


class AccessAttemptAdmin(AuditedModelAdmin):
    """Lift a lockout by deleting the attempts (audited)."""

    model_permission = Perm.USER_MANAGE
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    readonly_fields = [
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
        "get_data",
        "post_data",
        "http_accept",
        "path_info",
    ]

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False


def replace_third_party_admins(site: admin.AdminSite) -> None:
    for model in (TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
        if site.is_registered(model):
            site.unregister(model)
    site.register(TOTPDevice, TOTPDeviceAdmin)
    site.register(AccessAttempt, AccessAttemptAdmin)
