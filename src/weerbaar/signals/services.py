# SPDX-License-Identifier: EUPL-1.2
"""Every write of steps 1-2: typed, keyword-only, atomic, with its audit row inside.

Views, the API and the CLI are thin adapters over these functions. Each takes ``acting`` (who,
in which role, from where), validates, locks the signal row, checks the transition table, and
appends: a decision row, a status row, one audit row. Errors are ``ValidationError`` keyed by
field name, or :class:`~weerbaar.signals.states.IllegalTransition`.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor, role_granting
from weerbaar.accounts.models import Department
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.services import audit
from weerbaar.signals.attachments import delete_stored_files, sniff_content_type, validate_attachment
from weerbaar.signals.crypto import encrypt_bytes
from weerbaar.signals.models import (
    Attachment,
    Channel,
    ChecklistItem,
    ChecklistKind,
    Phenomenon,
    Qualification,
    RetentionTerm,
    Signal,
    StatusChange,
    Subject,
    Weighing,
    WeighingCriterion,
)
from weerbaar.signals.states import (
    CORRECTABLE_STATES,
    RETAINED_STATES,
    ROUTE_TARGET,
    IllegalTransition,
    Route,
    StaleDecision,
    State,
    check_transition,
)
from weerbaar.signals.subjects import validate_subject


@dataclass
class SignalInput:
    """What intake needs, from whichever door (form, API, CSV) it came."""

    channel: str
    received_on: date
    description: str
    phenomena: list[str]
    subjects: list[dict[str, Any]]
    location_address: str = ""
    location_area: str = ""
    reporter_anonymous: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    reporting_department: str | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def validate_signal_input(
    acting: Actor, data: SignalInput
) -> tuple[list[Phenomenon], list[tuple[str, dict[str, str]]], Department | None]:
    errors: dict[str, Any] = {}
    if data.channel not in Channel.values:
        errors["channel"] = _("Choose a channel from the list.")
    elif data.channel != Channel.DEPARTMENT and role_granting(acting.user, Perm.SIGNAL_RECORD_EXTERNAL) is None:
        errors["channel"] = _("Only the regisseur records signals from external channels.")
    if data.received_on > timezone.localdate():
        errors["received_on"] = _("The received date cannot be in the future.")
    if not data.description or not data.description.strip():
        errors["description"] = _("Describe what was observed.")
    elif len(data.description) > 20000:
        errors["description"] = _("At most 20,000 characters.")
    phenomena = list(Phenomenon.objects.filter(code__in=data.phenomena, active=True))
    if not data.phenomena:
        errors["phenomena"] = _("Tag the signal with at least one phenomenon.")
    elif len(phenomena) != len(set(data.phenomena)):
        errors["phenomena"] = _("Unknown phenomenon: %s") % ", ".join(
            sorted(set(data.phenomena) - {p.code for p in phenomena})
        )
    if not data.reporter_anonymous and data.channel != Channel.DEPARTMENT and not data.reporter_name.strip():
        errors["reporter_name"] = _("Name the reporter, or mark the report as anonymous.")
    if len(data.location_area) > 120:
        errors["location_area"] = _("At most 120 characters.")
    subjects: list[tuple[str, dict[str, str]]] = []
    if not data.subjects:
        errors["subjects"] = _("Add at least one subject: a person, company, address or vehicle.")
    for i, raw in enumerate(data.subjects):
        kind = str(raw.get("kind", ""))
        try:
            subjects.append((kind, validate_subject(kind, dict(raw.get("data") or {}))))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors[f"subjects[{i}].{key}"] = messages
    department = None
    may_name_department = role_granting(acting.user, Perm.SIGNAL_RECORD_EXTERNAL) is not None
    if data.reporting_department and may_name_department:
        department = Department.objects.filter(code=data.reporting_department).first()
        if department is None:
            errors["reporting_department"] = _("Unknown department.")
    elif data.reporting_department:
        errors["reporting_department"] = _("Only the regisseur records a signal on behalf of another department.")
    elif data.channel == Channel.DEPARTMENT and acting.user is not None and acting.user.department_id is not None:
        department = Department(pk=acting.user.department_id)  # a reference is all the signal needs
    for i, (name, content) in enumerate(data.attachments):
        try:
            validate_attachment(name, content)
        except ValidationError as exc:
            errors[f"attachments[{i}]"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return phenomena, subjects, department


def signal_create(*, acting: Actor, data: SignalInput) -> Signal:
    """Step 1, intake: store the signal (content encrypted) in state ``received``."""
    phenomena, subjects, department = validate_signal_input(acting, data)
    stored: list[str] = []
    try:
        return _signal_create(acting, data, phenomena, subjects, department, stored)
    except BaseException:
        # The rows rolled back; files written during the transaction must not outlive them.
        delete_stored_files(stored)
        raise


def _signal_create(
    acting: Actor,
    data: SignalInput,
    phenomena: list[Phenomenon],
    subjects: list[tuple[str, dict[str, str]]],
    department: Department | None,
    stored: list[str],
) -> Signal:
    with transaction.atomic():
        signal = Signal.objects.create(
            channel=data.channel,
            reporter_anonymous=data.reporter_anonymous,
            reporter_name=None if data.reporter_anonymous else (data.reporter_name.strip() or None),
            reporter_contact=None if data.reporter_anonymous else (data.reporter_contact.strip() or None),
            reporting_department=department,
            reported_by=acting.user,
            received_on=data.received_on,
            description=data.description.strip(),
            location_address=data.location_address.strip() or None,
            location_area=data.location_area.strip(),
        )
        through = Signal.phenomena.through
        through.objects.bulk_create([through(signal_id=signal.pk, phenomenon_id=p.pk) for p in phenomena])
        signal.phenomenon_codes = [p.code for p in phenomena]  # type: ignore[attr-defined]
        Subject.objects.bulk_create([Subject(signal=signal, kind=k, data=d) for k, d in subjects])  # type: ignore[misc]
        for name, content in data.attachments:
            stored.append(_store_attachment(signal, acting, name, content).stored_file.name)
        StatusChange.objects.create(
            signal=signal,
            seq=1,
            from_state="",
            to_state=State.RECEIVED,
            actor=acting.user,
            actor_label=acting.label,
            role=acting.role,
            reasons=None,
        )
        audit(
            acting,
            "signals:signal:create",
            obj=signal,
            purpose="intake",
            detail={"channel": data.channel, "subjects": len(subjects), "attachments": len(data.attachments)},
        )
    return signal


def _store_attachment(signal: Signal, acting: Actor, name: str, content: bytes) -> Attachment:
    attachment = Attachment(
        signal=signal,
        filename=name[:200],
        content_type=sniff_content_type(content) or "",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=acting.user,
    )
    attachment.stored_file.save("attachment.bin", ContentFile(encrypt_bytes(content)), save=False)
    attachment.save()
    return attachment


def _lock(signal_id: int) -> Signal:
    try:
        return Signal.objects.select_for_update().get(pk=signal_id)
    except Signal.DoesNotExist as exc:
        raise ValidationError({"signal": _("This signal does not exist.")}) from exc


def apply_transition(signal: Signal, target: State, decision: str, acting: Actor, reasons: str | None) -> StatusChange:
    """Apply one transition of the table: status row appended, state and dates set."""
    check_transition(signal.state, target, decision)
    last = signal.history.order_by("-seq").values_list("seq", flat=True).first() or 0
    change = StatusChange.objects.create(
        signal=signal,
        seq=last + 1,
        from_state=signal.state,
        to_state=target,
        actor=acting.user,
        actor_label=acting.label,
        role=acting.role,
        reasons=reasons,
    )
    signal.state = target
    signal.state_changed_at = timezone.now()
    if target in RETAINED_STATES:
        term = RetentionTerm.objects.filter(state=target).values_list("months", flat=True).first()
        if term is None:
            term = 12  # the protocol's year, when the municipality configured nothing
        signal.destroy_after = _add_months(timezone.localdate(), term)
    else:
        signal.destroy_after = None  # e.g. a corrected closure: the signal is open again
    return change


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def signal_qualify(
    *,
    acting: Actor,
    signal_id: int,
    checked_items: list[str],
    w1: bool,
    w2a: bool,
    w2b: bool,
    reasons: str,
    referred_to: str = "",
    correction: bool = False,
    expected_state: str | None = None,
) -> Signal:
    """W1, W2A, W2B by the regisseur. W1 = yes needs a local-anchoring indicator and a signalling one.

    With ``correction`` a qualification found wrong before weighing is replaced: a new record
    supersedes the old one and the state follows the new outcome; the old record stays visible.
    """
    errors: dict[str, str] = {}
    items = {i.code: i for i in ChecklistItem.objects.filter(code__in=checked_items, active=True)}
    unknown = set(checked_items) - set(items)
    if unknown:
        errors["checked_items"] = _("Unknown checklist items: %s") % ", ".join(sorted(unknown))
    kinds = {i.kind for i in items.values()}
    if w1 and ChecklistKind.ANCHORING not in kinds:
        errors["w1"] = _("W1 = yes needs at least one indicator of situational and local anchoring.")
    elif w1 and not kinds & {ChecklistKind.SIGNALLING, ChecklistKind.RED_FLAG}:
        errors["w1"] = _("W1 = yes needs at least one signalling indicator or red flag.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for this qualification.")
    if w1 and not (w2a and w2b) and not referred_to.strip():
        errors["referred_to"] = _("Name the competent body the signal is referred to.")
    if len(referred_to) > 200:
        errors["referred_to"] = _("At most 200 characters.")
    if len(reasons) > 5000:
        errors["reasons"] = _("At most 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    target = State.CLOSED if not w1 else (State.QUALIFIED if w2a and w2b else State.REFERRED)
    with transaction.atomic():
        signal = _lock(signal_id)
        if expected_state is not None and signal.state != expected_state:
            # Someone else decided meanwhile: never turn a stale form into a silent correction.
            raise StaleDecision(signal.state, expected_state)
        previous = None
        change = None
        if correction:
            if signal.state not in CORRECTABLE_STATES:
                raise IllegalTransition(signal.state, target)
            previous = signal.qualifications.filter(superseded_by__isnull=True).order_by("-at", "-id").first()
            if target != signal.state:
                change = apply_transition(signal, target, "correct", acting, reasons.strip())
        else:
            change = apply_transition(signal, target, "qualify", acting, reasons.strip())
        Qualification.objects.create(
            status_change=change,
            supersedes=previous,
            signal=signal,
            checked_items=sorted(items),
            w1=w1,
            w2a=w2a,
            w2b=w2b,
            outcome=target,
            referred_to=referred_to.strip() if target == State.REFERRED else "",
            actor=acting.user,
            actor_label=acting.label,
            role=acting.role,
            reasons=reasons.strip(),
        )
        signal.save(update_fields=["state", "state_changed_at", "destroy_after"])
        audit(
            acting,
            "signals:signal:correct-qualification" if correction else "signals:signal:qualify",
            obj=signal,
            purpose="qualification (W1, W2A, W2B)",
            detail={"outcome": target, "supersedes": getattr(previous, "pk", None)},
        )
    return signal


def signal_weigh(
    *,
    acting: Actor,
    signal_id: int,
    scores: dict[str, tuple[int, str]],
    route: str,
    reasons: str,
    department: str | None = None,
) -> Signal:
    """W3 by the ondermijningsteam: every active criterion scored and explained, then a route."""
    errors: dict[str, str] = {}
    criteria = {c.code: c for c in WeighingCriterion.objects.filter(active=True)}
    for code, criterion in criteria.items():
        if code not in scores:
            errors[f"score_{code}"] = _("Score this criterion.")
            continue
        score, explanation = scores[code]
        if not 0 <= int(score) <= criterion.max_score:
            errors[f"score_{code}"] = _("Between 0 and %d.") % criterion.max_score
        if not explanation.strip():
            errors[f"explanation_{code}"] = _("Explain this score.")
    for code in set(scores) - set(criteria):
        errors[f"score_{code}"] = _("Unknown criterion.")
    if route not in Route.values:
        errors["route"] = _("Choose one of the four routes.")
    handed_to = None
    if route == Route.DEPARTMENT:
        handed_to = Department.objects.filter(code=department or "").first()
        if handed_to is None:
            errors["department"] = _("Choose the department that takes the lead.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for this decision.")
    elif len(reasons) > 5000:
        errors["reasons"] = _("At most 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    target = ROUTE_TARGET[route]
    with transaction.atomic():
        signal = _lock(signal_id)
        change = apply_transition(signal, target, "weigh", acting, reasons.strip())
        Weighing.objects.create(  # type: ignore[misc]
            status_change=change,
            signal=signal,
            scores={c: int(s) for c, (s, _e) in scores.items()},
            explanations={c: e.strip() for c, (_s, e) in scores.items()},
            route=route,
            department=handed_to,
            actor=acting.user,
            actor_label=acting.label,
            role=acting.role,
            reasons=reasons.strip(),
        )
        signal.route = route
        signal.handed_to = handed_to
        signal.save(update_fields=["state", "state_changed_at", "destroy_after", "route", "handed_to"])
        audit(acting, "signals:signal:weigh", obj=signal, purpose="weighing (W3)", detail={"route": route})
    return signal
