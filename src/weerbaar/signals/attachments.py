# SPDX-License-Identifier: EUPL-1.2
"""Attachment limits: size, and a type read from the file's own bytes (never its name)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def delete_stored_files(names: list[str]) -> None:
    """Remove attachment files from storage (after a destruction, or a rolled-back intake)."""
    from weerbaar.signals.models import Attachment

    storage = Attachment._meta.get_field("stored_file").storage
    for name in names:
        storage.delete(name)


def sniff_content_type(content: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    head = content[:4096]
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A cut multi-byte character at the end is fine; anything else is binary.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return "text/csv" if b"," in head.split(b"\n", 1)[0] and "text/csv" in settings.ATTACHMENT_TYPES else "text/plain"


def validate_attachment(name: str, content: bytes) -> None:
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large: at most %(max)s.")
            % {"name": name, "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    if not content:
        raise ValidationError(_("%s is empty.") % name)
    kind = sniff_content_type(content)
    if kind is None or kind not in settings.ATTACHMENT_TYPES:
        raise ValidationError(_("%s is not an accepted type (PDF, JPEG, PNG, plain text or CSV).") % name)
