# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.research import views

app_name = "research"
urlpatterns: list[Any] = [
    path("research/tasks", views.tasks, name="tasks"),
    path("signals/<int:signal_id>/research", views.signal_research, name="signal"),
    path("signals/<int:signal_id>/research/pc1", views.pc1_request, name="pc1_request"),
    path("signals/<int:signal_id>/research/queries", views.queries_run, name="queries"),
    path("signals/<int:signal_id>/research/w4", views.w4, name="w4"),
    path("research/queries/<int:query_id>/content", views.content_request, name="content_request"),
    path("research/pc1/<int:pc1_id>", views.pc1_decide, name="pc1"),
    path("research/content/<int:request_id>", views.content_decide, name="content"),
    path("research/content/<int:request_id>/answer", views.content_answer, name="answer"),
]
