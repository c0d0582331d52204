# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from weerbaar.sources import views

app_name = "sources"
urlpatterns = [
    path("sources", views.catalogue, name="catalogue"),
]
