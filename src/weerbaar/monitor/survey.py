# SPDX-License-Identifier: EUPL-1.2
"""The questionnaire a municipality fills in with its personal link: finding the invitation by
token, the pages (one per theme), routing, checking and saving answers, and submitting.

The rules are the codebook's (``codebook_schema``): :func:`codebook_schema.parse_value` decides
whether an answer is valid, exactly as for an imported file, and :func:`codebook_schema.condition_holds`
decides whether a question is asked. This module only adds what the web needs: a message in the
respondent's language per refused answer, pages, and the order of saving.

Decisions (docs/monitor-guide.md explains them to respondents and researchers):

* **Saved as you go.** Every page is saved on its own (the response is *partial* until submitted)
  and the link can be used again at any time until closing; the overview resumes at the first page
  with an unanswered question.
* **Routing when showing and when saving.** A page shows the questions whose ``ask_if`` holds for
  the answers saved so far. An answer to a question the page did not show is refused; an answer that
  routing drops because of a changed answer (on this page or an earlier one) is removed, and the
  respondent is told which. Routing only looks back, so one pass in questionnaire order is enough.
* **All or nothing per page.** If any answer on a page is refused, nothing of the page is stored
  and every refused answer gets its own message.
* **Submitting** marks the response complete and needs every asked question answered. A submitted
  response can still be changed until the wave closes; a change that adds a question (routing)
  makes it partial again until it is submitted again. The benchmark sheet opens only after closing
  (figures final; a sheet seen before closing could steer answers, and comparing two sheets seen at
  different moments could reveal one municipality's answer).
* **Tokens.** A token is looked up by its SHA-256 and the stored hash compared in constant time;
  malformed tokens never reach the database. Failed look-ups are counted per client address, and
  past :data:`FAILURE_LIMIT` in :data:`FAILURE_WINDOW` seconds every token page answers 429, so
  links cannot be enumerated (they could not be guessed anyway: 256 bits).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import system_actor
from weerbaar.audit.services import audit
from weerbaar.monitor.answers_import import is_complete
from weerbaar.monitor.codebook_schema import ItemSpec, Value, condition_holds, parse_value
from weerbaar.monitor.models import (
    Invitation,
    Municipality,
    Response,
    ResponseSource,
    ResponseStatus,
    Theme,
    Wave,
    WaveState,
    hash_token,
)
from weerbaar.monitor.waves import benchmark_until, frame_year, wave_items

#: ``secrets.token_urlsafe(32)`` is 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
FAILURE_LIMIT = 20
FAILURE_WINDOW = 15 * 60


class Unavailable(Exception):
    """The link does not open the page: ``reason`` says why, ``status`` is the HTTP status.

    unknown (404): no such link (or a malformed one, or one replaced by a newer link);
    expired / closed (410): the questionnaire has ended; throttled (429): too many bad links;
    not_yet (200, a plain message): the benchmark sheet opens when the wave closes;
    benchmark_over (410): the benchmark period has passed.
    """

    STATUS = {"unknown": 404, "expired": 410, "closed": 410, "throttled": 429, "not_yet": 200, "benchmark_over": 410}

    def __init__(self, reason: str, *, benchmark_available: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS[reason]
        self.benchmark_available = benchmark_available


@dataclass(frozen=True)
class Access:
    """What a valid link opens: one municipality's invitation to one wave."""

    invitation: Invitation
    wave: Wave
    municipality: Municipality


# --- finding the invitation -------------------------------------------------------------------


def _failure_key(client: str) -> str:
    return f"monitor:survey:failures:{client}"


def throttled(client: str) -> bool:
    return int(cache.get(_failure_key(client), 0)) >= FAILURE_LIMIT


def _count_failure(client: str) -> None:
    key = _failure_key(client)
    if cache.add(key, 1, FAILURE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FAILURE_WINDOW)


