# SPDX-License-Identifier: EUPL-1.2
"""Data-subject requests: the search finds everything planted about a person across steps 1-4,
in every spelling, and nothing of a namesake; restrictions withhold; the report protects others."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import actor
from tests.governance import flow
from weerbaar.audit.models import AuditEvent
from weerbaar.governance.models import GeneratedFile, Restriction
from weerbaar.governance.requests import (
    RequestInput,
    access_report,
    dsr_close,
    dsr_create,
    dsr_restrict,
    dsr_search,
    restriction_notice,
)

pytestmark = pytest.mark.django_db

BSN = "123456782"  # passes the eleven-test; fictitious
OTHER_BSN = "111222333"
REQUESTER = {
    "given_names": "Jan",
    "surname_prefix": "van der",
    "surname": "Berg",
    "date_of_birth": "12-04-1975",
    "street": "Molenstraat",
    "house_number": "5",
    "postcode": "1234 ab",
    "city": "Demodam",
    "bsn": BSN,
    "contact": "Jan@Example.org",
}
#: The VTH file holds Jan (for the content answer) and the conftest's Jan Fictief.
VTH = [
    {"id": "V1", "record_type": "controle", "status": "afgerond", "date": "2025-03-01",
     "summary": "INHOUD-hennepgeur", "given_names": "Jan", "surname_prefix": "van der", "surname": "Berg",
     "date_of_birth": "1975-04-12", "street": "Molenstraat", "house_number": "5", "postcode": "1234AB",
     "city": "Demodam"},
    {"id": "V2", "record_type": "controle", "status": "afgerond", "date": "2025-04-02",
     "summary": "Geen bijzonderheden", "given_names": "Anna", "surname": "Voorbeeld",
     "date_of_birth": "1970-07-07", "street": "Proefweg", "house_number": "3", "postcode": "9999ZZ",
     "city": "Demodam"},
]  # fmt: skip


def person(**data: str) -> dict[str, Any]:
    return {"kind": "person", "data": data}


@pytest.fixture
def world(users: Any, new_signal: Any, load_source: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """The requester planted in five signals (subject in four spellings, reporter in one), with
    queries, a content answer and a case; namesakes in three more."""
    load_source("vth", VTH)
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.to_case(
            users,
            new_signal,
            reporter="regisseur",
            channel="police",
            reporter_name="Agent Geheim",
            reporter_contact="agent@politie.example",
            description="GEPLANT-1 hennep op zolder",
            subjects=[person(given_names="Jan", surname="Berg, van der", date_of_birth="12-04-1975")],
        )
    return {
        "case": case,
        "s1": case.signal,
        "s2": new_signal(
            "received",
            description="GEPLANT-2",
            subjects=[person(given_names="J.", surname_prefix="van der", surname="Berg", date_of_birth="19750412")],
        ),
        "s3": new_signal(
            "qualified",
            description="GEPLANT-3",
            subjects=[person(given_names="Jan", surname="vd Berg", postcode="1234AB", house_number="5")],
        ),
        "s4": new_signal("received", description="GEPLANT-4", subjects=[person(surname="Anders", bsn=BSN)]),
        "s5": new_signal(
            "received",
            reporter="regisseur",
            channel="citizen",
            reporter_name="J. van der Berg",
            reporter_contact="jan@example.org ",
            description="GEPLANT-5 gemeld door de verzoeker",
            subjects=[person(given_names="Kees", surname="Derde", date_of_birth="1960-01-01")],
        ),
        # Namesakes: another date of birth (at the same address), no corroboration, another BSN.
        "n1": new_signal(
            "received",
            description="NAAMGENOOT-1",
            subjects=[
                person(
                    given_names="Jan",
                    surname_prefix="van der",
                    surname="Berg",
                    date_of_birth="1990-01-01",
                    postcode="1234AB",
                    house_number="5",
                )
            ],
        ),
        "n2": new_signal(
            "received", description="NAAMGENOOT-2", subjects=[person(given_names="Jan", surname="van der Berg")]
        ),
        "n3": new_signal(
            "received",
            description="NAAMGENOOT-3",
            subjects=[person(given_names="Jan", surname="van der Berg", date_of_birth="1975-04-12", bsn=OTHER_BSN)],
        ),
    }


def _request(pf: Any, **requester: str) -> Any:
    return dsr_create(
        acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester=requester or REQUESTER)
    )


def test_search_finds_every_planted_item_and_no_namesake(world: dict[str, Any], pf: Any) -> None:
    from weerbaar.approach.models import Intervention, Referral
    from weerbaar.research.models import ContentAnswer, Query

    dsr = _request(pf)
    result = dsr_search(acting=pf, request_id=dsr.pk)
    keys = {i.key for i in result.items}
    s1 = world["s1"]
    expected = {f"signals.signal:{world[n].pk}" for n in ("s1", "s2", "s3", "s4")}
    expected |= {f"signals.subject:{world[n].subjects.get().pk}" for n in ("s1", "s2", "s3", "s4")}
    expected.add(f"signals.signal:{world['s5'].pk}:reporter")
    expected |= {f"research.query:{q.pk}" for q in Query.objects.filter(signal=s1)}
    expected |= {
        f"research.contentanswer:{a.pk}" for a in ContentAnswer.objects.filter(decision__request__query__signal=s1)
    }
    expected.add(f"approach.case:{world['case'].pk}")
    expected |= {f"approach.intervention:{i.pk}" for i in Intervention.objects.filter(case=world["case"])}
    expected |= {f"approach.referral:{r.pk}" for r in Referral.objects.filter(case=world["case"])}
    assert keys == expected
    assert not any(f"signals.signal:{world[n].pk}" in k for k in keys for n in ("n1", "n2", "n3"))
    reasons = {i.key: i.reasons for i in result.items}
    assert reasons[f"signals.subject:{world['s4'].subjects.get().pk}"] == ["same BSN"]
    assert "same date of birth" in reasons[f"signals.subject:{world['s2'].subjects.get().pk}"]
    assert "same address" in reasons[f"signals.subject:{world['s3'].subjects.get().pk}"]
    reporter = reasons[f"signals.signal:{world['s5'].pk}:reporter"]
    assert any("contact" in r for r in reporter) and any("reporter" in r for r in reporter)
    assert any(i.access_log for i in result.items if i.kind == "signal")  # who read it, by role


def test_report_holds_everything_planted_and_nothing_of_namesakes_or_others(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    _record, content = access_report(acting=pf, request_id=dsr.pk, file_format="json")
    report = json.loads(content)
    text = json.dumps(report, ensure_ascii=False)
    for marker in ("GEPLANT-1", "GEPLANT-2", "GEPLANT-3", "GEPLANT-4", "INHOUD-hennepgeur"):
        assert marker in text, marker
    for reference in (world["s1"].reference, world["s5"].reference, world["case"].reference):
        assert reference in text
    assert "Sluiting" in text or "13b" in text  # the intervention's instrument
    assert "RIEC" in text
    # Of the signal they reported, the requester gets their own recorded name and contact, not its content.
    assert "J. van der Berg" in text and "GEPLANT-5" not in text and "Derde" not in text
    for marker in ("NAAMGENOOT-1", "NAAMGENOOT-2", "NAAMGENOOT-3", "1990-01-01", OTHER_BSN):
        assert marker not in text, marker
    # Others: not the reporter of a signal about them, not the staff who handled it (roles only).
    for other in ("Agent Geheim", "agent@politie.example", 'ondermijningsteam"', 'regisseur"'):
        assert other not in text.replace('"role": "ondermijningsteam"', "").replace('"role": "regisseur"', ""), other
    assert 'privacyfunctionaris"' not in text.replace('"role": "privacyfunctionaris"', "")
    assert report["restriction_notice"] == restriction_notice()


def test_restricted_items_are_withheld_without_saying_how_many(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    plain = json.loads(access_report(acting=pf, request_id=dsr.pk, file_format="json")[1])
    dsr_restrict(
        acting=pf,
        request_id=dsr.pk,
        item=f"signals.signal:{world['s1'].pk}",
        ground="uavg_41",
        reasons="Lopend onderzoek; inzage schaadt de opsporing.",
    )
    dsr_restrict(
        acting=pf,
        request_id=dsr.pk,
        item=f"signals.subject:{world['s2'].subjects.get().pk}",
        ground="other",
        reasons="Bevat gegevens van een ander.",
    )
    withheld = json.loads(access_report(acting=pf, request_id=dsr.pk, file_format="json")[1])
    text = json.dumps(withheld, ensure_ascii=False)
    # Withholding the signal withholds everything under it: queries, content, case, interventions.
    for marker in ("GEPLANT-1", "INHOUD-hennepgeur", world["case"].reference, world["s1"].reference):
        assert marker not in text, marker
    subjects = json.dumps([i for i in withheld["items"] if i["kind"] == "subject"])
    assert "1975-04-12" not in subjects  # the two subjects with a date of birth are withheld
    assert "GEPLANT-3" in text and "GEPLANT-4" in text
    # The notice is the same sentence with or without restrictions: it gives nothing away.
    assert withheld["restriction_notice"] == plain["restriction_notice"]
    assert set(withheld) == set(plain)
    result = dsr_search(acting=pf, request_id=dsr.pk)
    assert {i.withheld_ground for i in result.items if i.signal_id == world["s1"].pk} == {"uavg_41"}


def test_bibob_items_are_withheld_by_law(world: dict[str, Any], pf: Any, users: Any) -> None:
    from weerbaar.approach import services

    services.intervention_plan(
        acting=actor(users["regisseur"], "regisseur"),
        case_id=world["case"].pk,
        instrument="bibob",
        owner_department="handhaving",
        reasons="Bibob-toets van de exploitatievergunning.",
    )
    dsr = _request(pf)
    result = dsr_search(acting=pf, request_id=dsr.pk)
    bibob = [i for i in result.items if i.kind == "intervention" and i.auto_ground]
    assert len(bibob) == 1 and bibob[0].withheld_ground == "bibob_28"
    text = access_report(acting=pf, request_id=dsr.pk, file_format="json")[1].decode()
    assert "Bibob" not in text.replace("Wet Bibob", "")


def test_release_supersedes_and_keeps_the_history(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    item = f"signals.signal:{world['s2'].pk}"
    first = dsr_restrict(acting=pf, request_id=dsr.pk, item=item, ground="uavg_41", reasons="Onderzoek loopt.")
    with pytest.raises(ValidationError):
        dsr_restrict(
            acting=pf,
            request_id=dsr.pk,
            item=f"signals.signal:{world['s3'].pk}",
            ground="x",
            reasons="r",
            withheld=False,
        )
    second = dsr_restrict(
        acting=pf, request_id=dsr.pk, item=item, ground="uavg_41", reasons="Onderzoek afgerond.", withheld=False
    )
    assert second.supersedes_id == first.pk and Restriction.objects.count() == 2
    assert "GEPLANT-2" in access_report(acting=pf, request_id=dsr.pk, file_format="json")[1].decode()
    for bad in ("signals.signal", "accounts.user:1", "signals.signal:99999999", "research.query:1:reporter"):
        with pytest.raises(ValidationError) as exc:
            dsr_restrict(acting=pf, request_id=dsr.pk, item=bad, ground="other", reasons="r")
        assert "item" in exc.value.message_dict, bad


def test_report_formats_are_stored_encrypted_with_an_expiry(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    pdf_record, pdf = access_report(acting=pf, request_id=dsr.pk, file_format="pdf")
    html_record, html = access_report(acting=pf, request_id=dsr.pk, file_format="html")
    assert pdf.startswith(b"%PDF") and b"GEPLANT-2" in html and restriction_notice().encode()[:40] in html
    for record in (pdf_record, html_record):
        raw = Path(record.stored_file.path).read_bytes()
        assert b"GEPLANT" not in raw and raw.startswith(b"gAAAA")
        assert (record.expires_on - date.today()).days == 90
        assert set(record.signals.values_list("pk", flat=True)) >= {world["s2"].pk, world["s5"].pk}
    with pytest.raises(ValidationError):
        access_report(acting=pf, request_id=dsr.pk, file_format="docx")


def test_search_and_report_are_audited_with_the_purpose(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    access_report(acting=pf, request_id=dsr.pk, file_format="json")
    rows = AuditEvent.objects.filter(action__startswith="governance:dsr:")
    assert set(rows.values_list("purpose", flat=True)) == {"data-subject request"}
    reads = set(rows.filter(action="governance:dsr:read").values_list("object_id", flat=True))
    assert reads >= {str(world[n].pk) for n in ("s1", "s2", "s3", "s4", "s5")}
    assert not reads & {str(world[n].pk) for n in ("n1", "n2", "n3")}
    assert rows.filter(action="governance:dsr:report").get().detail["format"] == "json"
    for row in rows:  # references, never the person's data
        assert "Berg" not in json.dumps(row.detail) and BSN not in json.dumps(row.detail)


def test_requester_validation_and_deadline(pf: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"surname": "Berg"}))
    assert "requester" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        dsr_create(
            acting=pf,
            data=RequestInput(kind="nonsense", received_on=date(2999, 1, 1), requester={"bsn": "123", "postcode": "x"}),
        )
    assert {"kind", "received_on", "requester.bsn", "requester.postcode"} <= set(exc.value.message_dict)
    made = dsr_create(
        acting=pf, data=RequestInput(kind="erasure", received_on=date(2026, 1, 31), requester={"bsn": BSN})
    )
    assert made.deadline == date(2026, 2, 28)  # one month (AVG art. 12(3)), the last day of a short month
    assert made.requester == {"bsn": BSN}


def test_closing_records_who_and_freezes_restrictions(world: dict[str, Any], pf: Any) -> None:
    dsr = _request(pf)
    with pytest.raises(ValidationError):
        dsr_close(acting=pf, request_id=dsr.pk, outcome="answered", reasons=" ")
    closed = dsr_close(acting=pf, request_id=dsr.pk, outcome="answered", reasons="Rapport per post verzonden.")
    assert (closed.status, closed.handled_label, closed.handled_role) == (
        "answered",
        "privacyfunctionaris",
        "privacyfunctionaris",
    )
    with pytest.raises(ValidationError):
        dsr_close(acting=pf, request_id=dsr.pk, outcome="refused", reasons="nogmaals")
    with pytest.raises(ValidationError):
        dsr_restrict(acting=pf, request_id=dsr.pk, item=f"signals.signal:{world['s2'].pk}", ground="other", reasons="r")


def test_web_flow(world: dict[str, Any], users: Any, client: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    form = {"kind": "access", "received_on": date.today().isoformat(), **REQUESTER, "notes": "Paspoort gezien."}
    invalid = client.post("/governance/requests/new", {"kind": "access", "received_on": "2026-01-01", "surname": "X"})
    assert invalid.status_code == 200 and "achternaam met een geboortedatum" in invalid.content.decode()
    response = client.post("/governance/requests/new", form)
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "GEPLANT-2" in page and "NAAMGENOOT" not in page and "zelfde BSN" in page
    request_id = int(url.rsplit("/", 1)[1])
    item = f"signals.signal:{world['s2'].pk}"
    assert client.post(f"{url}/restrict", {"item": item, "ground": "uavg_41", "reasons": ""}).status_code == 400
    assert (
        client.post(f"{url}/restrict", {"item": item, "ground": "uavg_41", "reasons": "Onderzoek."}).status_code == 302
    )
    assert client.post(f"{url}/report", {"format": "html"}).status_code == 302
    record = GeneratedFile.objects.get(request_id=request_id)
    download = client.get(f"{url}/files/{record.pk}")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"GEPLANT-3" in download.content and b"GEPLANT-2" not in download.content
    assert client.get(f"{url}/files/999999").status_code == 404
    assert client.post(f"{url}/close", {"outcome": "answered", "reasons": "Verzonden."}).status_code == 302
    assert "AVG-" in client.get("/governance/requests").content.decode()


def test_api_flow(world: dict[str, Any], users: Any, client: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    bad = client.post(
        "/api/v1/governance/requests",
        {"kind": "access", "received_on": "2026-01-01", "requester": {"surname": "X"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    made = client.post(
        "/api/v1/governance/requests",
        {"kind": "access", "received_on": date.today().isoformat(), "requester": REQUESTER},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert "requester" not in client.get("/api/v1/governance/requests").json()["results"][0]
    assert client.get(f"/api/v1/governance/requests/{pk}").json()["requester"]["bsn"] == BSN
    found = client.get(f"/api/v1/governance/requests/{pk}/search").json()
    assert any(i["key"] == f"signals.signal:{world['s4'].pk}" for i in found["items"])
    restricted = client.post(
        f"/api/v1/governance/requests/{pk}/restrictions",
        {"item": f"signals.signal:{world['s4'].pk}", "ground": "avg_23", "reasons": "Wettelijke beperking."},
        content_type="application/json",
    )
    assert restricted.status_code == 201 and restricted.json()["withheld"] is True
    report = client.post(
        f"/api/v1/governance/requests/{pk}/report", {"format": "json"}, content_type="application/json"
    )
    assert report.status_code == 200 and "GEPLANT-4" not in report.content.decode()
    assert client.post(
        f"/api/v1/governance/requests/{pk}/report", {"format": "pdf"}, content_type="application/json"
    ).content.startswith(b"%PDF")
    closed = client.post(
        f"/api/v1/governance/requests/{pk}/close",
        {"outcome": "answered", "reasons": "Klaar."},
        content_type="application/json",
    )
    assert closed.json()["status"] == "answered"
    missing = client.get("/api/v1/governance/requests/99999999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert AuditEvent.objects.filter(action="governance:dsr:read", object_id="99999999", result="denied").exists()


def test_open_requests_are_in_the_work_queue(users: Any, pf: Any, client: Any) -> None:
    made = dsr_create(
        acting=pf, data=RequestInput(kind="erasure", received_on=date(2026, 1, 1), requester={"bsn": BSN})
    )
    client.force_login(users["privacyfunctionaris"])
    page = client.get("/").content.decode()
    assert made.reference in page and "Te laat: Wissing" in page
    client.force_login(users["regisseur"])
    assert made.reference not in client.get("/").content.decode()


def test_key_rotation_reaches_requests_and_stored_reports(
    pf: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cryptography.fernet import Fernet

    from weerbaar.accounts.authz import system_actor
    from weerbaar.governance.files import read_file
    from weerbaar.signals.keys import rotate_all

    made = dsr_create(acting=pf, data=RequestInput(kind="access", received_on=date.today(), requester={"bsn": BSN}))
    report, content = access_report(acting=pf, request_id=made.pk, file_format="json")
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    with django_capture_on_commit_callbacks(execute=True):
        rotate_all(acting=system_actor("key-rotation"))
    settings.ENCRYPTION_KEYS = [new_key]  # the old key is gone
    from weerbaar.governance.models import DataSubjectRequest, GeneratedFile

    assert DataSubjectRequest.objects.get(pk=made.pk).requester == {"bsn": BSN}
    assert read_file(GeneratedFile.objects.get(pk=report.pk)) == content
