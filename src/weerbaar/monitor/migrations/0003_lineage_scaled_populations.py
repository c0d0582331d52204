# SPDX-License-Identifier: EUPL-1.2
"""Reload the lineage: estimated populations are now scaled to the national total of their year
(lineage.NATIONAL_POPULATION), so that size classes of earlier years do not count later growth.

Answers refer to municipalities by code, so the reload touches nothing else.
"""

import importlib

from django.db import migrations

_lineage = importlib.import_module("weerbaar.monitor.migrations.0002_lineage")


class Migration(migrations.Migration):
    dependencies = [("monitor", "0002_lineage")]

    operations = [migrations.RunPython(_lineage.load, migrations.RunPython.noop)]
