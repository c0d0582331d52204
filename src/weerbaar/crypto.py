# SPDX-License-Identifier: EUPL-1.2
"""Application-level encryption of content at rest (Fernet: AES-128-CBC + HMAC-SHA256).

One implementation for every app that stores personal data (signal content, registry records):
one key list, one token format, one rotation. Keys come from ``WEERBAAR_ENCRYPTION_KEYS``; the
first encrypts, all decrypt, so rotation is: put a new key first, run
``weerbaar signals rotate-key`` (which re-encrypts every app's values), then drop the old key.
A copy of the database (a backup, a replica, a dump on a laptop) reveals nothing without the key.
See docs/adr/0004. The apps subclass the fields in their own ``crypto`` module so that their
migrations keep naming a path inside the app.
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


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidToken("Content cannot be decrypted with the configured keys") from exc


def encrypt_json(value: Any) -> str:
    """The token stored for a JSON value (a batch import calls this before its transaction opens)."""
    return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def decrypt_json(token: str) -> Any:
    return json.loads(decrypt_text(token))


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; ``None`` once destroyed. Not searchable by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token; not searchable, by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt_json(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt_json(value)