def find_invitation(token: str, *, client: str) -> Invitation:
    """The invitation of ``token`` or :class:`Unavailable` ("unknown" / "throttled")."""
    if throttled(client):
        raise Unavailable("throttled")
    if not TOKEN_PATTERN.match(token or ""):
        _count_failure(client)
        raise Unavailable("unknown")
    digest = hash_token(token)
    invitation = Invitation.objects.select_related("wave", "wave__codebook").filter(token_hash=digest).first()
    # The look-up is by an index on the hash (an attacker cannot steer a hash's prefix); the
    # comparison of the found row is constant-time all the same.
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        _count_failure(client)
        raise Unavailable("unknown")
    return invitation


def _municipality(invitation: Invitation, wave: Wave) -> Municipality:
    year = frame_year(wave.year)
    found = (
        Municipality.objects.filter(year=year, cbs_code=invitation.municipality_code).first()
        if year is not None
        else None
    )
    if found is None:  # the lineage was corrected and dropped the code: treat the link as unknown
        raise Unavailable("unknown")
    return found


def survey_access(token: str, *, client: str, now: datetime | None = None) -> Access:
    """The questionnaire behind ``token``, or :class:`Unavailable` with the reason."""
    now = now or timezone.now()
    invitation = find_invitation(token, client=client)
    wave = invitation.wave
    if invitation.revoked_at is not None:
        raise Unavailable("unknown")
    if wave.state != WaveState.OPEN:
        raise Unavailable("closed", benchmark_available=_benchmark_open(wave, now))
    if now >= invitation.expires_at:
        raise Unavailable("expired")
    return Access(invitation, wave, _municipality(invitation, wave))


def _benchmark_open(wave: Wave, now: datetime) -> bool:
    until = benchmark_until(wave)
    return until is not None and now < until


