# SPDX-License-Identifier: EUPL-1.2
"""Waves: create, open with a personal link per municipality (only hashes stored), reminders,
closing, new links, the progress figures and the periodic reminder task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from weerbaar.accounts.authz import Actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor import lineage, survey, waves
from weerbaar.monitor.codebook import ensure_shipped_codebook
from weerbaar.monitor.models import Invitation, Response, ResponseStatus, Wave, WaveState, hash_token

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
YEAR = 2022


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class OpenWave:
    wave: Wave
    tokens: dict[str, str]  # municipality code -> token

    def access(self, code: str) -> survey.Access:
        return survey.survey_access(self.tokens[code], client="test")


def open_small_wave(acting: Actor, contacts: dict[str, str] | None = None, year: int = YEAR) -> OpenWave:
    """A wave of ``year`` with the small test codebook (the ``small_codebook`` fixture), opened."""
    waves.create_wave(acting=acting, year=year, closes_on=timezone.localdate() + timedelta(days=30))
    opened = waves.open_wave(acting=acting, year=year, link_base=BASE, contacts=contacts or {})
    return OpenWave(opened.wave, {link.code: token_of(link.url) for link in opened.links})


@pytest.fixture
def opened(small_codebook: Any, acting: Actor) -> OpenWave:
    return open_small_wave(acting, contacts={"GM0363": "oov@amsterdam.example", "GM0599": "oov@rotterdam.example"})


# --- create ----------------------------------------------------------------------------------------


def test_a_wave_starts_as_a_draft_with_the_latest_codebook(small_codebook: Any, acting: Actor) -> None:
    wave = waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30), title="Meting 2022")
    assert (wave.state, wave.codebook_id, wave.title, wave.synthetic) == (
        WaveState.DRAFT,
        small_codebook.pk,
        "Meting 2022",
        False,
    )
    assert not Invitation.objects.exists()
    assert [i.id for i in waves.wave_items(wave)] == [
        "has_policy", "policy_year", "fte", "satisfaction", "orientation", "sources", "woz_ok", "cannabis",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="monitor.wave.create", object_id=str(wave.pk)).exists()


def test_only_items_asked_in_the_year_are_the_wave(small_codebook: Any, acting: Actor) -> None:
    wave = waves.create_wave(acting=acting, year=2009, closes_on=date.today() + timedelta(days=30))
    assert [i.id for i in waves.wave_items(wave)] == ["cannabis"]


@pytest.mark.parametrize(
    ("year", "closes_in", "field"),
    [
        (2012, 30, "year"),  # the codebook asks nothing in 2012
        (2005, 30, "year"),  # no municipal lineage (and no questions)
        (YEAR, 0, "closes_on"),  # closing today is not in the future
    ],
)
def test_a_wave_that_cannot_run_is_refused(
    small_codebook: Any, acting: Actor, year: int, closes_in: int, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        waves.create_wave(acting=acting, year=year, closes_on=date.today() + timedelta(days=closes_in))
    assert field in caught.value.message_dict
    assert not Wave.objects.exists()


def test_a_second_wave_of_the_same_year_is_refused(small_codebook: Any, acting: Actor) -> None:
    waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))
    with pytest.raises(ValidationError, match="already a wave"):
        waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))


def test_without_a_codebook_nothing_is_created(db: Any, acting: Actor) -> None:
    with pytest.raises(ValidationError, match="no codebook"):
        waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))


# --- open -----------------------------------------------------------------------------------------


def test_opening_invites_every_municipality_of_the_year_with_its_own_link(opened: OpenWave) -> None:
    codes = lineage.codes(YEAR)
    assert len(codes) == 345
    invitations = Invitation.objects.filter(wave=opened.wave)
    assert set(invitations.values_list("municipality_code", flat=True)) == codes == set(opened.tokens)
    assert len(set(opened.tokens.values())) == 345  # every link differs
    for code, token in list(opened.tokens.items())[:20]:
        assert len(token) == 43
        stored = invitations.get(municipality_code=code)
        assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    opened.wave.refresh_from_db()
    assert opened.wave.state == WaveState.OPEN and opened.wave.opened_at is not None
    # The link expires at midnight after the closing date.
    expires = invitations.first().expires_at  # type: ignore[union-attr]
    assert timezone.localtime(expires).date() == opened.wave.closes_on + timedelta(days=1)  # type: ignore[operator]
    assert timezone.localtime(expires).hour == 0


def test_no_link_is_stored_anywhere(opened: OpenWave) -> None:
    """The link exists only in the answer and the e-mail: neither the invitations nor the audit hold it."""
    token = opened.tokens["GM0363"]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
    for event in AuditEvent.objects.all():
        assert token not in str(event.detail)


def test_invitations_are_mailed_to_the_addresses_given(opened: OpenWave) -> None:
    assert sorted(m.to[0] for m in mail.outbox) == ["oov@amsterdam.example", "oov@rotterdam.example"]
    amsterdam = next(m for m in mail.outbox if m.to == ["oov@amsterdam.example"])
    assert f"{BASE}/monitor/survey/{opened.tokens['GM0363']}" in amsterdam.body
    assert "Aan de gemeente Amsterdam" in amsterdam.body and "— English —" in amsterdam.body
    assert "To the municipality of Amsterdam" in amsterdam.body
    assert "2022" in amsterdam.subject
    event = AuditEvent.objects.get(action="monitor.wave.open")
    assert event.detail["invitations"] == 345 and event.detail["with_email"] == 2


def test_open_returns_which_links_were_mailed(small_codebook: Any, acting: Actor) -> None:
    waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))
    result = waves.open_wave(acting=acting, year=YEAR, link_base=BASE, contacts={"GM0363": "a@example.nl"})
    mailed = {link.code for link in result.links if link.mailed}
    assert mailed == {"GM0363"}


def test_a_wave_opens_once(opened: OpenWave, acting: Actor) -> None:
    with pytest.raises(ValidationError, match="draft"):
        waves.open_wave(acting=acting, year=YEAR, link_base=BASE)
    assert Invitation.objects.count() == 345


def test_contacts_for_unknown_municipalities_refuse_the_opening(small_codebook: Any, acting: Actor) -> None:
    waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))
    with pytest.raises(ValidationError):
        waves.open_wave(acting=acting, year=YEAR, link_base=BASE, contacts={"GM9999": "x@example.nl"})
    assert not Invitation.objects.exists()
    assert Wave.objects.get(year=YEAR).state == WaveState.DRAFT


def test_contact_lines_are_checked_one_by_one(db: Any) -> None:
    text = "\n".join(
        [
            "GM0363;oov@amsterdam.example",
            "599, oov@rotterdam.example",
            "# a comment",
            "",
            "GM9999;x@example.nl",
            "GM0344;not-an-address",
            "GM0363;again@example.nl",
            "GM0518",
        ]
    )
    with pytest.raises(ValidationError) as caught:
        waves.parse_contacts(text, YEAR)
    problems = caught.value.message_dict["contacts"]
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 6", "line 7", "line 8"]
    assert waves.parse_contacts("GM0363;oov@amsterdam.example\n599\toov@rotterdam.example", YEAR) == {
        "GM0363": "oov@amsterdam.example",
        "GM0599": "oov@rotterdam.example",
    }


def test_a_wave_beyond_the_lineage_invites_the_latest_municipalities(acting: Actor, db: Any) -> None:
    ensure_shipped_codebook(acting=acting)
    assert waves.frame_year(2026) == lineage.LAST_YEAR == 2024
    assert waves.frame_year(2008) is None
    waves.create_wave(acting=acting, year=2026, closes_on=date.today() + timedelta(days=30))
    result = waves.open_wave(acting=acting, year=2026, link_base=BASE)
    assert len(result.links) == 342 == len(lineage.codes(2024))


# --- reminders --------------------------------------------------------------------------------------


def _respond(wave: Wave, code: str, status: str) -> None:
    Response.objects.create(wave=wave, municipality_code=code, status=status, answers={"cannabis": 1})


def test_reminders_go_to_those_not_complete_with_an_address(small_codebook: Any, acting: Actor) -> None:
    contacts = {"GM0363": "a@example.nl", "GM0599": "r@example.nl", "GM0518": "h@example.nl"}
    opened = open_small_wave(acting, contacts=contacts)
    _respond(opened.wave, "GM0599", ResponseStatus.COMPLETE)
    _respond(opened.wave, "GM0518", ResponseStatus.PARTIAL)
    mail.outbox.clear()
    result = waves.send_reminders(acting=acting, year=YEAR)
    assert result.sent == 2 and result.without_address == 345 - 1 - 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.nl", "h@example.nl"]
    assert opened.tokens["GM0363"] not in mail.outbox[0].body  # a reminder carries no link
    reminded = Invitation.objects.get(wave=opened.wave, municipality_code="GM0363")
    assert reminded.reminder_count == 1 and reminded.last_reminder_at is not None
    assert Invitation.objects.get(wave=opened.wave, municipality_code="GM0599").reminder_count == 0
    waves.send_reminders(acting=acting, year=YEAR)
    assert Invitation.objects.get(wave=opened.wave, municipality_code="GM0363").reminder_count == 2
    assert AuditEvent.objects.filter(action="monitor.wave.remind").count() == 2


def test_the_periodic_task_reminds_weekly_and_only_open_waves(small_codebook: Any, acting: Actor) -> None:
    from weerbaar.monitor.tasks import send_due_reminders

    open_small_wave(acting, contacts={"GM0363": "a@example.nl"})
    mail.outbox.clear()
    assert send_due_reminders.call() == 0  # invited today: not due yet
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert send_due_reminders.call() == 1
        assert send_due_reminders.call() == 0  # reminded just now
    with time_machine.travel(timezone.now() + timedelta(days=16)):
        assert send_due_reminders.call() == 1
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        assert send_due_reminders.call() == 0  # the closing date has passed
    assert len(mail.outbox) == 2


def test_reminders_need_an_open_wave(small_codebook: Any, acting: Actor) -> None:
    waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))
    with pytest.raises(ValidationError):
        waves.send_reminders(acting=acting, year=YEAR)


# --- closing ----------------------------------------------------------------------------------------


def test_closing_stops_the_links_keeps_partial_responses_and_erases_addresses(opened: OpenWave, acting: Actor) -> None:
    _respond(opened.wave, "GM0363", ResponseStatus.PARTIAL)
    assert opened.access("GM0363").municipality.name == "Amsterdam"
    wave = waves.close_wave(acting=acting, year=YEAR)
    assert wave.state == WaveState.CLOSED and wave.closed_at is not None
    with pytest.raises(survey.Unavailable) as caught:
        opened.access("GM0363")
    assert (caught.value.reason, caught.value.status, caught.value.benchmark_available) == ("closed", 410, True)
    assert Response.objects.get(municipality_code="GM0363").status == ResponseStatus.PARTIAL
    assert not Invitation.objects.exclude(email="").exists()
    assert not Invitation.objects.filter(expires_at__gt=timezone.now()).exists()
    assert AuditEvent.objects.get(action="monitor.wave.close").detail["partial"] == 1
    with pytest.raises(ValidationError):
        waves.close_wave(acting=acting, year=YEAR)


# --- new links --------------------------------------------------------------------------------------


def test_a_new_link_replaces_the_old_one(opened: OpenWave, acting: Actor) -> None:
    old = opened.tokens["GM0363"]
    link = waves.issue_link(acting=acting, year=YEAR, code="GM0363", link_base=BASE, email="nieuw@example.nl")
    new = token_of(link.url)
    assert new != old and link.mailed
    with pytest.raises(survey.Unavailable) as caught:
        survey.survey_access(old, client="test")
    assert caught.value.reason == "unknown"
    assert survey.survey_access(new, client="test").municipality.cbs_code == "GM0363"
    assert Invitation.objects.filter(wave=opened.wave).count() == 345
    assert mail.outbox[-1].to == ["nieuw@example.nl"] and new in mail.outbox[-1].body


def test_a_link_for_a_closed_imported_wave_opens_only_the_benchmark(small_codebook: Any, acting: Actor) -> None:
    from weerbaar.monitor.answers_import import import_rows

    import_rows(acting=acting, year=YEAR, rows=[{"municipality_code": "GM0363", "cannabis": "1"}])
    link = waves.issue_link(acting=acting, year=YEAR, code="GM0363", link_base=BASE)
    with pytest.raises(survey.Unavailable):
        survey.survey_access(token_of(link.url), client="test")
    assert survey.benchmark_access(token_of(link.url), client="test").municipality.cbs_code == "GM0363"


def test_a_link_for_an_unknown_municipality_or_a_draft_is_refused(small_codebook: Any, acting: Actor) -> None:
    waves.create_wave(acting=acting, year=YEAR, closes_on=date.today() + timedelta(days=30))
    with pytest.raises(ValidationError):
        waves.issue_link(acting=acting, year=YEAR, code="GM0363", link_base=BASE)
    waves.open_wave(acting=acting, year=YEAR, link_base=BASE)
    with pytest.raises(ValidationError):
        waves.issue_link(acting=acting, year=YEAR, code="GM9999", link_base=BASE)


# --- progress ---------------------------------------------------------------------------------------


def test_progress_counts_per_size_class_and_region(opened: OpenWave) -> None:
    _respond(opened.wave, "GM0363", ResponseStatus.COMPLETE)  # Amsterdam: 100k+, Amsterdam-Amstelland
    _respond(opened.wave, "GM0599", ResponseStatus.PARTIAL)  # Rotterdam: 100k+, Rotterdam
    data = waves.progress(opened.wave)
    assert (data.total.total, data.total.complete, data.total.partial, data.total.not_started) == (345, 1, 1, 343)
    big = next(g for g in data.by_size_class if g.key == "100k_plus")
    assert (big.complete, big.partial) == (1, 1)
    assert sum(g.total for g in data.by_size_class) == sum(g.total for g in data.by_region) == 345
    amstelland = next(g for g in data.by_region if g.key == "Amsterdam-Amstelland")
    assert amstelland.complete == 1 and amstelland.response_rate == pytest.approx(1 / amstelland.total)
    rows = {r.code: r for r in data.rows}
    assert rows["GM0363"].status == "complete" and rows["GM0363"].has_email
    assert rows["GM0518"].status == "not_started" and rows["GM0518"].invited and not rows["GM0518"].has_email


def test_benchmark_links_reach_the_respondents_of_an_imported_wave(small_codebook: Any, acting: Actor) -> None:
    from weerbaar.monitor.answers_import import import_rows

    import_rows(
        acting=acting,
        year=YEAR,
        rows=[{"municipality_code": "GM0363", "cannabis": "1"}, {"municipality_code": "GM0599", "cannabis": "0"}],
    )
    links = waves.issue_benchmark_links(
        acting=acting, year=YEAR, link_base=BASE, contacts={"GM0599": "oov@rotterdam.example"}
    )
    assert sorted(link.code for link in links) == ["GM0363", "GM0599"]
    assert [link.code for link in links if link.mailed] == ["GM0599"]
    assert "benchmarkblad" in mail.outbox[-1].body and mail.outbox[-1].to == ["oov@rotterdam.example"]
    assert not Invitation.objects.exclude(email="").exists()  # the address is not kept
    for link in links:
        with pytest.raises(survey.Unavailable):
            survey.survey_access(token_of(link.url), client="test")
        assert survey.benchmark_access(token_of(link.url), client="test").municipality.cbs_code == link.code
    assert waves.issue_benchmark_links(acting=acting, year=YEAR, link_base=BASE) == []  # each gets one link


def test_benchmark_links_need_a_closed_wave(opened: OpenWave, acting: Actor) -> None:
    with pytest.raises(ValidationError):
        waves.issue_benchmark_links(acting=acting, year=YEAR, link_base=BASE)
