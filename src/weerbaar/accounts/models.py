# SPDX-License-Identifier: EUPL-1.2
"""Departments, roles (as data) and the user account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.permissions import Perm


class Department(models.Model):
    """A municipal department (afdeling): permits, enforcement, taxes, civil affairs, …"""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role of domain.md §1; its permissions are strings of the :class:`Perm` vocabulary."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        known = {p.value for p in Perm}
        unknown = [p for p in self.permissions if p not in known]
        if unknown:
            raise ValidationError({"permissions": _("Unknown permissions: %s") % ", ".join(unknown)})


class User(AbstractUser):
    """A municipal employee. Holds one or more roles and belongs to a department."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    mfa_enrolment_open = models.BooleanField(
        _("may register an authenticator"),
        default=True,
        help_text=_(
            "Open for a new account and after a lost authenticator was removed; closes when one is registered, "
            "so a stolen password alone cannot register a new authenticator."
        ),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts may skip the second factor, and only in the demo profile."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
