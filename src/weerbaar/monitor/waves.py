# SPDX-License-Identifier: EUPL-1.2
"""Running a wave of the monitor: create, open (invite every municipality), remind, close, and the
progress dashboard's figures.

Why the rules are what they are (docs/monitor-guide.md says it for researchers):

* **One personal link per municipality.** A link is ``secrets.token_urlsafe(32)`` (256 bits); only
  its SHA-256 is stored (``Invitation.token_hash``), so the database never holds a usable link. The
  link is therefore shown *once* (on the page after opening, and in the invitation e-mail); a lost
  link is replaced by a new one (:func:`issue_link`), which makes the old one stop working.
* **Reminders carry no link** for the same reason: the link is not stored. A reminder points to the
  invitation e-mail and says how to get a new link.
* **The link expires when the wave closes**: at midnight after the closing date, or earlier when a
  researcher closes the wave. Closing keeps partial responses partial and erases the e-mail
  addresses, which were only needed for invitations and reminders.
* **Which municipalities are invited**: those of the wave's year in the municipal lineage. A wave of
  a year beyond the stored lineage (a 2026 wave while the lineage ends in 2024) invites the latest
  known list (:func:`frame_year`); its answers are then keyed by those codes.

Writes are keyword-only service functions taking ``acting`` and writing their audit row in the same
transaction; e-mail goes out after the transaction, so a mail server that is down never undoes an
invitation (the links are on screen too).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.audit.services import audit
from weerbaar.monitor import lineage
from weerbaar.monitor.codebook import codebook_by_version, load_spec
from weerbaar.monitor.codebook_schema import ItemSpec
from weerbaar.monitor.models import (
    Codebook,
    Invitation,
    Municipality,
    Response,
    ResponseSource,
    ResponseStatus,
    RiecRegion,
    SizeClass,
    Wave,
    WaveState,
    hash_token,
)

log = logging.getLogger(__name__)

#: Bytes of randomness in a link (``secrets.token_urlsafe`` gives 43 characters for 32 bytes).
TOKEN_BYTES = 32
#: The periodic reminder task writes to a municipality at most this often.
REMINDER_INTERVAL = timedelta(days=7)
#: How long after closing a municipality can still open its benchmark sheet with its link.
BENCHMARK_DAYS = 365
_CODE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)


# --- reading -----------------------------------------------------------------------------------


def frame_year(year: int) -> int | None:
    """The lineage year whose municipalities a wave of ``year`` covers: the year itself, or the
    latest stored year before it (a wave beyond the lineage invites today's municipalities).
    ``None`` when the lineage has no year at or before ``year``."""
    known = [y for y in lineage.years() if y <= year]
    return max(known) if known else None


def municipalities_of(wave: Wave) -> list[Municipality]:
    """The municipalities a wave is about (its population), ordered by code."""
    year = frame_year(wave.year)
    return [] if year is None else list(lineage.municipalities(year))


def wave_items(wave: Wave) -> list[ItemSpec]:
    """The questions of a wave: the items of its codebook asked in its year, in questionnaire order."""
    return [item for item in load_spec(wave.codebook).items if wave.year in item.waves]


def items_asked_in(codebook: Codebook, year: int) -> int:
    return sum(1 for item in codebook.items.all().only("waves") if year in (item.waves or []))


def wave_by_year(year: int) -> Wave:
    """The wave of ``year`` or ``Wave.DoesNotExist`` (views turn it into 404)."""
    return Wave.objects.select_related("codebook").get(year=year)


def invitation_valid_for_survey(invitation: Invitation, wave: Wave, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return wave.state == WaveState.OPEN and invitation.revoked_at is None and now < invitation.expires_at


def benchmark_until(wave: Wave) -> datetime | None:
    """Until when the benchmark sheets of a closed wave can be opened with the links."""
    if wave.state != WaveState.CLOSED or wave.closed_at is None:
        return None
    return wave.closed_at + timedelta(days=BENCHMARK_DAYS)


# --- progress ----------------------------------------------------------------------------------

NOT_STARTED = "not_started"


@dataclass
class GroupProgress:
    key: str
    label: str
    total: int = 0
    complete: int = 0
    partial: int = 0

    @property
    def not_started(self) -> int:
        return self.total - self.complete - self.partial

    @property
    def response_rate(self) -> float | None:
        """Share of the group that answered fully or in part (the published "response")."""
        return (self.complete + self.partial) / self.total if self.total else None


@dataclass
class MunicipalityProgress:
    code: str
    name: str
    size_class: str
    size_class_label: str
    riec_region: str
    status: str  # complete | partial | not_started
    invited: bool
    has_email: bool
    link_revoked: bool
    updated_at: datetime | None
    submitted_at: datetime | None
    reminder_count: int
    last_reminder_at: datetime | None


@dataclass
class Progress:
    wave: Wave
    total: GroupProgress
    by_size_class: list[GroupProgress]
    by_region: list[GroupProgress]
    rows: list[MunicipalityProgress] = field(default_factory=list)


def progress(wave: Wave) -> Progress:
    """Who answered, who is partial, who has not started, per size class and RIEC region.

    The population is the wave's municipalities (its lineage year), whether they were invited by
    link or their answers were imported.
    """
    responses = {
        r["municipality_code"]: r
        for r in Response.objects.filter(wave=wave).values("municipality_code", "status", "updated_at", "submitted_at")
    }
    invitations = {i.municipality_code: i for i in Invitation.objects.filter(wave=wave)}
    size_labels = dict(SizeClass.choices)
    total = GroupProgress("all", _("All municipalities"))
    sizes = {code: GroupProgress(code, str(label)) for code, label in SizeClass.choices}
    regions = {code: GroupProgress(code, str(label)) for code, label in RiecRegion.choices}
    rows: list[MunicipalityProgress] = []
    for m in municipalities_of(wave):
        response = responses.get(m.cbs_code)
        status = response["status"] if response else NOT_STARTED
        invitation = invitations.get(m.cbs_code)
        for group in (total, sizes.setdefault(m.size_class, GroupProgress(m.size_class, m.size_class)),
                      regions.setdefault(m.riec_region, GroupProgress(m.riec_region, m.riec_region))):  # fmt: skip
            group.total += 1
            if status == ResponseStatus.COMPLETE:
                group.complete += 1
            elif status == ResponseStatus.PARTIAL:
                group.partial += 1
        rows.append(
            MunicipalityProgress(
                code=m.cbs_code,
                name=m.name,
                size_class=m.size_class,
                size_class_label=str(size_labels.get(m.size_class, m.size_class)),
                riec_region=m.riec_region,
                status=status,
                invited=invitation is not None,
                has_email=bool(invitation and invitation.email),
                link_revoked=bool(invitation and invitation.revoked_at),
                updated_at=response["updated_at"] if response else None,
                submitted_at=response["submitted_at"] if response else None,
                reminder_count=invitation.reminder_count if invitation else 0,
                last_reminder_at=invitation.last_reminder_at if invitation else None,
            )
        )
    return Progress(
        wave=wave,
        total=total,
        by_size_class=[g for g in sizes.values() if g.total],
        by_region=[g for g in regions.values() if g.total],
        rows=rows,
    )


def response_counts(waves: Iterable[Wave]) -> dict[int, dict[str, int]]:
    """Per wave id: complete and partial responses (one query for the home page)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Response.objects.filter(wave__in=list(waves))
        .values("wave_id")
        .annotate(
            complete=Count("id", filter=Q(status=ResponseStatus.COMPLETE)),
            partial=Count("id", filter=Q(status=ResponseStatus.PARTIAL)),
        )
    )
    for row in rows:
        counts[row["wave_id"]] = {"complete": row["complete"], "partial": row["partial"]}
    return counts


