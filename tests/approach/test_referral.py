# SPDX-License-Identifier: EUPL-1.2
"""The RIEC referral holds exactly what 2A (and 2B) allow for the RIEC: planted items that are not
allowed must be absent from the JSON package and from the PDF cover letter."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.approach.conftest import ADDRESS, CONTENT_CANARY, DESCRIPTION, Parts, Research
from tests.approach.pdftext import pdf_text
from tests.conftest import actor
from weerbaar.approach import referral, services
from weerbaar.approach.models import Case, ReferralStatus
from weerbaar.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _regisseur(users: Any) -> Any:
    return actor(users["regisseur"], "regisseur")


def test_package_holds_exactly_the_items_2a_allows_the_riec(
    case: Case, matrix: Any, research: Research, users: Any, client: Any
) -> None:
    made = referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="Integrale aanpak nodig.")
    package = made.package
    assert package is not None and package["format"] == "weerbaar.riec-referral/1"
    assert [i["key"] for i in package["items"]] == ["signal:description", "signal:location"]
    text = json.dumps(package, ensure_ascii=False)
    assert DESCRIPTION in text and ADDRESS in text
    for absent in (
        CONTENT_CANARY,
        "Fictief",
        "1980-02-03",
        "no-hit",
    ):  # content answer, subject, query: not for the RIEC
        assert absent not in text, absent
    # The same through the doors: the JSON download and the PDF letter, both audited.
    client.force_login(users["regisseur"])
    downloaded = client.get(f"/cases/referrals/{made.pk}/package.json")
    assert downloaded.status_code == 200 and json.loads(downloaded.content) == package
    pdf = client.get(f"/cases/referrals/{made.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    letter = pdf_text(pdf.content)
    assert DESCRIPTION in " ".join(letter.split()) and "Kanaalweg" in letter and case.reference in letter
    for absent in (CONTENT_CANARY, "Fictief", "1980-02-03"):
        assert absent not in letter, absent
    reads = AuditEvent.objects.filter(action="approach:referral:read", object_id=str(made.pk))
    assert sorted(reads.values_list("detail", flat=True), key=str) == [{"form": "json"}, {"form": "pdf"}]
    assert set(reads.values_list("purpose", flat=True)) == {"RIEC referral"}


def test_referral_intervention_is_narrowed_to_its_2b(case: Case, matrix: Any, plan: Any, users: Any) -> None:
    made = plan(
        "riec-referral", allowed=True, items=["signal:description", "content:999"] if False else ["signal:description"]
    )
    package = referral.referral_create(
        acting=_regisseur(users), case_id=case.pk, intervention_id=made.pk, reasons="Via W5."
    ).package
    assert package is not None
    assert [i["key"] for i in package["items"]] == ["signal:description"]
    assert package["privacy_checks"]["2b"]["legal_basis"]
    assert ADDRESS not in json.dumps(package, ensure_ascii=False)


def test_referral_is_refused_without_2a(case: Case, parts: Parts, users: Any) -> None:
    with pytest.raises(ValidationError, match="2A comes first"):
        referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="r")


def test_referral_refused_when_2b_refused_or_wrong_instrument(case: Case, matrix: Any, plan: Any, users: Any) -> None:
    refused = plan("riec-referral", allowed=False)
    with pytest.raises(ValidationError, match="2B does not allow"):
        referral.referral_create(acting=_regisseur(users), case_id=case.pk, intervention_id=refused.pk, reasons="r")
    closure = plan("closure-13b", allowed=True)
    with pytest.raises(ValidationError, match="RIEC-referral instrument"):
        referral.referral_create(acting=_regisseur(users), case_id=case.pk, intervention_id=closure.pk, reasons="r")


def test_nothing_allowed_for_the_riec_makes_no_package(case: Case, parts: Parts, users: Any) -> None:
    services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells={"signal:description": [parts.team.pk]},
        reasons="Niets voor het RIEC.",
    )
    with pytest.raises(ValidationError, match="allow nothing"):
        referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="r")


def test_the_package_is_frozen(case: Case, matrix: Any, parts: Parts, users: Any) -> None:
    made = referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="r")
    services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells={"signal:description": [parts.riec.pk]},
        reasons="Minder.",
    )
    made.refresh_from_db()
    assert [i["key"] for i in made.package["items"]] == ["signal:description", "signal:location"]  # type: ignore[index]


def test_status_tracking_and_feedback(case: Case, matrix: Any, users: Any) -> None:
    made = referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="r")
    liaison = actor(users["riec_liaison"], "riec_liaison")
    with pytest.raises(ValidationError):
        referral.referral_event(acting=liaison, referral_id=made.pk, status=ReferralStatus.ACCEPTED)  # not sent yet
    referral.referral_event(acting=liaison, referral_id=made.pk, status=ReferralStatus.SENT)
    referral.referral_event(
        acting=liaison, referral_id=made.pk, status=ReferralStatus.ACCEPTED, reasons="Integrale casus."
    )
    with pytest.raises(ValidationError) as exc:
        referral.referral_event(acting=liaison, referral_id=made.pk, status=ReferralStatus.FEEDBACK)
    assert "reasons" in exc.value.message_dict
    referral.referral_event(
        acting=liaison, referral_id=made.pk, status=ReferralStatus.FEEDBACK, reasons="Fiscaal traject gestart."
    )
    referral.referral_event(acting=liaison, referral_id=made.pk, status=ReferralStatus.CLOSED)
    made.refresh_from_db()
    assert made.status == ReferralStatus.CLOSED
    assert list(made.events.values_list("status", flat=True)) == ["sent", "accepted", "feedback", "closed"]
    assert made.events.get(status="feedback").reasons == "Fiscaal traject gestart."
    with pytest.raises(ValidationError):
        referral.referral_event(acting=liaison, referral_id=made.pk, status=ReferralStatus.SENT)


def test_riec_track_referral_is_the_main_path(new_signal: Any, users: Any) -> None:
    """W4 → RIEC: the case is on the RIEC track; with a 2A sharing with the RIEC participant the
    referral can be made without a case meeting."""
    from weerbaar.signals.models import Signal
    from weerbaar.signals.services import apply_transition
    from weerbaar.signals.states import State

    signal = new_signal("research")
    locked = Signal.objects.get(pk=signal.pk)
    apply_transition(locked, State.RIEC, "w4", actor(users["ondermijningsteam"], "ondermijningsteam"), "Naar RIEC.")
    locked.save()
    team = users["ondermijningsteam"]
    case = services.case_open(acting=actor(team, "ondermijningsteam"), signal_id=signal.pk, track="riec", team=[team])
    riec = services.participant_add(acting=_regisseur(users), case_id=case.pk, organisation="RIEC", is_riec=True)
    services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells={"signal:description": [riec.pk]},
        reasons="Voor het RIEC.",
    )
    made = referral.referral_create(acting=_regisseur(users), case_id=case.pk, reasons="W4: RIEC.")
    assert made.package is not None and made.package["case"]["track"] == "riec"
