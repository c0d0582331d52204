# SPDX-License-Identifier: EUPL-1.2
"""The chain head may move forward by several rows at once (batched appends), never back."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION weerbaar_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF NEW.last_id <= OLD.last_id THEN
        RAISE EXCEPTION 'audit chain head may only move forward';
    END IF;
    RETURN NEW;
END; $$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION weerbaar_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF NEW.last_id <> OLD.last_id + 1 THEN
        RAISE EXCEPTION 'audit chain head may only move forward by one row';
    END IF;
    RETURN NEW;
END; $$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_head")]
    operations = [migrations.RunPython(forward, backward)]