def population_sizes(years: Iterable[int]) -> dict[int, int]:
    """Number of municipalities per wave year (through :func:`frame_year`)."""
    wanted = {y: frame_year(y) for y in set(years)}
    stored = dict(
        Municipality.objects.filter(year__in=[y for y in wanted.values() if y is not None])
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    return {y: stored.get(f, 0) if f is not None else 0 for y, f in wanted.items()}


# --- contacts ------------------------------------------------------------------------------------


def parse_contacts(text: str, year: int) -> dict[str, str]:
    """``code;e-mail`` per line (``,`` or a tab also separate) → ``{GM0363: address}``.

    Every line is checked against the wave's municipalities; any error refuses the whole list
    (``ValidationError`` on ``contacts`` naming each bad line), so no municipality is silently
    left without its invitation.
    """
    known = lineage.codes(frame_year(year) or year)
    contacts: dict[str, str] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in re.split(r"[;,\t]", line) if p.strip()]
        if len(parts) != 2:
            errors.append(_("line %(n)d: expected a municipality code and an e-mail address") % {"n": number})
            continue
        match = _CODE.match(parts[0])
        code = f"GM{int(match.group(1)):04d}" if match else None
        if code is None or code not in known:
            errors.append(
                _("line %(n)d: %(code)s is not a municipality of this wave") % {"n": number, "code": parts[0][:20]}
            )
            continue
        try:
            validate_email(parts[1])
        except ValidationError:
            errors.append(
                _("line %(n)d: %(address)s is not an e-mail address") % {"n": number, "address": parts[1][:80]}
            )
            continue
        if code in contacts:
            errors.append(_("line %(n)d: %(code)s appears more than once") % {"n": number, "code": code})
            continue
        contacts[code] = parts[1]
    if errors:
        raise ValidationError({"contacts": errors})
    return contacts


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    """A personal link as it exists only once: on the page after issuing, and in the e-mail."""

    code: str
    name: str
    email: str
    url: str
    mailed: bool = False


