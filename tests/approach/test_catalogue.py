# SPDX-License-Identifier: EUPL-1.2
"""The instrument catalogue is data: seeded by the migration, idempotent, complete, consistent."""

from __future__ import annotations

from typing import Any

import pytest

from weerbaar.approach import defaults
from weerbaar.approach.models import Instrument, ProcedureStep

pytestmark = pytest.mark.django_db

DOMAIN_5 = {
    "bibob",
    "closure-13b",
    "closure-174a",
    "public-premises-174",
    "permit-refusal",
    "area-ban-172a",
    "housing-nuisance-151d",
    "emergency-order-175",
    "penalty-order",
    "administrative-coercion",
    "administrative-fine",
    "housing-permits",
    "stopgesprek",
    "administrative-report-request",
    "riec-referral",
    "sector-resilience",
    "preventie-met-gezag",
}


def test_every_instrument_of_domain_5_is_seeded() -> None:
    assert set(Instrument.objects.values_list("code", flat=True)) >= DOMAIN_5
    assert list(Instrument.objects.filter(is_riec_referral=True).values_list("code", flat=True)) == ["riec-referral"]
    for instrument in Instrument.objects.all():
        assert instrument.legal_basis and instrument.competent_organ, instrument.code
        assert instrument.label_nl and instrument.label_en and instrument.description_nl and instrument.description_en
        assert instrument.exchange_nl and instrument.exchange_en
        assert instrument.steps.exists(), instrument.code


def test_deadlines_count_from_an_earlier_step() -> None:
    for spec in defaults.INSTRUMENTS:
        seen: list[str] = []
        for code, _nl, _en, days, counts_from, basis, documents in spec["steps"]:
            assert code not in seen, (spec["code"], code)
            assert not counts_from or counts_from in seen, (spec["code"], code, counts_from)
            assert days is None or 0 < days <= 366
            assert isinstance(documents, list)
            if days is not None:
                assert basis, (spec["code"], code)  # every term says where it comes from
            seen.append(code)


def test_13b_procedure_has_the_awb_terms() -> None:
    steps = {s.code: s for s in ProcedureStep.objects.filter(instrument__code="closure-13b")}
    assert [s.code for s in sorted(steps.values(), key=lambda s: s.order)] == [
        "rapportage",
        "voornemen",
        "zienswijze",
        "besluit",
        "bekendmaking",
        "sluiting",
        "bezwaartermijn",
        "beslissing-op-bezwaar",
    ]
    assert (steps["zienswijze"].deadline_days, "4:8 Awb" in steps["zienswijze"].deadline_basis) == (14, True)
    assert (steps["bezwaartermijn"].deadline_days, steps["bezwaartermijn"].deadline_from) == (42, "bekendmaking")
    assert "6:7" in steps["bezwaartermijn"].deadline_basis
    assert (
        steps["beslissing-op-bezwaar"].deadline_days == 84 and "7:10" in steps["beslissing-op-bezwaar"].deadline_basis
    )


def test_loading_again_changes_nothing() -> None:
    import importlib

    from django.apps import apps

    before = (Instrument.objects.count(), ProcedureStep.objects.count())
    importlib.import_module("weerbaar.approach.migrations.0002_defaults").load(apps, None)
    assert (Instrument.objects.count(), ProcedureStep.objects.count()) == before


def test_catalogue_page(users: Any, client: Any) -> None:
    client.force_login(users["department_officer"])
    page = client.get("/instruments").content.decode()
    assert "Sluiting op grond van art. 13b Opiumwet (Damocles)" in page and "art. 6:7 en 6:8 Awb" in page
    client.force_login(users["source_owner"])
    assert client.get("/instruments").status_code == 403


def test_administrator_edits_the_catalogue_audited(users: Any, client: Any) -> None:
    from weerbaar.audit.models import AuditEvent

    client.force_login(users["administrator"])
    instrument = Instrument.objects.get(code="stopgesprek")
    assert client.get("/admin/approach/instrument/").status_code == 200
    page = client.get(f"/admin/approach/instrument/{instrument.pk}/change/")
    assert page.status_code == 200
    assert client.get(f"/admin/approach/instrument/{instrument.pk}/delete/").status_code == 403
    client.force_login(users["regisseur"])
    assert client.get("/admin/approach/instrument/").status_code == 403
    assert not AuditEvent.objects.filter(action="admin:object:change").exists()


def test_the_catalogue_document_lists_every_default_instrument() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "instruments.md").read_text()
    for spec in defaults.INSTRUMENTS:
        assert f"code `{spec['code']}`" in text, spec["code"]
        for step in spec["steps"]:
            assert f"(`{step[0]}`)" in text
