# SPDX-License-Identifier: EUPL-1.2
"""URL configuration. Every view here declares its permission (see accounts.declare)."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from weerbaar.accounts.declare import public
from weerbaar.matching.api import HitNoHitViewSet
from weerbaar.signals.api import SignalViewSet


@public
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability for the load balancer; reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register("signals", SignalViewSet, basename="signal")
router.register("matching/hit-no-hit", HitNoHitViewSet, basename="hit-no-hit")

schema_view = public(SpectacularAPIView.as_view())
schema_view.required_permission = "public"  # type: ignore[attr-defined]

urlpatterns: list[Any] = [
    path("", include("weerbaar.signals.urls")),
    path("", include("weerbaar.sources.urls")),
    path("", include("weerbaar.research.urls")),
    path("", include("weerbaar.approach.urls")),
    path("", include("weerbaar.governance.urls")),
    path("", include("weerbaar.monitor.urls")),
    path("", include("weerbaar.monitor.report_urls")),
    path("accounts/", include("weerbaar.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/schema", schema_view, name="api-schema"),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("weerbaar.research.api_urls")),
    path("api/v1/", include("weerbaar.approach.api_urls")),
    path("api/v1/", include("weerbaar.governance.api_urls")),
    path("api/v1/", include("weerbaar.monitor.api_urls")),
    path("api/v1/", include("weerbaar.monitor.report_api_urls")),
    path("i18n/setlang", public(set_language), name="set_language"),
    path("health", health, name="health"),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    urlpatterns += [
        path(
            "oidc/authenticate/",
            public(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            public(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]

handler400 = "weerbaar.errors.bad_request"
handler403 = "weerbaar.errors.permission_denied"
handler404 = "weerbaar.errors.page_not_found"
handler500 = "weerbaar.errors.server_error"