@dataclass(frozen=True)
class OpenedWave:
    wave: Wave
    links: list[IssuedLink]


def _new_token() -> tuple[str, str]:
    """A fresh link token and its hash; a clash with a stored hash is astronomically unlikely but
    would break the unique constraint, so the caller's transaction would fail rather than mix up
    municipalities."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def _expiry(closes_on: date) -> datetime:
    """Midnight after the closing date, in the deployment's time zone."""
    return timezone.make_aware(datetime.combine(closes_on + timedelta(days=1), time.min))


def _link(link_base: str, token: str) -> str:
    return link_base.rstrip("/") + reverse("monitor:survey", args=[token])


def create_wave(
    *,
    acting: Actor,
    year: int,
    closes_on: date,
    codebook_version: int | None = None,
    title: str = "",
    synthetic: bool = False,
) -> Wave:
    """A draft wave of ``year`` asked with a codebook version (default: the latest).

    Refused (``ValidationError``) when the year already has a wave, the codebook asks nothing in
    that year, there is no municipal lineage for it, or the closing date has passed.
    """
    errors: dict[str, str] = {}
    codebook = codebook_by_version(codebook_version)
    if codebook is None:
        errors["codebook_version"] = (
            _("There is no codebook version %(v)s.") % {"v": codebook_version}
            if codebook_version is not None
            else _("There is no codebook yet: import one first.")
        )
    elif not items_asked_in(codebook, year):
        errors["year"] = _("Codebook version %(v)s asks no questions in %(year)s.") % {
            "v": codebook.version,
            "year": year,
        }
    if Wave.objects.filter(year=year).exists():
        errors["year"] = _("There is already a wave for %(year)s.") % {"year": year}
    if frame_year(year) is None:
        errors["year"] = _("There is no list of municipalities for %(year)s.") % {"year": year}
    if closes_on <= timezone.localdate():
        errors["closes_on"] = _("The closing date must lie in the future.")
    if errors:
        raise ValidationError(errors)
    if not (codebook is not None):
        raise RuntimeError("internal error: expected codebook is not None")
    with transaction.atomic():
        wave = Wave.objects.create(
            year=year,
            codebook=codebook,
            state=WaveState.DRAFT,
            source=ResponseSource.WEB,
            closes_on=closes_on,
            title=title.strip()[:200],
            synthetic=synthetic,
        )
        audit(
            acting,
            "monitor.wave.create",
            obj=wave,
            detail={
                "year": year,
                "codebook": codebook.version,
                "closes_on": closes_on.isoformat(),
                "synthetic": synthetic,
            },
        )
    return wave


