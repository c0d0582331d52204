# SPDX-License-Identifier: EUPL-1.2
"""Grant the sources/matching permissions to the default roles that exist unchanged in a database.

Only the permissions are added; a municipality that edited a role keeps its other changes.
"""

from django.db import migrations

ADDED = {
    "regisseur": ["sources:source:view", "matching:screen:run"],
    "privacyfunctionaris": ["sources:source:view"],
    "source_owner": ["sources:source:view", "sources:snapshot:import"],
    "administrator": ["sources:source:view"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, perms in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        role.permissions = list(role.permissions) + [p for p in perms if p not in role.permissions]
        role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, perms in ADDED.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [p for p in role.permissions if p not in perms]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_mfa_enrolment")]
    operations = [migrations.RunPython(grant, revoke)]
