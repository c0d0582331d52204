# SPDX-License-Identifier: EUPL-1.2
"""Retention over every category, and the destruction canaries (security.md test 10).

The canary test plants a unique string in every content column of every row about a signal, in
each retained state, through the real services of steps 1-4 and then generically (every encrypted
column of every model that leads to the signal). After retention with frozen time it scans every
row of every model, every column (decrypted), every table of the database raw, and every file
under the data and index directories (decrypted where encrypted). A row whose app forgot its
destroyer keeps its canary, and the test fails: the generic scan is the point.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from tests.conftest import actor, signal_input
from tests.governance import flow
from weerbaar.accounts.authz import system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.crypto import EncryptedJSONField, EncryptedTextField, decrypt_bytes, decrypt_text
from weerbaar.governance import retention
from weerbaar.governance.models import DataSubjectRequest, GeneratedFile, Restriction
from weerbaar.governance.requests import RequestInput, access_report, dsr_create, dsr_restrict
from weerbaar.signals import hooks
from weerbaar.signals.models import Qualification, RetentionTerm, Signal, StatusChange
from weerbaar.signals.states import State
from weerbaar.sources.models import Snapshot, SourceRecord

pytestmark = pytest.mark.django_db

ENCRYPTED = (EncryptedTextField, EncryptedJSONField)
BSN = "111222333"  # passes the eleven-test; fictitious


# Planting and scanning, generically -------------------------------------------------------------


def paths_to_signal() -> dict[type[models.Model], str]:
    """Every model that leads to a signal through foreign keys, with the lookup to its id."""
    paths: dict[type[models.Model], str] = {Signal: "pk"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in paths:
                continue
            for field in model._meta.fields:
                if isinstance(field, models.ForeignKey) and field.related_model in paths:
                    paths[model] = f"{field.name}__{paths[field.related_model]}"
                    changed = True
                    break
    return paths


def _planted(value: Any, canary: str) -> Any:
    if isinstance(value, dict):  # keep identifiers a search needs; everything else is the canary
        return {**{k: (v if k == "bsn" else canary) for k, v in value.items()}, "canary": canary}
    return {"canary": canary}


def plant(signal: Signal, canary: str) -> int:
    """Put ``canary`` in every encrypted column of every row about ``signal``; returns how many."""
    planted = 0
    for model, path in paths_to_signal().items():
        fields = [f for f in model._meta.fields if isinstance(f, ENCRYPTED)]
        if not fields:
            continue
        for row in model.objects.filter(**{path: signal.pk}):  # type: ignore[attr-defined]
            for field in fields:
                old = getattr(row, field.attname)
                setattr(row, field.attname, _planted(old, canary) if isinstance(field, EncryptedJSONField) else canary)
                planted += 1
            row.save(update_fields=[f.name for f in fields])
    return planted


def _holds(value: Any, canary: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode("utf-8", "ignore")
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if canary in value:
        return True
    if value.startswith("gAAAA"):
        try:
            return canary in decrypt_text(value)
        except InvalidToken:
            return False
    return False


def scan_database(canary: str) -> list[str]:
    """Every row of every model through the ORM (decrypted), and every table raw (tokens decrypted)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model._default_manager.values(*names).iterator():
            for name, value in row.items():
                if _holds(value, canary):
                    found.append(f"{model._meta.label}.{name} pk={row.get('id', row.get(model._meta.pk.attname))}")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if _holds(value, canary):
                        found.append(f"table {table}.{column}")
    return found


def scan_files(canary: str) -> list[str]:
    """Every file under the data directory, the storage root and the index directory."""
    roots = {
        Path(settings.DATA_DIR),
        Path(settings.STORAGES["default"]["OPTIONS"]["location"]),
        Path(str(settings.MATCHING_INDEX_DIR)),
    }
    needle = canary.encode()
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            content = path.read_bytes()
            if needle in content:
                found.append(str(path))
                continue
            try:
                if needle in decrypt_bytes(content):
                    found.append(f"{path} (decrypted)")
            except (InvalidToken, ValueError, TypeError):
                pass
    return found


