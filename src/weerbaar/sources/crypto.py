# SPDX-License-Identifier: EUPL-1.2
"""Encryption of source records at rest: Fernet with the keys of ``WEERBAAR_ENCRYPTION_KEYS``.

Why not import :mod:`weerbaar.signals.crypto`: ``sources`` sits above ``signals`` in the order of
apps (docs/architecture.md), so it may not import it. This module uses the same settings and the
same token format, so one key list serves both apps, and a value written by either can be read by
the other. A registry copy is personal data of a whole city; a backup or a dump of the database
must reveal nothing without the key (docs/adr/0004).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    """The configured keys: the first encrypts, every one decrypts."""
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def _reset(**kwargs: Any) -> None:
    _fernet.cache_clear()


setting_changed.connect(_reset)


def encrypt_json(value: Any) -> str:
    """The token stored for ``value``; the batch import calls this before its transaction opens."""
    return fernet().encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).decode()


def decrypt_json(token: str) -> Any:
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise InvalidToken("Source record cannot be decrypted with the configured keys") from exc


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token; not searchable, by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt_json(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt_json(value)
