# SPDX-License-Identifier: EUPL-1.2
"""The research app's API operations under /api/v1 (NL API Design Rules: no trailing slash)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from weerbaar.research import api


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register(r"signals/(?P<signal_pk>[0-9]+)/research", api.SignalResearchViewSet, basename="signal-research")
router.register("research/pc1", api.PC1ViewSet, basename="research-pc1")
router.register("research/queries", api.QueryViewSet, basename="research-query")
router.register("research/content-requests", api.ContentRequestViewSet, basename="research-content-request")
router.register("research/content-answers", api.ContentAnswerViewSet, basename="research-content-answer")

urlpatterns: list[Any] = router.urls
