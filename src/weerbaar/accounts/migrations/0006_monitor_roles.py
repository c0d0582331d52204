# SPDX-License-Identifier: EUPL-1.2
"""The monitor's roles (issue 5): researcher, ministry, and the figures-submitting system account.

Created only where missing; a municipality or ministry that edited a role keeps its changes.
"""

from django.db import migrations

ROLES = {
    "researcher": (
        "Onderzoeker monitor",
        "Runs the monitor: codebook, waves, analysis, reports and conclusions.",
        ["signals:queue:view", "monitor:analysis:view", "monitor:wave:manage", "monitor:followup:manage"],
    ),
    "ministry": (
        "Beleidsmedewerker ministerie",
        "Reads the monitor and keeps the follow-up of its conclusions.",
        ["signals:queue:view", "monitor:analysis:view", "monitor:followup:manage"],
    ),
    "figures_submitter": (
        "Aanleverend systeem (kerncijfers)",
        "The account a municipal deployment uses to submit anonymised operational figures.",
        ["monitor:figures:submit"],
    ),
}


def create(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, (name, description, perms) in ROLES.items():
        Role.objects.get_or_create(code=code, defaults={"name": name, "description": description, "permissions": perms})


def remove(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_case_permissions")]
    operations = [migrations.RunPython(create, remove)]
