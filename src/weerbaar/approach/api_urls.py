# SPDX-License-Identifier: EUPL-1.2
"""The approach app's API operations under /api/v1 (NL API Design Rules: no trailing slash)."""

from typing import Any

from rest_framework.routers import DefaultRouter

from weerbaar.approach import api


class _Router(DefaultRouter):
    include_root_view = False


router = _Router(trailing_slash=False)
router.register("cases", api.CaseViewSet, basename="case")
router.register("interventions", api.InterventionViewSet, basename="intervention")
router.register("intervention-steps", api.StepViewSet, basename="intervention-step")
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register("instruments", api.InstrumentViewSet, basename="instrument")

urlpatterns: list[Any] = router.urls
