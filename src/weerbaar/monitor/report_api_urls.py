# SPDX-License-Identifier: EUPL-1.2
"""Routes of the monitor's report, analysis, operational figures and follow-up."""

from typing import Any

urlpatterns: list[Any] = []
