# SPDX-License-Identifier: EUPL-1.2
"""WSGI entry point for gunicorn (production profile unless WEERBAAR_PROFILE says otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.base")
application = get_wsgi_application()
