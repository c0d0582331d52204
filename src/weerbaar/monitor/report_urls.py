# SPDX-License-Identifier: EUPL-1.2
"""Routes of the monitor's report, analysis, conclusions and follow-up (every view declares its
permission in report_views.py)."""

from typing import Any

from django.urls import path

from weerbaar.monitor import report_views as views

app_name = "monitor_report"
urlpatterns: list[Any] = [
    path("monitor/waves/<int:year>/report", views.report_page, name="report"),
    path("monitor/waves/<int:year>/report.<str:file_format>", views.report_download, name="report-file"),
    path("monitor/waves/<int:year>/analysis", views.analysis_page, name="analysis"),
    path("monitor/waves/<int:year>/conclusions", views.conclusions_page, name="conclusions"),
    path("monitor/waves/<int:year>/conclusions/<int:number>/delete", views.conclusion_delete, name="conclusion-delete"),
    path("monitor/follow-up", views.followup_page, name="follow-up"),
    path("monitor/follow-up/new/<int:conclusion_id>", views.followup_new, name="follow-up-new"),
    path("monitor/follow-up/<int:follow_up_id>/edit", views.followup_edit, name="follow-up-edit"),
    path("monitor/follow-up/<int:follow_up_id>/delete", views.followup_delete, name="follow-up-delete"),
]
