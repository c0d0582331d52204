# SPDX-License-Identifier: EUPL-1.2
"""Configuration the municipality edits: a source's owner, mode, content fields and retention.

Snapshots are shown read-only (they are made by the import only). Source records are never in
the admin: they are personal data, read only through the audited selectors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin
from weerbaar.sources.models import Snapshot, Source


@admin.register(Source)
class SourceAdmin(AuditedModelAdmin):
    # No separate "manage sources" permission exists yet; entering the admin already takes
    # accounts:admin:access, and the catalogue permission keeps the area to those who may see it.
    model_permission = Perm.SOURCE_VIEW
    list_display = ["slug", "name", "kind", "mode", "owner_department", "retention_days", "active"]
    list_filter = ["kind", "mode", "active"]
    fields = [
        "slug",
        "name",
        "kind",
        "owner_department",
        "law",
        "legal_regime",
        "mode",
        "content_fields",
        "retention_days",
        "description",
        "active",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code and kind fix the file format and the CLI name of a source: set once.
        return ["slug", "kind"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a source off instead; its snapshots are its history


@admin.register(Snapshot)
class SnapshotAdmin(AuditedModelAdmin):
    model_permission = Perm.SOURCE_VIEW
    list_display = ["source", "loaded_at", "loaded_by", "row_count", "is_current", "replaced_at", "file_name"]
    list_filter = ["source", "is_current"]
    list_select_related = ["source", "loaded_by"]
    readonly_fields = (
        "source",
        "loaded_at",
        "loaded_by",
        "origin",
        "file_name",
        "file_sha256",
        "row_count",
        "is_current",
        "replaced_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
