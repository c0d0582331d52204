# SPDX-License-Identifier: EUPL-1.2
"""The governance app's API operations under /api/v1 (NL API Design Rules: no trailing slash)."""

from typing import Any

urlpatterns: list[Any] = []
