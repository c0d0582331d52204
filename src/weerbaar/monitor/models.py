# SPDX-License-Identifier: EUPL-1.2
"""The monitor's data: municipal lineage, the versioned codebook, waves and their answers, operational
figures, and the conclusions with their policy follow-up.

The monitor deployment holds **no personal data of citizens** (architecture.md): a response belongs to
a municipality (its CBS code), not to the official who filled it in; operational figures are counts.

Why codes and not foreign keys to :class:`Municipality`: a response, invitation or figures row names
the municipality by its CBS code *as it was in that wave's year*. The lineage table holds one row per
(year, code), and is rebuilt from reference data; keeping the code as plain text (checked against
the lineage when written) lets the lineage be corrected without cascading into answers, and lets the
analysis re-express any year in today's municipalities through :func:`weerbaar.monitor.lineage.current_code`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    """Population classes (docs/monitor-data.md says why these cut-offs)."""

    UNDER_20K = "under_20k", _("fewer than 20,000 inhabitants")
    FROM_20K = "20k_50k", _("20,000 to 50,000 inhabitants")
    FROM_50K = "50k_100k", _("50,000 to 100,000 inhabitants")
    FROM_100K = "100k_plus", _("100,000 inhabitants or more")


class RiecRegion(models.TextChoices):
    """The ten RIEC regions; they coincide with the ten regional units of the police (domain.md §6)."""

    NOORD_NEDERLAND = "Noord-Nederland", "Noord-Nederland"
    OOST_NEDERLAND = "Oost-Nederland", "Oost-Nederland"
    MIDDEN_NEDERLAND = "Midden-Nederland", "Midden-Nederland"
    NOORD_HOLLAND = "Noord-Holland", "Noord-Holland"
    AMSTERDAM_AMSTELLAND = "Amsterdam-Amstelland", "Amsterdam-Amstelland"
    DEN_HAAG = "Den Haag", "Den Haag"
    ROTTERDAM = "Rotterdam", "Rotterdam"
    ZEELAND_WEST_BRABANT = "Zeeland-West-Brabant", "Zeeland-West-Brabant"
    OOST_BRABANT = "Oost-Brabant", "Oost-Brabant"
    LIMBURG = "Limburg", "Limburg"


class PopulationMethod(models.TextChoices):
    """Where a municipality's population figure comes from (only 2024 is a measured figure here)."""

    CBS = "cbs", _("CBS figure for 1 January of the year")
    CARRIED = "carried", _("2024 figure of the same municipality (territory unchanged since)")
    SHARE = "share", _("estimated share of the 2024 successor's figure")


