# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from weerbaar.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("signals", views.signal_list, name="list"),
    path("signals/new", views.signal_create, name="create"),
    path("signals/import", views.signal_import, name="import"),
    path("signals/<int:signal_id>", views.signal_detail, name="detail"),
    path("signals/<int:signal_id>/qualify", views.signal_qualify, name="qualify"),
    path("signals/<int:signal_id>/weigh", views.signal_weigh, name="weigh"),
    path("signals/<int:signal_id>/attachments/<int:attachment_id>", views.attachment_download, name="attachment"),
]
