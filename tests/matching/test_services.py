# SPDX-License-Identifier: EUPL-1.2
"""The hit/no-hit service: statuses only, modes respected, audited, index kept current on re-import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import actor
from tests.matching.conftest import bsn
from weerbaar.accounts.authz import system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.matching.services import EXCLUDED, HIT, NO_HIT, POSSIBLE, UNAVAILABLE, hit_no_hit, searchable_sources
from weerbaar.sources.models import Source

pytestmark = pytest.mark.django_db

STREET = {"street": "Kerkstraat", "postcode": "1234AB", "city": "Demodam"}


def person(pid: str, given: str, surname: str, dob: str, number: str, prefix: str = "", **extra: str) -> dict[str, str]:
    return {
        "id": pid,
        "given_names": given,
        "surname_prefix": prefix,
        "surname": surname,
        "date_of_birth": dob,
        "house_number": number,
        "bsn": bsn(int(pid[1:]) * 7919 + 10_000_000),
        **STREET,
        **extra,
    }


REGISTRY = [
    person("P1", "Johannes Petrus", "Berg", "1961-04-12", "12", prefix="van der"),
    person("P2", "Johannes Petrus", "Berg", "1990-08-30", "12", prefix="van der"),  # the son, same address
    person("P3", "Anna", "Berg", "1963-01-05", "12", prefix="van der"),  # household member
    person("P4", "Fatima", "Öztürk", "1985-11-23", "40"),
    person("P5", "Willem", "Bijl", "1977-03-09", "7"),
]


@pytest.fixture
def brp(load_source: Any) -> Source:
    return load_source("brp", REGISTRY)  # type: ignore[no-any-return]


def ask(ref: str, users: dict[str, Any], subject: dict[str, str], sources: list[str] | None = None) -> dict[str, str]:
    answers = hit_no_hit(
        acting=actor(users["regisseur"], "regisseur"),
        subject=subject,
        sources=searchable_sources(sources or ["brp"]),
        purpose=f"signal {ref}",
        reference=ref,
    )
    return {a.source: a.status for a in answers}


def test_messy_spelling_of_a_registered_person_is_a_hit(ref: str, brp: Source, users: Any) -> None:
    subject = {"given_names": "fatima", "surname": "OZTURK", "date_of_birth": "23-11-1985"}
    assert ask(ref, users, subject) == {"brp": HIT}
    subject = {"given_names": "W.", "surname": "Byl", "date_of_birth": "1977-03-09", "postcode": "1234 ab"}
    assert ask(ref, users, subject) == {"brp": HIT}


def test_someone_not_in_the_registry_is_no_hit(ref: str, brp: Source, users: Any) -> None:
    assert ask(ref, users, {"given_names": "Karel", "surname": "Appel", "date_of_birth": "1921-04-25"}) == {
        "brp": NO_HIT
    }


def test_junior_and_senior_without_birth_date_are_possible_never_hit(ref: str, brp: Source, users: Any) -> None:
    subject = {"given_names": "Johannes Petrus", "surname": "Berg, van der", "house_number": "12", **STREET}
    assert ask(ref, users, subject) == {"brp": POSSIBLE}
    # With the son's birth date it is the son, and only the son.
    answers = hit_no_hit(
        acting=actor(users["regisseur"], "regisseur"),
        subject={**subject, "date_of_birth": "30-08-1990"},
        sources=searchable_sources(["brp"]),
        purpose="test",
        reference=ref,
    )
    assert answers[0].status == HIT
    son = brp.snapshots.get(is_current=True).records.get(ext_id="P2")
    assert answers[0].record_ids == (son.pk,)


def test_a_household_member_is_not_a_hit_for_another(ref: str, brp: Source, users: Any) -> None:
    # Anna's husband is not registered here; same surname, same address, another given name and birth date.
    # (In a five-person registry sharing an address is weak evidence either way; "possible" is allowed.)
    subject = {"given_names": "Hendrik", "surname": "van der Berg", "date_of_birth": "1960-02-02", "house_number": "12"}
    assert ask(ref, users, {**subject, **STREET}) != {"brp": HIT}


def test_matched_records_stay_inside(ref: str, brp: Source, users: Any) -> None:
    answers = hit_no_hit(
        acting=actor(users["regisseur"], "regisseur"),
        subject={"given_names": "Fatima", "surname": "Ozturk", "date_of_birth": "1985-11-23"},
        sources=searchable_sources(["brp"]),
        purpose="test",
        reference=ref,
    )
    assert answers[0].record_ids  # kept for an approved content request ...
    assert "record_ids" not in repr(answers[0])  # ... but never printed or logged


def test_every_query_is_audited_with_purpose_and_without_the_subject(ref: str, brp: Source, users: Any) -> None:
    ask(ref, users, {"given_names": "Fatima", "surname": "Ozturk", "date_of_birth": "1985-11-23"})
    event = AuditEvent.objects.filter(action="matching:subject:hit-no-hit").latest("id")
    assert event.purpose == f"signal {ref}"
    assert event.object_id == ref
    assert event.detail["answers"] == {"brp": HIT}
    assert "Ozturk" not in str(event.detail) and "1985" not in str(event.detail)


def test_excluded_source_is_never_searched(ref: str, brp: Source, users: Any) -> None:
    # A person cannot even ask: privacy check 1 can never approve an excluded source.
    with pytest.raises(PermissionDenied, match="bibob"):
        ask(ref, users, {"surname": "Ozturk"}, ["brp", "bibob"])
    # The system actor is not gated, and an excluded source still answers only "excluded".
    answers = hit_no_hit(
        acting=system_actor("test"), subject={"surname": "Ozturk"}, sources=searchable_sources(["brp", "bibob"]),
        purpose="test",
    )  # fmt: skip
    assert {a.source: a.status for a in answers}["bibob"] == EXCLUDED


def test_source_without_snapshot_or_index_is_unavailable_not_no_hit(
    ref: str, brp: Source, users: Any, index_dir: Path
) -> None:
    assert ask(ref, users, {"surname": "Ozturk", "date_of_birth": "1985-11-23"}, ["brp", "vth"])["vth"] == UNAVAILABLE
    for path in index_dir.rglob("*.sqlite"):
        path.unlink()
    assert ask(ref, users, {"surname": "Ozturk", "date_of_birth": "1985-11-23"}) == {"brp": UNAVAILABLE}


def test_reimport_updates_the_index(ref: str, brp: Source, users: Any, load_source: Any) -> None:
    subject = {"given_names": "Fatima", "surname": "Ozturk", "date_of_birth": "1985-11-23"}
    assert ask(ref, users, subject) == {"brp": HIT}
    load_source("brp", [r for r in REGISTRY if r["id"] != "P4"])
    assert ask(ref, users, subject) == {"brp": NO_HIT}


def test_several_records_about_one_person_are_one_hit(ref: str, load_source: Any, users: Any) -> None:
    base = {"record_type": "exploitatievergunning", "status": "verleend", "summary": "horeca"}
    rows = [
        {**base, "id": "V1", "date": "2024-01-10", "given_names": "Willem", "surname": "Bijl",
         "date_of_birth": "1977-03-09", **STREET, "house_number": "7"},
        {**base, "id": "V2", "date": "2025-02-11", "given_names": "Willem", "surname": "Bijl",
         "date_of_birth": "1977-03-09", **STREET, "house_number": "7"},
    ]  # fmt: skip
    load_source("permits", rows)
    assert ask(
        ref, users, {"given_names": "Willem", "surname": "Bijl", "date_of_birth": "1977-03-09"}, ["permits"]
    ) == {"permits": HIT}


def test_refusals(ref: str, brp: Source, users: Any) -> None:
    with pytest.raises(ValidationError):
        searchable_sources(["brp", "no-such-source"])
    with pytest.raises(ValidationError):
        hit_no_hit(acting=actor(users["regisseur"], "regisseur"), subject={}, sources=[brp], purpose=" ")
    with pytest.raises(PermissionDenied):
        hit_no_hit(acting=actor(users["bestuur"], "bestuur"), subject={}, sources=[brp], purpose="x")
    with pytest.raises(ValidationError, match="surname"):  # a postcode alone does not identify a person
        hit_no_hit(acting=actor(users["regisseur"], "regisseur"), subject={"postcode": "1234AB"}, sources=[brp],
                   purpose="x", reference=ref)  # fmt: skip
    with pytest.raises(PermissionDenied, match="privacy check 1"):  # a person must name an approving signal
        hit_no_hit(acting=actor(users["regisseur"], "regisseur"), subject={"surname": "Berg"}, sources=[brp],
                   purpose="x")  # fmt: skip


def test_a_single_identifier_is_enough(ref: str, brp: Source, users: Any) -> None:
    # A BSN alone is unique in the registry: its agreement is strong evidence (no self-pairs in u).
    assert ask(ref, users, {"national_id": REGISTRY[3]["bsn"]}) == {"brp": HIT}


def test_api_answers_statuses_only(ref: str, brp: Source, users: Any, login: Any) -> None:
    client = login(users["regisseur"])
    body = {
        "subject": {"given_names": "Fatima", "surname": "Öztürk", "date_of_birth": "1985-11-23"},
        "sources": ["brp"],
        "purpose": f"signal {ref}",
        "reference": ref,
    }
    response = client.post("/api/v1/matching/hit-no-hit", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"answers": [{"source": "brp", "status": "hit"}]}
    # A source that the signal's privacy check 1 does not approve: refused, saying why, audited.
    refused = client.post(
        "/api/v1/matching/hit-no-hit", {**body, "sources": ["brp", "bibob"]}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert "bibob" in refused.json()["detail"]
    assert AuditEvent.objects.filter(action="research:pc1:gate", result="denied").latest("id").object_id == ref
    for missing in ("reference", "sources"):
        response = client.post(
            "/api/v1/matching/hit-no-hit",
            {k: v for k, v in body.items() if k != missing},
            content_type="application/json",
        )
        assert response.status_code == 400 and missing in response.json()["detail"]
    response = client.post("/api/v1/matching/hit-no-hit", {**body, "purpose": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "purpose" in response.content.decode()
    other = login(users["bestuur"])
    response = other.post("/api/v1/matching/hit-no-hit", body, content_type="application/json")
    assert response.status_code == 403


def test_a_large_screening_runs_in_parallel_with_the_same_answers(
    ref: str, brp: Source, users: Any, monkeypatch: Any
) -> None:
    from weerbaar.matching import services

    subjects = [{"id": f"S{i}", **{k: v for k, v in row.items() if k != "id"}} for i, row in enumerate(REGISTRY)]
    subjects.append({"id": "S9", "given_names": "Karel", "surname": "Appel", "date_of_birth": "1921-04-25"})
    acting = actor(users["regisseur"], "regisseur")
    serial = services.screen(acting=acting, subjects=subjects, sources=[brp], purpose="t", reference=ref, workers=1)
    monkeypatch.setattr(services, "PARALLEL_SCREEN_FROM", 2)
    parallel = services.screen(acting=acting, subjects=subjects, sources=[brp], purpose="t", reference=ref, workers=2)
    as_status = [(sid, [(a.source, a.status, a.record_ids) for a in answers]) for sid, answers in serial]
    assert as_status == [(sid, [(a.source, a.status, a.record_ids) for a in answers]) for sid, answers in parallel]
    assert as_status[-1][1][0][1] == NO_HIT and as_status[3][1][0][1] == HIT
    assert AuditEvent.objects.filter(action="matching:subject:hit-no-hit", purpose="t").count() == 2 * len(subjects)
