# SPDX-License-Identifier: EUPL-1.2
"""The monitor's pages. Researchers' pages need an account; ``survey/<token>…`` are the
municipalities' pages, opened by their personal link (declared ``public`` in views.py)."""

from typing import Any

from django.urls import path

from weerbaar.monitor import views

app_name = "monitor"
urlpatterns: list[Any] = [
    path("monitor", views.home, name="home"),
    path("monitor/waves/new", views.wave_new, name="wave-new"),
    path("monitor/waves/<int:year>", views.wave_detail, name="wave"),
    path("monitor/waves/<int:year>/open", views.wave_open, name="wave-open"),
    path("monitor/waves/<int:year>/remind", views.wave_remind, name="wave-remind"),
    path("monitor/waves/<int:year>/close", views.wave_close, name="wave-close"),
    path("monitor/waves/<int:year>/link", views.wave_link, name="wave-link"),
    path("monitor/waves/<int:year>/benchmark-links", views.wave_benchmark_links, name="wave-benchmark-links"),
    path("monitor/waves/<int:year>/benchmark/<str:code>", views.wave_benchmark, name="wave-benchmark"),
    path("monitor/codebooks", views.codebooks, name="codebooks"),
    path("monitor/codebooks/<int:version>", views.codebook_detail, name="codebook"),
    path("monitor/survey/<str:token>", views.survey_home, name="survey"),
    path("monitor/survey/<str:token>/submit", views.survey_submit, name="survey-submit"),
    path("monitor/survey/<str:token>/benchmark", views.survey_benchmark, name="survey-benchmark"),
    path("monitor/survey/<str:token>/<slug:theme>", views.survey_page, name="survey-page"),
]
