# SPDX-License-Identifier: EUPL-1.2
"""Governance: data-subject requests, their restrictions, and the files governance generates.

The requester's identifying data, the handler's notes and the reasons of a restriction are
encrypted and destroyed by retention; kinds, dates, statuses and who handled a request stay as a
tombstone (accountability under AVG art. 5(2) without keeping the person's data). Generated files
(access reports, audit exports) are encrypted on disk, carry an expiry date and are listed for
retention; a file that holds content of a signal is destroyed with that signal too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.governance.crypto import EncryptedJSONField, EncryptedTextField


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (AVG art. 15)")
    RECTIFICATION = "rectification", _("Rectification (AVG art. 16)")
    OBJECTION = "objection", _("Objection (AVG art. 21)")
    ERASURE = "erasure", _("Erasure (AVG art. 17)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")


class DataSubjectRequest(models.Model):
    """A request of a data subject under AVG art. 15-21, to be answered within one month (art. 12(3)).

    ``requester`` holds the identifying data the person gave (``given_names``, ``surname_prefix``,
    ``surname``, ``date_of_birth``, address fields, ``bsn``, ``kvk_number``, ``licence_plate``,
    ``contact``), encrypted; the search compares it with the subjects of signals."""

    reference_prefix = "AVG"

    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("answer before"))
    requester = EncryptedJSONField(_("requester's identifying data"), null=True)
    notes = EncryptedTextField(_("notes (identity check, channel)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_label = models.CharField(_("recorded by"), max_length=150)
    created_role = models.CharField(_("role"), max_length=64)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("handled by")
    )
    handled_label = models.CharField(_("handled by"), max_length=150, blank=True)
    handled_role = models.CharField(_("role"), max_length=64, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    outcome_reasons = EncryptedTextField(_("answer"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.reference_prefix}-{self.pk:06d}" if self.pk else "AVG-new"


class RestrictionGround(models.TextChoices):
    UAVG_41 = "uavg_41", _("Art. 41 UAVG (e.g. prevention and detection of offences)")
    AVG_23 = "avg_23", _("Art. 23 AVG (restriction by law)")
    BIBOB_28 = "bibob_28", _("Art. 28 Wet Bibob (secrecy)")
    OTHER = "other", _("Other (rights of others, AVG art. 15(4))")


class Restriction(models.Model):
    """A decision to withhold one item (``item``: ``app.model:id``) from a data subject's answer.

    Append-only: lifting or changing a restriction is a new row that ``supersedes`` the old one;
    only rows not superseded count, and only those with ``withheld`` withhold. ``signal`` lets
    retention destroy the reasons together with the signal they are about."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="restrictions")
    item = models.CharField(_("item"), max_length=80)
    signal = models.ForeignKey("signals.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ground = models.CharField(_("ground"), max_length=12, choices=RestrictionGround.choices)
    withheld = models.BooleanField(_("withheld"), default=True)
    reasons = EncryptedTextField(_("reasons"), null=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="superseded_by"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    role = models.CharField(_("role"), max_length=64)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")


class FileKind(models.TextChoices):
    ACCESS_REPORT = "access_report", _("Access report")
    AUDIT_EXPORT = "audit_export", _("Audit export")


class GeneratedFile(models.Model):
    """A file governance generated and keeps for a while, encrypted on disk, until ``expires_on``.

    ``signals`` names the signals whose content the file holds: destroying one of them destroys
    the file as well (the retention canaries check every file)."""

    ENCRYPTED_FILES = ("stored_file",)  # re-encrypted by key rotation (signals.keys)

    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices)
    request = models.ForeignKey(
        DataSubjectRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    file_format = models.CharField(_("format"), max_length=8)
    stored_file = models.FileField(upload_to="governance/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    signals = models.ManyToManyField("signals.Signal", blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_label = models.CharField(_("made by"), max_length=150)
    created_role = models.CharField(_("role"), max_length=64)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    expires_on = models.DateField(_("destroy after"), db_index=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")

    @property
    def reference(self) -> str:
        return f"F-{self.pk:06d}" if self.pk else "F-new"
