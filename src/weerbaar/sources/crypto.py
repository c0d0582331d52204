# SPDX-License-Identifier: EUPL-1.2
"""The sources app's encrypted field: the shared implementation of :mod:`weerbaar.crypto`.

A registry copy is personal data of a whole city; a backup or a dump of the database must reveal
nothing without the key. Subclassed here so that the app's migrations keep their field path.
"""

from __future__ import annotations

from weerbaar import crypto
from weerbaar.crypto import decrypt_json, encrypt_json, fernet

__all__ = ["EncryptedJSONField", "decrypt_json", "encrypt_json", "fernet"]


class EncryptedJSONField(crypto.EncryptedJSONField):
    """A source record's fields stored as one Fernet token."""
