# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.approach import views

app_name = "approach"
urlpatterns: list[Any] = [
    path("cases", views.case_list, name="cases"),
    path("cases/notifications", views.notifications, name="notifications"),
    path("cases/notifications/<int:notification_id>/read", views.notification_read, name="notification_read"),
    path("cases/<int:case_id>", views.case_detail, name="case"),
    path("cases/<int:case_id>/meeting", views.meeting, name="meeting"),
    path("cases/<int:case_id>/team", views.team, name="team"),
    path("cases/<int:case_id>/participants/new", views.participant_add, name="participant_add"),
    path("cases/<int:case_id>/privacy-check-2a", views.matrix, name="matrix"),
    path("cases/<int:case_id>/meetings/new", views.meeting_record, name="meeting_record"),
    path("cases/<int:case_id>/interventions/new", views.intervention_plan, name="intervention_plan"),
    path("cases/<int:case_id>/close", views.case_close, name="close"),
    path("cases/<int:case_id>/referrals/new", views.referral_create, name="referral_create"),
    path("cases/interventions/<int:intervention_id>/privacy-check-2b", views.check_2b, name="check_2b"),
    path("cases/interventions/<int:intervention_id>/start", views.intervention_start, name="intervention_start"),
    path("cases/interventions/<int:intervention_id>/outcome", views.intervention_outcome, name="outcome"),
    path("cases/steps/<int:step_id>/complete", views.step_complete, name="step_complete"),
    path("cases/referrals/<int:referral_id>", views.referral_detail, name="referral"),
    path("cases/referrals/<int:referral_id>/package.json", views.referral_json, name="referral_json"),
    path("cases/referrals/<int:referral_id>/letter.pdf", views.referral_pdf, name="referral_pdf"),
    path("instruments", views.instruments, name="instruments"),
]
