# SPDX-License-Identifier: EUPL-1.2
"""The researchers' conclusions of a wave and the policy follow-up of each: the policy theory made
explicit (monitor.md, conclusion 7 of 2022 turned into a feature).

Per conclusion, one or more **responses** (already done / not the ministry's to decide / will be
picked up) with an owner, a deadline and a status: the *activity*. Each names **indicators** that
the next wave uses to see whether it worked: operational-figure keys (what municipalities *did*:
the *outputs*) and codebook items (what the survey finds about the state of the approach: the
*outcomes*). The follow-up page shows the chain activity → outputs → outcomes with the current
value and trend of every indicator, published figures only (after disclosure control).

Conclusions and follow-ups are text the researchers and the ministry keep current, not decisions
about people: they are edited in place, and every change is audited with what it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from weerbaar.audit.services import audit
from weerbaar.monitor import figures as figures_module
from weerbaar.monitor.models import (
    Conclusion,
    FollowUp,
    FollowUpStatus,
    Item,
    ItemType,
    OperationalFigures,
    Response,
    ResponseKind,
    Theme,
    Wave,
)

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor

MAX_INDICATORS = 20
MAX_TEXT = 5000


# --- conclusions ---------------------------------------------------------------------------------


def save_conclusion(*, acting: Actor, year: int, number: int, theme: str, text_nl: str, text_en: str) -> Conclusion:
    """Create conclusion ``number`` of the wave of ``year``, or change its text (audited)."""
    wave = Wave.objects.filter(year=year).first()
    if wave is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if not isinstance(number, int) or not 1 <= number <= 99:
        errors["number"] = [_("Number the conclusions 1 to 99.")]
    if theme and theme not in Theme.values:
        errors["theme"] = [_("Choose one of the monitor's themes.")]
    if not text_nl.strip():
        errors["text_nl"] = [_("Write the conclusion in Dutch.")]
    if len(text_nl) > MAX_TEXT or len(text_en) > MAX_TEXT:
        errors["text_nl"] = [*errors.get("text_nl", []), _("At most 5,000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        found = Conclusion.objects.select_for_update().filter(wave=wave, number=number).first()
        before = None if found is None else {"theme": found.theme, "text_nl": found.text_nl, "text_en": found.text_en}
        if found is None:
            found = Conclusion(wave=wave, number=number)
        found.theme = theme
        found.text_nl = text_nl.strip()
        found.text_en = text_en.strip()
        found.updated_by_label = acting.label
        found.save()
        audit(
            acting,
            "monitor.conclusion.save",
            obj=found,
            detail={"year": year, "number": number, "created": before is None, "before": before},
        )
    return found


def delete_conclusion(*, acting: Actor, conclusion_id: int) -> None:
    """Remove a conclusion with its follow-up (audited with the text removed)."""
    with transaction.atomic():
        found = Conclusion.objects.select_for_update().select_related("wave").filter(pk=conclusion_id).first()
        if found is None:
            raise Http404
        audit(
            acting,
            "monitor.conclusion.delete",
            obj=found,
            detail={
                "year": found.wave.year,
                "number": found.number,
                "text_nl": found.text_nl,
                "follow_ups": list(found.follow_ups.values_list("pk", flat=True)),
            },
        )
        found.delete()


# --- follow-up ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpInput:
    response_kind: str
    text_nl: str = ""
    text_en: str = ""
    owner: str = ""
    deadline: date | None = None
    status: str = FollowUpStatus.PLANNED
    indicators: list[str] = field(default_factory=list)


def known_item_ids() -> set[str]:
    return set(Item.objects.values_list("item_id", flat=True).distinct())


def check_indicators(values: Iterable[Any]) -> list[str]:
    """Indicators as given, checked: codebook item ids (of any version) or operational-figure keys."""
    items = known_item_ids()
    clean: list[str] = []
    unknown: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        if text not in items and text not in figures_module.FIGURE_KEYS:
            unknown.append(text)
        elif text not in clean:
            clean.append(text)
    errors = []
    if unknown:
        errors.append(
            _("Not a codebook item or an operational-figure key: %(values)s.") % {"values": ", ".join(unknown[:10])}
        )
    if len(clean) > MAX_INDICATORS:
        errors.append(_("At most %(n)s indicators.") % {"n": MAX_INDICATORS})
    if errors:
        raise ValidationError({"indicators": errors})
    return clean


def _check(data: FollowUpInput) -> list[str]:
    errors: dict[str, list[str]] = {}
    if data.response_kind not in ResponseKind.values:
        errors["response_kind"] = [_("Choose: already done, not the ministry's to decide, or will be picked up.")]
    if data.status not in FollowUpStatus.values:
        errors["status"] = [_("Choose a status.")]
    if not data.text_nl.strip():
        errors["text_nl"] = [_("Describe the response in Dutch.")]
    if len(data.text_nl) > MAX_TEXT or len(data.text_en) > MAX_TEXT:
        errors.setdefault("text_nl", []).append(_("At most 5,000 characters."))
    if len(data.owner) > 200:
        errors["owner"] = [_("At most 200 characters.")]
    if data.response_kind == ResponseKind.WILL_PICK_UP:
        if not data.owner.strip():
            errors["owner"] = [_("Who picks it up? Name the owner.")]
        if data.deadline is None:
            errors["deadline"] = [_("By when? Give a deadline.")]
    try:
        indicators = check_indicators(data.indicators)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        indicators = []
    if errors:
        raise ValidationError(errors)
    return indicators


def _values(f: FollowUp) -> dict[str, Any]:
    return {
        "response_kind": f.response_kind,
        "text_nl": f.text_nl,
        "text_en": f.text_en,
        "owner": f.owner,
        "deadline": f.deadline.isoformat() if f.deadline else None,
        "status": f.status,
        "indicators": list(f.indicators or []),
    }


def create_follow_up(*, acting: Actor, conclusion_id: int, data: FollowUpInput) -> FollowUp:
    indicators = _check(data)
    with transaction.atomic():
        conclusion = Conclusion.objects.select_related("wave").filter(pk=conclusion_id).first()
        if conclusion is None:
            raise ValidationError({"conclusion": [_("No such conclusion.")]})
        made = FollowUp.objects.create(
            conclusion=conclusion,
            response_kind=data.response_kind,
            text_nl=data.text_nl.strip(),
            text_en=data.text_en.strip(),
            owner=data.owner.strip(),
            deadline=data.deadline,
            status=data.status,
            indicators=indicators,
            updated_by_label=acting.label,
        )
        audit(acting, "monitor.followup.create", obj=made, detail={"conclusion": conclusion.pk, **_values(made)})
    return made


def update_follow_up(*, acting: Actor, follow_up_id: int, data: FollowUpInput) -> FollowUp:
    indicators = _check(data)
    with transaction.atomic():
        found = FollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
        if found is None:
            raise Http404
        before = _values(found)
        found.response_kind = data.response_kind
        found.text_nl = data.text_nl.strip()
        found.text_en = data.text_en.strip()
        found.owner = data.owner.strip()
        found.deadline = data.deadline
        found.status = data.status
        found.indicators = indicators
        found.updated_by_label = acting.label
        found.save()
        after = _values(found)
        audit(
            acting,
            "monitor.followup.update",
            obj=found,
            detail={"changed": {k: [before[k], after[k]] for k in after if before[k] != after[k]}},
        )
    return found


def delete_follow_up(*, acting: Actor, follow_up_id: int) -> None:
    with transaction.atomic():
        found = FollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
        if found is None:
            raise Http404
        audit(acting, "monitor.followup.delete", obj=found, detail=_values(found))
        found.delete()


def get_follow_up(follow_up_id: int) -> FollowUp:
    found = FollowUp.objects.select_related("conclusion__wave").filter(pk=follow_up_id).first()
    if found is None:
        raise Http404
    return found


# --- the page: each indicator's current value and trend -----------------------------------------


def _figure_text(kind: str, entry: Mapping[str, Any] | None) -> str | None:
    if entry is None or entry.get("suppressed"):
        return None
    if kind == figures_module.COUNT:
        total = entry.get("total")
        return None if total is None else f"{total:,}".replace(",", ".")
    mean = entry.get("mean")
    return None if mean is None else f"{mean:.1f}"


def item_value_text(entry: Mapping[str, Any] | None, item_type: str) -> str | None:
    """A published figure of an item as short text (share in %, or a mean); None when withheld."""
    if entry is None or entry.get("suppressed"):
        return None
    if item_type == ItemType.YES_NO and entry.get("share") is not None:
        return f"{100 * entry['share']:.0f} %"
    if item_type in (ItemType.SCALE, ItemType.NUMBER) and entry.get("mean") is not None:
        return f"{entry['mean']:.2f}"
    if item_type in (ItemType.CHOICE, ItemType.MULTI_CHOICE) and entry.get("shares"):
        shares = entry["shares"]
        parts = []
        for code, value in shares.items():
            share = value.get("share") if isinstance(value, Mapping) else value
            if share is not None:
                parts.append(f"{code} {100 * share:.0f} %")
        return " · ".join(parts) or None
    return None


def _latest_analyses() -> dict[bool, Any]:
    """Per kind of data (real, synthetic), the analysis of the latest wave with answers."""
    from weerbaar.monitor.report import analyse_wave

    found: dict[bool, Any] = {}
    for synthetic in (False, True):
        wave = (
            Wave.objects.filter(synthetic=synthetic, responses__isnull=False)
            .select_related("codebook")
            .distinct()
            .order_by("-year")
            .first()
        )
        if wave is not None:
            found[synthetic] = analyse_wave(wave)
    return found


def _figure_years() -> list[int]:
    return sorted(
        {
            d.year
            for d in OperationalFigures.objects.filter(superseded_by__isnull=True).values_list(
                "period_start", flat=True
            )
        }
    )


@dataclass
class IndicatorValue:
    ref: str
    level: str  # "output" (an operational figure: what was done) or "outcome" (a survey item)
    label: str
    latest_year: int | None
    latest: str | None
    suppressed: bool
    trend: list[tuple[int, str | None]]


def indicator_values(
    refs: Sequence[str], *, synthetic: bool, english: bool, cache: dict[str, Any]
) -> list[IndicatorValue]:
    """The current value and trend of each indicator, from published figures only."""
    if "analyses" not in cache:
        cache["analyses"] = _latest_analyses()
        cache["figures"] = {y: figures_module.figures_for_year(y) for y in _figure_years()}
    out: list[IndicatorValue] = []
    analysed = cache["analyses"].get(synthetic)
    for ref in refs:
        if ref in figures_module.FIGURE_KEYS:
            kind = figures_module.FIGURE_KEYS[ref].kind
            trend = []
            for year, published in sorted(cache["figures"].items()):
                entry = published["figures"].get(ref)
                if entry is not None:
                    trend.append((year, _figure_text(kind, entry)))
            last = trend[-1] if trend else (None, None)
            out.append(
                IndicatorValue(
                    ref=ref,
                    level="output",
                    label=figures_module.label(ref, english),
                    latest_year=last[0],
                    latest=last[1],
                    suppressed=bool(trend) and last[1] is None,
                    trend=trend,
                )
            )
            continue
        item = None if analysed is None else analysed.items.get(ref)
        entry = None if analysed is None else analysed.analysis["items"].get(ref)
        label = ref if item is None else (item.label_en if english else item.label_nl)
        if entry is None:
            out.append(IndicatorValue(ref, "outcome", label, None, None, False, []))
            continue
        item_type = entry["type"]
        trend = [(int(p["year"]), item_value_text(p, item_type)) for p in entry.get("trend", [])]
        out.append(
            IndicatorValue(
                ref=ref,
                level="outcome",
                label=label,
                latest_year=analysed.wave.year,
                latest=item_value_text(entry, item_type),
                suppressed=bool(entry.get("suppressed")),
                trend=trend,
            )
        )
    return out


def overview(*, english: bool) -> list[dict[str, Any]]:
    """Every wave with conclusions, newest first: per conclusion its responses and, per response,
    the indicators split into outputs and outcomes with their values."""
    cache: dict[str, Any] = {}
    waves = (
        Wave.objects.filter(conclusions__isnull=False)
        .distinct()
        .order_by("-year")
        .prefetch_related("conclusions__follow_ups")
    )
    out = []
    for wave in waves:
        has_answers = Response.objects.filter(wave=wave).exists()
        conclusions = []
        for c in sorted(wave.conclusions.all(), key=lambda c: c.number):
            responses = []
            for f in sorted(c.follow_ups.all(), key=lambda f: (f.created_at, f.pk)):
                values = indicator_values(
                    list(f.indicators or []), synthetic=wave.synthetic, english=english, cache=cache
                )
                responses.append(
                    {
                        "follow_up": f,
                        "outputs": [v for v in values if v.level == "output"],
                        "outcomes": [v for v in values if v.level == "outcome"],
                    }
                )
            conclusions.append(
                {"conclusion": c, "text": (c.text_en or c.text_nl) if english else c.text_nl, "responses": responses}
            )
        out.append({"wave": wave, "has_answers": has_answers, "conclusions": conclusions})
    return out
