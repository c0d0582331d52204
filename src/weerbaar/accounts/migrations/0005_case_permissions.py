# SPDX-License-Identifier: EUPL-1.2
"""Grant the permissions of steps 3-4 and governance (issue 4) to the default roles.

Only the permissions are added; a municipality that edited a role keeps its other changes.
"""

from django.db import migrations

ADDED = {
    "regisseur": [
        "research:pc1:request",
        "research:query:run",
        "research:content:request",
        "approach:case:view",
        "approach:case:read-all",
        "approach:case:manage",
        "approach:referral:manage",
        "governance:publication:export",
    ],
    "ondermijningsteam": [
        "matching:screen:run",
        "research:pc1:request",
        "research:query:run",
        "research:content:request",
        "research:w4:decide",
        "approach:case:view",
        "approach:case:manage",
    ],
    "privacyfunctionaris": [
        "signals:signal:view",
        "signals:signal:read-for-check",
        "research:pc1:decide",
        "approach:case:view",
        "approach:case:read-all",
        "approach:pc2:decide",
        "governance:dsr:handle",
        "governance:register:view",
        "governance:publication:export",
        "audit:log:export",
    ],
    "source_owner": ["research:content:decide"],
    "department_officer": ["approach:case:view", "approach:intervention:execute"],
    "bestuur": ["approach:case:view", "approach:intervention:execute"],
    "riec_liaison": ["approach:case:view", "approach:referral:manage"],
    "administrator": ["approach:instrument:manage", "governance:register:view"],
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
    dependencies = [("accounts", "0004_source_permissions")]
    operations = [migrations.RunPython(grant, revoke)]
