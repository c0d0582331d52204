# SPDX-License-Identifier: EUPL-1.2
"""Sign in, second factor (TOTP), sign out.

The sign-in form answers the same for an unknown user and a wrong password (Django's
``AuthenticationForm``), and the lockout page is the same for both too: django-axes counts
failures per username and address whether or not the username exists.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.authz import origin_of
from weerbaar.accounts.declare import public, requires
from weerbaar.accounts.models import User
from weerbaar.accounts.permissions import SELF_SERVICE
from weerbaar.audit.services import audit_event


def audit_session(request: HttpRequest, action: str, user: Any = None) -> None:
    """One audit row for a sign-in step of ``user`` (default: the signed-in user)."""
    user = user or request.user
    audit_event(
        actor_id=user.pk,
        actor_label=user.get_username(),
        role="self",
        action=action,
        object_type="user",
        object_id=str(user.pk),
        purpose="sign in" if action != "accounts:session:logout" else "sign out",
        origin=origin_of(request),
    )


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The page after too many failures; identical for existing and unknown usernames."""
    return render(request, "accounts/locked_out.html", status=429)


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_session(self.request, "accounts:session:login", form.get_user())
        return response


LoginView.required_permission = "public"  # type: ignore[attr-defined]


class OTPForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _svg_qr(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@requires(SELF_SERVICE)
def otp_view(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code; a user without a device first registers one, if registration is open."""
    user = request.user
    if not isinstance(user, User):  # @requires has signed the user in; this narrows the type
        raise PermissionDenied
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("signals:queue"))
    has_device = user_has_device(user, confirmed=True)
    device: TOTPDevice
    if has_device:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    elif not user.mfa_enrolment_open:
        return render(request, "accounts/otp_closed.html", status=403)
    else:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                if not device.confirmed:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    User.objects.filter(pk=user.pk).update(mfa_enrolment_open=False)
                audit_session(request, "accounts:session:second-factor")
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is proven
            return HttpResponseRedirect(reverse("signals:queue"))
        form.add_error("token", _("This code is not valid. Codes can be used once and change every 30 seconds."))
    context = {"form": form, "setup": not has_device}
    if not has_device:
        context["qr"] = _svg_qr(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp.html", context)


@require_POST
@requires(SELF_SERVICE)
def logout_view(request: HttpRequest) -> HttpResponse:
    audit_session(request, "accounts:session:logout")
    logout(request)
    messages.info(request, _("You have been signed out."))
    return HttpResponseRedirect(reverse("accounts:login"))
