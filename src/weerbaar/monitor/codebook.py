# SPDX-License-Identifier: EUPL-1.2
"""Importing a codebook (the questionnaire as versioned data) and reading one back.

A codebook version is never edited: a changed file becomes a new version, so every wave keeps
the exact questions it was asked with; an identical file (same SHA-256) is recognised and not
stored twice. The import is all-or-nothing: the whole file is validated first
(codebook_schema.parse_codebook) and only a valid file is written, in one transaction with its
audit row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.monitor.codebook_schema import (
    SHIPPED_CODEBOOK,
    CodebookInvalid,
    CodebookSpec,
    ItemSpec,
    parse_codebook,
)
from weerbaar.monitor.models import Codebook, Item, item_dict

__all__ = ["CodebookImport", "CodebookInvalid", "import_codebook", "load_spec", "shipped_codebook_path"]


def shipped_codebook_path() -> Path:
    """The codebook that ships with Weerbaar (monitor/data/codebook.yaml)."""
    return SHIPPED_CODEBOOK


@dataclass(frozen=True)
class CodebookImport:
    codebook: Codebook
    created: bool  # False: an identical file was imported before, as this version
    items: int


def import_codebook(*, acting: Actor, content: bytes, name: str = "") -> CodebookImport:
    """Validate and store a codebook file as a new version; raise ``CodebookInvalid`` if it is not valid."""
    digest = hashlib.sha256(content).hexdigest()
    existing = Codebook.objects.filter(source_sha256=digest).first()
    if existing is not None:
        return CodebookImport(existing, False, existing.items.count())
    spec = parse_codebook(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:  # parse_codebook accepted it, so YAML read it in another encoding
        text = content.decode("utf-8", errors="replace")
    with transaction.atomic():
        # The lock on the latest version serialises two imports at the same moment.
        latest = Codebook.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        codebook = Codebook.objects.create(
            version=version,
            imported_by=acting.label,
            source_name=name[:255],
            source_sha256=digest,
            source_text=text,
        )
        Item.objects.bulk_create([_item(codebook, spec_item) for spec_item in spec.items])
        audit(
            acting,
            "monitor.codebook.import",
            obj=codebook,
            detail={"version": version, "items": len(spec.items), "sha256": digest, "file": name[:120]},
        )
    return CodebookImport(codebook, True, len(spec.items))


def _item(codebook: Codebook, spec: ItemSpec) -> Item:
    return Item(
        codebook=codebook,
        item_id=spec.id,
        theme=spec.theme,
        type=spec.type,
        label_nl=spec.label_nl,
        label_en=spec.label_en,
        scale_min=spec.scale_min,
        scale_max=spec.scale_max,
        number_min=spec.number_min,
        number_max=spec.number_max,
        unit=spec.unit,
        choices=spec.choices,
        waves=spec.waves,
        previous_id=spec.previous_id or "",
        ask_if=spec.ask_if,
        order=spec.order,
    )


def latest_codebook() -> Codebook | None:
    return Codebook.objects.order_by("-version").first()


def codebook_by_version(version: int | None) -> Codebook | None:
    """The given version, or the latest when ``version`` is None."""
    if version is None:
        return latest_codebook()
    return Codebook.objects.filter(version=version).first()


def load_spec(codebook: Codebook) -> CodebookSpec:
    """A stored codebook as the Django-free spec the routing and answer checks use."""
    items = [ItemSpec.from_dict(item_dict(item)) for item in codebook.items.order_by("order")]
    return CodebookSpec(title=f"v{codebook.version}", items=items)


def next_version() -> int:
    return int(Codebook.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def ensure_shipped_codebook(*, acting: Actor) -> CodebookImport:
    """Import the shipped codebook unless that exact file is already a version (demo, tests)."""
    path = shipped_codebook_path()
    return import_codebook(acting=acting, content=path.read_bytes(), name=path.name)
