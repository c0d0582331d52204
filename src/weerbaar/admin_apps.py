# SPDX-License-Identifier: EUPL-1.2
"""The admin app with Weerbaar's site (kept apart so that loading it imports no models)."""

from django.contrib.admin.apps import AdminConfig


class WeerbaarAdminConfig(AdminConfig):
    default_site = "weerbaar.admin_site.WeerbaarAdminSite"
