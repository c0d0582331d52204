# SPDX-License-Identifier: EUPL-1.2
"""Key rotation: re-encrypt every encrypted value and attachment with the first configured key.

Reading decrypts with any configured key (MultiFernet); writing encrypts with the first. So a
read followed by a write of the same value, through the ORM, is a rotation: no raw SQL needed.
Keep the old key configured until the command has finished; then remove it.
"""

from __future__ import annotations

import os

from django.db import transaction

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.crypto import EncryptedJSONField, EncryptedTextField, fernet
from weerbaar.signals.models import Attachment, Qualification, Signal, StatusChange, Subject, Weighing
from weerbaar.sources.models import SourceRecord

ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)  # every app's fields subclass these


def _replace_file(path: str, content: bytes) -> None:
    temporary = f"{path}.rotating"
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def rotate_all(*, acting: Actor) -> int:
    """Re-encrypt everything in one transaction; returns the number of values rewritten."""
    count = 0
    with transaction.atomic():
        # Source records (registry snapshots) use the same keys, so they rotate with everything else.
        for model in (Signal, Subject, Attachment, StatusChange, Qualification, Weighing, SourceRecord):
            names = [f.name for f in model._meta.fields if isinstance(f, ENCRYPTED_FIELDS)]
            for row in model.objects.values("pk", *names).iterator(chunk_size=2000):
                values = {name: row[name] for name in names if row[name] is not None}
                if values:
                    model.objects.filter(pk=row["pk"]).update(**values)
                    count += len(values)
        rewrites = []
        for attachment in Attachment.objects.all():
            with attachment.stored_file.open("rb") as handle:
                rewrites.append((attachment.stored_file.path, fernet().rotate(handle.read())))
            count += 1

        # Files are replaced after the commit, each atomically (write aside, then rename): a crash
        # leaves every file either old or new, both readable while the old key is still configured.
        def replace_all() -> None:
            for path, content in rewrites:
                _replace_file(path, content)

        transaction.on_commit(replace_all)
        audit(
            acting, "signals:key:rotate", object_type="encryption", purpose="key management", detail={"values": count}
        )
    return count
