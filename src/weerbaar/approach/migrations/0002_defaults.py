# SPDX-License-Identifier: EUPL-1.2
"""The step a deadline counts from, and the default instrument catalogue (domain.md §5).

``load`` is idempotent (update_or_create by code): the browser tests call it again after a flush,
and a municipality that edited an instrument gets the defaults back only for what it did not add.
"""

from django.db import migrations, models


def load(apps, schema_editor):
    from weerbaar.approach import defaults

    Instrument = apps.get_model("approach", "Instrument")
    ProcedureStep = apps.get_model("approach", "ProcedureStep")
    CasePolicy = apps.get_model("approach", "CasePolicy")
    for order, spec in enumerate(defaults.INSTRUMENTS):
        instrument, _created = Instrument.objects.update_or_create(
            code=spec["code"],
            defaults={
                "label_nl": spec["label_nl"],
                "label_en": spec["label_en"],
                "category": spec["category"],
                "legal_basis": spec["legal_basis"],
                "competent_organ": spec["competent_organ"],
                "description_nl": spec["description_nl"],
                "description_en": spec["description_en"],
                "exchange_nl": spec["exchange_nl"],
                "exchange_en": spec["exchange_en"],
                "is_riec_referral": spec.get("is_riec_referral", False),
                "order": order,
            },
        )
        for step_order, (code, nl, en, days, counts_from, basis, documents) in enumerate(spec["steps"], start=1):
            ProcedureStep.objects.update_or_create(
                instrument=instrument,
                code=code,
                defaults={
                    "order": step_order,
                    "label_nl": nl,
                    "label_en": en,
                    "deadline_days": days,
                    "deadline_from": counts_from,
                    "deadline_basis": basis,
                    "documents": documents,
                },
            )
    if not CasePolicy.objects.exists():
        CasePolicy.objects.create()


class Migration(migrations.Migration):
    dependencies = [("approach", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="procedurestep",
            name="deadline_from",
            field=models.SlugField(
                blank=True,
                db_index=False,
                help_text="Code of an earlier step whose completion starts the term; empty: the previous step.",
                max_length=60,
                verbose_name="deadline counts from step",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
