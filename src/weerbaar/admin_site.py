# SPDX-License-Identifier: EUPL-1.2
"""The admin site: same permission vocabulary, same audit as every other write.

Django's admin normally trusts ``is_staff``/``is_superuser``; Weerbaar replaces that with the
``accounts:admin:access`` permission and writes an audit row for every admin change, in the
same transaction, naming the fields that changed (not their values).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from weerbaar.accounts.authz import Actor, authorize, has_perm, origin_of
from weerbaar.accounts.permissions import PUBLIC, Perm
from weerbaar.audit.services import audit


class WeerbaarAdminSite(admin.AdminSite):
    site_header = "Weerbaar — functioneel beheer"
    site_title = "Weerbaar beheer"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and has_perm(request.user, Perm.ADMIN_ACCESS))

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:  # type: ignore[override]
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # A signed-in user without the permission gets 403 (audited), not a second login form.
            if request.user.is_authenticated:
                authorize(request.user, Perm.ADMIN_ACCESS, origin=origin_of(request))
            return inner(request, *args, **kwargs)

        guarded.required_permission = Perm.ADMIN_ACCESS.value  # type: ignore[attr-defined]
        return guarded

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        """Changing one's own password in the admin is audited like every other change."""
        with transaction.atomic():
            response = super().password_change(request, extra_context)
            if request.method == "POST" and response.status_code == 302:
                audit(admin_actor(request), "accounts:user:password", obj=request.user, purpose="own password change")
        return response

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One sign-in for the whole product (with its lockout and second factor)."""
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", "/admin/"))

    def get_urls(self) -> list[Any]:
        from weerbaar.admin_thirdparty import replace_third_party_admins

        replace_third_party_admins(self)
        urls = super().get_urls()
        _declare_all(urls)
        return urls


def _declare_all(patterns: list[Any]) -> None:
    """Every admin URL runs through ``admin_view`` (which authorises); say so on each callback."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _declare_all(pattern.url_patterns)
            continue
        callback = getattr(pattern, "callback", None)
        if callback is None or hasattr(callback, "required_permission"):
            continue
        if hasattr(callback, "model_admin"):  # ModelAdmin.get_urls: calls admin_view per request
            callback.required_permission = Perm.ADMIN_ACCESS.value
        elif getattr(pattern, "name", "") == "login":  # redirects to the product's one sign-in page
            pattern.callback = _declared(callback, PUBLIC)
        else:  # the admin's own logout/password/i18n entries, all behind admin_view
            pattern.callback = _declared(callback, Perm.ADMIN_ACCESS.value)


def _declared(view: Callable[..., Any], perm: str) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    wrapper.required_permission = perm  # type: ignore[attr-defined]
    return wrapper


def admin_actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, role="administrator", origin=origin_of(request))  # type: ignore[arg-type]


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes are audited and whose access is our permission.

    Entering the admin takes ``accounts:admin:access``; each model also names the permission
    for its own area (accounts, or the signals' reference data) in ``model_permission``.
    """

    model_permission: Perm = Perm.ADMIN_ACCESS

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.ADMIN_ACCESS) and has_perm(request.user, self.model_permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit(
                admin_actor(request),
                "admin:object:change" if change else "admin:object:add",
                obj=obj,
                purpose="functional administration",
                detail={"changed_fields": sorted(getattr(form, "changed_data", []) or [])},
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with transaction.atomic():
            audit(admin_actor(request), "admin:object:delete", obj=obj, purpose="functional administration")
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit(admin_actor(request), "admin:object:delete", obj=obj, purpose="functional administration")
            super().delete_queryset(request, queryset)

    def changeform_view(self, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            return super().changeform_view(*args, **kwargs)
