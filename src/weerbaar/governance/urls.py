# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.governance import views

app_name = "governance"
urlpatterns: list[Any] = [
    path("governance", views.home, name="home"),
]
