# SPDX-License-Identifier: EUPL-1.2
"""The monitor's reference data and imports, shown read-only in the admin.

Everything here is made by a service that validates and audits it (the lineage by the migrations,
codebooks and waves by their imports, responses by the questionnaire or an import); editing rows
in the admin would bypass those checks, so the admin only shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin
from weerbaar.monitor.models import Codebook, Item, Merger, Municipality, Response, Wave


class ReadOnlyAdmin(AuditedModelAdmin):
    model_permission = Perm.MONITOR_MANAGE

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["year", "cbs_code", "name", "province", "population", "population_is_estimate", "size_class"]
    list_filter = ["year", "size_class", "riec_region", "province", "population_is_estimate"]
    search_fields = ["cbs_code", "name", "current_code"]


@admin.register(Merger)
class MergerAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "old_code", "old_name", "new_code", "new_name", "split"]
    list_filter = ["kind", "split"]
    search_fields = ["old_code", "old_name", "new_code", "new_name"]


class ItemInline(admin.TabularInline):
    model = Item
    fields = ("order", "item_id", "theme", "type", "label_nl", "waves", "previous_id")
    readonly_fields = ("order", "item_id", "theme", "type", "label_nl", "waves", "previous_id")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Codebook)
class CodebookAdmin(ReadOnlyAdmin):
    list_display = ["version", "imported_at", "imported_by", "source_name"]
    readonly_fields = ["version", "imported_at", "imported_by", "source_name", "source_sha256"]
    exclude = ["source_text"]
    inlines = [ItemInline]


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ["year", "state", "source", "synthetic", "codebook", "opens_on", "closes_on"]
    list_filter = ["state", "synthetic"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["wave", "municipality_code", "status", "source", "submitted_at"]
    list_filter = ["wave", "status", "source"]
    search_fields = ["municipality_code"]
