# SPDX-License-Identifier: EUPL-1.2
"""The questionnaire by personal link: one response per municipality, saved per page and resumable,
routing when showing and when saving, per-answer messages, submitting, and links that no longer
work (unknown, replaced, expired, closed) or are tried too often."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor import survey, waves
from weerbaar.monitor.answers_import import WaveImportRefused, import_rows
from weerbaar.monitor.models import Response, ResponseSource, ResponseStatus

from .test_waves import YEAR, OpenWave, open_small_wave

pytestmark = pytest.mark.django_db

AMSTERDAM = "GM0363"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def opened(small_codebook: Any, acting: Actor) -> OpenWave:
    return open_small_wave(acting)


@pytest.fixture
def access(opened: OpenWave) -> survey.Access:
    return opened.access(AMSTERDAM)


def save(access: survey.Access, theme: str, **raw: Any) -> survey.Saved:
    return survey.save_page(access=access, theme=theme, raw=raw, origin="test")


def stored() -> dict[str, Any]:
    return dict(Response.objects.get(municipality_code=AMSTERDAM).answers)


def fill_everything(access: survey.Access) -> None:
    save(access, "administrative", has_policy="1")
    save(access, "administrative", has_policy="1", policy_year="2015")
    save(access, "organisational", fte="2,5")
    save(access, "cooperation", satisfaction="4")
    save(access, "prevention", orientation="mixed")
    save(access, "information", sources=["brp", "kvk"])
    save(access, "phenomena", cannabis="1")


# --- pages and routing ------------------------------------------------------------------------------


def test_one_page_per_theme_in_questionnaire_order(access: survey.Access) -> None:
    pages = survey.pages(waves.wave_items(access.wave))
    assert [p.theme for p in pages] == [
        "administrative", "organisational", "cooperation", "prevention", "information", "phenomena",
    ]  # fmt: skip
    assert [i.id for i in pages[0].items] == ["has_policy", "policy_year"]


def test_a_page_is_saved_as_a_partial_response_and_can_be_resumed(opened: OpenWave, access: survey.Access) -> None:
    assert survey.current_answers(access) == {}
    saved = save(access, "organisational", fte="12,5")
    assert saved.response is not None and saved.response.status == ResponseStatus.PARTIAL
    assert saved.response.source == ResponseSource.WEB
    # Later, with the same link (a new request finds the invitation again).
    again = opened.access(AMSTERDAM)
    assert survey.current_answers(again) == {"fte": 12.5}
    save(again, "phenomena", cannabis="0")
    assert stored() == {"fte": 12.5, "cannabis": 0}
    assert AuditEvent.objects.filter(action="monitor.response.save").count() == 2
    event = AuditEvent.objects.filter(action="monitor.response.save").last()
    assert event is not None and event.role == f"survey:{AMSTERDAM}" and event.actor_id is None


def test_paging_through_without_answers_starts_no_response(access: survey.Access) -> None:
    saved = save(access, "organisational")
    assert saved.response is None and not Response.objects.exists()


def test_routing_shows_a_question_once_its_condition_holds(access: survey.Access) -> None:
    page = survey.pages(waves.wave_items(access.wave))[0]
    assert [i.id for i in survey.shown(page.items, {})] == ["has_policy"]
    saved = save(access, "administrative", has_policy="1")
    assert saved.appeared == ["policy_year"]  # the page shows the follow-up question now
    assert [i.id for i in survey.shown(page.items, stored())] == ["has_policy", "policy_year"]


def test_an_answer_to_a_question_routing_hides_is_refused_and_nothing_is_stored(access: survey.Access) -> None:
    save(access, "organisational", fte="3")
    with pytest.raises(ValidationError) as caught:
        save(access, "administrative", has_policy="0", policy_year="2015")
    assert list(caught.value.message_dict) == ["policy_year"]
    assert "does not apply" in caught.value.message_dict["policy_year"][0]
    assert stored() == {"fte": 3}  # has_policy was not stored either: all or nothing per page


def test_changing_an_answer_drops_the_answers_routing_no_longer_asks(access: survey.Access) -> None:
    save(access, "administrative", has_policy="1")
    save(access, "administrative", has_policy="1", policy_year="2015")
    save(access, "information", sources=["brp", "woz"])
    save(access, "information", sources=["brp", "woz"], woz_ok="1")
    assert stored()["woz_ok"] == 1
    saved = save(access, "administrative", has_policy="0", policy_year="2015")  # shown, now skipped
    assert saved.dropped == ["policy_year"]
    assert "policy_year" not in stored() and stored()["has_policy"] == 0
    saved = save(access, "information", sources=["kvk"], woz_ok="1")  # WOZ unticked, its follow-up left
    assert saved.dropped == ["woz_ok"] and "woz_ok" not in stored()


def test_an_emptied_answer_is_removed(access: survey.Access) -> None:
    save(access, "organisational", fte="3")
    save(access, "organisational", fte="")
    assert "fte" not in stored()


def test_keys_that_are_not_questions_of_the_page_are_refused(access: survey.Access) -> None:
    with pytest.raises(ValidationError) as caught:
        save(access, "organisational", fte="3", cannabis="1")
    assert list(caught.value.message_dict) == ["cannabis"]
    with pytest.raises(ValidationError):
        save(access, "no-such-page", fte="3")
    assert not Response.objects.exists()


# --- per-answer checks -----------------------------------------------------------------------------


CASES = [
    (
        "cooperation",
        {"satisfaction": "7"},
        "satisfaction",
        "Choose a whole number from 1 to 5.",
        "Kies een geheel getal van 1 tot en met 5.",
    ),
    (
        "organisational",
        {"fte": "-1"},
        "fte",
        "Enter a number of at least 0. You entered “-1”.",
        "Vul een getal in van minstens 0. U vulde “-1” in.",
    ),
    (
        "organisational",
        {"fte": "veel"},
        "fte",
        "Enter a number of at least 0. You entered “veel”.",
        "Vul een getal in van minstens 0. U vulde “veel” in.",
    ),
    ("administrative", {"has_policy": "misschien"}, "has_policy", "Choose yes or no.", "Kies ja of nee."),
    (
        "prevention",
        {"orientation": "other"},
        "orientation",
        "Choose one of the options.",
        "Kies een van de mogelijkheden.",
    ),
    (
        "information",
        {"sources": ["brp", "bag"]},
        "sources",
        "Choose one or more of the options.",
        "Kies een of meer van de mogelijkheden.",
    ),
]


@pytest.mark.parametrize(("theme", "raw", "item", "english", "dutch"), CASES)
def test_an_answer_out_of_range_gets_a_clear_message_and_nothing_is_stored(
    access: survey.Access, theme: str, raw: dict[str, Any], item: str, english: str, dutch: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(access, theme, **raw)
    assert caught.value.message_dict == {item: [english]}
    with translation.override("nl"), pytest.raises(ValidationError) as in_dutch:
        save(access, theme, **raw)
    assert in_dutch.value.message_dict == {item: [dutch]}
    assert not Response.objects.exists()


def test_one_bad_answer_refuses_the_whole_page(access: survey.Access) -> None:
    save(access, "administrative", has_policy="1")
    with pytest.raises(ValidationError):
        save(access, "administrative", has_policy="0", policy_year="1900")
    assert stored() == {"has_policy": 1}


def test_the_number_bounds_of_the_codebook_apply(access: survey.Access) -> None:
    save(access, "administrative", has_policy="1")
    with pytest.raises(ValidationError) as caught:
        save(access, "administrative", has_policy="1", policy_year="2030")
    assert caught.value.message_dict["policy_year"] == ["Enter a number from 2000 to 2026. You entered “2030”."]


# --- one response per municipality ------------------------------------------------------------------


def test_one_response_per_municipality(opened: OpenWave, access: survey.Access, acting: Actor) -> None:
    save(access, "organisational", fte="3")
    save(opened.access(AMSTERDAM), "phenomena", cannabis="1")
    save(opened.access("GM0599"), "phenomena", cannabis="0")
    assert Response.objects.filter(municipality_code=AMSTERDAM).count() == 1
    assert Response.objects.count() == 2
    # An imported file cannot add a second response for the same municipality either.
    with pytest.raises(WaveImportRefused, match="error"):
        import_rows(acting=acting, year=YEAR, rows=[{"municipality_code": AMSTERDAM, "cannabis": "0"}])
    assert stored() == {"fte": 3, "cannabis": 1}


def test_the_responses_of_municipalities_are_separate(opened: OpenWave) -> None:
    save(opened.access(AMSTERDAM), "organisational", fte="3")
    rotterdam = opened.access("GM0599")
    assert survey.current_answers(rotterdam) == {}
    save(rotterdam, "organisational", fte="9")
    assert stored() == {"fte": 3}


# --- submitting -------------------------------------------------------------------------------------


def test_submitting_needs_every_asked_question(access: survey.Access) -> None:
    save(access, "organisational", fte="3")
    with pytest.raises(ValidationError) as caught:
        survey.submit(access=access, origin="test")
    assert set(caught.value.message_dict) == {"administrative", "cooperation", "prevention", "information", "phenomena"}
    assert Response.objects.get().status == ResponseStatus.PARTIAL


def test_submitting_marks_the_response_complete(access: survey.Access) -> None:
    fill_everything(access)
    response = survey.submit(access=access, origin="test")
    assert response.status == ResponseStatus.COMPLETE and response.submitted_at is not None
    assert AuditEvent.objects.filter(action="monitor.response.submit").exists()


def test_a_submitted_response_stays_editable_until_closing(access: survey.Access) -> None:
    fill_everything(access)
    survey.submit(access=access, origin="test")
    saved = save(access, "organisational", fte="4")
    assert not saved.reopened and Response.objects.get().status == ResponseStatus.COMPLETE
    # A change that brings up a new question makes the response partial until it is submitted again.
    saved = save(access, "information", sources=["woz"])
    assert saved.reopened and saved.appeared == ["woz_ok"]
    assert Response.objects.get().status == ResponseStatus.PARTIAL
    save(access, "information", sources=["woz"], woz_ok="0")
    assert survey.submit(access=access, origin="test").status == ResponseStatus.COMPLETE


def test_the_stored_answers_are_those_an_import_would_store(access: survey.Access) -> None:
    fill_everything(access)
    assert stored() == {
        "has_policy": 1,
        "policy_year": 2015,
        "fte": 2.5,
        "satisfaction": 4,
        "orientation": "mixed",
        "sources": ["brp", "kvk"],
        "cannabis": 1,
    }


# --- links that do not work -------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "short", "x" * 43 + "y", "a" * 43, "../../etc/passwd", "a" * 42 + "!"])
def test_an_unknown_or_malformed_link_is_unknown(opened: OpenWave, token: str) -> None:
    with pytest.raises(survey.Unavailable) as caught:
        survey.survey_access(token, client="test")
    assert (caught.value.reason, caught.value.status) == ("unknown", 404)


def test_an_expired_link_no_longer_opens_the_questionnaire(opened: OpenWave, access: survey.Access) -> None:
    save(access, "organisational", fte="3")
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        with pytest.raises(survey.Unavailable) as caught:
            opened.access(AMSTERDAM)
        assert (caught.value.reason, caught.value.status) == ("expired", 410)
        with pytest.raises(survey.Unavailable):  # an open page cannot be saved after expiry either
            save(access, "organisational", fte="4")
    assert stored() == {"fte": 3}


def test_a_closed_wave_refuses_saving_even_from_an_open_page(
    opened: OpenWave, access: survey.Access, acting: Actor
) -> None:
    save(access, "organisational", fte="3")
    waves.close_wave(acting=acting, year=YEAR)
    with pytest.raises(survey.Unavailable) as caught:
        save(access, "organisational", fte="4")
    assert caught.value.reason == "closed"
    with pytest.raises(survey.Unavailable):
        survey.submit(access=access, origin="test")
    assert Response.objects.get().status == ResponseStatus.PARTIAL and stored() == {"fte": 3}


def test_the_benchmark_opens_only_after_closing(opened: OpenWave, acting: Actor) -> None:
    token = opened.tokens[AMSTERDAM]
    with pytest.raises(survey.Unavailable) as caught:
        survey.benchmark_access(token, client="test")
    assert caught.value.reason == "not_yet"
    waves.close_wave(acting=acting, year=YEAR)
    assert survey.benchmark_access(token, client="test").municipality.cbs_code == AMSTERDAM
    with time_machine.travel(timezone.now() + timedelta(days=waves.BENCHMARK_DAYS + 1)):
        with pytest.raises(survey.Unavailable) as caught:
            survey.benchmark_access(token, client="test")
        assert (caught.value.reason, caught.value.status) == ("benchmark_over", 410)


def test_a_revoked_link_is_unknown(opened: OpenWave) -> None:
    from weerbaar.monitor.models import Invitation

    Invitation.objects.filter(municipality_code=AMSTERDAM).update(revoked_at=timezone.now())
    with pytest.raises(survey.Unavailable) as caught:
        opened.access(AMSTERDAM)
    assert caught.value.reason == "unknown"


def test_too_many_unknown_links_from_one_address_are_throttled(opened: OpenWave) -> None:
    for _ in range(survey.FAILURE_LIMIT):
        with pytest.raises(survey.Unavailable):
            survey.survey_access("b" * 43, client="10.0.0.9")
    with pytest.raises(survey.Unavailable) as caught:  # now even a good link is refused from there
        survey.survey_access(opened.tokens[AMSTERDAM], client="10.0.0.9")
    assert (caught.value.reason, caught.value.status) == ("throttled", 429)
    assert survey.survey_access(opened.tokens[AMSTERDAM], client="10.0.0.10").municipality.cbs_code == AMSTERDAM
    with time_machine.travel(timezone.now() + timedelta(seconds=survey.FAILURE_WINDOW + 1)):
        assert survey.survey_access(opened.tokens[AMSTERDAM], client="10.0.0.9")
