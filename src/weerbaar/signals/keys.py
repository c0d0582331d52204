# SPDX-License-Identifier: EUPL-1.2
"""Key rotation: re-encrypt every encrypted value and attachment with the first configured key.

Reading decrypts with any configured key (MultiFernet); writing encrypts with the first. So a
read followed by a write of the same value, through the ORM, is a rotation: no raw SQL needed.
Keep the old key configured until the command has finished; then remove it.
"""

from __future__ import annotations

import os

from django.apps import apps
from django.db import models, transaction

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.crypto import EncryptedJSONField, EncryptedTextField, fernet

ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)  # every app's fields subclass these


def _encrypted_models() -> list[type[models.Model]]:
    """Every model of every app holding an encrypted column: a new app cannot be forgotten."""
    return [
        m
        for m in apps.get_models()
        if not m._meta.abstract and any(isinstance(f, ENCRYPTED_FIELDS) for f in m._meta.fields)
    ]


def _encrypted_files() -> list[tuple[type[models.Model], str]]:
    """(model, file field) for every model that lists its encrypted files in ``ENCRYPTED_FILES``."""
    return [(m, name) for m in apps.get_models() for name in getattr(m, "ENCRYPTED_FILES", ())]


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
        # Every app (signals, source records, research, approach, governance) uses the same keys.
        for model in _encrypted_models():
            names = [f.name for f in model._meta.fields if isinstance(f, ENCRYPTED_FIELDS)]
            manager = model._default_manager
            for row in manager.values("pk", *names).iterator(chunk_size=2000):
                values = {name: row[name] for name in names if row[name] is not None}
                if values:
                    manager.filter(pk=row["pk"]).update(**values)
                    count += len(values)
        rewrites = []
        for model, name in _encrypted_files():
            for obj in model._default_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True}):
                stored = getattr(obj, name)
                with stored.open("rb") as handle:
                    rewrites.append((stored.path, fernet().rotate(handle.read())))
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
