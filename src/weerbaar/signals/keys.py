# SPDX-License-Identifier: EUPL-1.2
"""Key rotation: re-encrypt every encrypted column with the first configured key."""

from __future__ import annotations

from django.db import connection, transaction

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.signals.crypto import EncryptedJSONField, EncryptedTextField, rotate_token
from weerbaar.signals.models import Attachment, Qualification, Signal, StatusChange, Subject, Weighing


def rotate_all(*, acting: Actor) -> int:
    """Rotate raw tokens in place (no decrypt-to-Python round trip), all in one transaction."""
    count = 0
    with transaction.atomic():
        for model in (Signal, Subject, Attachment, StatusChange, Qualification, Weighing):
            fields = [f for f in model._meta.fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]
            table = model._meta.db_table
            qn = connection.ops.quote_name
            for f in fields:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT id, {qn(f.column)} FROM {qn(table)} WHERE {qn(f.column)} IS NOT NULL")  # noqa: S608 - names come from model metadata
                    rows = cursor.fetchall()
                    for pk, token in rows:
                        cursor.execute(
                            f"UPDATE {qn(table)} SET {qn(f.column)} = %s WHERE id = %s",  # noqa: S608
                            [rotate_token(token), pk],
                        )
                    count += len(rows)
        for attachment in Attachment.objects.all():
            from weerbaar.signals.crypto import fernet

            with attachment.stored_file.open("rb") as handle:
                rotated = fernet().rotate(handle.read())
            with attachment.stored_file.open("wb") as handle:
                handle.write(rotated)
            count += 1
        audit(
            acting, "signals:key:rotate", object_type="encryption", purpose="key management", detail={"values": count}
        )
    return count
