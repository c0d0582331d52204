# SPDX-License-Identifier: EUPL-1.2
"""Reads of the sources app: the catalogue (no personal data), the records for the matching index
(a system read), and the content of one record (an audited read of personal data).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditResult
from weerbaar.audit.services import audit
from weerbaar.sources.formats import ID_COLUMN
from weerbaar.sources.models import Mode, Snapshot, Source, SourceRecord


class ContentRefused(PermissionDenied):
    """A content read that the source's configuration does not allow; the attempt is logged."""


def source_list() -> QuerySet[Source]:
    """Every source with its owner, and the load date and size of its current snapshot.

    The catalogue holds no personal data (a row count is not), so listing it is not audited.
    Each source carries ``current_loaded_at`` and ``current_rows`` (``None`` before a first load).
    """
    current = Snapshot.objects.filter(source=OuterRef("pk"), is_current=True)
    return (
        Source.objects.select_related("owner_department")
        .annotate(
            current_loaded_at=Subquery(current.values("loaded_at")[:1]),
            current_rows=Subquery(current.values("row_count")[:1]),
        )
        .order_by("name")
    )


def current_snapshot(source: Source) -> Snapshot | None:
    return Snapshot.objects.filter(source=source, is_current=True).select_related("loaded_by").first()


def iter_current_records(source: Source, *, batch_size: int = 5000) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """``(record pk, ext_id, fields)`` of every record of the source's current snapshot.

    For building the matching index only: a system read of the whole source, so it writes no
    audit row per record; the caller audits the index build as one event. Run it inside
    ``transaction.atomic()`` for a view that a concurrent re-import cannot change halfway.
    """
    snapshot = Snapshot.objects.filter(source=source, is_current=True).only("pk").first()
    if snapshot is None:
        return
    rows = SourceRecord.objects.filter(snapshot=snapshot).order_by("pk").values_list("pk", "ext_id", "data")
    # The field's converter has decrypted ``data`` to a dict; the stubs only know the column is text.
    yield from cast(Iterator[tuple[int, str, dict[str, Any]]], rows.iterator(chunk_size=batch_size))


def _refuse(acting: Actor, record_id: int, purpose: str, reason: str, detail: dict[str, Any]) -> ContentRefused:
    audit(
        acting,
        "sources:record:read",
        object_type="sources.sourcerecord",
        object_id=str(record_id),
        purpose=purpose or "-",
        result=AuditResult.DENIED,
        detail=detail,
    )
    return ContentRefused(reason)


def record_content(*, acting: Actor, record_id: int, fields: Sequence[str], purpose: str) -> dict[str, str]:
    """The requested fields of one record of a current snapshot, for ``purpose``; audited.

    This is the last gate, not the only one. It checks what the *source* allows: the mode must be
    "content on approval" and every requested field must be one of the source's content fields
    (a request naming any other field is refused whole, never silently narrowed). It does not
    check whether *this* request was approved: holding ``sources:source:view`` is not enough, and
    the research app (step 3) calls this only for a content request its source owner approved.
    ``id`` names the record's id in the source. A field the record leaves empty comes back as "".
    Every refusal writes a ``denied`` audit row; every answer an audit row naming the fields.
    """
    requested = list(dict.fromkeys(fields))
    detail: dict[str, Any] = {"fields": requested}
    if not purpose.strip():
        raise _refuse(acting, record_id, purpose, _("A content read needs a purpose."), detail)
    record = SourceRecord.objects.select_related("snapshot__source").filter(pk=record_id).first()
    if record is None or not record.snapshot.is_current:
        raise _refuse(acting, record_id, purpose, _("No such record in a current snapshot."), detail)
    source = record.snapshot.source
    detail["source"] = source.slug
    if source.mode != Mode.CONTENT_ON_APPROVAL:
        raise _refuse(
            acting, record_id, purpose, _("%s does not give content, only hit/no-hit at most.") % source.name, detail
        )
    allowed = set(source.content_fields)
    refused = [name for name in requested if name not in allowed]
    if refused or not requested:
        detail["refused"] = refused
        raise _refuse(
            acting,
            record_id,
            purpose,
            _("%(source)s may not show these fields: %(fields)s.")
            % {"source": source.name, "fields": ", ".join(refused) or "-"},
            detail,
        )
    data = {**record.data, ID_COLUMN: record.ext_id}
    audit(acting, "sources:record:read", obj=record, purpose=purpose, detail=detail)
    return {name: str(data.get(name, "")) for name in requested}
