# SPDX-License-Identifier: EUPL-1.2
"""Signals and the decisions of steps 1-2.

Content (descriptions, reporters, subjects, reasons, attachments) is encrypted at rest and
destroyed by retention; what stays is the tombstone: dates, channel, phenomena, states and
routes, enough for statistics and for the audit trail to keep its meaning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department
from weerbaar.signals.crypto import EncryptedJSONField, EncryptedTextField
from weerbaar.signals.states import Route, State


class BilingualLabel(models.Model):
    """Configurable reference data carries its own Dutch and English label."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if translation.get_language() == "en" else self.label_nl


class Phenomenon(BilingualLabel):
    """A phenomenon of domain.md §7 (cannabis cultivation, money laundering, …)."""

    class Meta(BilingualLabel.Meta):
        verbose_name = _("phenomenon")
        verbose_name_plural = _("phenomena")


class ChecklistKind(models.TextChoices):
    FEATURE = "feature", _("Feature of undermining")
    ANCHORING = "anchoring", _("Situational and local anchoring")
    SIGNALLING = "signalling", _("Signalling indicator")
    RED_FLAG = "red_flag", _("Red flag")


class ChecklistItem(BilingualLabel):
    """One line of the W1 checklist; the municipality edits its own list."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChecklistKind.choices)

    class Meta(BilingualLabel.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")


class WeighingCriterion(BilingualLabel):
    """An objective W3 criterion fixed in local policy, scored 0..max_score and explained."""

    help_nl = models.TextField(_("guidance (Dutch)"), blank=True)
    help_en = models.TextField(_("guidance (English)"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=3)

    class Meta(BilingualLabel.Meta):
        verbose_name = _("weighing criterion")
        verbose_name_plural = _("weighing criteria")

    @property
    def help(self) -> str:
        return self.help_en if translation.get_language() == "en" else self.help_nl


class Channel(models.TextChoices):
    DEPARTMENT = "department", _("Municipal department")
    MMA = "meld_misdaad_anoniem", _("Meld Misdaad Anoniem")
    POLICE = "police", _("Police")
    RIEC = "riec", _("RIEC")
    CITIZEN = "citizen", _("Citizen")
    OTHER_GOVERNMENT = "other_government", _("Other government body")


class Signal(models.Model):
    reference_prefix = "S"

    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices, db_index=True)
    reporter_anonymous = models.BooleanField(_("reporter is anonymous"), default=False)
    reporter_name = EncryptedTextField(_("reporter"), null=True, blank=True)
    reporter_contact = EncryptedTextField(_("reporter contact"), null=True, blank=True)
    reporting_department = models.ForeignKey(
        Department, verbose_name=_("reporting department"), null=True, blank=True, on_delete=models.PROTECT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("received on"), db_index=True)
    description = EncryptedTextField(_("description"), null=True)
    location_address = EncryptedTextField(_("address"), null=True, blank=True)
    location_area = models.CharField(
        _("area"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("Neighbourhood, business park or rural area: no personal data."),
    )
    phenomena = models.ManyToManyField(Phenomenon, verbose_name=_("phenomena"), related_name="signals")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    route = models.CharField(_("W3 route"), max_length=1, choices=Route.choices, blank=True)
    handed_to = models.ForeignKey(
        Department,
        verbose_name=_("handed to department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    destroy_after = models.DateField(_("destroy after"), null=True, blank=True, db_index=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["state", "-received_on", "-id"], name="signal_state_recv_idx"),
            models.Index(fields=["reported_by", "-received_on", "-id"], name="signal_reporter_recv_idx"),
            models.Index(fields=["-received_on", "-id"], name="signal_recv_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.reference_prefix}-{self.pk:06d}" if self.pk else "S-new"

    @property
    def is_destroyed(self) -> bool:
        return self.state == State.DESTROYED


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")
    ADDRESS = "address", _("Address")
    VEHICLE = "vehicle", _("Vehicle")


class Subject(models.Model):
    """Who or what a signal is about; the structured fields of architecture.md, encrypted."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=10, choices=SubjectKind.choices)
    data = EncryptedJSONField(_("fields"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Attachment(models.Model):
    """A file attached to a signal; its bytes are encrypted on disk, its name in the database."""

    ENCRYPTED_FILES = ("stored_file",)  # re-encrypted by key rotation (signals.keys)

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    stored_file = models.FileField(upload_to="signals/%Y/%m/")
    filename = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Decision(models.Model):
    """What every decision records: who, in which role, when, why (domain.md §1).

    ``status_change`` links a decision to the status row it made (none for a correction that
    kept the state), so the timeline shows each decision where it happened.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    role = models.CharField(_("role"), max_length=64)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reasons = EncryptedTextField(_("reasons"), null=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class StatusChange(Decision):
    """Append-only status history; a correction is a new row, never an edit."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history")
    seq = models.PositiveIntegerField()
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)

    class Meta(Decision.Meta):
        ordering = ["signal", "seq"]
        constraints = [models.UniqueConstraint(fields=["signal", "seq"], name="status_change_seq_unique")]


class Qualification(Decision):
    """W1 (undermining?), W2A (municipal task?), W2B (own territory?) with the checklist."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="qualifications")
    checked_items = models.JSONField(_("checked checklist items"), default=list)
    w1 = models.BooleanField(_("W1: undermining"))
    w2a = models.BooleanField(_("W2A: municipal task or power"))
    w2b = models.BooleanField(_("W2B: within the municipality"))
    outcome = models.CharField(max_length=20, choices=State.choices)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    status_change = models.OneToOneField(
        "StatusChange", null=True, blank=True, on_delete=models.CASCADE, related_name="qualification"
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="superseded_by",
    )


class Weighing(Decision):
    """W3: every criterion scored and explained, then one of the four routes."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="weighings")
    scores = models.JSONField(_("scores"), default=dict)
    explanations = EncryptedJSONField(_("explanations"), null=True)
    route = models.CharField(_("route"), max_length=1, choices=Route.choices)
    status_change = models.OneToOneField(
        "StatusChange", null=True, blank=True, on_delete=models.CASCADE, related_name="weighing"
    )
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class RetentionTerm(models.Model):
    """How long content in a closed state is kept before destruction; set in local policy."""

    state = models.CharField(_("state"), max_length=20, choices=State.choices, unique=True)
    months = models.PositiveSmallIntegerField(_("months"))

    class Meta:
        verbose_name = _("retention term")
        verbose_name_plural = _("retention terms")

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.months}"