class Municipality(models.Model):
    """One municipality as it existed on 1 January of ``year`` (2009–2024).

    Loaded with the migrations from the reference data in ``monitor/data`` (see lineage.py), so a
    fresh database accepts a wave of any year at once. ``current_code`` is the 2024 municipality
    whose territory now holds it (chained through mergers and renamings), which is how earlier
    waves are re-expressed in today's municipalities.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    cbs_code = models.CharField(_("CBS code"), max_length=6)
    name = models.CharField(_("name"), max_length=80)
    province = models.CharField(_("province"), max_length=40)
    population = models.PositiveIntegerField(_("population"))
    population_is_estimate = models.BooleanField(_("population is an estimate"), default=False)
    population_method = models.CharField(
        _("population method"), max_length=10, choices=PopulationMethod.choices, default=PopulationMethod.CBS
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    riec_region = models.CharField(_("RIEC region"), max_length=30, choices=RiecRegion.choices)
    current_code = models.CharField(_("code in 2024"), max_length=6)

    class Meta:
        ordering = ["year", "cbs_code"]
        verbose_name = _("municipality (per year)")
        verbose_name_plural = _("municipalities (per year)")
        constraints = [models.UniqueConstraint(fields=["year", "cbs_code"], name="monitor_municipality_year_code")]
        indexes = [models.Index(fields=["current_code"], name="monitor_muni_current")]

    def __str__(self) -> str:
        return f"{self.cbs_code} {self.name} ({self.year})"


class MergerKind(models.TextChoices):
    MERGER = "merger", _("merger")
    RENAMING = "renaming", _("renaming (new code, same territory)")


class Merger(models.Model):
    """A municipality abolished (or renamed) on ``date``; its territory went to ``new_code``.

    One row per abolished code, as RvIG table 33 records it: where a municipality was split over
    several successors only the main successor is listed (``split``), see docs/monitor-data.md.
    """

    date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=10, choices=MergerKind.choices, default=MergerKind.MERGER)
    old_code = models.CharField(_("old code"), max_length=6, unique=True)
    old_name = models.CharField(_("old name"), max_length=80)
    new_code = models.CharField(_("new code"), max_length=6)
    new_name = models.CharField(_("new name"), max_length=80)
    split = models.BooleanField(_("territory also went to other municipalities"), default=False)

    class Meta:
        ordering = ["date", "old_code"]
        verbose_name = _("merger")
        verbose_name_plural = _("mergers")

    def __str__(self) -> str:
        return f"{self.date}: {self.old_code} {self.old_name} → {self.new_code} {self.new_name}"


class Theme(models.TextChoices):
    """The nine themes of the monitor, stable across waves (monitor.md)."""

    AWARENESS = "awareness", _("Awareness of organised crime")
    ADMINISTRATIVE = "administrative", _("Administrative embedding")
    ORGANISATIONAL = "organisational", _("Organisational embedding")
    INSTRUMENTS = "instruments", _("Use of instruments")
    INFORMATION = "information", _("Information position")
    COOPERATION = "cooperation", _("Cooperation")
    PREVENTION = "prevention", _("Roles and prevention")
    PHENOMENA = "phenomena", _("Phenomena present and priorities")
    FACTORS = "factors", _("Explanatory factors")


class ItemType(models.TextChoices):
    YES_NO = "yes_no", _("yes/no")
    SCALE = "scale", _("scale")
    NUMBER = "number", _("number")
    CHOICE = "choice", _("choice (one)")
    MULTI_CHOICE = "multi_choice", _("choice (several)")


class Codebook(models.Model):
    """One imported version of the questionnaire. Versions are never edited: a re-import of a changed
    file makes a new version, so every wave keeps the exact questions it was asked with."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.CharField(_("imported by"), max_length=150, blank=True)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    # The file itself: the codebook is reproducible from the database alone.
    source_text = models.TextField(_("file content"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("codebook")
        verbose_name_plural = _("codebooks")

    def __str__(self) -> str:
        return f"codebook v{self.version}"


class Item(models.Model):
    """One question of a codebook version.

    ``waves`` lists the years it was asked; ``previous_id`` names the comparable item of earlier
    waves (a reworded question), so a trend is only drawn between comparable items. ``ask_if`` is
    the routing condition (codebook_schema.py evaluates it): an item whose condition is false is
    not asked, and an answer to it is an error.
    """

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(_("item id"), max_length=64)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    type = models.CharField(_("type"), max_length=12, choices=ItemType.choices)
    label_nl = models.TextField(_("question (Dutch)"))
    label_en = models.TextField(_("question (English)"))
    scale_min = models.IntegerField(_("scale minimum"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale maximum"), null=True, blank=True)
    # Optional bounds for numbers (e.g. FTE ≥ 0) and the unit shown beside the field.
    number_min = models.FloatField(_("number minimum"), null=True, blank=True)
    number_max = models.FloatField(_("number maximum"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)  # [{code, label_nl, label_en}]
    waves = models.JSONField(_("waves"), default=list)  # [2009, 2012, …]
    previous_id = models.CharField(_("previous item id"), max_length=64, blank=True)
    ask_if = models.JSONField(_("routing condition"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["codebook", "order"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["codebook", "item_id"], name="monitor_item_codebook_id")]

    def __str__(self) -> str:
        return self.item_id

    def choice_codes(self) -> list[str]:
        return [str(c["code"]) for c in self.choices or []]


class WaveState(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ResponseSource(models.TextChoices):
    WEB = "web", _("web questionnaire")
    IMPORT = "import", _("imported file")


class Wave(models.Model):
    """One measurement (a year), asked with one codebook version.

    ``synthetic`` marks demo waves: every page and report built on them must say so.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    codebook = models.ForeignKey(Codebook, on_delete=models.PROTECT, related_name="waves")
    state = models.CharField(_("state"), max_length=10, choices=WaveState.choices, default=WaveState.DRAFT)
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.WEB)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic (demo) data"), default=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return f"wave {self.year}" + (" (synthetic)" if self.synthetic else "")


def hash_token(token: str) -> str:
    """The stored form of an invitation token. Tokens are long random strings (≥ 128 bits), so a
    plain SHA-256 cannot be reversed by guessing; the database never holds a usable link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    """A municipality's personal link to a wave's questionnaire (no account needed).

    Only a hash of the token is stored; the token is shown once (in the invitation mail) and
    expires when the wave closes.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    municipality_code = models.CharField(_("municipality code"), max_length=6)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    email = models.EmailField(_("e-mail address of the municipality"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["wave", "municipality_code"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["wave", "municipality_code"], name="monitor_invitation_wave_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.wave.year} {self.municipality_code}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hash_token(token)


class ResponseStatus(models.TextChoices):
    PARTIAL = "partial", _("partial")
    COMPLETE = "complete", _("complete")


class Response(models.Model):
    """A municipality's answers in one wave, as one document ``{item_id: value}``.

    Why a JSON dict rather than one row per answer: a response is read and written whole (the
    questionnaire saves as you go, routing is checked over the whole response, an import writes
    one row per municipality), and the analysis builds one pandas frame per wave from a single
    query of ~345 rows instead of ~86,000 answer rows (docs/monitor-data.md). Values are stored in
    their canonical form: yes/no as 1/0, scales and choices as given, numbers as numbers,
    multi-choice as a sorted list of codes; an unanswered item is absent.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    municipality_code = models.CharField(_("municipality code"), max_length=6)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.PARTIAL
    )
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.WEB)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["wave", "municipality_code"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["wave", "municipality_code"], name="monitor_response_wave_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.wave.year} {self.municipality_code}"


class FiguresSource(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("file")


class OperationalFigures(models.Model):
    """Anonymised counts a municipal deployment submits for a period ("what was done").

    ``figures`` maps a figure key (e.g. ``signals.cannabis``, ``interventions.bibob``) to a count
    or a duration in days; no personal data. A correction is a new row that ``supersedes`` the old.
    """

    municipality_code = models.CharField(_("municipality code"), max_length=6)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    figures = models.JSONField(_("figures"), default=dict)
    source = models.CharField(_("source"), max_length=10, choices=FiguresSource.choices, default=FiguresSource.API)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_label = models.CharField(_("submitted by"), max_length=150, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["municipality_code", "period_start", "submitted_at"]
        verbose_name = _("operational figures")
        verbose_name_plural = _("operational figures")
        indexes = [models.Index(fields=["municipality_code", "period_start"], name="monitor_figures_muni_period")]

    def __str__(self) -> str:
        return f"{self.municipality_code} {self.period_start}–{self.period_end}"


class Conclusion(models.Model):
    """A conclusion the researchers draw from a wave (editable text per wave, shown in the report)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="conclusions")
    number = models.PositiveSmallIntegerField(_("number"))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    text_nl = models.TextField(_("conclusion (Dutch)"))
    text_en = models.TextField(_("conclusion (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by_label = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        ordering = ["wave", "number"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [models.UniqueConstraint(fields=["wave", "number"], name="monitor_conclusion_wave_number")]

    def __str__(self) -> str:
        return f"{self.wave.year} #{self.number}"


class ResponseKind(models.TextChoices):
    """The ministry's policy response to a conclusion (the 2023 decision memo uses these three)."""

    DONE = "done", _("already done")
    NOT_MINISTRY = "not_ministry", _("not the ministry's to decide")
    WILL_PICK_UP = "will_pick_up", _("will be picked up")


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class FollowUp(models.Model):
    """The policy response to a conclusion: what is done, by whom, by when, and which indicators
    (codebook item ids or operational-figure keys) the next wave uses to see whether it worked —
    the policy theory made explicit (activities → outputs → outcomes → indicators)."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="follow_ups")
    response_kind = models.CharField(_("response"), max_length=15, choices=ResponseKind.choices)
    text_nl = models.TextField(_("response (Dutch)"), blank=True)
    text_en = models.TextField(_("response (English)"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by_label = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        ordering = ["conclusion", "created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.conclusion} {self.response_kind}"


def item_dict(item: Item) -> dict[str, Any]:
    """An item as the plain dict the Django-free code (routing, analysis) works with."""
    return {
        "id": item.item_id,
        "theme": item.theme,
        "type": item.type,
        "label_nl": item.label_nl,
        "label_en": item.label_en,
        "scale": {"min": item.scale_min, "max": item.scale_max} if item.type == ItemType.SCALE else None,
        "number_min": item.number_min,
        "number_max": item.number_max,
        "unit": item.unit,
        "choices": list(item.choices or []),
        "waves": list(item.waves or []),
        "previous_id": item.previous_id or None,
        "ask_if": item.ask_if,
        "order": item.order,
    }