def benchmark_access(token: str, *, client: str, now: datetime | None = None) -> Access:
    """The benchmark sheet behind ``token``: from closing for ``waves.BENCHMARK_DAYS`` days."""
    now = now or timezone.now()
    invitation = find_invitation(token, client=client)
    wave = invitation.wave
    if invitation.revoked_at is not None:
        raise Unavailable("unknown")
    if wave.state != WaveState.CLOSED:
        raise Unavailable("not_yet")
    if not _benchmark_open(wave, now):
        raise Unavailable("benchmark_over")
    return Access(invitation, wave, _municipality(invitation, wave))


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One theme of the questionnaire; ``number`` counts from 1."""

    number: int
    theme: str
    title: str
    items: list[ItemSpec]


def pages(items: Sequence[ItemSpec]) -> list[Page]:
    """One page per theme, in the order the themes first appear in the questionnaire."""
    by_theme: dict[str, list[ItemSpec]] = {}
    for item in items:
        by_theme.setdefault(item.theme, []).append(item)
    titles = dict(Theme.choices)
    return [
        Page(number, theme, str(titles.get(theme, theme)), page_items)
        for number, (theme, page_items) in enumerate(by_theme.items(), start=1)
    ]


def shown(items: Sequence[ItemSpec], answers: Mapping[str, Any]) -> list[ItemSpec]:
    """The items of ``items`` that routing asks, given ``answers``."""
    return [item for item in items if condition_holds(item.ask_if, answers)]


def apply_routing(items: Sequence[ItemSpec], answers: Mapping[str, Value]) -> tuple[dict[str, Value], list[str]]:
    """Drop answers to items routing no longer asks. Items in questionnaire order; a condition only
    looks back, so the answers kept so far decide each item. Returns (kept, dropped ids)."""
    known = {item.id for item in items}
    kept: dict[str, Value] = {}
    dropped: list[str] = []
    for item in items:
        if item.id not in answers:
            continue
        if condition_holds(item.ask_if, kept):
            kept[item.id] = answers[item.id]
        else:
            dropped.append(item.id)
    # An answer to an item this wave does not ask (a changed codebook) is not kept either.
    dropped.extend(sorted(k for k in answers if k not in known))
    return kept, dropped


def label(item: ItemSpec) -> str:
    return item.label_en if (get_language() or "nl").startswith("en") else item.label_nl


def choice_label(item: ItemSpec, code: str) -> str:
    english = (get_language() or "nl").startswith("en")
    for choice in item.choices:
        if choice["code"] == code:
            return choice["label_en"] if english else choice["label_nl"]
    return code


def show_number(value: float | int | None) -> str:
    """A number as a Dutch reader writes it (decimal comma); English keeps the point."""
    if value is None:
        return ""
    text = str(int(value)) if float(value).is_integer() else str(value)
    return text if (get_language() or "nl").startswith("en") else text.replace(".", ",")


def answer_error(item: ItemSpec, raw: Any) -> str:
    """The message for a refused answer, in the respondent's language.

    ``parse_value`` decides *that* an answer is refused (the one rule for files and the web); the
    message says what the question accepts, which is what a respondent needs to correct it.
    """
    given = ", ".join(map(str, raw)) if isinstance(raw, list) else str(raw)
    given = given.strip()[:40]
    if item.type == "yes_no":
        return _("Choose yes or no.")
    if item.type == "scale":
        return _("Choose a whole number from %(min)s to %(max)s.") % {"min": item.scale_min, "max": item.scale_max}
    if item.type == "number":
        low, high = item.number_min, item.number_max
        if low is not None and high is not None:
            text = _("Enter a number from %(min)s to %(max)s.") % {"min": show_number(low), "max": show_number(high)}
        elif low is not None:
            text = _("Enter a number of at least %(min)s.") % {"min": show_number(low)}
        elif high is not None:
            text = _("Enter a number of at most %(max)s.") % {"max": show_number(high)}
        else:
            text = _("Enter a number, such as 3 or 2,5.")
        return text + " " + _("You entered “%(value)s”.") % {"value": given}
    if item.type == "choice":
        return _("Choose one of the options.")
    return _("Choose one or more of the options.")


def check_answers(items: Sequence[ItemSpec], raw: Mapping[str, Any]) -> tuple[dict[str, Value | None], dict[str, str]]:
    """Read the raw answers of ``items`` (blank = no answer): (values, errors per item id)."""
    values: dict[str, Value | None] = {}
    errors: dict[str, str] = {}
    for item in items:
        value = raw.get(item.id)
        if _blank(value):
            values[item.id] = None
            continue
        try:
            values[item.id] = parse_value(item, value)
        except ValueError:
            errors[item.id] = answer_error(item, value)
    return values, errors


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(str(v).strip() for v in value)
    return False


# --- saving -----------------------------------------------------------------------------------


@dataclass
class Saved:
    """What a save did: the response, answers routing removed, and questions that appeared."""

    response: Response | None
    dropped: list[str] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)
    reopened: bool = False  # a submitted response became partial again


def _respondent(access: Access, origin: str) -> Any:
    """The audit actor of a respondent: no account, the municipality acting through its link."""
    return system_actor(f"survey:{access.invitation.municipality_code}", origin=origin)


def _locked(access: Access) -> tuple[Invitation, Response | None]:
    """Lock the invitation (one writer per municipality), re-check it, and find the one response."""
    invitation = Invitation.objects.select_for_update().get(pk=access.invitation.pk)
    wave = Wave.objects.get(pk=access.wave.pk)
    if invitation.token_hash != access.invitation.token_hash or invitation.revoked_at is not None:
        raise Unavailable("unknown")
    if wave.state != WaveState.OPEN:
        raise Unavailable("closed")
    if timezone.now() >= invitation.expires_at:
        raise Unavailable("expired")
    response = (
        Response.objects.select_for_update().filter(wave=wave, municipality_code=invitation.municipality_code).first()
    )
    return invitation, response


def current_answers(access: Access) -> dict[str, Any]:
    response = Response.objects.filter(wave=access.wave, municipality_code=access.invitation.municipality_code).first()
    return dict(response.answers) if response is not None else {}


def save_page(*, access: Access, theme: str, raw: Mapping[str, Any], origin: str) -> Saved:
    """Check and store the answers of one page; ``ValidationError`` ({item id: message}) stores nothing.

    ``raw``: the page's form values per item id (text, or a list for multiple choice). A question of
    the page that is blank or absent has no answer (a form leaves out an unticked group), so an
    earlier answer to it is removed. Keys that are not questions of this page are refused.
    """
    items = wave_items(access.wave)
    page = next((p for p in pages(items) if p.theme == theme), None)
    if page is None:
        raise ValidationError({"page": _("This page is not part of the questionnaire.")})
    page_ids = {item.id for item in page.items}
    errors: dict[str, str] = {key: _("This is not a question on this page.") for key in raw if key not in page_ids}
    with transaction.atomic():
        invitation, response = _locked(access)
        saved = dict(response.answers) if response is not None else {}
        was_shown = {item.id for item in shown(page.items, saved)}
        values, problems = check_answers(page.items, raw)
        errors.update(problems)
        for item_id, value in values.items():
            if value is not None and item_id not in was_shown:
                errors[item_id] = _(
                    "This question does not apply given your earlier answers; the answer was not saved."
                )
        if errors:
            raise ValidationError(errors)
        merged = dict(saved)
        for item_id, value in values.items():
            if value is None:
                merged.pop(item_id, None)
            else:
                merged[item_id] = value
        kept, dropped = apply_routing(items, merged)
        appeared = [i.id for i in shown(page.items, kept) if i.id not in was_shown and i.id not in kept]
        if response is None:
            if not kept:  # paging through without answering does not start a response
                return Saved(response=None, appeared=appeared)
            # One response per municipality: the invitation lock serialises writers, and the
            # unique constraint (wave, municipality) backs it up.
            response = Response.objects.create(
                wave=access.wave,
                municipality_code=invitation.municipality_code,
                status=ResponseStatus.PARTIAL,
                source=ResponseSource.WEB,
                answers={},
            )
        reopened = response.status == ResponseStatus.COMPLETE and not is_complete(items, access.wave.year, kept)
        if reopened:
            response.status = ResponseStatus.PARTIAL
        response.answers = kept
        response.source = ResponseSource.WEB
        response.save(update_fields=["answers", "status", "source", "updated_at"])
        audit(
            _respondent(access, origin),
            "monitor.response.save",
            obj=response,
            detail={
                "year": access.wave.year,
                "municipality": invitation.municipality_code,
                "page": theme,
                "answered": sum(1 for v in values.values() if v is not None),
                "dropped": dropped[:50],
                "status": response.status,
            },
        )
    reported = [d for d in dropped if d in saved or values.get(d) is not None]
    return Saved(response=response, dropped=reported, appeared=appeared, reopened=reopened)


@dataclass(frozen=True)
class Missing:
    page: Page
    items: list[ItemSpec]


def missing(items: Sequence[ItemSpec], answers: Mapping[str, Any]) -> list[Missing]:
    """Per page, the asked questions without an answer (what stands between a respondent and submitting)."""
    found = []
    for page in pages(items):
        open_items = [i for i in shown(page.items, answers) if i.id not in answers]
        if open_items:
            found.append(Missing(page, open_items))
    return found


def submit(*, access: Access, origin: str) -> Response:
    """Mark the response complete; ``ValidationError`` when an asked question is unanswered."""
    items = wave_items(access.wave)
    with transaction.atomic():
        invitation, response = _locked(access)
        gaps = missing(items, response.answers if response is not None else {})
        if gaps:
            raise ValidationError(
                {
                    p.page.theme: _("%(count)d question(s) on “%(page)s” still need an answer.")
                    % {"count": len(p.items), "page": p.page.title}
                    for p in gaps
                }
            )
        if not (response is not None):  # no gaps means every asked question has an answer stored
            raise RuntimeError("internal error: expected response is not None")
        first = response.submitted_at is None
        response.status = ResponseStatus.COMPLETE
        response.submitted_at = timezone.now()
        response.save(update_fields=["status", "submitted_at", "updated_at"])
        audit(
            _respondent(access, origin),
            "monitor.response.submit",
            obj=response,
            detail={"year": access.wave.year, "municipality": invitation.municipality_code, "first": first},
        )
    return response
