# SPDX-License-Identifier: EUPL-1.2
"""The approach app's encrypted fields: the shared implementation of :mod:`weerbaar.crypto`.

Subclassed here so that the app's migrations keep their field paths.
"""

from __future__ import annotations

from weerbaar import crypto
from weerbaar.crypto import decrypt_bytes, decrypt_text, encrypt_bytes, encrypt_text

__all__ = ["EncryptedJSONField", "EncryptedTextField", "decrypt_bytes", "decrypt_text", "encrypt_bytes", "encrypt_text"]


class EncryptedTextField(crypto.EncryptedTextField):
    """Text stored as a Fernet token; ``None`` once destroyed."""


class EncryptedJSONField(crypto.EncryptedJSONField):
    """A JSON value stored as a Fernet token."""
