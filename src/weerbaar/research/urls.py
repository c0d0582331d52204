# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.research import views

app_name = "research"
urlpatterns: list[Any] = [
    path("research/tasks", views.tasks, name="tasks"),
]
