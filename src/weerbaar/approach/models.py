# SPDX-License-Identifier: EUPL-1.2
"""Step 4 — approach: the instrument catalogue, the case, privacy checks 2A/2B, the case meeting,
the plan of approach with its interventions and procedure steps, and the RIEC referral.

The catalogue (:class:`Instrument`, :class:`ProcedureStep`) is data, not code: a municipality
adds an instrument or changes a legal deadline without a release. A :class:`Case` belongs to a
signal that W4 sent to the case meeting or the RIEC; its team is who may open it (need to know);
everyone else gets "not found". Decision rows are append-only with who/role/when/why; free text
is encrypted and destroyed by retention, dates and outcomes stay for the statistics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department
from weerbaar.approach.crypto import EncryptedJSONField, EncryptedTextField
from weerbaar.signals.models import Signal


class Decided(models.Model):
    """Who decided, in which role, when, and why (domain.md §1)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    role = models.CharField(_("role"), max_length=64)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reasons = EncryptedTextField(_("reasons"), null=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class InstrumentCategory(models.TextChoices):
    SCREENING = "screening", _("Screening (Bibob)")
    CLOSURE = "closure", _("Closure")
    PERMIT = "permit", _("Permits")
    ENFORCEMENT = "enforcement", _("Enforcement")
    ORDER = "order", _("Orders of the mayor")
    SANCTION = "sanction", _("Administrative sanction")
    HOUSING = "housing", _("Housing")
    CONVERSATION = "conversation", _("Conversation")
    INFORMATION = "information", _("Information and referral")
    PREVENTION = "prevention", _("Prevention")


class Instrument(models.Model):
    """One administrative instrument of domain.md §5, as configurable data."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=InstrumentCategory.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    competent_organ = models.CharField(_("competent organ"), max_length=120)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    #: What exchange of data the instrument typically needs (guidance for privacy check 2B).
    exchange_nl = models.TextField(_("data exchange needed (Dutch)"), blank=True)
    exchange_en = models.TextField(_("data exchange needed (English)"), blank=True)
    is_riec_referral = models.BooleanField(_("is the RIEC referral"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if translation.get_language() == "en" else self.label_nl


class ProcedureStep(models.Model):
    """A step of an instrument's procedure with its legal deadline and the documents it produces.

    ``deadline_days`` counts from the completion of the step named by ``deadline_from`` (an
    earlier step's code; empty: the previous step, or the intervention's start for the first
    step); ``None`` means no deadline. Why ``deadline_from``: the Awb counts some terms from an
    earlier event than the previous step (the objection term runs from the notification, not from
    the closure carried out after it). ``documents`` is a list of document names ("voornemen",
    "besluit")."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=60)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days)"), null=True, blank=True)
    deadline_from = models.SlugField(
        _("deadline counts from step"),
        max_length=60,
        blank=True,
        db_index=False,  # no lookups by it; and no deferred index to create after the seed data
        help_text=_("Code of an earlier step whose completion starts the term; empty: the previous step."),
    )
    deadline_basis = models.CharField(_("basis of the deadline"), max_length=200, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="procedure_step_code_unique")]
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if translation.get_language() == "en" else self.label_nl


class CasePolicy(models.Model):
    """Local policy for closed cases: the monitoring period, then the retention period (months).

    One row; the approach services create it with the defaults when it is missing."""

    monitoring_months = models.PositiveSmallIntegerField(_("monitoring period (months)"), default=12)
    retention_months = models.PositiveSmallIntegerField(_("retention period after monitoring (months)"), default=24)
    warn_days_before = models.PositiveSmallIntegerField(_("warn this many days before a deadline"), default=7)

    class Meta:
        verbose_name = _("case policy")
        verbose_name_plural = _("case policy")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open: preparing the case meeting")
    PLAN = "plan", _("Plan of approach in execution")
    CLOSED = "closed", _("Closed: monitoring")
    DESTROYED = "destroyed", _("Destroyed (tombstone)")


class CaseTrack(models.TextChoices):
    MEETING = "meeting", _("Municipal case meeting")
    RIEC = "riec", _("RIEC")


