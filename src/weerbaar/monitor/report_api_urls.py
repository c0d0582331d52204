# SPDX-License-Identifier: EUPL-1.2
"""API routes of the monitor's report, analysis, operational figures and follow-up under
/api/v1/monitor (NL API Design Rules: no trailing slash)."""

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from weerbaar.monitor.report_api import FiguresViewSet, FollowUpViewSet, ItemAnalysisView, ReportView


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register("monitor/figures", FiguresViewSet, basename="monitor-figures")
router.register("monitor/follow-ups", FollowUpViewSet, basename="monitor-follow-up")

urlpatterns: list[Any] = [
    path("monitor/waves/<int:year>/report", ReportView.as_view(), name="monitor-wave-report"),
    path("monitor/waves/<int:year>/analysis/<str:item_id>", ItemAnalysisView.as_view(), name="monitor-wave-item"),
    *router.urls,
]
