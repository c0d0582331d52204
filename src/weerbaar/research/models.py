# SPDX-License-Identifier: EUPL-1.2
"""Step 3 — source research: privacy check 1, hit/no-hit queries, content requests, W4.

The protocol's order is built into the relations: a :class:`Query` points at the approved
:class:`SourceApproval` that allows it; a :class:`ContentRequest` points at a ``hit`` query; a
:class:`ContentAnswer` exists only for an approved request. Every decision row is append-only
(a correction is a new row that ``supersedes`` the old one) and records who, in which role,
when and why. Free text and source content are encrypted and destroyed by retention; statuses,
dates and references stay in the tombstone for statistics and the audit trail's meaning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.research.crypto import EncryptedJSONField, EncryptedTextField
from weerbaar.signals.models import Signal, Subject
from weerbaar.sources.models import Source


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


class PrivacyCheck1(Decided):
    """The request for privacy check 1: which sources the team wants to query, and why.

    ``reasons`` is the team's justification (what the research must establish). The
    privacyfunctionaris answers with one :class:`SourceApproval` per requested source."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="privacy_checks_1")
    requested_sources = models.ManyToManyField(Source, related_name="+", verbose_name=_("requested sources"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta(Decided.Meta):
        verbose_name = _("privacy check 1")
        verbose_name_plural = _("privacy checks 1")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class SourceApproval(Decided):
    """The privacyfunctionaris' decision on one source of a privacy check 1 (AVG art. 6(4)).

    ``assessment`` holds the structured reasoning, encrypted: ``legal_basis`` (of the original
    collection), ``compatibility`` (``link``, ``context``, ``nature`` incl. art. 9/10 data,
    ``consequences``, ``safeguards``), ``necessity``, ``proportionality``, ``subsidiarity``,
    ``minimisation``. A source whose regime excludes it cannot be approved (the service refuses).
    A correction is a new row with ``supersedes``; only a row that is not superseded counts."""

    pc1 = models.ForeignKey(PrivacyCheck1, on_delete=models.CASCADE, related_name="approvals")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    assessment = EncryptedJSONField(_("assessment"), null=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="superseded_by"
    )

    class Meta(Decided.Meta):
        verbose_name = _("source decision (privacy check 1)")
        verbose_name_plural = _("source decisions (privacy check 1)")


class QueryStatus(models.TextChoices):
    HIT = "hit", _("Hit")
    POSSIBLE = "possible", _("Possible: a person must verify")
    NO_HIT = "no-hit", _("No hit")
    UNAVAILABLE = "unavailable", _("Source unavailable")
    EXCLUDED = "excluded", _("Excluded by the source's legal regime")


class Query(Decided):
    """One hit/no-hit question: one subject of the signal against one approved source.

    ``matched_records`` (source record ids, encrypted) never leave the service layer: they let an
    approved content request find the record, and are destroyed with the rest."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="queries")
    subject = models.ForeignKey(Subject, null=True, on_delete=models.SET_NULL, related_name="+")
    subject_kind = models.CharField(_("subject kind"), max_length=10)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey(SourceApproval, on_delete=models.PROTECT, related_name="queries")
    #: The run of the signal's queries this one belongs to (1, 2, …): one press of "run queries".
    run = models.PositiveIntegerField(_("run"), default=1)
    status = models.CharField(_("answer"), max_length=12, choices=QueryStatus.choices)
    matched_records = EncryptedJSONField(null=True)

    class Meta(Decided.Meta):
        verbose_name = _("hit/no-hit query")
        verbose_name_plural = _("hit/no-hit queries")


class ContentRequest(Decided):
    """A justified request to the source owner for the content of one hit (``reasons``: why)."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="content_requests")
    requested_fields = models.JSONField(_("requested fields"), default=list)

    class Meta(Decided.Meta):
        verbose_name = _("content request")
        verbose_name_plural = _("content requests")


class ContentDecision(Decided):
    """The source owner's answer: approved with the fields chosen (within the source's allowed
    set), or refused, with reasons."""

    request = models.OneToOneField(ContentRequest, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    approved_fields = models.JSONField(_("approved fields"), default=list)

    class Meta(Decided.Meta):
        verbose_name = _("content decision")
        verbose_name_plural = _("content decisions")


class ContentAnswer(models.Model):
    """The approved fields of the matched record(s), copied at approval and encrypted: the case
    keeps what was lawfully obtained even after the source loads a new snapshot. Reading it is an
    audited read with the purpose; retention destroys ``content``."""

    decision = models.OneToOneField(ContentDecision, on_delete=models.CASCADE, related_name="answer")
    content = EncryptedJSONField(_("content"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("content answer")
        verbose_name_plural = _("content answers")


class W4Outcome(models.TextChoices):
    STOP = "stop", _("Stop: not confirmed, not taken into treatment")
    DEPARTMENT = "department", _("Department(s) act on their own powers")
    CASE = "case", _("Municipal case meeting (step 4)")
    RIEC = "riec", _("Hand to the RIEC")


class W4(Decided):
    """W4 by the ondermijningsteam: do the hits confirm the signal? One of four outcomes."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="w4_decisions")
    confirmed = models.BooleanField(_("hits confirm the signal"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=W4Outcome.choices)
    departments = models.ManyToManyField("accounts.Department", blank=True, related_name="+")
    status_change = models.OneToOneField(
        "signals.StatusChange", null=True, blank=True, on_delete=models.CASCADE, related_name="w4"
    )

    class Meta(Decided.Meta):
        verbose_name = _("W4 decision")
        verbose_name_plural = _("W4 decisions")
