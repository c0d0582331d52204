# SPDX-License-Identifier: EUPL-1.2
"""Configuration the municipality edits: checklist, criteria, phenomena, retention terms.

Signals themselves are not in the admin: their content is only read through the audited
selectors and changed only through the services.
"""

from django.contrib import admin

from weerbaar.accounts.permissions import Perm
from weerbaar.admin_site import AuditedModelAdmin
from weerbaar.signals.models import ChecklistItem, Phenomenon, RetentionTerm, WeighingCriterion


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedModelAdmin):
    model_permission = Perm.CHECKLIST_MANAGE
    list_display = ["code", "kind", "label_nl", "active", "order"]
    list_filter = ["kind", "active"]


@admin.register(WeighingCriterion)
class WeighingCriterionAdmin(AuditedModelAdmin):
    model_permission = Perm.CHECKLIST_MANAGE
    list_display = ["code", "label_nl", "max_score", "active", "order"]


@admin.register(Phenomenon)
class PhenomenonAdmin(AuditedModelAdmin):
    model_permission = Perm.CHECKLIST_MANAGE
    list_display = ["code", "label_nl", "active"]


@admin.register(RetentionTerm)
class RetentionTermAdmin(AuditedModelAdmin):
    model_permission = Perm.CHECKLIST_MANAGE
    list_display = ["state", "months"]
