# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.monitor import views

app_name = "monitor"
urlpatterns: list[Any] = [
    path("monitor", views.home, name="home"),
]
