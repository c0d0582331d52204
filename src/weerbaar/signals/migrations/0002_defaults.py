# SPDX-License-Identifier: EUPL-1.2
from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.signals import defaults

    Phenomenon = apps.get_model("signals", "Phenomenon")
    ChecklistItem = apps.get_model("signals", "ChecklistItem")
    WeighingCriterion = apps.get_model("signals", "WeighingCriterion")
    RetentionTerm = apps.get_model("signals", "RetentionTerm")
    for i, (code, nl, en) in enumerate(defaults.PHENOMENA):
        Phenomenon.objects.update_or_create(code=code, defaults={"label_nl": nl, "label_en": en, "order": i})
    for i, (kind, code, nl, en) in enumerate(defaults.CHECKLIST):
        ChecklistItem.objects.update_or_create(
            code=code, defaults={"kind": kind, "label_nl": nl, "label_en": en, "order": i}
        )
    for i, (code, nl, en, help_nl, help_en) in enumerate(defaults.CRITERIA):
        WeighingCriterion.objects.update_or_create(
            code=code, defaults={"label_nl": nl, "label_en": en, "help_nl": help_nl, "help_en": help_en, "order": i}
        )
    for state, months in defaults.RETENTION_MONTHS.items():
        RetentionTerm.objects.update_or_create(state=state, defaults={"months": months})


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