def open_wave(
    *,
    acting: Actor,
    year: int,
    link_base: str,
    contacts: Mapping[str, str] | None = None,
    closes_on: date | None = None,
) -> OpenedWave:
    """Open a draft wave: one invitation with a personal link per municipality of the wave.

    The links are returned (the only time they exist in full) and mailed to the municipalities
    whose address is in ``contacts``. The closing date may be moved here (it must lie ahead).
    """
    with transaction.atomic():
        wave = Wave.objects.select_for_update().select_related("codebook").filter(year=year).first()
        if wave is None:
            raise Wave.DoesNotExist(year)
        if wave.state != WaveState.DRAFT:
            raise ValidationError({"state": _("Only a draft wave can be opened; this one is %(state)s.") % {
                "state": wave.get_state_display()}})  # fmt: skip
        closing = closes_on or wave.closes_on
        if closing is None or closing <= timezone.localdate():
            raise ValidationError({"closes_on": _("The closing date must lie in the future.")})
        municipalities = municipalities_of(wave)
        if not municipalities:
            raise ValidationError({"year": _("There is no list of municipalities for %(year)s.") % {"year": year}})
        contacts = dict(contacts or {})
        unknown = sorted(set(contacts) - {m.cbs_code for m in municipalities})
        if unknown:
            raise ValidationError(
                {"contacts": _("Not municipalities of this wave: %(codes)s") % {"codes": ", ".join(unknown[:10])}}
            )
        now = timezone.now()
        expires = _expiry(closing)
        tokens: dict[str, str] = {}
        invitations = []
        for m in municipalities:
            token, digest = _new_token()
            tokens[m.cbs_code] = token
            invitations.append(
                Invitation(
                    wave=wave,
                    municipality_code=m.cbs_code,
                    token_hash=digest,
                    email=contacts.get(m.cbs_code, ""),
                    expires_at=expires,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=500)
        wave.state = WaveState.OPEN
        wave.opened_at = now
        wave.opens_on = timezone.localdate()
        wave.closes_on = closing
        wave.save(update_fields=["state", "opened_at", "opens_on", "closes_on"])
        audit(
            acting,
            "monitor.wave.open",
            obj=wave,
            detail={
                "year": year,
                "invitations": len(invitations),
                "with_email": len(contacts),
                "closes_on": closing.isoformat(),
            },
        )
    links = [
        IssuedLink(m.cbs_code, m.name, contacts.get(m.cbs_code, ""), _link(link_base, tokens[m.cbs_code]))
        for m in municipalities
    ]
    sent = _mail_links(wave, links, kind="invitation")
    return OpenedWave(wave, [IssuedLink(**{**link.__dict__, "mailed": link.code in sent}) for link in links])


def issue_link(*, acting: Actor, year: int, code: str, link_base: str, email: str = "") -> IssuedLink:
    """A new personal link for one municipality; its previous link stops working at once.

    For an open wave the link opens the questionnaire; for a closed wave (also one whose answers
    were imported, which has no invitations yet) it opens only the benchmark sheet. The new link is
    mailed when an address is given (or still known from the invitation).
    """
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("This is not an e-mail address.")}) from exc
    with transaction.atomic():
        wave = Wave.objects.select_for_update().filter(year=year).first()
        if wave is None:
            raise Wave.DoesNotExist(year)
        if wave.state == WaveState.DRAFT:
            raise ValidationError({"state": _("Open the wave first: a draft wave has no links.")})
        municipality = next((m for m in municipalities_of(wave) if m.cbs_code == code), None)
        if municipality is None:
            raise ValidationError({"code": _("%(code)s is not a municipality of this wave.") % {"code": code[:20]}})
        now = timezone.now()
        token, digest = _new_token()
        if wave.state == WaveState.OPEN and wave.closes_on is not None:
            expires = _expiry(wave.closes_on)
        else:
            expires = min(now, wave.closed_at or now)  # benchmark only: the questionnaire is closed
        invitation = Invitation.objects.select_for_update().filter(wave=wave, municipality_code=code).first()
        replaced = invitation is not None
        # Addresses are kept only while the wave is open (closing erases them).
        keep = email if wave.state == WaveState.OPEN else ""
        if invitation is None:
            address = email
            invitation = Invitation.objects.create(
                wave=wave, municipality_code=code, token_hash=digest, email=keep, expires_at=expires
            )
        else:
            address = email or invitation.email
            # The hash is replaced, so the old link finds nothing any more.
            invitation.token_hash = digest
            invitation.revoked_at = None
            invitation.expires_at = expires
            invitation.email = keep or (invitation.email if wave.state == WaveState.OPEN else "")
            invitation.save(update_fields=["token_hash", "revoked_at", "expires_at", "email"])
        audit(
            acting,
            "monitor.invitation.issue",
            obj=invitation,
            detail={"year": year, "municipality": code, "replaced": replaced, "emailed": bool(address)},
        )
    link = IssuedLink(code, municipality.name, address, _link(link_base, token))
    sent = _mail_links(wave, [link], kind="new_link")
    return IssuedLink(**{**link.__dict__, "mailed": code in sent})


