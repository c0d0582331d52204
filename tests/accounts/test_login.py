# SPDX-License-Identifier: EUPL-1.2
"""Sign-in: lockout without user enumeration, MFA outside demo accounts, session lifetimes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _without_tokens(response: Any) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login", {"username": username, "password": password}, REMOTE_ADDR="10.9.9.9")


def test_wrong_password_and_unknown_user_get_the_same_answer(make_user: Any) -> None:
    make_user("known", "regisseur")
    known = _login(Client(), "known", "wrong-password")
    unknown = _login(Client(), "nobody-here", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    # The whole page, error messages included, differs only in the echoed user name and the token.
    assert _without_tokens(known).replace('value="known"', "") == _without_tokens(unknown).replace(
        'value="nobody-here"', ""
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_identical_for_known_and_unknown_users(make_user: Any) -> None:
    make_user("known", "regisseur")
    answers = {}
    for name in ("known", "ghost"):
        client = Client()
        for _ in range(3):
            _login(client, name, "wrong-password")
        answers[name] = _login(client, name, PASSWORD if name == "known" else "x")
    assert answers["known"].status_code == answers["ghost"].status_code == 429
    assert _without_tokens(answers["known"]) == _without_tokens(answers["ghost"])


def test_mfa_is_required_for_real_accounts(make_user: Any) -> None:
    make_user("real", "regisseur", demo=False)
    client = Client()
    assert _login(client, "real", PASSWORD).status_code == 302
    blocked = client.get("/signals")
    assert blocked.status_code == 302 and blocked["Location"] == "/accounts/otp"
    assert client.get("/api/v1/signals").status_code == 401
    setup = client.get("/accounts/otp")
    assert b"data:image/svg+xml" in setup.content  # QR code to register a device
    device = TOTPDevice.objects.get(user__username="real")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    key_before = client.session.session_key
    assert client.post("/accounts/otp", {"token": code}).status_code == 302
    assert client.session.session_key != key_before  # new session id after the second factor
    assert client.get("/signals").status_code == 200
    # The same code cannot be used twice.
    other = Client()
    _login(other, "real", PASSWORD)
    reused = other.post("/accounts/otp", {"token": code})
    assert reused.status_code == 200 and other.get("/signals").status_code == 302


def test_demo_accounts_skip_mfa_with_a_banner(make_user: Any) -> None:
    make_user("demo", "regisseur", demo=True)
    client = Client()
    _login(client, "demo", PASSWORD)
    page = client.get("/")
    assert page.status_code == 200 and "wb-banner" in page.content.decode()


@override_settings(SESSION_INACTIVITY_TIMEOUT=60)
def test_session_ends_after_inactivity(make_user: Any, monkeypatch: Any) -> None:
    make_user("idle", "regisseur")
    client = Client()
    _login(client, "idle", PASSWORD)
    assert client.get("/signals").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert client.get("/signals").status_code == 302


@override_settings(SESSION_COOKIE_AGE=3600)
def test_session_ends_after_absolute_lifetime_despite_activity(make_user: Any, monkeypatch: Any) -> None:
    make_user("busy", "regisseur")
    client = Client()
    _login(client, "busy", PASSWORD)
    start = time.time()
    for minutes in range(0, 60, 10):
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get("/signals").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 3601)
    assert client.get("/signals").status_code == 302


def test_logout_prevents_replay_of_the_old_session(make_user: Any) -> None:
    make_user("leaver", "regisseur")
    client = Client()
    _login(client, "leaver", PASSWORD)
    old_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout")
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert replay.get("/signals").status_code == 302


def test_security_headers(client: Client) -> None:
    response = client.get("/accounts/login")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_oidc_backend_matches_existing_accounts_only(make_user: Any) -> None:
    from weerbaar.accounts.oidc import WeerbaarOIDCBackend

    user = make_user("oidc-user", "regisseur")
    user.email = "ria@demodam.example"
    user.save()
    backend = WeerbaarOIDCBackend.__new__(WeerbaarOIDCBackend)  # no provider settings needed for matching
    assert list(backend.filter_users_by_claims({"email": "RIA@demodam.example", "email_verified": True})) == [user]
    assert list(backend.filter_users_by_claims({"email": "ria@demodam.example"})) == []  # not verified
    assert list(backend.filter_users_by_claims({"email": "someone@else.example"})) == []
    assert backend.create_user({"email": "new@demodam.example"}) is None


@override_settings(AXES_FAILURE_LIMIT=2, PROXY_HOPS=1)
def test_lockout_counts_per_client_behind_the_trusted_proxy(make_user: Any) -> None:
    """Two clients behind one proxy: locking one out must not lock out the other."""
    make_user("shared", "regisseur")

    def attempt(client_ip: str, password: str) -> Any:
        return Client().post(
            "/accounts/login",
            {"username": "shared", "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    for _ in range(2):
        attempt("198.51.100.1", "wrong-password")
    assert attempt("198.51.100.1", PASSWORD).status_code == 429
    assert attempt("198.51.100.2", PASSWORD).status_code == 302


def test_a_password_alone_cannot_register_a_new_authenticator(make_user: Any) -> None:
    user = make_user("enrolled", "regisseur", demo=False)
    user.mfa_enrolment_open = False  # registered once; the device was later removed
    user.save()
    client = Client()
    _login(client, "enrolled", PASSWORD)
    page = client.get("/accounts/otp")
    assert page.status_code == 403 and not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/signals").status_code == 302
