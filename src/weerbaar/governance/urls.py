# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.urls import path

from weerbaar.governance import views

app_name = "governance"
urlpatterns: list[Any] = [
    path("governance", views.home, name="home"),
    path("governance/retention", views.retention_page, name="retention"),
    path("governance/requests", views.request_list, name="requests"),
    path("governance/requests/new", views.request_new, name="request-new"),
    path("governance/requests/<int:request_id>", views.request_detail, name="request"),
    path("governance/requests/<int:request_id>/restrict", views.request_restrict, name="request-restrict"),
    path("governance/requests/<int:request_id>/report", views.request_report, name="request-report"),
    path("governance/requests/<int:request_id>/close", views.request_close, name="request-close"),
    path("governance/requests/<int:request_id>/files/<int:file_id>", views.request_file, name="request-file"),
    path("governance/register", views.register_page, name="register"),
    path("governance/publication", views.publication_page, name="publication"),
    path("governance/audit", views.audit_home, name="audit"),
    path("governance/audit/subject", views.audit_subject, name="audit-subject"),
    path("governance/audit/employee", views.audit_employee, name="audit-employee"),
    path("governance/audit/export", views.audit_export, name="audit-export"),
    path("governance/audit/export/<int:file_id>", views.audit_export_file, name="audit-export-file"),
]