def issue_benchmark_links(
    *, acting: Actor, year: int, link_base: str, contacts: Mapping[str, str] | None = None
) -> list[IssuedLink]:
    """Links to the benchmark sheets of a closed wave, for every municipality that responded and
    has no link yet: the way a wave whose answers were imported (and the synthetic demo waves)
    reaches its municipalities. Shown once and mailed where ``contacts`` has an address; the
    addresses are not stored (the wave is closed)."""
    contacts = dict(contacts or {})
    with transaction.atomic():
        wave = Wave.objects.select_for_update().filter(year=year).first()
        if wave is None:
            raise Wave.DoesNotExist(year)
        if wave.state != WaveState.CLOSED:
            raise ValidationError({"state": _("Benchmark links are made for a closed wave.")})
        responded = set(Response.objects.filter(wave=wave).values_list("municipality_code", flat=True))
        linked = set(Invitation.objects.filter(wave=wave).values_list("municipality_code", flat=True))
        names = {m.cbs_code: m.name for m in municipalities_of(wave)}
        unknown = sorted(set(contacts) - set(names))
        if unknown:
            raise ValidationError(
                {"contacts": _("Not municipalities of this wave: %(codes)s") % {"codes": ", ".join(unknown[:10])}}
            )
        now = timezone.now()
        tokens: dict[str, str] = {}
        invitations = []
        for code in sorted(responded - linked):
            token, digest = _new_token()
            tokens[code] = token
            invitations.append(Invitation(wave=wave, municipality_code=code, token_hash=digest, expires_at=now))
        Invitation.objects.bulk_create(invitations, batch_size=500)
        audit(
            acting,
            "monitor.wave.benchmark-links",
            obj=wave,
            detail={"year": year, "links": len(invitations), "with_email": len(set(contacts) & set(tokens))},
        )
    links = [
        IssuedLink(code, names.get(code, code), contacts.get(code, ""), _link(link_base, token))
        for code, token in tokens.items()
    ]
    sent = _mail_links(wave, links, kind="benchmark")
    return [IssuedLink(**{**link.__dict__, "mailed": link.code in sent}) for link in links]


