# SPDX-License-Identifier: EUPL-1.2
"""XSS: a payload corpus in every text field, rendered in Chromium; no script runs, ever."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.test_signal_flow import sign_in
from tests.conftest import actor
from weerbaar.signals.services import SignalInput, signal_create, signal_qualify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAYLOADS = [
    "<script>alert('s')</script>",
    '"><img src=x onerror=alert("i")>',
    "<svg onload=alert('v')>",
    "javascript:alert('j')",
    "'-alert('q')-'",
    "<iframe srcdoc=\"<script>parent.alert('f')</script>\">",
]


def test_payloads_in_every_field_never_execute(page: Any, live_server: Any, users: Any) -> None:
    regisseur = actor(users["regisseur"], "regisseur")
    ids = []
    for payload in PAYLOADS:
        signal = signal_create(
            acting=regisseur,
            data=SignalInput(
                channel="citizen",
                received_on=date(2026, 1, 5),
                description=payload,
                phenomena=["cannabis"],
                reporter_name=payload,
                reporter_contact=payload,
                location_address=payload,
                location_area=payload[:120],
                subjects=[
                    {"kind": "person", "data": {"given_names": payload, "surname": payload, "city": payload}},
                    {"kind": "company", "data": {"trade_name": payload, "legal_form": payload}},
                ],
            ),
        )
        signal_qualify(
            acting=regisseur,
            signal_id=signal.pk,
            checked_items=["a_social", "s_latent"],
            w1=True,
            w2a=False,
            w2b=True,
            reasons=payload,
            referred_to=payload,
        )
        ids.append(signal.pk)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    base = live_server.url
    sign_in(page, base, "regisseur")
    for path in ["/", "/signals", f"/signals?q={PAYLOADS[1]}", *[f"/signals/{i}" for i in ids]]:
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.locator("main img[src=x], main svg[onload], main iframe").count() == 0, path
    page.goto(f"{base}/signals/{ids[0]}")
    assert PAYLOADS[0] in page.inner_text(".wb-dl")  # shown as text, not run
    assert dialogs == []
