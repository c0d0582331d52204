# SPDX-License-Identifier: EUPL-1.2
"""Sources, their snapshots and the records of a snapshot.

A *source* is one registry or departmental file the municipality may consult in step 3 (domain.md
§4). What the law allows is configuration, not code: each source carries its owner, its law, a
short statement of its legal regime, the mode it may be queried in and the fields a content answer
may show. A *snapshot* is one load of that source; only the current snapshot has records, older
ones stay as history (when, by whom, which file) without personal data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department
from weerbaar.sources.crypto import EncryptedJSONField


class SourceKind(models.TextChoices):
    """What one row of the source describes; it fixes the file format (formats.py)."""

    PERSON = "person", _("Persons")
    COMPANY = "company", _("Companies")
    ADDRESS = "address", _("Addresses")
    RECORD = "record", _("Records about persons or companies")


class Mode(models.TextChoices):
    """How the source may be queried (domain.md §4), from closed to open."""

    EXCLUDED = "excluded", _("Excluded")
    HIT_NO_HIT = "hit_no_hit", _("Hit/no-hit only")
    CONTENT_ON_APPROVAL = "content_on_approval", _("Hit/no-hit; content on approval")


class Source(models.Model):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    owner_department = models.ForeignKey(
        Department,
        verbose_name=_("owner (department)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    law = models.CharField(_("law"), max_length=200)
    legal_regime = models.TextField(_("legal regime"))
    # Closed by default: a new source can be queried only once someone has decided that it may.
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.EXCLUDED)
    content_fields = models.JSONField(
        _("fields a content answer may show"),
        default=list,
        blank=True,
        help_text=_("Column names, as a JSON list. Only used in the mode “content on approval”."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days)"),
        help_text=_("How long a loaded snapshot may be used; after that it must be replaced or destroyed."),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        fields = self.content_fields
        if not isinstance(fields, list) or not all(isinstance(f, str) and f.strip() for f in fields):
            raise ValidationError({"content_fields": _('A list of column names, such as ["surname", "city"].')})
        if len(set(fields)) != len(fields):
            raise ValidationError({"content_fields": _("A column is named twice.")})


class Snapshot(models.Model):
    """One load of a source. Old snapshots keep their load date and file hash; their records go."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="snapshots")
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=64)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    is_current = models.BooleanField(_("current"), default=False)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(is_current=True), name="sources_one_current_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} {self.loaded_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self) -> datetime:
        """When this load has outlived the source's retention term."""
        return self.loaded_at + timedelta(days=self.source.retention_days)


class SourceRecord(models.Model):
    """One row of a snapshot: its id in the source (``ext_id``) and its fields, encrypted.

    ``ext_id`` is stored in clear because a re-import and the matching index refer to it; it must be
    the registry's own record id, never a BSN (the BSN, if any, lives in the encrypted fields).
    """

    # The unique (snapshot, ext_id) index starts with snapshot_id and serves every lookup by
    # snapshot, so the foreign key needs no index of its own (one index less to fill on import).
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="records", db_index=False)
    ext_id = models.CharField(max_length=64)
    data = EncryptedJSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "ext_id"], name="sources_record_ext_id_unique")]
