# SPDX-License-Identifier: EUPL-1.2
"""Reads of signals: one grants mechanism for lists and details, audited reads of content.

``signal_scope`` is the only place that decides which signals a user may see; the list, the
detail page, attachments and the API all start from it, so they cannot disagree (Open Zaak's
lesson). A signal outside the scope is "not found", exactly like a signal that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from weerbaar.accounts.authz import Actor, role_granting
from weerbaar.accounts.permissions import Perm
from weerbaar.audit.models import AuditResult
from weerbaar.audit.services import audit
from weerbaar.signals.crypto import decrypt_bytes
from weerbaar.signals.models import Attachment, Signal
from weerbaar.signals.states import State

#: States in which a privacy check (1 before research; 2A/2B in the approach) may be needed.
CHECK_STATES = (State.RESEARCH, State.CASE, State.RIEC)  # RIEC: a RIEC-track case needs 2A too

CONTENT_FIELDS = ("description", "reporter_name", "reporter_contact", "location_address")


def signal_scope(user: Any) -> QuerySet[Signal]:
    """Signals this user may know of: all (team), own reports (officer), RIEC-routed (liaison)."""
    if role_granting(user, Perm.SIGNAL_READ):
        return Signal.objects.all()
    condition = Q(pk__in=[])
    if role_granting(user, Perm.SIGNAL_READ_OWN):
        condition |= Q(reported_by=user)
        department_id = getattr(user, "department_id", None)
        if department_id is not None:  # W3 (b) / W4: the department that leads sees what it must act on
            condition |= Q(state=State.DEPARTMENT, handed_to_id=department_id)
    if role_granting(user, Perm.SIGNAL_READ_RIEC):
        condition |= Q(state=State.RIEC)
    if role_granting(user, Perm.SIGNAL_READ_CHECK):
        condition |= Q(state__in=CHECK_STATES)
    return Signal.objects.filter(condition)


def read_role(user: Any) -> str | None:
    for perm in (Perm.SIGNAL_READ, Perm.SIGNAL_READ_OWN, Perm.SIGNAL_READ_RIEC, Perm.SIGNAL_READ_CHECK):
        role = role_granting(user, perm)
        if role:
            return role
    return None


@dataclass
class SignalFilters:
    q: str = ""
    state: str = ""
    channel: str = ""
    phenomenon: str = ""
    received_from: date | None = None
    received_to: date | None = None


def signal_list(user: Any, filters: SignalFilters) -> QuerySet[Signal]:
    """The filtered list. It shows no content (reference, dates, tags, state, area), so listing
    is not a read of personal data and needs no audit row; opening a signal is, and does."""
    qs = signal_scope(user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.phenomenon:
        qs = qs.filter(phenomena__code=filters.phenomenon)
    if filters.received_from:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_on__lte=filters.received_to)
    term = filters.q.strip()
    if term:
        ref = term.upper().removeprefix("S-").lstrip("0")
        condition = Q(location_area__icontains=term)
        if ref.isdigit():
            condition |= Q(pk=int(ref))
        qs = qs.filter(condition)
    # The list shows no content: never load (and decrypt) the encrypted columns for it.
    return qs.order_by("-received_on", "-id").defer(*CONTENT_FIELDS).prefetch_related("phenomena")


class ViewLevel:
    """Field-level need-to-know: what of a signal in scope a reader may see.

    * ``full`` (the team: ``signals:signal:read``): everything.
    * ``reporter`` (an officer reading their own report): what they reported and the state the
      signal is in, not the team's reasons, checklist or scores.
    * ``riec`` (the RIEC liaison, and the privacyfunctionaris reading a signal to check it):
      everything but who reported it; reporters are protected.
    """

    FULL = "full"
    REPORTER = "reporter"
    RIEC = "riec"


def view_level(user: Any, signal: Signal) -> str:
    if role_granting(user, Perm.SIGNAL_READ):
        return ViewLevel.FULL
    if signal.reported_by_id == getattr(user, "pk", None) and role_granting(user, Perm.SIGNAL_READ_OWN):
        return ViewLevel.REPORTER
    return ViewLevel.RIEC  # the RIEC, the privacy check, the leading department: all but the reporter


def purpose_for(user: Any, signal: Signal) -> str:
    """The purpose of a read follows from the permission that allows it, then the signal's step."""
    if role_granting(user, Perm.SIGNAL_READ):
        return {
            State.RECEIVED: "qualification (W1, W2A, W2B)",
            State.QUALIFIED: "weighing (W3)",
        }.get(State(signal.state), "signal handling")
    if signal.reported_by_id == getattr(user, "pk", None) and role_granting(user, Perm.SIGNAL_READ_OWN):
        return "follow-up of own report"
    if signal.state == State.RIEC and role_granting(user, Perm.SIGNAL_READ_RIEC):
        return "RIEC referral"
    if signal.state == State.DEPARTMENT and signal.handed_to_id == getattr(user, "department_id", None):
        return "handling by the leading department"
    return "privacy check"


def _audit_not_found(user: Any, origin: str, object_type: str, object_id: int) -> None:
    """A missing or out-of-scope id is refused like a missing one, and the attempt is logged."""
    audit(
        Actor(user=user, role=read_role(user) or "-", origin=origin),
        f"{object_type}:read",
        object_type=object_type.replace(":", "."),
        object_id=str(object_id),
        purpose="-",
        result=AuditResult.DENIED,
    )


def signal_in_scope(*, user: Any, signal_id: int, origin: str) -> bool:
    """For a write on a signal: is it within the user's scope? A miss is logged like a read probe."""
    if signal_scope(user).filter(pk=signal_id).exists():
        return True
    _audit_not_found(user, origin, "signals:signal", signal_id)
    return False


def signal_get(*, user: Any, signal_id: int, origin: str, purpose: str | None = None) -> Signal:
    """Open one signal: scope check (404 when outside), then an audit row naming the purpose."""
    signal = signal_scope(user).filter(pk=signal_id).prefetch_related("phenomena", "subjects").first()
    if signal is None:
        _audit_not_found(user, origin, "signals:signal", signal_id)
        raise Http404("No such signal")
    acting = Actor(user=user, role=read_role(user) or "-", origin=origin)
    signal.view_level = view_level(user, signal)  # type: ignore[attr-defined]
    if signal.view_level == ViewLevel.RIEC:  # type: ignore[attr-defined]
        signal.reporter_name = signal.reporter_contact = None
    audit(
        acting,
        "signals:signal:read",
        obj=signal,
        purpose=purpose or purpose_for(user, signal),
        detail={"view": signal.view_level},  # type: ignore[attr-defined]
    )
    return signal


def attachment_get(*, user: Any, signal_id: int, attachment_id: int, origin: str) -> tuple[Attachment, bytes]:
    """Open one attachment (decrypted) of a signal within the user's scope; audited."""
    attachment = Attachment.objects.filter(pk=attachment_id, signal_id=signal_id, signal__in=signal_scope(user)).first()
    if attachment is None:
        _audit_not_found(user, origin, "signals:attachment", attachment_id)
        raise Http404("No such attachment")
    with attachment.stored_file.open("rb") as handle:
        content = decrypt_bytes(handle.read())
    acting = Actor(user=user, role=read_role(user) or "-", origin=origin)
    audit(acting, "signals:attachment:read", obj=attachment, purpose="signal handling", detail={"signal": signal_id})
    return attachment, content
