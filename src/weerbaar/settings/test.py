# SPDX-License-Identifier: EUPL-1.2
"""Settings for the test suite: the ``test`` profile, SQLite unless DATABASE_URL names PostgreSQL."""

import os
import tempfile

os.environ["WEERBAAR_PROFILE"] = "test"
os.environ.setdefault("WEERBAAR_DATA_DIR", os.path.join(tempfile.gettempdir(), "weerbaar-test"))

from weerbaar.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
AXES_ENABLED = True
# Most tests act as demo users without a second factor, as in the demo; the MFA tests use
# non-demo users, for whom this changes nothing.
MFA_DEMO_BYPASS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
