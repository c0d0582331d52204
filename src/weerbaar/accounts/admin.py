# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.models import Department, Role, User
from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin, admin_actor
from weerbaar.audit.services import audit


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    model_permission = Perm.USER_MANAGE
    list_display = ["code", "name"]


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    """Separation of duties: nobody edits a role they hold (and so cannot widen their own access)."""

    model_permission = Perm.USER_MANAGE
    list_display = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.users.filter(pk=request.user.pk).exists():
            return ["code", "name", "description", "permissions"]
        return super().get_readonly_fields(request, obj)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Accounts; nobody changes their own roles or activation here."""

    model_permission = Perm.USER_MANAGE
    list_display = ["username", "first_name", "last_name", "department", "is_active"]
    list_filter = ["department", "roles", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "department")}),
        ("Access", {"fields": ("is_active", "roles", "mfa_enrolment_open", "is_demo")}),
    )
    filter_horizontal = ["roles"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.pk == request.user.pk:
            return ["roles", "is_active", "mfa_enrolment_open", "is_demo"]
        return super().get_readonly_fields(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:  # noqa: A002
        """Setting someone's password is audited in the same transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit(
                    admin_actor(request),
                    "accounts:user:password",
                    object_type="accounts.user",
                    object_id=str(id),
                    purpose="functional administration",
                )
        return response


# Django's groups are not used: roles are Weerbaar's own data.
from django.contrib.auth.models import Group  # noqa: E402

admin.site.unregister(Group)
