# SPDX-License-Identifier: EUPL-1.2
from django.db import migrations


def create_head(apps, schema_editor):
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"last_id": 0, "last_hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_postgres_immutability")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
