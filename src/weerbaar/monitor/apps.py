# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "weerbaar.monitor"
    label = "monitor"
    verbose_name = _("Monitor")