def close_wave(*, acting: Actor, year: int) -> Wave:
    """Close an open wave: links stop working for the questionnaire, partial responses stay partial,
    e-mail addresses are erased. The benchmark sheets open from now on (for ``BENCHMARK_DAYS``)."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().filter(year=year).first()
        if wave is None:
            raise Wave.DoesNotExist(year)
        if wave.state != WaveState.OPEN:
            raise ValidationError({"state": _("Only an open wave can be closed; this one is %(state)s.") % {
                "state": wave.get_state_display()}})  # fmt: skip
        now = timezone.now()
        Invitation.objects.filter(wave=wave, expires_at__gt=now).update(expires_at=now)
        erased = Invitation.objects.filter(wave=wave).exclude(email="").update(email="")
        wave.state = WaveState.CLOSED
        wave.closed_at = now
        wave.save(update_fields=["state", "closed_at"])
        counts = Counter(Response.objects.filter(wave=wave).values_list("status", flat=True))
        audit(
            acting,
            "monitor.wave.close",
            obj=wave,
            detail={
                "year": year,
                "complete": counts.get(ResponseStatus.COMPLETE, 0),
                "partial": counts.get(ResponseStatus.PARTIAL, 0),
                "addresses_erased": erased,
            },
        )
    return wave


@dataclass(frozen=True)
class Reminded:
    sent: int
    without_address: int


def send_reminders(*, acting: Actor, year: int, due_only: bool = False, now: datetime | None = None) -> Reminded:
    """E-mail every invited municipality of an open wave whose response is not complete.

    ``due_only`` (the periodic task): skip those invited or reminded within ``REMINDER_INTERVAL``.
    The count and date of reminders are kept per invitation; only mails that went out count.
    """
    now = now or timezone.now()
    wave = Wave.objects.filter(year=year).first()
    if wave is None:
        raise Wave.DoesNotExist(year)
    if wave.state != WaveState.OPEN:
        raise ValidationError({"state": _("Reminders go out only while the wave is open.")})
    complete = set(
        Response.objects.filter(wave=wave, status=ResponseStatus.COMPLETE).values_list("municipality_code", flat=True)
    )
    candidates = [
        i
        for i in Invitation.objects.filter(wave=wave, revoked_at__isnull=True, expires_at__gt=now)
        if i.municipality_code not in complete
    ]
    if due_only:
        candidates = [i for i in candidates if (i.last_reminder_at or i.created_at) <= now - REMINDER_INTERVAL]
    targets = [i for i in candidates if i.email]
    names = {m.cbs_code: m.name for m in municipalities_of(wave)}
    sent = _mail_reminders(wave, targets, names)
    with transaction.atomic():
        for invitation in Invitation.objects.select_for_update().filter(pk__in=[i.pk for i in targets if i.pk in sent]):
            invitation.reminder_count += 1
            invitation.last_reminder_at = now
            invitation.save(update_fields=["reminder_count", "last_reminder_at"])
        audit(
            acting,
            "monitor.wave.remind",
            obj=wave,
            detail={
                "year": year,
                "sent": len(sent),
                "without_address": len(candidates) - len(targets),
                "due_only": due_only,
            },
        )
    return Reminded(sent=len(sent), without_address=len(candidates) - len(targets))


# --- e-mail -------------------------------------------------------------------------------------


def _bilingual(template: str, context: dict[str, Any]) -> str:
    """The mail in Dutch, then in English: the recipient is a municipality, whose official language
    is Dutch, but the questionnaire can be answered in English too."""
    parts = []
    for language in ("nl", "en"):
        with translation.override(language):
            parts.append(render_to_string(template, {**context, "language": language}).strip())
    return "\n\n— English —\n\n".join(parts) + "\n"


def _subject(kind: str, wave: Wave) -> str:
    with translation.override("nl"):
        subjects = {
            "invitation": _("Monitor of the administrative approach %(year)s: your personal link"),
            "new_link": _("Monitor of the administrative approach %(year)s: a new personal link"),
            "reminder": _("Reminder: monitor of the administrative approach %(year)s"),
            "benchmark": _("Monitor of the administrative approach %(year)s: your benchmark sheet"),
        }
        return subjects[kind] % {"year": wave.year}


def _send(messages: Sequence[tuple[str, EmailMessage]]) -> set[str]:
    """Send each message; return the keys of those that went out. One failure does not stop the rest."""
    sent: set[str] = set()
    if not messages:
        return sent
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for key, message in messages:
            message.connection = connection
            try:
                message.send()
                sent.add(key)
            except Exception:  # a refused address must not stop the other invitations
                log.exception("monitor e-mail to one municipality failed")
    except Exception:
        log.exception("monitor e-mail connection failed")
    finally:
        try:
            connection.close()
        except Exception:  # pragma: no cover - closing a broken connection
            log.debug("closing the mail connection failed", exc_info=True)
    return sent


def _mail_links(wave: Wave, links: Sequence[IssuedLink], *, kind: str) -> set[str]:
    messages = []
    for link in links:
        if not link.email:
            continue
        body = _bilingual(
            f"monitor/email/{kind}.txt",
            {"wave": wave, "name": link.name, "url": link.url, "closes_on": wave.closes_on},
        )
        messages.append(
            (link.code, EmailMessage(_subject(kind, wave), body, settings.DEFAULT_FROM_EMAIL, [link.email]))
        )
    return _send(messages)


def _mail_reminders(wave: Wave, invitations: Sequence[Invitation], names: Mapping[str, str]) -> set[int]:
    messages = []
    for invitation in invitations:
        body = _bilingual(
            "monitor/email/reminder.txt",
            {
                "wave": wave,
                "name": names.get(invitation.municipality_code, invitation.municipality_code),
                "closes_on": wave.closes_on,
                "invited_on": timezone.localdate(invitation.created_at),
            },
        )
        messages.append(
            (
                str(invitation.pk),
                EmailMessage(_subject("reminder", wave), body, settings.DEFAULT_FROM_EMAIL, [invitation.email]),
            )
        )
    return {int(key) for key in _send(messages)}
