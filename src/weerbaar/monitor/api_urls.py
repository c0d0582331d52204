# SPDX-License-Identifier: EUPL-1.2
"""The monitor's API operations under /api/v1/monitor (NL API Design Rules: no trailing slash)."""

from typing import Any

urlpatterns: list[Any] = []
