# SPDX-License-Identifier: EUPL-1.2
"""Reads: the catalogue, the records for the matching index, and content restricted to its fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sources.conftest import person
from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent, AuditResult
from weerbaar.sources.importing import import_snapshot
from weerbaar.sources.models import Source, SourceRecord
from weerbaar.sources.selectors import (
    ContentRefused,
    current_snapshot,
    iter_current_records,
    record_content,
    source_list,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> SourceRecord:
    import_snapshot(acting=importer, source=brp, path=write_csv([person(1), person(2)]))
    return SourceRecord.objects.get(ext_id="P0000001")


def test_the_catalogue_lists_the_seeded_sources_with_their_current_snapshot(loaded: SourceRecord) -> None:
    by_slug = {s.slug: s for s in source_list()}
    assert {"brp", "handelsregister", "bag", "brk", "woz", "permits", "vth", "bibob", "boa"} <= set(by_slug)
    assert by_slug["brp"].current_rows == 2 and by_slug["brp"].current_loaded_at is not None  # type: ignore[attr-defined]
    assert by_slug["bag"].current_rows is None  # type: ignore[attr-defined]
    assert by_slug["bibob"].mode == "excluded" and by_slug["woz"].mode == "hit_no_hit"
    assert by_slug["brp"].owner_department is not None and by_slug["brp"].owner_department.code == "burgerzaken"


def test_iter_current_records_yields_decrypted_fields(loaded: SourceRecord, brp: Source) -> None:
    rows = list(iter_current_records(brp, batch_size=1))
    assert [ext_id for _pk, ext_id, _data in rows] == ["P0000001", "P0000002"]
    assert rows[0][0] == loaded.pk and rows[0][2]["surname"] == "Fictief1"
    assert list(iter_current_records(Source.objects.get(slug="bag"))) == []
    assert current_snapshot(brp) is not None and current_snapshot(Source.objects.get(slug="bag")) is None


def test_content_gives_only_the_allowed_fields_and_is_audited(loaded: SourceRecord, importer: Actor) -> None:
    answer = record_content(acting=importer, record_id=loaded.pk, fields=["surname", "city"], purpose="PC1-12")
    assert answer == {"surname": "Fictief1", "city": "Demodam"}
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.purpose, event.result) == ("sources:record:read", "PC1-12", AuditResult.SUCCESS)
    assert event.detail == {"fields": ["surname", "city"], "source": "brp"}


def test_the_source_id_is_content_only_when_configured(loaded: SourceRecord, importer: Actor, brp: Source) -> None:
    with pytest.raises(ContentRefused):
        record_content(acting=importer, record_id=loaded.pk, fields=["id"], purpose="PC1-12")
    brp.content_fields = [*brp.content_fields, "id"]
    brp.save()
    assert record_content(acting=importer, record_id=loaded.pk, fields=["id"], purpose="PC1-12") == {"id": "P0000001"}


def test_a_field_outside_the_content_fields_is_refused_whole(loaded: SourceRecord, importer: Actor) -> None:
    with pytest.raises(ContentRefused, match="bsn"):
        record_content(acting=importer, record_id=loaded.pk, fields=["surname", "bsn"], purpose="PC1-12")
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.result == AuditResult.DENIED and event.detail["refused"] == ["bsn"]


def test_an_empty_field_comes_back_empty(loaded: SourceRecord, importer: Actor) -> None:
    answer = record_content(acting=importer, record_id=loaded.pk, fields=["house_number_addition"], purpose="x")
    assert answer == {"house_number_addition": ""}


def test_only_content_on_approval_sources_give_content(loaded: SourceRecord, importer: Actor, brp: Source) -> None:
    brp.mode = "hit_no_hit"
    brp.save()
    with pytest.raises(ContentRefused, match="only hit/no-hit"):
        record_content(acting=importer, record_id=loaded.pk, fields=["surname"], purpose="PC1-12")


def test_no_purpose_or_no_record_is_refused(loaded: SourceRecord, importer: Actor) -> None:
    with pytest.raises(ContentRefused, match="purpose"):
        record_content(acting=importer, record_id=loaded.pk, fields=["surname"], purpose=" ")
    with pytest.raises(ContentRefused, match="No such record"):
        record_content(acting=importer, record_id=loaded.pk + 1000, fields=["surname"], purpose="x")
    assert AuditEvent.objects.filter(action="sources:record:read", result=AuditResult.DENIED).count() == 2


def test_content_fields_must_be_a_list_of_names(brp: Source) -> None:
    from django.core.exceptions import ValidationError

    brp.content_fields = "surname"
    with pytest.raises(ValidationError):
        brp.clean()
    brp.content_fields = ["surname", "surname"]
    with pytest.raises(ValidationError):
        brp.clean()
