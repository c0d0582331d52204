# SPDX-License-Identifier: EUPL-1.2
"""The project's URLs plus the source catalogue, until weerbaar.urls includes it."""

from django.urls import include, path

from weerbaar.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("", include("weerbaar.sources.urls"))]
