# SPDX-License-Identifier: EUPL-1.2
"""The RIEC referral: a package holding exactly what privacy check 2A allows for the RIEC
participant (and, for an intervention of the RIEC-referral instrument, what its approved 2B lets
be exchanged), frozen as encrypted JSON when it is made; the PDF cover letter is rendered on
demand from that frozen package, never from the live case, so the two cannot differ.

Structure of the package (``format`` ``weerbaar.riec-referral/1``; docs/approach.md):
``municipality``, ``created_at``, ``case`` (references, track, phenomena, area-free dates),
``referral`` (id, intervention or null, reasons), ``privacy_checks`` (the 2A and 2B it rests on:
ids and dates), ``items`` (key, kind, label, value) — nothing else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from weerbaar.accounts.authz import Actor
from weerbaar.approach.models import (
    Case,
    CaseState,
    Intervention,
    InterventionState,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from weerbaar.approach.selectors import (
    PURPOSE_REFERRAL,
    allowed_keys,
    current_2b,
    current_matrix,
    read_items,
    riec_participant,
)
from weerbaar.approach.services import MAX_REASONS, _decided, _lock_case, intervention_reference
from weerbaar.audit.services import audit

FORMAT = "weerbaar.riec-referral/1"

#: Which status may follow which: a referral is sent, then accepted or declined; feedback may come
#: more than once; it closes in the end.
NEXT_STATUS: dict[str, set[str]] = {
    ReferralStatus.DRAFT: {ReferralStatus.SENT, ReferralStatus.CLOSED},
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.FEEDBACK},
    ReferralStatus.ACCEPTED: {ReferralStatus.FEEDBACK, ReferralStatus.CLOSED},
    ReferralStatus.FEEDBACK: {ReferralStatus.FEEDBACK, ReferralStatus.CLOSED},
    ReferralStatus.DECLINED: {ReferralStatus.CLOSED},
    ReferralStatus.CLOSED: set(),
}


def referral_keys(case: Case, intervention: Intervention | None) -> tuple[list[str], dict[str, Any]]:
    """The item keys the referral may hold and the checks they rest on; ValidationError when the
    checks do not allow a referral at all."""
    participant = riec_participant(case)
    if participant is None:
        raise ValidationError({"case": _("Add the RIEC as a participant of the case first.")})
    matrix = current_matrix(case)
    if matrix is None:
        raise ValidationError({"case": _("Privacy check 2A comes first: nothing may be shared with the RIEC yet.")})
    keys = allowed_keys(matrix, {participant.pk})
    checks: dict[str, Any] = {"2a": {"id": matrix.pk, "decided_at": matrix.at.isoformat()}, "2b": None}
    if intervention is not None:
        if not intervention.instrument.is_riec_referral:
            raise ValidationError(
                {"intervention": _("Only an intervention of the RIEC-referral instrument makes a referral.")}
            )
        check = current_2b(intervention)
        if check is None or not check.allowed or intervention.state == InterventionState.REFUSED:
            raise ValidationError({"intervention": _("Privacy check 2B does not allow this referral.")})
        keys = sorted(set(keys) & set(check.shared_items))
        checks["2b"] = {"id": check.pk, "decided_at": check.at.isoformat(), "legal_basis": check.legal_basis}
    return keys, checks


def referral_create(*, acting: Actor, case_id: int, reasons: str, intervention_id: int | None = None) -> Referral:
    """Build and freeze the package: the items read (audited, purpose "RIEC referral") are exactly
    those the checks allow for the RIEC, nothing more."""
    text = reasons.strip()
    if not text:
        raise ValidationError({"reasons": _("Give the reasons for this referral.")})
    if len(text) > MAX_REASONS:
        raise ValidationError({"reasons": _("At most 5,000 characters.")})
    with transaction.atomic():
        case = _lock_case(case_id)
        if case.state in (CaseState.CLOSED, CaseState.DESTROYED):
            raise ValidationError({"case": _("This case is closed; it can no longer change.")})
        intervention = None
        if intervention_id is not None:
            intervention = (
                Intervention.objects.filter(pk=intervention_id, case=case).select_related("instrument").first()
            )
            if intervention is None:
                raise ValidationError({"intervention": _("This intervention is not part of the case.")})
        keys, checks = referral_keys(case, intervention)
        if not keys:
            raise ValidationError({"case": _("Privacy checks 2A/2B allow nothing to be shared with the RIEC.")})
        referral = Referral.objects.create(case=case, intervention=intervention, reasons=text, **_decided(acting))
        items = read_items(acting=acting, case=case, keys=keys, purpose=PURPOSE_REFERRAL)
        with translation.override(settings.LANGUAGE_CODE):
            package = {
                "format": FORMAT,
                "municipality": settings.MUNICIPALITY_NAME,
                "created_at": timezone.now().isoformat(),
                "case": {
                    "reference": case.reference,
                    "signal_reference": case.signal.reference,
                    "track": case.track,
                    "opened_at": case.opened_at.isoformat(),
                    "phenomena": sorted(case.signal.phenomena.values_list("code", flat=True)),
                },
                "referral": {
                    "id": referral.pk,
                    "intervention": intervention_reference(intervention) if intervention else None,
                    "reasons": text,
                },
                "privacy_checks": checks,
                "items": [{"key": i.key, "kind": i.kind, "label": i.label, "value": i.value} for i in items],
            }
        referral.package = package
        referral.save(update_fields=["package"])
        audit(
            acting,
            "approach:referral:create",
            obj=referral,
            purpose=PURPOSE_REFERRAL,
            detail={"case": case.pk, "items": len(items), "intervention": intervention_id},
        )
    return referral


def referral_event(*, acting: Actor, referral_id: int, status: str, reasons: str = "") -> ReferralEvent:
    """A status change of the referral, or the RIEC's feedback (``reasons``), appended."""
    text = reasons.strip()
    if status not in ReferralStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status in (ReferralStatus.FEEDBACK, ReferralStatus.DECLINED) and not text:
        raise ValidationError({"reasons": _("Write down what the RIEC answered.")})
    if len(text) > MAX_REASONS:
        raise ValidationError({"reasons": _("At most 5,000 characters.")})
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
        if referral is None:
            raise ValidationError({"referral": _("This referral does not exist.")})
        if status not in NEXT_STATUS[ReferralStatus(referral.status)]:
            raise ValidationError(
                {
                    "status": _("A referral that is “%(current)s” cannot become “%(target)s”.")
                    % {"current": ReferralStatus(referral.status).label, "target": ReferralStatus(status).label}
                }
            )
        event = ReferralEvent.objects.create(referral=referral, status=status, reasons=text or None, **_decided(acting))
        referral.status = status
        referral.save(update_fields=["status"])
        audit(acting, "approach:referral:status", obj=referral, purpose=PURPOSE_REFERRAL, detail={"status": status})
    return event


