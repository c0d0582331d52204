# SPDX-License-Identifier: EUPL-1.2
"""The governance app's API operations under /api/v1 (NL API Design Rules: no trailing slash)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from weerbaar.governance.api import (
    AuditViewSet,
    DataSubjectRequestViewSet,
    PublicationViewSet,
    RegisterViewSet,
    RetentionViewSet,
)


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register("governance/requests", DataSubjectRequestViewSet, basename="governance-request")
router.register("governance/register", RegisterViewSet, basename="governance-register")
router.register("governance/publication", PublicationViewSet, basename="governance-publication")
router.register("governance/retention", RetentionViewSet, basename="governance-retention")
router.register("governance/audit", AuditViewSet, basename="governance-audit")

urlpatterns: list[Any] = router.urls
