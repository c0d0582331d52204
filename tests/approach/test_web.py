# SPDX-License-Identifier: EUPL-1.2
"""The web UI of step 4: the meeting view shows exactly the 2A cells, forms refuse what the rules
refuse with a clear message, and an id outside the team is "not found" (audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.approach.conftest import ADDRESS, CONTENT_CANARY, DESCRIPTION, Parts, Research
from tests.conftest import actor
from weerbaar.approach import services
from weerbaar.approach.models import Case, CaseMeeting, Intervention, InterventionState, ShareMatrix
from weerbaar.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_participant_sees_exactly_their_cells(
    case: Case, parts: Parts, matrix: Any, research: Research, users: Any, client: Any
) -> None:
    client.force_login(users["department_officer"])  # cells: description and the no-hit query
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    assert DESCRIPTION in page and ("No hit" in page or "Geen hit" in page)
    assert f"Bevraging {research.no_hit.pk}:" in page
    for absent in (ADDRESS, CONTENT_CANARY, "Fictief", f"Bevraging {research.hit.pk}:"):
        assert absent not in page, absent
    reads = AuditEvent.objects.filter(actor_label="department_officer", purpose="case meeting")
    assert set(reads.values_list("action", flat=True)) == {
        "approach:meeting:read",
        "signals:signal:read",
        "research:query:read",
    }
    client.force_login(users["ondermijningsteam"])  # everything
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    for present in (DESCRIPTION, ADDRESS, CONTENT_CANARY, "Fictief"):
        assert present in page, present
    assert f'<span class="wb-record__label">Straat</span>: {CONTENT_CANARY}' in page  # Dutch label, not "street"


def test_a_content_answer_reads_as_records_with_dutch_labels(
    case: Case, parts: Parts, matrix: Any, research: Research, users: Any, client: Any
) -> None:
    """The answer as research.services stores it: ``{"records": [{field: value}]}``."""
    research.answer.content = {"records": [{"date": "2025-03-01", "summary": CONTENT_CANARY}, {"summary": "Tweede"}]}
    research.answer.save(update_fields=["content"])
    client.force_login(users["ondermijningsteam"])
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    assert f'<span class="wb-record__label">Samenvatting</span>: {CONTENT_CANARY}' in page
    assert '<span class="wb-record__label">Datum</span>: 2025-03-01' in page
    assert page.count('class="utrecht-unordered-list wb-record"') == 2
    assert "records:" not in page and "summary:" not in page


def test_no_cells_gives_a_clear_message(case: Case, parts: Parts, matrix: Any, users: Any, client: Any) -> None:
    client.force_login(users["regisseur"])  # may read every case, but is no participant
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    assert "Er wordt niets met u gedeeld" in page
    assert DESCRIPTION not in page and ADDRESS not in page


def test_meeting_view_before_2a_shares_nothing(case: Case, parts: Parts, users: Any, client: Any) -> None:
    client.force_login(users["ondermijningsteam"])
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    assert "privacytoets 2A" in page and DESCRIPTION not in page


def test_participant_off_the_team_reaches_only_the_meeting(
    case: Case, matrix: Any, parts: Parts, users: Any, client: Any, make_user: Any
) -> None:
    from tests.conftest import actor
    from weerbaar.approach import services

    guest = make_user("guest_officer", "department_officer")
    p = services.participant_add(
        acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, organisation="", user_id=guest.pk
    )
    services.matrix_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        case_id=case.pk,
        cells={"signal:location": [p.pk]},
        reasons="Alleen de locatie.",
    )
    client.force_login(guest)
    assert client.get(f"/cases/{case.pk}").status_code == 404
    page = client.get(f"/cases/{case.pk}/meeting").content.decode()
    assert ADDRESS in page and DESCRIPTION not in page
    assert f"/cases/{case.pk}/meeting" in client.get("/cases").content.decode()


def test_user_outside_the_team_gets_404_web_and_api_audited(
    case: Case, users: Any, client: Any, make_user: Any
) -> None:
    stranger = make_user("team_two", "ondermijningsteam")
    client.force_login(stranger)
    for url in (f"/cases/{case.pk}", f"/cases/{case.pk}/meeting", f"/cases/{case.pk}/team", f"/api/v1/cases/{case.pk}"):
        assert client.get(url).status_code == 404, url
    hidden = client.get(f"/api/v1/cases/{case.pk}")
    missing = client.get("/api/v1/cases/99999999")
    assert hidden.json() == missing.json() and hidden["Content-Type"] == "application/problem+json"
    denied = AuditEvent.objects.filter(actor_label="team_two", result="denied", action="approach:case:read")
    assert denied.filter(object_id=str(case.pk)).count() >= 4
    assert case.reference not in client.get("/cases").content.decode()


def test_case_page_shows_the_whole_approach(case: Case, parts: Parts, plan: Any, users: Any, client: Any) -> None:
    made = plan(allowed=True, start=True)
    client.force_login(users["ondermijningsteam"])
    page = client.get(f"/cases/{case.pk}").content.decode()
    for expected in (
        case.reference,
        "Privacytoets 2A",
        "Besloten: sluiting 13b.",
        "Sluiting op grond van art. 13b",
        "RIEC Noord-Holland",
    ):
        assert expected in page, expected
    assert f"/cases/steps/{made.steps.order_by('step__order').first().pk}/complete" in page  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="approach:case:read", object_id=str(case.pk), result="success").exists()
    signal_page = client.get(f"/signals/{case.signal_id}").content.decode()
    assert "Privacytoets 2A" in signal_page and f"/cases/{case.pk}" in signal_page  # timeline and action hooks


def test_outcome_shows_who_and_timeline_has_no_empty_actor(
    case: Case, parts: Parts, plan: Any, users: Any, client: Any
) -> None:
    made = plan(allowed=True, start=True)
    officer = users["department_officer"]
    services.intervention_outcome(
        acting=actor(officer, "department_officer"), intervention_id=made.pk, outcome="effective", notes="Gesloten."
    )
    client.force_login(users["ondermijningsteam"])
    page = client.get(f"/cases/{case.pk}").content.decode()
    assert f"· {officer.get_username()} (department_officer))" in page
    signal_page = client.get(f"/signals/{case.signal_id}").content.decode()
    assert "· ()" not in signal_page and f"{officer.get_username()} (department_officer)" in signal_page


def test_web_flow_through_the_forms(case: Case, parts: Parts, research: Research, users: Any, client: Any) -> None:
    client.force_login(users["privacyfunctionaris"])
    assert client.get(f"/cases/{case.pk}/privacy-check-2a").status_code == 200
    response = client.post(
        f"/cases/{case.pk}/privacy-check-2a",
        {f"cell_0_{parts.team.pk}": "on", f"cell_0_{parts.officer.pk}": "on", "reasons": "Need to know."},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert ShareMatrix.objects.get(case=case).cells == {"signal:description": [parts.team.pk, parts.officer.pk]}
    client.force_login(users["regisseur"])
    response = client.post(
        f"/cases/{case.pk}/meetings/new",
        {"held_on": date.today().isoformat(), "attendees": [str(parts.team.pk)], "reasons": "Sluiting gekozen."},
    )
    assert response.status_code == 302 and CaseMeeting.objects.filter(case=case).exists()
    response = client.post(
        f"/cases/{case.pk}/interventions/new",
        {"instrument": "closure-13b", "owner_department": "handhaving", "reasons": "W5."},
    )
    assert response.status_code == 302
    made = Intervention.objects.get(case=case)
    # Closing with an open intervention: refused with a clear message, nothing changes.
    page = client.post(f"/cases/{case.pk}/close", {"reasons": "Klaar."}).content.decode()
    assert "interventie(s) open" in page
    client.force_login(users["privacyfunctionaris"])
    response = client.post(
        f"/cases/interventions/{made.pk}/privacy-check-2b",
        {"exchange": "Rapportage.", "legal_basis": "geen", "allowed": "no", "reasons": "Geen grondslag."},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == InterventionState.REFUSED
    client.force_login(users["department_officer"])
    response = client.post(f"/cases/interventions/{made.pk}/start", follow=True)
    assert "privacytoets 2b weigerde" in response.content.decode().lower() and not made.steps.exists()
    assert AuditEvent.objects.filter(action="approach:intervention:start", result="denied").exists()
    client.force_login(users["regisseur"])
    assert client.post(f"/cases/{case.pk}/close", {"reasons": "2B geweigerd; niets anders."}).status_code == 302
    case.refresh_from_db()
    assert case.state == "closed"
    timeline = client.get(f"/signals/{case.signal_id}").content.decode()
    assert "Plan van aanpak gesloten; monitoring tot" in timeline
    assert timeline.count("2B geweigerd; niets anders.") == 1  # on the status change, not again on the closure


def test_execution_by_another_department_web_is_403(
    case: Case, plan: Any, users: Any, client: Any, permit_officer: Any
) -> None:
    from tests.conftest import actor
    from weerbaar.approach import services

    made = plan(allowed=True, start=True)
    services.team_add(acting=actor(users["regisseur"], "regisseur"), case_id=case.pk, user_id=permit_officer.pk)
    client.force_login(permit_officer)
    step = made.steps.order_by("step__order").first()
    assert step is not None
    assert client.post(f"/cases/steps/{step.pk}/complete", {"notes": "x"}).status_code == 403
    assert (
        client.post(f"/cases/interventions/{made.pk}/outcome", {"outcome": "effective", "notes": "x"}).status_code
        == 403
    )
    step.refresh_from_db()
    assert step.done_at is None
    client.force_login(users["department_officer"])
    assert client.post(f"/cases/steps/{step.pk}/complete", {"notes": "Ontvangen."}).status_code == 302


def test_case_list_filters_and_shows_no_content(case: Case, users: Any, client: Any) -> None:
    client.force_login(users["regisseur"])
    page = client.get("/cases").content.decode()
    assert case.reference in page and DESCRIPTION not in page
    assert case.reference in client.get(f"/cases?q={case.reference}").content.decode()
    assert case.reference not in client.get("/cases?state=closed").content.decode()


def test_case_pages_have_no_duplicate_ids(
    case: Case, parts: Parts, plan: Any, matrix: Any, users: Any, client: Any
) -> None:
    """Every label points at its own field: no id twice on the case, its forms and the meeting view."""
    from tests.research.test_web import duplicate_ids

    made = plan(allowed=True, start=True)
    step = made.steps.order_by("step__order").first()
    assert step is not None
    pages = {
        "regisseur": [
            f"/cases/{case.pk}",
            f"/cases/{case.pk}/meetings/new",
            f"/cases/{case.pk}/interventions/new",
            f"/cases/{case.pk}/close",
            f"/cases/{case.pk}/team",
            f"/cases/{case.pk}/participants/new",
            f"/signals/{case.signal_id}",
            "/cases",
        ],
        "privacyfunctionaris": [
            f"/cases/{case.pk}/privacy-check-2a",
            f"/cases/interventions/{made.pk}/privacy-check-2b",
        ],
        "ondermijningsteam": [f"/cases/{case.pk}/meeting", f"/cases/{case.pk}"],
        "department_officer": [
            f"/cases/steps/{step.pk}/complete",
            f"/cases/interventions/{made.pk}/outcome",
            f"/cases/{case.pk}",
        ],
    }
    for role, urls in pages.items():
        client.force_login(users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert duplicate_ids(response.content.decode()) == [], (role, url)
