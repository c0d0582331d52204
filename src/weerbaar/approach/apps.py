# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApproachConfig(AppConfig):
    name = "weerbaar.approach"
    label = "approach"
    verbose_name = _("Approach")
