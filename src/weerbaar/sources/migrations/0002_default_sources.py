# SPDX-License-Identifier: EUPL-1.2
"""The sources of domain.md §4 and their owner departments (existing departments are reused by code)."""

from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.sources import defaults

    Department = apps.get_model("accounts", "Department")
    Source = apps.get_model("sources", "Source")
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in defaults.DEPARTMENTS
    }
    for entry in defaults.SOURCES:
        values = {k: v for k, v in entry.items() if k not in {"slug", "owner"}}
        Source.objects.get_or_create(
            slug=entry["slug"], defaults={**values, "owner_department": departments[entry["owner"]]}
        )


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial"), ("accounts", "0004_source_permissions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
