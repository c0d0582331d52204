# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "weerbaar.matching"
    label = "matching"
    verbose_name = _("Matching")
