# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from weerbaar.accounts.models import Department, Role, User
from weerbaar.admin_site import AuditedModelAdmin


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "is_active"]
    list_filter = ["department", "roles", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "department")}),
        ("Access", {"fields": ("is_active", "roles", "is_demo")}),
    )
    filter_horizontal = ["roles"]


# Django's groups are not used: roles are Weerbaar's own data.
from django.contrib.auth.models import Group  # noqa: E402

admin.site.unregister(Group)
