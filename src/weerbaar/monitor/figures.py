# SPDX-License-Identifier: EUPL-1.2
"""Operational figures: what municipalities *did*, beside what they *said* in the survey.

A municipal Weerbaar deployment counts, for a period, its signals per phenomenon, the outcomes of
weighing (W3) and of research (W4), hit/no-hit queries and content requests, interventions per
instrument, RIEC referrals, cases, and lead times in days — anonymised counts, no personal data —
and submits them to the monitor deployment (``POST /api/v1/monitor/figures`` or
``weerbaar monitor import-figures FILE``). ``export_figures`` computes those counts from the
deployment's own signals, research and approach data (``weerbaar monitor export-figures``).

**The vocabulary is fixed** (:data:`FIGURE_KEYS`): an exchange format between deployments must not
depend on one municipality's configurable lists, so phenomena and instruments are the default
catalogue's codes (signals/defaults.py, approach/defaults.py); a municipality's own additions are
counted under ``…other``.

**Rules of a submission** (docs/monitor-report.md): the municipality code exists on 1 January of
the period's year; the period lies within one calendar year, starts no earlier than the lineage's
first year and ends no later than today; every key is known; every value is a whole number ≥ 0.
A submission for exactly the same municipality and period is a *correction*: a new row that
``supersedes`` the previous one (nothing is edited). A period that overlaps another submitted
period of the same municipality is refused (the counts would be added twice).

**Published with the survey's suppression rule**: per figure and per size class or RIEC region,
a cell of fewer than five reporting municipalities is withheld, with complementary suppression so
it cannot be recovered from the national total (the analysis package's ``suppress_one_way``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import audit
from weerbaar.monitor import lineage
from weerbaar.monitor.analysis import SuppressionRule
from weerbaar.monitor.analysis.disclosure import suppress_one_way
from weerbaar.monitor.models import FiguresSource, Municipality, OperationalFigures, SizeClass

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor

#: A figure is a count, or a lead time in whole days (a municipality's median over the period).
COUNT, DAYS = "count", "days"
#: No municipality counts more than this of anything in a year; a larger value is a typing error.
MAX_VALUE = 10_000_000
MAX_PERIOD_DAYS = 366
RULE = SuppressionRule()

#: Phenomena of the default catalogue (signals/defaults.py): (code, Dutch, English).
PHENOMENA: tuple[tuple[str, str, str], ...] = (
    ("cannabis", "Hennepteelt", "Cannabis cultivation"),
    ("synthetic_drugs", "Synthetische drugs en drugsafval", "Synthetic drugs and drug waste"),
    ("cocaine", "Cocaïnehandel", "Cocaine trade"),
    ("money_laundering", "Witwassen", "Money laundering"),
    ("real_estate_fraud", "Vastgoedfraude", "Real-estate fraud"),
    ("human_trafficking", "Mensenhandel en uitbuiting", "Human trafficking and exploitation"),
    ("care_fraud", "Zorgfraude", "Care fraud"),
    ("criminal_families", "Criminele personen of families", "Criminal persons or families"),
    ("gangs", "(Motor)bendes", "(Motorcycle) gangs"),
    ("milieu_violence", "Geweld in het criminele milieu", "Violence within the criminal milieu"),
    ("environmental_crime", "Milieucriminaliteit", "Environmental crime"),
    ("address_fraud", "Adres- en woonfraude", "Address and housing fraud"),
    ("holiday_parks", "Misbruik vakantieparken en buitengebied", "Abuse of holiday parks and rural premises"),
    ("youth_exploitation", "Criminele uitbuiting van jongeren", "Criminal exploitation of youth"),
    ("other", "Overige fenomenen", "Other phenomena"),
)
#: Instruments of the default catalogue (approach/defaults.py).
INSTRUMENTS: tuple[tuple[str, str, str], ...] = (
    ("bibob", "Bibob-toets", "Bibob integrity screening"),
    ("closure-13b", "Sluiting art. 13b Opiumwet", "Closure under art. 13b Opiumwet"),
    ("closure-174a", "Sluiting art. 174a Gemeentewet", "Closure under art. 174a Gemeentewet"),
    ("public-premises-174", "Openbare inrichting (art. 174 Gemeentewet)", "Public premises (art. 174 Gemeentewet)"),
    ("permit-refusal", "Weigering of intrekking vergunning", "Refusal or withdrawal of a permit"),
    ("area-ban-172a", "Gebiedsverbod of meldplicht (art. 172a)", "Area ban or reporting duty (art. 172a)"),
    ("housing-nuisance-151d", "Gedragsaanwijzing woonoverlast (art. 151d)", "Housing nuisance order (art. 151d)"),
    ("emergency-order-175", "Noodbevel (art. 175)", "Emergency order (art. 175)"),
    ("penalty-order", "Last onder dwangsom", "Order subject to a penalty"),
    ("administrative-coercion", "Last onder bestuursdwang", "Administrative coercion"),
    ("administrative-fine", "Bestuurlijke boete", "Administrative fine"),
    ("housing-permits", "Opkoopbescherming en verhuurvergunning", "Buy-to-let protection and rental permit"),
    ("stopgesprek", "Stopgesprek", "Stop conversation"),
    ("administrative-report-request", "Verzoek bestuurlijke rapportage", "Request for an administrative report"),
    ("riec-referral", "Doorverwijzing naar het RIEC", "Referral to the RIEC"),
    ("sector-resilience", "Weerbaarheid van sectoren", "Resilience of sectors"),
    ("preventie-met-gezag", "Preventie met Gezag", "Preventie met Gezag"),
    ("other", "Overige instrumenten", "Other instruments"),
)


@dataclass(frozen=True)
class FigureKey:
    key: str
    kind: str
    label_nl: str
    label_en: str
    group: str


def _catalogue() -> dict[str, FigureKey]:
    keys: list[FigureKey] = [FigureKey("signals.total", COUNT, "Signalen (totaal)", "Signals (total)", "signals")]
    keys += [
        FigureKey(f"signals.{c}", COUNT, f"Signalen: {nl}", f"Signals: {en}", "signals") for c, nl, en in PHENOMENA
    ]
    keys += [
        FigureKey("weighing.no_action", COUNT, "Weging: geen actie", "Weighing: no action", "weighing"),
        FigureKey("weighing.department", COUNT, "Weging: naar afdeling", "Weighing: to a department", "weighing"),
        FigureKey("weighing.riec", COUNT, "Weging: naar het RIEC", "Weighing: to the RIEC", "weighing"),
        FigureKey("weighing.research", COUNT, "Weging: bronnenonderzoek", "Weighing: source research", "weighing"),
        FigureKey("w4.stop", COUNT, "W4: stoppen", "W4: stop", "weighing"),
        FigureKey("w4.department", COUNT, "W4: afdelingen", "W4: departments", "weighing"),
        FigureKey("w4.case", COUNT, "W4: casusoverleg", "W4: case meeting", "weighing"),
        FigureKey("w4.riec", COUNT, "W4: naar het RIEC", "W4: to the RIEC", "weighing"),
        FigureKey("queries.total", COUNT, "Bevragingen hit/no-hit", "Hit/no-hit queries", "queries"),
        FigureKey("queries.hit", COUNT, "Bevragingen: hit", "Queries: hit", "queries"),
        FigureKey("queries.possible", COUNT, "Bevragingen: mogelijke hit", "Queries: possible hit", "queries"),
        FigureKey("queries.no_hit", COUNT, "Bevragingen: geen hit", "Queries: no hit", "queries"),
        FigureKey("queries.content_requests", COUNT, "Inhoudsverzoeken", "Content requests", "queries"),
        FigureKey("interventions.total", COUNT, "Interventies (totaal)", "Interventions (total)", "interventions"),
    ]
    keys += [
        FigureKey(f"interventions.{c}", COUNT, f"Interventie: {nl}", f"Intervention: {en}", "interventions")
        for c, nl, en in INSTRUMENTS
    ]
    keys += [
        FigureKey("riec.referrals", COUNT, "Doorverwijzingen naar het RIEC", "Referrals to the RIEC", "riec"),
        FigureKey("cases.opened", COUNT, "Casussen geopend", "Cases opened", "cases"),
        FigureKey("cases.closed", COUNT, "Casussen afgesloten", "Cases closed", "cases"),
        FigureKey(
            "lead_time.qualification_days", DAYS, "Doorlooptijd ontvangst → kwalificatie (dagen, mediaan)",
            "Lead time receipt → qualification (days, median)", "lead_time",
        ),
        FigureKey(
            "lead_time.weighing_days", DAYS, "Doorlooptijd ontvangst → weging (dagen, mediaan)",
            "Lead time receipt → weighing (days, median)", "lead_time",
        ),
        FigureKey(
            "lead_time.research_days", DAYS, "Doorlooptijd bronnenonderzoek → W4 (dagen, mediaan)",
            "Lead time source research → W4 (days, median)", "lead_time",
        ),
        FigureKey(
            "lead_time.case_days", DAYS, "Doorlooptijd casus geopend → afgesloten (dagen, mediaan)",
            "Lead time case opened → closed (days, median)", "lead_time",
        ),
    ]  # fmt: skip
    return {k.key: k for k in keys}


FIGURE_KEYS: dict[str, FigureKey] = _catalogue()

#: Survey items and the operational figures that show what was done about the same thing.
RELATED: dict[str, tuple[str, ...]] = {
    "ph_cannabis": ("signals.cannabis",),
    "ph_synthetic": ("signals.synthetic_drugs",),
    "ph_cocaine": ("signals.cocaine",),
    "ph_laundering": ("signals.money_laundering",),
    "ph_real_estate": ("signals.real_estate_fraud",),
    "ph_trafficking": ("signals.human_trafficking",),
    "ph_care_fraud": ("signals.care_fraud",),
    "ph_families": ("signals.criminal_families",),
    "ph_gangs": ("signals.gangs",),
    "ph_violence": ("signals.milieu_violence",),
    "ph_environment": ("signals.environmental_crime",),
    "ph_address_fraud": ("signals.address_fraud",),
    "ph_parks": ("signals.holiday_parks",),
    "ph_youth": ("signals.youth_exploitation",),
    "in_bibob_used": ("interventions.bibob",),
    "in_bibob_tests": ("interventions.bibob",),
    "in_13b_used": ("interventions.closure-13b",),
    "in_13b_closures": ("interventions.closure-13b",),
    "in_174a_used": ("interventions.closure-174a",),
    "in_174a_closures": ("interventions.closure-174a",),
    "in_174_public": ("interventions.public-premises-174",),
    "in_permit_refusal": ("interventions.permit-refusal",),
    "in_area_ban": ("interventions.area-ban-172a",),
    "in_housing_nuisance": ("interventions.housing-nuisance-151d",),
    "in_penalty_orders": ("interventions.penalty-order", "interventions.administrative-coercion"),
    "in_administrative_fine": ("interventions.administrative-fine",),
    "in_buy_protection": ("interventions.housing-permits",),
    "in_stop_talk": ("interventions.stopgesprek",),
    "in_admin_report": ("interventions.administrative-report-request",),
    "pr_pmg": ("interventions.preventie-met-gezag",),
    "pr_sector_resilience": ("interventions.sector-resilience",),
    "co_riec_case": ("riec.referrals", "weighing.riec", "w4.riec"),
    "co_riec_case_count": ("riec.referrals",),
    "co_case_meetings": ("cases.opened", "w4.case"),
    "if_signals_registered": ("signals.total",),
    "if_signals_count": ("signals.total",),
    "if_weighing_criteria": ("weighing.no_action", "weighing.department", "weighing.riec", "weighing.research"),
    "if_sources": ("queries.total", "queries.hit"),
    "if_data_analysis": ("queries.total",),
}

_CODE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
_ACCOUNT = re.compile(r"^(GM\d{4})(?:[-_.@].*)?$", re.IGNORECASE)
FIELDS = ("municipality_code", "period_start", "period_end", "figures")


def label(key: str, english: bool) -> str:
    found = FIGURE_KEYS.get(key)
    if found is None:
        return key
    return found.label_en if english else found.label_nl


# --- who submits ------------------------------------------------------------------------------------


def account_municipality(user: Any) -> str | None:
    """The municipality an account submits for: its username is the CBS code, optionally followed
    by a suffix (``gm0363``, ``GM0363-weerbaar``). One account per deployment, no profile table:
    the monitor's administrator creates it with role ``figures_submitter`` (docs/monitor-report.md)."""
    match = _ACCOUNT.match(str(getattr(user, "username", "") or ""))
    return match.group(1).upper() if match else None


