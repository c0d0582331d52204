# SPDX-License-Identifier: EUPL-1.2
from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.accounts.permissions import DEFAULT_ROLES

    Role = apps.get_model("accounts", "Role")
    for code, (name, description, perms) in DEFAULT_ROLES.items():
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "permissions": [str(p) for p in perms]}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
