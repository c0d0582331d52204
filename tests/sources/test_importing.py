# SPDX-License-Identifier: EUPL-1.2
"""Loading a snapshot: all or nothing, a re-import replaces the previous one, audited, announced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.sources.conftest import person
from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.sources.events import snapshot_activated
from weerbaar.sources.importing import MAX_ERRORS, SnapshotRefused, SourceNotImportable, import_snapshot
from weerbaar.sources.models import Snapshot, Source, SourceRecord

pytestmark = pytest.mark.django_db


def test_a_good_file_becomes_the_current_snapshot(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> None:
    path = write_csv([person(i) for i in range(3)])
    result = import_snapshot(acting=importer, source=brp, path=path)
    snapshot = Snapshot.objects.get(source=brp, is_current=True)
    assert result.snapshot == snapshot and result.rows == 3 and result.replaced is None
    assert snapshot.row_count == 3 and snapshot.file_name == "export.csv" and len(snapshot.file_sha256) == 64
    assert snapshot.loaded_by == importer.user and snapshot.origin == "test"
    record = SourceRecord.objects.get(snapshot=snapshot, ext_id="P0000001")
    assert record.data["postcode"] == "9999ZZ" and record.data["surname_prefix"] == "van der"
    assert "id" not in record.data and "house_number_addition" not in record.data  # empty values are not kept


def test_records_are_encrypted_at_rest(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> None:
    import_snapshot(acting=importer, source=brp, path=write_csv([person(1)]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM sources_sourcerecord")
        (stored,) = cursor.fetchone()
    assert "Fictief1" not in stored and stored.startswith("gAAAA")


def test_one_bad_row_refuses_the_file_and_keeps_the_previous_snapshot(
    importer: Actor, brp: Source, write_csv: Callable[..., Path]
) -> None:
    first = import_snapshot(acting=importer, source=brp, path=write_csv([person(i) for i in range(3)])).snapshot
    rows = [person(i) for i in range(5)]
    rows[3]["postcode"] = "123"
    rows[4]["bsn"] = "123456789"
    rows.append(person(1))  # a duplicate id
    before = (Snapshot.objects.count(), SourceRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=write_csv(rows, name="new.csv"))
    assert [str(e) for e in info.value.errors] == [
        "row 5, postcode: “123” is not a Dutch postcode (four digits, two letters).",
        "row 6, bsn: BSN *******89 fails the eleven-test.",
        "row 7, id: Id P0000001 is also on row 3.",
    ]
    assert info.value.count == 3
    assert (Snapshot.objects.count(), SourceRecord.objects.count(), AuditEvent.objects.count()) == before
    first.refresh_from_db()
    assert first.is_current and first.replaced_at is None and first.records.count() == 3


def test_missing_required_columns_are_one_file_error(
    importer: Actor, brp: Source, write_csv: Callable[..., Path]
) -> None:
    path = write_csv([{"id": "1", "achternaam": "Berg"}])
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=path)
    assert len(info.value.errors) == 1
    assert str(info.value.errors[0]).startswith("row 1, given_names, surname, date_of_birth: Required column missing")


def test_an_unreadable_file_is_one_file_error(importer: Actor, brp: Source, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"id,surname\n")
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=path)
    assert [str(e) for e in info.value.errors] == ["file: The file name says XLSX, but the file is CSV."]


def test_the_error_list_is_capped_but_counted(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> None:
    rows = [person(i, postcode="x") for i in range(MAX_ERRORS + 5)]
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=write_csv(rows))
    assert len(info.value.errors) == MAX_ERRORS and info.value.count == MAX_ERRORS + 5


def test_a_reimport_replaces_atomically_and_keeps_the_old_load_date(
    importer: Actor, brp: Source, write_csv: Callable[..., Path]
) -> None:
    old = import_snapshot(acting=importer, source=brp, path=write_csv([person(i) for i in range(3)])).snapshot
    result = import_snapshot(acting=importer, source=brp, path=write_csv([person(i) for i in range(10, 12)]))
    old_loaded_at = old.loaded_at
    old.refresh_from_db()
    assert result.replaced == old
    assert old.loaded_at == old_loaded_at and not old.is_current and old.replaced_at == result.snapshot.loaded_at
    assert old.row_count == 3 and old.records.count() == 0  # history without personal data
    assert list(Snapshot.objects.filter(source=brp, is_current=True)) == [result.snapshot]
    assert sorted(SourceRecord.objects.values_list("ext_id", flat=True)) == ["P0000010", "P0000011"]


def test_at_most_one_current_snapshot_per_source(brp: Source) -> None:
    from django.db import IntegrityError, transaction

    values: dict[str, Any] = {"source": brp, "origin": "t", "file_name": "f", "file_sha256": "0", "row_count": 0}
    Snapshot.objects.create(is_current=True, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(is_current=True, **values)


def test_the_import_is_audited_once(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> None:
    before = AuditEvent.objects.count()
    result = import_snapshot(acting=importer, source=brp, path=write_csv([person(1), person(2)]))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.object_id, event.actor_label) == (
        "sources:snapshot:import",
        str(result.snapshot.pk),
        "source_owner",
    )
    assert event.detail["source"] == "brp" and event.detail["rows"] == 2
    assert event.detail["file_sha256"] == result.snapshot.file_sha256


@pytest.mark.parametrize("slug", ["bibob", "boa", "social_domain", "open_sources"])
def test_an_excluded_source_cannot_be_loaded(importer: Actor, slug: str, write_csv: Callable[..., Path]) -> None:
    source = Source.objects.get(slug=slug)
    path = write_csv([{"id": "1", "record_type": "x", "date": "2024-01-01", "surname": "Berg"}])
    with pytest.raises(SourceNotImportable, match="excluded"):
        import_snapshot(acting=importer, source=source, path=path)
    assert not Snapshot.objects.filter(source=source).exists()


def test_snapshot_activated_is_sent_after_commit(
    importer: Actor, brp: Source, write_csv: Callable[..., Path], django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append({"sender": sender, **kwargs})

    snapshot_activated.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            result = import_snapshot(acting=importer, source=brp, path=write_csv([person(1)]))
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        snapshot_activated.disconnect(listener)
    assert received == [{"sender": Source, "signal": snapshot_activated, "source": brp, "snapshot": result.snapshot}]


def test_a_refused_file_sends_nothing(
    importer: Actor, brp: Source, write_csv: Callable[..., Path], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(SnapshotRefused):
        import_snapshot(acting=importer, source=brp, path=write_csv([person(1, surname="")]))
    assert callbacks == []


def test_record_files_with_extra_columns_from_xlsx(importer: Actor, tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "record_type", "date", "status", "kvk_number", "trade_name", "postcode", "zaaknummer"])
    sheet.append(["V-1", "exploitatievergunning", "05-01-2024", "verleend", "01234567", "Proef BV", "1234ab", "Z/24/1"])
    path = tmp_path / "permits.xlsx"
    workbook.save(path)
    permits = Source.objects.get(slug="permits")
    result = import_snapshot(acting=importer, source=permits, path=path)
    assert result.attributes == ["zaaknummer"] and result.read_as == "XLSX"
    record = SourceRecord.objects.get(snapshot=result.snapshot)
    assert record.ext_id == "V-1"
    assert record.data == {
        "record_type": "exploitatievergunning",
        "date": "2024-01-05",
        "status": "verleend",
        "kvk_number": "01234567",
        "trade_name": "Proef BV",
        "postcode": "1234AB",
        "zaaknummer": "Z/24/1",
    }


def test_a_header_without_rows_is_refused(importer: Actor, brp: Source, write_csv: Callable[..., Path]) -> None:
    with pytest.raises(SnapshotRefused, match="1 error"):
        import_snapshot(acting=importer, source=brp, path=write_csv([]))


def test_rows_are_checked_in_chunks_and_duplicates_found_across_them(
    importer: Actor, brp: Source, write_csv: Callable[..., Path], monkeypatch: Any
) -> None:
    from weerbaar.sources import importing

    monkeypatch.setattr(importing, "_CHUNK_ROWS", 3)  # several chunks from a small file
    rows = [person(i) for i in range(10)]
    rows[8]["house_number"] = "8b"
    rows.append(person(2))
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=write_csv(rows))
    assert [str(e) for e in info.value.errors] == [
        "row 10, house_number: “8b” is not a house number: a whole number; letters go in the addition.",
        "row 12, id: Id P0000002 is also on row 4.",
    ]
    result = import_snapshot(acting=importer, source=brp, path=write_csv(rows[:8]))
    assert result.rows == 8
    assert sorted(SourceRecord.objects.values_list("ext_id", flat=True)) == [f"P{i:07d}" for i in range(8)]
    assert SourceRecord.objects.get(ext_id="P0000003").data["surname"] == "Fictief3"


def test_a_missing_file_is_one_file_error(importer: Actor, brp: Source, tmp_path: Path) -> None:
    with pytest.raises(SnapshotRefused) as info:
        import_snapshot(acting=importer, source=brp, path=tmp_path / "gone.csv")
    assert [str(e) for e in info.value.errors] == ["file: Cannot open the file: No such file or directory."]


def test_only_the_owning_department_loads_a_source(tmp_path: Path, users: dict[str, Any]) -> None:
    """A permit officer holding the import permission must not replace the BRP."""
    from tests.conftest import actor as act
    from weerbaar.accounts.models import Department
    from weerbaar.sources.importing import SourceNotImportable, import_snapshot

    brp = Source.objects.get(slug="brp")
    brp.owner_department = Department.objects.create(code="burgerzaken-test", name="Burgerzaken")
    brp.save()
    path = tmp_path / "brp.csv"
    path.write_text("id,given_names,surname,date_of_birth\nP1,Fien,Fictief,1980-01-02\n", encoding="utf-8")
    with pytest.raises(SourceNotImportable, match="only that department"):
        import_snapshot(acting=act(users["source_owner"], "source_owner"), source=brp, path=path)
    assert not brp.snapshots.exists()