def normalise_code(value: Any) -> str | None:
    match = _CODE.match(str(value).strip()) if isinstance(value, str | int) and not isinstance(value, bool) else None
    return f"GM{int(match.group(1)):04d}" if match else None


# --- checking a submission ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    municipality_code: str
    period_start: date
    period_end: date
    figures: dict[str, int]


def _date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _frame_year(year: int) -> int | None:
    known = [y for y in lineage.years() if y <= year]
    return max(known) if known else None


def check_submission(data: Any, *, today: date | None = None) -> Submission:
    """A submission as given (a mapping of ``FIELDS``) checked and normalised, or a
    ``ValidationError`` naming every problem by field (``figures.<key>`` for one figure)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = defaultdict(list)
    if not isinstance(data, Mapping):
        raise ValidationError(
            {"body": [_("Send a JSON object with municipality_code, period_start, period_end and figures.")]}
        )
    for extra in sorted(set(map(str, data)) - set(FIELDS)):
        errors[extra].append(_("Unknown field."))
    code = normalise_code(data.get("municipality_code", ""))
    if code is None:
        errors["municipality_code"].append(_("Give the CBS code of the municipality, e.g. GM0363."))
    start, end = _date(data.get("period_start")), _date(data.get("period_end"))
    if start is None:
        errors["period_start"].append(_("Give the first day of the period as YYYY-MM-DD."))
    if end is None:
        errors["period_end"].append(_("Give the last day of the period as YYYY-MM-DD."))
    if start is not None and end is not None:
        if end < start:
            errors["period_end"].append(_("The period ends before it starts."))
        elif start.year != end.year:
            errors["period_end"].append(_("A period lies within one calendar year (a month, a quarter or a year)."))
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            errors["period_end"].append(_("A period is at most a year."))
        if end > today:
            errors["period_end"].append(_("The period has not ended yet; submit figures for a past period."))
        if start.year < lineage.FIRST_YEAR:
            errors["period_start"].append(
                _("Figures are accepted from %(year)s on (the monitor's municipal lineage).")
                % {"year": lineage.FIRST_YEAR}
            )
        elif code is not None:
            base = _frame_year(start.year)
            if base is None or not Municipality.objects.filter(year=base, cbs_code=code).exists():
                errors["municipality_code"].append(
                    _("%(code)s is not a municipality on 1 January %(year)s.") % {"code": code, "year": start.year}
                )
    figures = data.get("figures")
    clean: dict[str, int] = {}
    if not isinstance(figures, Mapping) or not figures:
        errors["figures"].append(_("Give the figures as an object of key: count, with at least one key."))
    else:
        for key, value in figures.items():
            name = f"figures.{key}"
            if key not in FIGURE_KEYS:
                errors[name].append(_("Unknown figure key (see docs/monitor-report.md for the list)."))
                continue
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                errors[name].append(_("A figure is a whole number of 0 or more."))
                continue
            try:
                number = float(value) if not isinstance(value, int) else value
            except ValueError:
                errors[name].append(_("A figure is a whole number of 0 or more."))
                continue
            if isinstance(number, float) and not number.is_integer():
                errors[name].append(_("A figure is a whole number of 0 or more."))
                continue
            whole = int(number)
            if whole < 0:
                errors[name].append(_("A figure cannot be negative."))
            elif whole > MAX_VALUE:
                errors[name].append(_("This figure is implausibly large."))
            else:
                clean[str(key)] = whole
    if errors:
        raise ValidationError(dict(errors))
    if not (code is not None and start is not None and end is not None):
        raise RuntimeError("internal error: expected code is not None and start is not None and end is not None")
    return Submission(code, start, end, dict(sorted(clean.items())))


def _current(code: str) -> Any:
    return OperationalFigures.objects.filter(municipality_code=code, superseded_by__isnull=True)


def _store(
    *, acting: Actor, submission: Submission, source: str
) -> tuple[OperationalFigures, OperationalFigures | None]:
    """Store one checked submission (inside the caller's transaction): a new row, superseding the
    row for exactly the same period; an overlapping other period is refused."""
    # The municipality's lineage row is the lock: two submissions for one municipality are checked
    # for overlap one after the other, also when it has no figures yet.
    list(
        Municipality.objects.select_for_update()
        .filter(year=_frame_year(submission.period_start.year) or 0, cbs_code=submission.municipality_code)
        .values_list("pk", flat=True)
    )
    rows = list(
        _current(submission.municipality_code)
        .select_for_update(of=("self",))
        .filter(period_start__lte=submission.period_end, period_end__gte=submission.period_start)
    )
    same = [r for r in rows if r.period_start == submission.period_start and r.period_end == submission.period_end]
    other = [r for r in rows if r not in same]
    if other:
        first = other[0]
        raise ValidationError(
            {
                "period_start": [
                    _(
                        "This period overlaps figures already submitted for %(code)s (%(start)s to %(end)s); "
                        "submit exactly that period again to correct them."
                    )
                    % {"code": submission.municipality_code, "start": first.period_start, "end": first.period_end}
                ]
            }
        )
    previous = same[0] if same else None
    row = OperationalFigures.objects.create(
        municipality_code=submission.municipality_code,
        period_start=submission.period_start,
        period_end=submission.period_end,
        figures=submission.figures,
        source=source,
        submitted_by=acting.user,
        submitted_by_label=acting.label,
        supersedes=previous,
    )
    return row, previous


def submit_figures(*, acting: Actor, data: Mapping[str, Any], source: str = FiguresSource.API) -> OperationalFigures:
    """Check and store one submission, all or nothing, with its audit row."""
    submission = check_submission(data)
    with transaction.atomic():
        row, previous = _store(acting=acting, submission=submission, source=source)
        audit(
            acting,
            "monitor.figures.submit",
            obj=row,
            detail={
                "municipality": row.municipality_code,
                "period": [row.period_start.isoformat(), row.period_end.isoformat()],
                "keys": len(submission.figures),
                "supersedes": previous.pk if previous else None,
                "source": source,
            },
        )
    return row


# --- files --------------------------------------------------------------------------------------------


class FiguresFileRefused(Exception):
    """A figures file with errors; nothing was stored. ``errors`` are lines that name row and field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def read_figures_file(content: bytes, name: str) -> list[dict[str, Any]]:
    """The submissions in a file: JSON (one object as the API takes, or a list of them) or CSV with
    columns ``municipality_code,period_start,period_end`` and one column per figure key (an empty
    cell: not reported)."""
    text = content.decode("utf-8-sig")
    if name.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FiguresFileRefused([f"{name}: not valid JSON ({exc.msg}, line {exc.lineno})"]) from None
        records = parsed if isinstance(parsed, list) else [parsed]
        return [r if isinstance(r, dict) else {"_not_an_object": r} for r in records]
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    records = []
    for row in reader:
        record: dict[str, Any] = {"figures": {}}
        for column, value in row.items():
            if column is None:
                record["_extra_cells"] = value
                continue
            column = column.strip()
            if column in ("municipality_code", "period_start", "period_end"):
                record[column] = (value or "").strip()
            elif value is not None and value.strip() != "":
                record["figures"][column] = value.strip()
        records.append(record)
    return records


def import_figures(*, acting: Actor, content: bytes, name: str) -> list[OperationalFigures]:
    """Store every submission of a file, or none: every problem is listed with its row."""
    records = read_figures_file(content, name)
    if not records:
        raise FiguresFileRefused([f"{name}: no submissions in the file"])
    errors: list[str] = []
    checked: list[Submission] = []
    seen: set[tuple[str, date, date]] = set()
    for number, record in enumerate(records, start=1):
        where = _("submission %(n)s") % {"n": number}
        try:
            if "_not_an_object" in record or "_extra_cells" in record:
                raise ValidationError({"body": [_("This row is not a submission (too many cells or not an object).")]})
            submission = check_submission(record)
        except ValidationError as exc:
            errors += [
                f"{where}, {field}: {message}" for field, messages in exc.message_dict.items() for message in messages
            ]
            continue
        key = (submission.municipality_code, submission.period_start, submission.period_end)
        if key in seen:
            errors.append(f"{where}: {_('the same municipality and period appear twice in the file')}")
        seen.add(key)
        checked.append(submission)
    if errors:
        raise FiguresFileRefused(errors)
    stored: list[OperationalFigures] = []
    try:
        with transaction.atomic():
            for submission in checked:
                row, _previous = _store(acting=acting, submission=submission, source=FiguresSource.FILE)
                stored.append(row)
            audit(
                acting,
                "monitor.figures.import",
                object_type="monitor.operationalfigures",
                detail={"file": name, "submissions": len(stored), "ids": [r.pk for r in stored]},
            )
    except ValidationError as exc:
        raise FiguresFileRefused([f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]) from None
    return stored


# --- publishing: aggregates with the survey's suppression ----------------------------------------


def _per_municipality(rows: Iterable[OperationalFigures]) -> dict[str, dict[str, float]]:
    """Counts added over a municipality's periods; lead times averaged over them."""
    sums: dict[str, dict[str, float]] = defaultdict(dict)
    days: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for key, value in (row.figures or {}).items():
            kind = FIGURE_KEYS[key].kind if key in FIGURE_KEYS else COUNT
            if kind == DAYS:
                days[row.municipality_code][key].append(float(value))
            else:
                sums[row.municipality_code][key] = sums[row.municipality_code].get(key, 0.0) + float(value)
    for code, per_key in days.items():
        for key, values in per_key.items():
            sums[code][key] = float(statistics.fmean(values))
    return dict(sums)


def _rows_in(start: date, end: date) -> list[OperationalFigures]:
    return list(
        OperationalFigures.objects.filter(
            superseded_by__isnull=True, period_start__gte=start, period_end__lte=end
        ).order_by("municipality_code", "period_start", "pk")
    )


def aggregate(rows: Sequence[OperationalFigures], year: int, *, rule: SuppressionRule = RULE) -> dict[str, Any]:
    """National and per-group figures of ``year`` (municipalities of that year's lineage), with
    primary and complementary suppression. A count is published as its total and mean per reporting
    municipality, a lead time as the mean of the municipalities' medians; ``n`` is the number of
    municipalities that reported the key, ``N`` those of the year in the group."""
    base = _frame_year(year)
    frame = {
        m.cbs_code: m
        for m in Municipality.objects.filter(year=base).only("cbs_code", "size_class", "riec_region")
    } if base else {}  # fmt: skip
    values = {code: v for code, v in _per_municipality(rows).items() if code in frame}
    keys = [k for k in FIGURE_KEYS if any(k in v for v in values.values())]
    keys += sorted({k for v in values.values() for k in v} - set(keys) - set(FIGURE_KEYS))
    out: dict[str, Any] = {
        "year": year,
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "frame_year": base,
        "N": len(frame),
        "municipalities": len(values),
        "submissions": len(rows),
        "suppression": rule.as_dict(),
        "figures": {},
    }
    if not keys:
        return out
    codes = sorted(values)
    matrix = np.array([[values[c].get(k, np.nan) for k in keys] for c in codes], dtype=np.float64)
    reported = ~np.isnan(matrix)
    filled = np.where(reported, matrix, 0.0)
    n_total = reported.sum(axis=0)
    total_hidden = (n_total > 0) & (n_total < rule.min_cell)
    groupings: dict[str, dict[str, Any]] = {}
    for by, groups in (
        ("size_class", [c for c, _l in SizeClass.choices]),
        ("riec_region", sorted({m.riec_region for m in frame.values()})),
    ):
        member = np.array([[getattr(frame[c], by) == g for c in codes] for g in groups], dtype=bool)
        n_cell = member.astype(np.float64) @ reported.astype(np.float64)
        sums = member.astype(np.float64) @ filled
        mask = suppress_one_way(
            n_cell, sums, np.arange(len(keys)), np.zeros(len(keys)), np.full(len(keys), np.inf), rule
        )
        mask |= total_hidden[None, :] & (n_cell > 0)
        big_n = [sum(1 for m in frame.values() if getattr(m, by) == g) for g in groups]
        groupings[by] = {"groups": groups, "n": n_cell, "sums": sums, "mask": mask, "N": big_n}
    for j, key in enumerate(keys):
        kind = FIGURE_KEYS[key].kind if key in FIGURE_KEYS else COUNT
        entry = _cell(kind, int(n_total[j]), float(filled[:, j].sum()), bool(total_hidden[j]), len(frame))
        entry["kind"] = kind
        entry["by"] = {
            by: {
                g: _cell(kind, int(part["n"][i, j]), float(part["sums"][i, j]), bool(part["mask"][i, j]), part["N"][i])
                for i, g in enumerate(part["groups"])
            }
            for by, part in groupings.items()
        }
        out["figures"][key] = entry
    return out


def _cell(kind: str, n: int, total: float, hidden: bool, big_n: int) -> dict[str, Any]:
    mean = round(total / n, 4) if n and not hidden else None
    cell: dict[str, Any] = {"N": big_n, "n": n, "suppressed": hidden}
    if kind == COUNT:
        cell["total"] = None if hidden or n == 0 else round(total)
    cell["mean"] = mean
    return cell


def figures_for_year(year: int) -> dict[str, Any]:
    """The published operational figures of calendar year ``year`` (the report's section)."""
    return aggregate(_rows_in(date(year, 1, 1), date(year, 12, 31)), year)


# --- the municipal side: counting this deployment's own work -------------------------------------


def _median_days(pairs: Iterable[tuple[Any, Any]]) -> int | None:
    values = []
    for begin, finish in pairs:
        if begin is None or finish is None:
            continue
        first = begin.date() if isinstance(begin, datetime) else begin
        last = finish.date() if isinstance(finish, datetime) else finish
        values.append((last - first).days)
    return round(statistics.median(values)) if values else None


def export_figures(*, municipality_code: str, start: date, end: date) -> dict[str, Any]:
    """This deployment's counts for ``start``–``end`` as a submission (the API's body).

    Counts only: no identifiers leave the deployment (suppression is applied where figures are
    published, by the monitor). Apps that are not installed contribute nothing."""
    from django.apps import apps

    code = normalise_code(municipality_code)
    if code is None:
        raise ValidationError({"municipality_code": [_("Give the CBS code of the municipality, e.g. GM0363.")]})
    if end < start:
        raise ValidationError({"period_end": [_("The period ends before it starts.")]})
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    at = {"at__gte": begin, "at__lt": finish}
    figures: dict[str, int] = {}

    def put(key: str, value: int | None) -> None:
        if value is not None:
            figures[key] = int(value)

    if apps.is_installed("weerbaar.signals"):
        from weerbaar.signals.models import Signal, StatusChange, Weighing
        from weerbaar.signals.states import Route, State

        signals = Signal.objects.filter(received_on__gte=start, received_on__lte=end)
        put("signals.total", signals.count())
        known = {c for c, _nl, _en in PHENOMENA}
        for phenomenon, count in _count_by(signals.values_list("phenomena__code", flat=True)).items():
            if phenomenon is None:
                continue
            target = phenomenon if phenomenon in known else "other"
            figures[f"signals.{target}"] = figures.get(f"signals.{target}", 0) + count
        routes = {
            Route.NO_ACTION: "no_action",
            Route.DEPARTMENT: "department",
            Route.RIEC: "riec",
            Route.RESEARCH: "research",
        }
        weighings = Weighing.objects.filter(**at)
        for route, count in _count_by(weighings.values_list("route", flat=True)).items():
            if route in routes:
                put(f"weighing.{routes[route]}", count)
        put(
            "lead_time.qualification_days",
            _median_days(
                StatusChange.objects.filter(from_state=State.RECEIVED, **at)
                .exclude(to_state=State.DESTROYED)
                .values_list("signal__received_on", "at")
            ),
        )
        put("lead_time.weighing_days", _median_days(weighings.values_list("signal__received_on", "at")))
    if apps.is_installed("weerbaar.research"):
        from weerbaar.research.models import W4, ContentRequest, Query
        from weerbaar.signals.models import Weighing as W3Weighing

        queries = Query.objects.filter(**at)
        put("queries.total", queries.count())
        names = {"hit": "hit", "possible": "possible", "no-hit": "no_hit"}
        for status, count in _count_by(queries.values_list("status", flat=True)).items():
            if status in names:
                put(f"queries.{names[status]}", count)
        put("queries.content_requests", ContentRequest.objects.filter(**at).count())
        decisions = list(W4.objects.filter(**at).values_list("signal_id", "outcome", "at"))
        for outcome, count in _count_by(o for _s, o, _a in decisions).items():
            if outcome in ("stop", "department", "case", "riec"):
                put(f"w4.{outcome}", count)
        research_started = dict(
            W3Weighing.objects.filter(signal_id__in=[s for s, _o, _a in decisions], route="d")
            .order_by("signal_id", "-at")
            .values_list("signal_id", "at")
        )
        put("lead_time.research_days", _median_days((research_started.get(s), a) for s, _o, a in decisions))
    if apps.is_installed("weerbaar.approach"):
        from weerbaar.approach.models import Case, Intervention, ReferralEvent, ReferralStatus

        known_instruments = {c for c, _nl, _en in INSTRUMENTS}
        interventions = Intervention.objects.filter(**at)
        put("interventions.total", interventions.count())
        for instrument, count in _count_by(interventions.values_list("instrument__code", flat=True)).items():
            target = instrument if instrument in known_instruments else "other"
            figures[f"interventions.{target}"] = figures.get(f"interventions.{target}", 0) + count
        put(
            "riec.referrals",
            ReferralEvent.objects.filter(status=ReferralStatus.SENT, **at).values("referral_id").distinct().count(),
        )
        put("cases.opened", Case.objects.filter(opened_at__gte=begin, opened_at__lt=finish).count())
        closed = Case.objects.filter(closed_at__gte=begin, closed_at__lt=finish)
        put("cases.closed", closed.count())
        put("lead_time.case_days", _median_days(closed.values_list("opened_at", "closed_at")))
    return {
        "municipality_code": code,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "figures": dict(sorted(figures.items())),
    }


def _count_by(values: Iterable[Any]) -> dict[Any, int]:
    found: dict[Any, int] = defaultdict(int)
    for value in values:
        found[value] += 1
    return dict(found)