def package_read(*, acting: Actor, referral: Referral, form: str) -> dict[str, Any]:
    """The frozen package, for a download: an audited read (purpose "RIEC referral")."""
    if referral.package is None:
        raise ValidationError({"referral": _("This referral's package was destroyed under the retention rules.")})
    audit(acting, "approach:referral:read", obj=referral, purpose=PURPOSE_REFERRAL, detail={"form": form})
    package: dict[str, Any] = referral.package
    return package


def cover_letter_html(package: dict[str, Any]) -> str:
    """The cover letter as HTML, from the frozen package only."""
    items = [
        {"label": item.get("label", item.get("key", "")), "lines": _lines(item.get("value"))}
        for item in package.get("items", [])
    ]
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("approach/referral_letter.html", {"p": package, "items": items})


def _lines(value: Any, prefix: str = "") -> list[str]:
    """A JSON value as readable lines ("key: value"), nested keys joined with a dot."""
    if isinstance(value, dict):
        return [
            line
            for k, v in value.items()
            for line in _lines(v, f"{prefix}{k}." if isinstance(v, dict) else f"{prefix}{k}: ")
        ]
    if isinstance(value, list):
        return [line for v in value for line in _lines(v, prefix)]
    return [f"{prefix}{'' if value is None else value}"]


def cover_letter_pdf(package: dict[str, Any]) -> bytes:
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=cover_letter_html(package)).write_pdf()
    return pdf
