# SPDX-License-Identifier: EUPL-1.2
"""Step 3 in the web UI: one signal through privacy check 1, queries, a content request and W4."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.research.helpers import ASSESSMENT, approve_sources, request_pc1
from weerbaar.audit.models import AuditEvent
from weerbaar.research.models import W4, ContentDecision, ContentRequest, PrivacyCheck1, Query, SourceApproval

pytestmark = pytest.mark.django_db


def assessment_form(slug: str, outcome: str, **extra: Any) -> dict[str, str]:
    flat = {**{k: v for k, v in ASSESSMENT.items() if k != "compatibility"}, **ASSESSMENT["compatibility"]}
    return {
        f"{slug}-outcome": outcome,
        f"{slug}-reasons": f"Besluit {slug}",
        **{f"{slug}-{k}": v for k, v in flat.items()},
        **extra,
    }


def test_the_whole_step_through_the_web(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    signal = new_signal("research")
    page = f"/signals/{signal.pk}/research"

    # The team asks for privacy check 1.
    client.force_login(users["ondermijningsteam"])
    body = client.get(page).content.decode()
    assert "Privacytoets 1 aanvragen" in body  # the UI is Dutch
    response = client.post(f"{page}/pc1", {"sources": ["vth", "bibob"], "reasons": "Is Jan bekend?"})
    assert response.status_code == 302 and response["Location"] == page
    pc1 = PrivacyCheck1.objects.get()

    # The privacyfunctionaris: the task list, then the decision page with the signal's summary.
    client.force_login(users["privacyfunctionaris"])
    assert f"/research/pc1/{pc1.pk}" in client.get("/research/tasks").content.decode()
    assert f"/research/pc1/{pc1.pk}" in client.get("/").content.decode()  # the work queue too
    decision_page = client.get(f"/research/pc1/{pc1.pk}")
    assert decision_page.status_code == 200 and "Geblindeerde ramen" in decision_page.content.decode()
    read = AuditEvent.objects.filter(action="signals:signal:read").latest("id")
    assert read.purpose == "privacy check 1"
    refused = client.post(f"/research/pc1/{pc1.pk}", assessment_form("bibob", "approved"))
    assert refused.status_code == 200 and "Wet Bibob art. 28" in refused.content.decode()
    assert not SourceApproval.objects.exists()
    done = client.post(
        f"/research/pc1/{pc1.pk}",
        {**assessment_form("vth", "approved"), "bibob-outcome": "refused", "bibob-reasons": "Uitgesloten."},
    )
    assert done.status_code == 302
    assert sorted(SourceApproval.objects.values_list("source__slug", "outcome")) == [
        ("bibob", "refused"),
        ("vth", "approved"),
    ]

    # The team runs the queries and asks for the content of the hit.
    client.force_login(users["ondermijningsteam"])
    response = client.post(f"{page}/queries", {"purpose": ""}, follow=True)
    assert response.status_code == 200
    query = Query.objects.get()
    assert query.status == "hit"
    body = client.get(page).content.decode()
    assert f"/research/queries/{query.pk}/content" in body and "Hennepgeur" not in body
    form = client.get(f"/research/queries/{query.pk}/content")
    assert form.status_code == 200
    response = client.post(
        f"/research/queries/{query.pk}/content", {"fields_wanted": ["date", "summary"], "reasons": "Voor W4."}
    )
    assert response.status_code == 302
    request = ContentRequest.objects.get()
    not_yet = client.get(f"/research/content/{request.pk}/answer")
    assert not_yet.status_code == 200 and "Hennepgeur" not in not_yet.content.decode()
    assert AuditEvent.objects.filter(action="research:content:read").latest("id").result == "denied"

    # The source owner (the department owning vth) decides, seeing the justification only.
    client.force_login(users["source_owner"])
    owner_page = client.get(f"/research/content/{request.pk}").content.decode()
    assert "Voor W4." in owner_page and "Geblindeerde ramen" not in owner_page and "Fictief" not in owner_page
    assert f"/research/content/{request.pk}" in client.get("/research/tasks").content.decode()
    assert "Datum, Samenvatting" in client.get("/").content.decode()  # the work queue names fields in Dutch
    response = client.post(
        f"/research/content/{request.pk}", {"approve": "yes", "fields_approved": ["summary"], "reasons": "Akkoord."}
    )
    assert response.status_code == 302
    assert ContentDecision.objects.get().approved_fields == ["summary"]

    # The team reads the answer (audited with the purpose), then decides W4.
    client.force_login(users["ondermijningsteam"])
    answer = client.get(f"/research/content/{request.pk}/answer").content.decode()
    assert "Hennepgeur geconstateerd" in answer
    event = AuditEvent.objects.filter(action="research:content:read").latest("id")
    assert event.result == "success" and signal.reference in event.purpose
    response = client.post(
        f"{page}/w4", {"confirmed": "no", "outcome": "case", "departments": [], "reasons": "Niet bevestigd."}
    )
    assert response.status_code == 200 and not W4.objects.exists()  # refused, shown on the form
    response = client.post(f"{page}/w4", {"confirmed": "no", "outcome": "stop", "reasons": "Niet bevestigd."})
    assert response.status_code == 302 and response["Location"] == f"/signals/{signal.pk}"
    signal.refresh_from_db()
    assert signal.state == "stopped"

    # The signal page shows the whole path on one timeline.
    detail = client.get(f"/signals/{signal.pk}").content.decode()
    for text in ("Voor W4.", "Besluit vth", "Niet bevestigd.", "Datum, Samenvatting"):
        assert text in detail
    assert "date, summary" not in detail
    assert detail.count("Niet bevestigd.") == 1  # W4's reasons once: on its status change, not again on W4


def test_a_privacyfunctionaris_sees_no_other_reasons_and_a_reporter_no_research(
    users: Any, new_signal: Any, sources: Any, client: Any
) -> None:
    signal = new_signal("research", reporter="department_officer")
    approve_sources(users, signal.pk, ["vth"])
    client.force_login(users["privacyfunctionaris"])
    detail = client.get(f"/signals/{signal.pk}").content.decode()
    assert "Besluit over vth." not in detail  # reasons need the full view on the timeline
    research = client.get(f"/signals/{signal.pk}/research").content.decode()
    assert "Besluit over vth." in research  # ... but privacy check 1 is theirs to read
    client.force_login(users["department_officer"])
    assert "vth" not in client.get(f"/signals/{signal.pk}").content.decode().lower()
    assert client.get(f"/signals/{signal.pk}/research").status_code == 403


def test_the_actions_offer_the_next_step(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    signal = new_signal("research")
    client.force_login(users["ondermijningsteam"])
    body = client.get(f"/signals/{signal.pk}").content.decode()
    assert f"/signals/{signal.pk}/research/pc1" in body and f"/signals/{signal.pk}/research/w4" in body
    pc1 = request_pc1(users, signal.pk, ["vth"])
    client.force_login(users["privacyfunctionaris"])
    assert f"/research/pc1/{pc1.pk}" in client.get(f"/signals/{signal.pk}").content.decode()


def test_forms_show_service_errors_beside_the_fields(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    signal = new_signal("research")
    client.force_login(users["ondermijningsteam"])
    response = client.post(f"/signals/{signal.pk}/research/pc1", {"sources": ["vth"], "reasons": " "})
    assert response.status_code == 200 and "utrecht-form-field-error-message" in response.content.decode()
    response = client.post(f"/signals/{signal.pk}/research/queries", {"purpose": ""})
    assert response.status_code == 200  # no approval: the refusal is on the form
    assert "Geen enkele bron heeft een goedgekeurde privacytoets 1" in response.content.decode()


def test_pages_answer_404_for_unknown_ids(users: Any, client: Any) -> None:
    client.force_login(users["ondermijningsteam"])
    for url in ("/signals/999999/research", "/research/queries/999999/content", "/research/content/999999/answer"):
        assert client.get(url).status_code == 404, url
    client.force_login(users["privacyfunctionaris"])
    assert client.get("/research/pc1/999999").status_code == 404
    client.force_login(users["source_owner"])
    assert client.get("/research/content/999999").status_code == 404


def duplicate_ids(html: str) -> list[str]:
    """Ids used more than once on a page, and labels whose ``for`` names no element."""
    ids = re.findall(r'\sid="([^"]+)"', html)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    dangling = sorted(set(re.findall(r'\sfor="([^"]+)"', html)) - set(ids))
    return dupes + [f"label for {d}" for d in dangling]


def test_the_research_page_has_no_duplicate_ids(users: Any, new_signal: Any, sources: Any, client: Any) -> None:
    """Three forms on one page (privacy check 1, queries, W4) each label their own fields."""
    signal = new_signal("research")
    approve_sources(users, signal.pk, ["vth"])
    client.force_login(users["ondermijningsteam"])
    body = client.get(f"/signals/{signal.pk}/research").content.decode()
    assert 'id="pc1_reasons"' in body and 'id="w4_reasons"' in body and 'id="run_purpose"' in body
    assert duplicate_ids(body) == []
    pc1 = request_pc1(users, signal.pk, ["bibob", "brp"])
    client.force_login(users["privacyfunctionaris"])
    assert duplicate_ids(client.get(f"/research/pc1/{pc1.pk}").content.decode()) == []


def test_pages_link_a_favicon(users: Any, client: Any) -> None:
    """Browsers ask for /favicon.ico (a 404 in the console) unless the page names its icon."""
    from django.contrib.staticfiles import finders

    client.force_login(users["ondermijningsteam"])
    body = client.get("/research/tasks").content.decode()
    assert 'rel="icon"' in body and "weerbaar/favicon.svg" in body
    assert finders.find("weerbaar/favicon.svg")


def test_the_shipped_english_legal_regime_is_marked_english(
    users: Any, new_signal: Any, sources: Any, client: Any
) -> None:
    """The regimes of sources/defaults.py exist in English only: lang="en" for screen readers;
    a regime the municipality rewrote in Dutch is not marked."""
    from weerbaar.sources.models import Source

    Source.objects.filter(slug="bibob").update(legal_regime="Wet Bibob: alleen het bestuursorgaan zelf.")
    signal = new_signal("research")
    pc1 = request_pc1(users, signal.pk, ["vth", "bibob"])
    client.force_login(users["privacyfunctionaris"])
    body = client.get(f"/research/pc1/{pc1.pk}").content.decode()
    vth = Source.objects.get(slug="vth")
    assert f'<span class="wb-muted" lang="en">{vth.legal_regime}' in body
    assert '<span class="wb-muted">Wet Bibob: alleen het bestuursorgaan zelf.</span>' in body
