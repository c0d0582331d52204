# SPDX-License-Identifier: EUPL-1.2
"""Load the municipal lineage 2009–2024 with the migrations, so that a fresh database accepts a
codebook and a wave of any year at once (issue 5 §1).

The rows are computed from the reference files in ``monitor/data`` by ``lineage.build`` (pure
Python). A later correction of the reference data comes as a new data migration that reloads the
table; answers refer to municipalities by code, so a reload never touches them.
"""

from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.monitor.lineage import build

    Municipality = apps.get_model("monitor", "Municipality")
    Merger = apps.get_model("monitor", "Merger")
    entries, changes = build()
    Municipality.objects.all().delete()
    Merger.objects.all().delete()
    Municipality.objects.bulk_create(
        [
            Municipality(
                year=e.year,
                cbs_code=e.cbs_code,
                name=e.name,
                province=e.province,
                population=e.population,
                population_is_estimate=e.population_is_estimate,
                population_method=e.population_method,
                size_class=e.size_class,
                riec_region=e.riec_region,
                current_code=e.current_code,
            )
            for e in entries
        ],
        batch_size=1000,
    )
    Merger.objects.bulk_create(
        [
            Merger(
                date=c.date,
                kind=c.kind,
                old_code=c.old_code,
                old_name=c.old_name,
                new_code=c.new_code,
                new_name=c.new_name,
                split=c.split,
            )
            for c in changes
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("monitor", "Municipality").objects.all().delete()
    apps.get_model("monitor", "Merger").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitor", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