# The canaries ------------------------------------------------------------------------------------


def _canary_input(canary: str, **overrides: Any) -> dict[str, Any]:
    return {
        "channel": "police",
        "reporter_name": canary,
        "reporter_contact": canary,
        "description": canary,
        "location_address": canary,
        "location_area": canary[:100],
        "subjects": [
            signal_input().subjects[0],  # Jan, who hits in the VTH file
            {"kind": "person", "data": {"given_names": canary, "surname": canary, "city": canary, "bsn": BSN}},
        ],
        "attachments": [(f"{canary}.txt", canary.encode())],
        **overrides,
    }


def test_canaries_are_gone_from_every_table_and_file(
    users: Any, new_signal: Any, vth: Any, pf: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = uuid.uuid4().hex[:10]
    doomed: dict[str, tuple[Signal, str]] = {}
    with django_capture_on_commit_callbacks(execute=True):
        for state in ("no_action", "closed", "referred"):
            canary = f"KANARIE-{state}-{run}"
            signal = new_signal(state, reporter="regisseur", **_canary_input(canary))
            Qualification.objects.filter(signal=signal).update(referred_to=canary)
            doomed[state] = (signal, canary)
        canary = f"KANARIE-stopped-{run}"
        doomed["stopped"] = (flow.to_stopped(users, new_signal, reporter="regisseur", **_canary_input(canary)), canary)
        canary = f"KANARIE-case_closed-{run}"
        doomed["case_closed"] = (
            flow.to_case_closed(users, new_signal, reporter="regisseur", **_canary_input(canary)),
            canary,
        )
        keeper_canary = f"KANARIE-keep-{run}"
        keeper = new_signal("research", reporter="regisseur", **_canary_input(keeper_canary))

        for signal, canary in doomed.values():
            assert signal.state in State.values and signal.state != State.DESTROYED
            assert plant(signal, canary) > 5
        plant(keeper, keeper_canary)
        assert {s.state for s, _c in doomed.values()} == {"no_action", "closed", "referred", "stopped", "case_closed"}

        # Governance's own rows about these signals: a restriction's reasons and an access report.
        dsr = dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": BSN}))
        for signal, canary in doomed.values():
            dsr_restrict(
                acting=pf,
                request_id=dsr.pk,
                item=f"signals.signal:{signal.pk}:reporter",
                ground="other",
                reasons=canary,
            )
        report, content = access_report(acting=pf, request_id=dsr.pk, file_format="json")
        assert all(canary in content.decode() for _s, canary in doomed.values())

    before = scan_database(doomed["case_closed"][1])
    assert any("research." in hit for hit in before) and any("approach." in hit for hit in before), before
    assert scan_files(doomed["no_action"][1]), "the attachment and the report hold the canary before"

    later = timezone.now() + timedelta(days=41 * 31)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        dry = retention.retention_run(acting=system_actor("retention"), dry_run=True)
        assert {i.key for i in dry.of(retention.SIGNAL)} == {str(s.pk) for s, _c in doomed.values()}
        result = retention.retention_run(acting=system_actor("retention"))
    assert not result.failed
    assert {i.key for i in result.of(retention.SIGNAL)} == {str(s.pk) for s, _c in doomed.values()}

    leaks = {state: scan_database(canary) + scan_files(canary) for state, (_s, canary) in doomed.items()}
    assert leaks == {state: [] for state in doomed}, leaks
    # The scan does see encrypted content: the signal that is not due keeps its canary.
    assert any("signals.Signal.description" in hit for hit in scan_database(keeper_canary))

    for state, (signal, _canary) in doomed.items():
        tomb = Signal.objects.get(pk=signal.pk)
        assert tomb.state == State.DESTROYED and tomb.received_on == signal.received_on, state
        assert tomb.phenomena.exists(), state
        history = list(StatusChange.objects.filter(signal=tomb).order_by("seq").values_list("to_state", flat=True))
        assert history[-2:] == [state, State.DESTROYED], (state, history)
        event = AuditEvent.objects.get(action="signals:signal:destroy", object_id=str(signal.pk))
        assert event.purpose == "retention" and event.detail["from_state"] == state
    restriction = Restriction.objects.filter(request=dsr).first()
    assert restriction is not None and restriction.reasons is None and restriction.ground == "other"
    assert GeneratedFile.objects.get(pk=report.pk).destroyed_at is not None
    assert AuditEvent.objects.filter(action="governance:retention:run").exists()


def test_a_forgotten_destroyer_is_caught_by_the_scan(
    new_signal: Any, pf: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Take governance's own destroyer away: its restriction keeps the canary, and the scan says where."""
    from weerbaar.governance.destroy import destroy_signal_content

    canary = f"KANARIE-forgotten-{uuid.uuid4().hex[:8]}"
    signal = new_signal("no_action")
    dsr = dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": BSN}))
    dsr_restrict(acting=pf, request_id=dsr.pk, item=f"signals.signal:{signal.pk}", ground="uavg_41", reasons=canary)
    monkeypatch.setattr(hooks, "DESTROYERS", [d for d in hooks.DESTROYERS if d is not destroy_signal_content])
    with time_machine.travel(timezone.now() + timedelta(days=400)), django_capture_on_commit_callbacks(execute=True):
        retention.retention_run(acting=system_actor("retention"))
    assert Signal.objects.get(pk=signal.pk).state == State.DESTROYED
    assert scan_database(canary) == [
        f"governance.Restriction.reasons pk={Restriction.objects.get().pk}",
        "table governance_restriction.reasons",
    ]


def test_a_report_is_destroyed_with_its_signal_before_it_expires(
    new_signal: Any, pf: Any, django_capture_on_commit_callbacks: Any
) -> None:
    RetentionTerm.objects.update_or_create(state=State.NO_ACTION, defaults={"months": 1})
    signal = new_signal("no_action", subjects=[{"kind": "person", "data": {"surname": "Vroeg", "bsn": BSN}}])
    dsr = dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": BSN}))
    with django_capture_on_commit_callbacks(execute=True):
        report, _content = access_report(acting=pf, request_id=dsr.pk, file_format="html")
    path = Path(report.stored_file.path)
    assert path.exists() and report.expires_on > date.today() + timedelta(days=60)
    with time_machine.travel(timezone.now() + timedelta(days=40)), django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_run(acting=system_actor("retention"))
    assert [i.key for i in result.items] == [str(signal.pk)]  # the report was not due by itself
    assert not path.exists()
    report.refresh_from_db()
    assert report.destroyed_at is not None and not report.stored_file and not report.signals.exists()


# The other categories ----------------------------------------------------------------------------


def _person_rows(n: int, surname: str) -> list[dict[str, str]]:
    return [
        {"id": f"P{i}", "given_names": "Anna", "surname": f"{surname}{i}", "date_of_birth": "1970-07-07",
         "street": "Proefweg", "house_number": str(i), "postcode": "9999ZZ", "city": "Demodam"}
        for i in range(1, n + 1)
    ]  # fmt: skip


def test_old_snapshots_and_their_index_files_go_the_current_one_stays(
    load_source: Any, index_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    brp = load_source("brp", _person_rows(3, "Oud"))
    first = Snapshot.objects.get(source=brp, is_current=True)
    old_files = sorted(p.name for p in (index_dir / "brp").glob(f"{first.pk}-*.sqlite"))
    assert old_files
    brp = load_source("brp", _person_rows(2, "Nieuw"))
    current = Snapshot.objects.get(source=brp, is_current=True)
    # An index build that was interrupted, and an old segment a crashed rebuild left behind.
    (index_dir / "brp" / f"{first.pk}-{first.file_sha256[:16]}-person.sqlite").write_bytes(b"old normalised data")
    stray = index_dir / "brp" / "999999-abcdef0123456789-person.sqlite"
    stray.write_bytes(b"orphan")
    SourceRecord.objects.create(snapshot=first, ext_id="LEFT", data={"surname": "Achtergebleven"})

    within = retention.retention_run(acting=system_actor("retention"), dry_run=True)
    assert [i.reference for i in within.of(retention.SNAPSHOT)] == []  # not yet past the term
    assert [i.reference for i in within.of(retention.INDEX_FILE)] == [f"brp/{stray.name}"]

    later = timezone.now() + timedelta(days=brp.retention_days + 2)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        plan = retention.retention_run(acting=system_actor("retention"), dry_run=True)
        assert [i.reference for i in plan.of(retention.SNAPSHOT)] == [f"brp#{first.pk}"]
        assert SourceRecord.objects.filter(snapshot=first).exists()  # the dry run changed nothing
        result = retention.retention_run(acting=system_actor("retention"))
    assert [i.reference for i in result.of(retention.SNAPSHOT)] == [f"brp#{first.pk}"]
    assert not SourceRecord.objects.filter(snapshot=first).exists()
    assert not list((index_dir / "brp").glob(f"{first.pk}-*")) and not stray.exists()
    assert SourceRecord.objects.filter(snapshot=current).count() == 2  # the current one is never touched
    assert list((index_dir / "brp").glob(f"{current.pk}-*.sqlite"))
    assert Snapshot.objects.filter(pk=first.pk).exists()  # the tombstone of the load stays
    event = AuditEvent.objects.get(action="governance:retention:destroy-snapshot")
    assert event.detail == {"source": "brp", "records": 1, "index_files": 1}
    with time_machine.travel(later):
        assert retention.retention_run(acting=system_actor("retention"), dry_run=True).items == []


def test_the_current_snapshot_is_never_destroyed_however_old(load_source: Any, index_dir: Path) -> None:
    brp = load_source("brp", _person_rows(2, "Huidig"))
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert retention.retention_run(acting=system_actor("retention")).items == []
    assert SourceRecord.objects.filter(snapshot__source=brp).count() == 2


def test_generated_files_and_handled_requests_go_after_their_terms(
    pf: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from weerbaar.governance.auditlog import DateRange, audit_export
    from weerbaar.governance.requests import dsr_close

    dsr = dsr_create(
        acting=pf,
        data=RequestInput(
            kind="access", received_on=date.today(), requester={"surname": "Termijn", "bsn": BSN}, notes="Paspoort."
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        export, _content = audit_export(acting=pf, period=DateRange(), file_format="csv")
        report, _report = access_report(acting=pf, request_id=dsr.pk, file_format="json")
    dsr_close(acting=pf, request_id=dsr.pk, outcome="answered", reasons="Verzonden per post.")
    export_path, report_path = Path(export.stored_file.path), Path(report.stored_file.path)

    with time_machine.travel(timezone.now() + timedelta(days=31)), django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_run(acting=system_actor("retention"))
    assert [i.reference for i in result.items] == [export.reference]  # 30 days for an audit export
    assert not export_path.exists() and report_path.exists()

    with time_machine.travel(timezone.now() + timedelta(days=370)), django_capture_on_commit_callbacks(execute=True):
        result = retention.retention_run(acting=system_actor("retention"))
    assert {i.category for i in result.items} == {retention.GENERATED_FILE, retention.REQUEST}
    assert not report_path.exists()
    tomb = DataSubjectRequest.objects.get(pk=dsr.pk)
    assert tomb.requester is None and tomb.notes is None and tomb.outcome_reasons is None
    assert tomb.status == "answered" and tomb.handled_label == "privacyfunctionaris" and tomb.destroyed_at


def test_one_failing_item_does_not_stop_the_others(new_signal: Any, monkeypatch: Any) -> None:
    first, second = new_signal("no_action"), new_signal("no_action")

    def broken(signal_id: int) -> list[str]:
        if signal_id == first.pk:
            raise RuntimeError("disk full")
        return []

    monkeypatch.setattr(hooks, "DESTROYERS", [*hooks.DESTROYERS, broken])
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        result = retention.retention_run(acting=system_actor("retention"))
    assert [i.key for i in result.failed] == [str(first.pk)]
    assert [i.key for i in result.items] == [str(second.pk)]
    assert Signal.objects.get(pk=first.pk).description  # rolled back whole, retried tomorrow


def test_the_daily_task_runs_every_category(new_signal: Any, django_capture_on_commit_callbacks: Any) -> None:
    from weerbaar.governance.tasks import run_retention

    signal = new_signal("closed")
    with time_machine.travel(timezone.now() + timedelta(days=400)), django_capture_on_commit_callbacks(execute=True):
        result = run_retention.enqueue()
    assert result.return_value == 1
    assert Signal.objects.get(pk=signal.pk).state == State.DESTROYED
    assert run_retention.module_path == "weerbaar.governance.tasks.run_retention"


def test_no_django_cache_holds_content() -> None:
    """Retention clears no Django cache because no app that holds content about signals, sources
    or persons keeps any in one. The monitor caches aggregated national figures and failure
    counters of its questionnaire, which are not about any signal. A content app that starts to
    use the cache must extend retention (category d) and this test together."""
    import re

    package = Path(settings.PACKAGE_DIR)
    uses = re.compile(r"from django\.core\.cache import|import django\.core\.cache|\bcaches\[|cache_page|@cache_")
    content_apps = ("accounts", "audit", "sources", "matching", "signals", "research", "approach", "governance")
    found = [
        str(path.relative_to(package))
        for app in content_apps
        for path in (package / app).rglob("*.py")
        if uses.search(path.read_text())
    ]
    assert found == []


def test_process_caches_of_normalised_names_are_cleared() -> None:
    from weerbaar.matching import normalise

    normalise.surname("van der", "Berg")
    assert normalise.surname.cache_info().currsize >= 1
    assert retention.clear_process_caches() >= 5
    assert normalise.surname.cache_info().currsize == 0


def test_retention_page_lists_the_dry_run_and_runs(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("no_action")
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        client.force_login(users["privacyfunctionaris"])  # signed in then: sessions expire
        page = client.get("/governance/retention")
        assert page.status_code == 200 and signal.reference in page.content.decode()
        assert client.post("/governance/retention", {}).status_code == 302  # not confirmed: nothing happens
        assert Signal.objects.get(pk=signal.pk).state == State.NO_ACTION
        assert client.post("/governance/retention", {"confirm": "yes"}).status_code == 302
    tomb = Signal.objects.get(pk=signal.pk)
    assert tomb.state == State.DESTROYED
    event = AuditEvent.objects.get(action="signals:signal:destroy", object_id=str(signal.pk))
    assert (event.actor_label, event.role) == ("privacyfunctionaris", "privacyfunctionaris")


def test_api_dry_run(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("referred")
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        client.force_login(users["privacyfunctionaris"])
        body = client.get("/api/v1/governance/retention").json()
    assert body["items"] == [
        {"category": "signal", "reference": signal.reference, "due": str(signal.destroy_after), "detail": "referred"}
    ]
    assert Signal.objects.get(pk=signal.pk).state == State.REFERRED


def test_the_acting_user_is_audited_for_each_destruction(new_signal: Any, users: Any) -> None:
    signal = new_signal("closed")
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        retention.retention_run(acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"))
    assert AuditEvent.objects.filter(action="signals:signal:destroy", object_id=str(signal.pk)).count() == 1
