# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.approach import views

app_name = "approach"
urlpatterns: list[Any] = [
    path("cases", views.case_list, name="cases"),
]
