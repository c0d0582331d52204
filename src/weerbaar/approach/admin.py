# SPDX-License-Identifier: EUPL-1.2
"""Configuration the municipality edits: the instrument catalogue and the case policy.

Cases themselves are not in the admin: their content is read only through the audited
selectors and changed only through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin, admin_actor
from weerbaar.approach.models import CasePolicy, Instrument, ProcedureStep
from weerbaar.audit.services import audit


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ["order", "code", "label_nl", "label_en", "deadline_days", "deadline_from", "deadline_basis", "documents"]

    def _allowed(self, request: HttpRequest) -> bool:
        from weerbaar.accounts.authz import has_perm

        return has_perm(request.user, Perm.ADMIN_ACCESS) and has_perm(request.user, Perm.INSTRUMENT_MANAGE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A step that running interventions refer to cannot go (PROTECT); unused ones may.
        return self._allowed(request)


@admin.register(Instrument)
class InstrumentAdmin(AuditedModelAdmin):
    model_permission = Perm.INSTRUMENT_MANAGE
    list_display = ["code", "label_nl", "category", "competent_organ", "is_riec_referral", "active", "order"]
    list_filter = ["category", "active"]
    search_fields = ["code", "label_nl", "label_en", "legal_basis"]
    inlines = [ProcedureStepInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch an instrument off instead: plans of approach refer to it

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Changes to the procedure steps are audited like the instrument itself (field names only)."""
        with transaction.atomic():
            deleted = [f.instance.pk for f in getattr(formset, "deleted_forms", []) if f.instance.pk]
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                audit(admin_actor(request), "admin:object:add", obj=obj, purpose="functional administration")
            for obj, fields in formset.changed_objects:
                audit(
                    admin_actor(request),
                    "admin:object:change",
                    obj=obj,
                    purpose="functional administration",
                    detail={"changed_fields": sorted(fields)},
                )
            for pk in deleted:
                audit(
                    admin_actor(request),
                    "admin:object:delete",
                    object_type="approach.procedurestep",
                    object_id=str(pk),
                    purpose="functional administration",
                )


@admin.register(CasePolicy)
class CasePolicyAdmin(AuditedModelAdmin):
    model_permission = Perm.INSTRUMENT_MANAGE
    list_display = ["monitoring_months", "retention_months", "warn_days_before"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request) and not CasePolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
