# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from weerbaar.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("otp", views.otp_view, name="otp"),
    path("logout", views.logout_view, name="logout"),
]
