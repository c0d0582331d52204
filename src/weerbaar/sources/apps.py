# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "weerbaar.sources"
    label = "sources"
    verbose_name = _("Sources")