class Case(models.Model):
    """The approach of one signal. ``team`` is who may open it; the regisseur and the
    privacyfunctionaris see every case by permission (``approach:case:read-all``)."""

    reference_prefix = "Z"

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="case")
    track = models.CharField(_("track"), max_length=10, choices=CaseTrack.choices, default=CaseTrack.MEETING)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cases", verbose_name=_("case team"))
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    #: Who opened the case (the W4 decision that sent the signal here), for the timeline.
    opened_by_label = models.CharField(_("opened by"), max_length=150, blank=True)
    opened_role = models.CharField(_("role of who opened the case"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    monitoring_until = models.DateField(_("monitoring until"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.reference_prefix}-{self.pk:06d}" if self.pk else "Z-new"


class Participant(models.Model):
    """Someone at the case meeting: a user of this municipality, or an external partner
    (police, OM, Belastingdienst, RIEC…) named by organisation. The share matrix is per participant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=120)
    function = models.CharField(_("function"), max_length=120, blank=True)
    is_riec = models.BooleanField(_("is the RIEC"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Organisation, with the colleague's name when the participant is a user (two colleagues
        of one department are told apart)."""
        if self.user_id is not None and self.user is not None:
            name = self.user.get_full_name() or self.user.get_username()
            return f"{self.organisation} ({name})" if self.organisation else name
        return self.organisation or "—"


class ShareMatrix(Decided):
    """Privacy check 2A: which gathered data item may be shared with which participant.

    ``cells`` maps a data-item key (``signal:description``, ``signal:location``,
    ``subject:<id>``, ``query:<id>``, ``content:<id>``) to the list of participant ids allowed to
    see it. Anything not listed is not shared. A new matrix supersedes the previous one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="share_matrices")
    cells = models.JSONField(_("cells"), default=dict)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="superseded_by"
    )

    class Meta(Decided.Meta):
        verbose_name = _("privacy check 2A (share matrix)")
        verbose_name_plural = _("privacy checks 2A (share matrices)")


class CaseMeeting(Decided):
    """The record of a case meeting: date, who attended, and the decisions (``reasons``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(Participant, related_name="meetings", verbose_name=_("attendees"))
    share_matrix = models.ForeignKey(ShareMatrix, on_delete=models.PROTECT, related_name="+")

    class Meta(Decided.Meta):
        verbose_name = _("case meeting")
        verbose_name_plural = _("case meetings")


class InterventionState(models.TextChoices):
    PLANNED = "planned", _("Planned: not started (privacy check 2B first)")
    REFUSED = "refused", _("Stopped: privacy check 2B refused")
    RUNNING = "running", _("Running")
    DONE = "done", _("Outcome recorded")


class InterventionOutcome(models.TextChoices):
    EFFECTIVE = "effective", _("Applied")
    NOT_APPLIED = "not_applied", _("Not applied (after zienswijze or new facts)")
    OVERTURNED = "overturned", _("Overturned on objection or appeal")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Intervention(Decided):
    """One instrument chosen in the plan of approach (W5), owned by a department.

    ``reasons`` is why the case meeting chose it. It runs only after an approved 2B; its steps
    follow the instrument's procedure with a due date each; the outcome closes it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    meeting = models.ForeignKey(CaseMeeting, null=True, on_delete=models.PROTECT, related_name="interventions")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    owner_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=InterventionState.choices, default=InterventionState.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=InterventionOutcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    outcome_notes = EncryptedTextField(_("outcome notes"), null=True, blank=True)
    #: Who recorded the outcome, in which role (domain.md §2: every decision records who and why).
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_by_label = models.CharField(_("outcome recorded by"), max_length=150, blank=True)
    outcome_role = models.CharField(_("role of who recorded the outcome"), max_length=64, blank=True)

    class Meta(Decided.Meta):
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")


class PrivacyCheck2B(Decided):
    """Privacy check 2B for one intervention: which exchange it needs, on which sectoral legal
    basis, and whether that law allows it. ``shared_items`` lists the data-item keys (as in the
    share matrix) that may be exchanged for this intervention. A new row supersedes the old."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="checks_2b")
    exchange = EncryptedTextField(_("exchange needed"), null=True)
    legal_basis = models.CharField(_("sectoral legal basis"), max_length=300)
    allowed = models.BooleanField(_("allowed"))
    shared_items = models.JSONField(_("items that may be exchanged"), default=list)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="superseded_by"
    )

    class Meta(Decided.Meta):
        verbose_name = _("privacy check 2B")
        verbose_name_plural = _("privacy checks 2B")


class InterventionStep(models.Model):
    """One procedure step of an intervention: due date (from the catalogue's deadline),
    completion (who, when, notes), and the warning already sent."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(ProcedureStep, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_by_label = models.CharField(max_length=150, blank=True)
    done_role = models.CharField(max_length=64, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warning sent"), null=True, blank=True)

    class Meta:
        ordering = ["intervention", "step__order"]
        verbose_name = _("intervention step")
        verbose_name_plural = _("intervention steps")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the RIEC")
    ACCEPTED = "accepted", _("Accepted as an integrated case")
    DECLINED = "declined", _("Declined by the RIEC")
    FEEDBACK = "feedback", _("Feedback received")
    CLOSED = "closed", _("Closed")


class Referral(Decided):
    """The RIEC referral package: exactly the items 2A (and, for a referral intervention, 2B)
    allowed for the RIEC, frozen as encrypted JSON; the PDF cover letter is generated on demand
    from it. Status changes are appended to :class:`ReferralEvent`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    intervention = models.ForeignKey(Intervention, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    package = EncryptedJSONField(_("package"), null=True)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)

    class Meta(Decided.Meta):
        verbose_name = _("RIEC referral")
        verbose_name_plural = _("RIEC referrals")


class ReferralEvent(Decided):
    """A status change of a referral, or the feedback the RIEC sent back (``reasons``)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices)

    class Meta(Decided.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")


class CaseClosure(Decided):
    """The plan is closed (every intervention has an outcome): the monitoring period starts."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure")
    status_change = models.OneToOneField(
        "signals.StatusChange", null=True, blank=True, on_delete=models.CASCADE, related_name="case_closure"
    )

    class Meta(Decided.Meta):
        verbose_name = _("case closure")
        verbose_name_plural = _("case closures")


class Notification(models.Model):
    """A deadline warning (or another message) for a user's work queue; also sent by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="notifications")
    step = models.ForeignKey(InterventionStep, null=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
