# SPDX-License-Identifier: EUPL-1.2
"""Shared fixtures: users per role, and signals made through the real services."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from weerbaar.accounts.authz import Actor
from weerbaar.accounts.models import Department, Role, User
from weerbaar.signals.models import Channel
from weerbaar.signals.services import SignalInput, signal_create, signal_qualify, signal_weigh

PASSWORD = "a-long-test-password-1"
ROLE_CODES = [
    "regisseur",
    "ondermijningsteam",
    "privacyfunctionaris",
    "source_owner",
    "department_officer",
    "bestuur",
    "riec_liaison",
    "administrator",
]

# Property tests draw their examples deterministically: a red run can be repeated, and CI never
# fails on a draw that a developer's run did not see.
hypothesis_settings.register_profile("weerbaar", derandomize=True, deadline=None)
hypothesis_settings.load_profile("weerbaar")

# Playwright's sync API runs an event loop; Django refuses ORM calls from it without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def english_messages() -> Any:
    """Service messages in English in unit tests; requests still get Dutch by default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def department(db: Any) -> Department:
    return Department.objects.get_or_create(code="handhaving", defaults={"name": "Handhaving"})[0]


@pytest.fixture
def make_user(db: Any, department: Department) -> Any:
    def make(username: str, *roles: str, demo: bool = True) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, department=department, is_demo=demo)
        user.roles.set(Role.objects.filter(code__in=roles))
        return user

    return make


@pytest.fixture
def users(make_user: Any) -> dict[str, User]:
    """One demo user per role (demo users may skip MFA in the test profile, as in the demo)."""
    made = {code: make_user(code, code) for code in ROLE_CODES}
    made["other_officer"] = make_user("other_officer", "department_officer")
    return made


def actor(user: User, role: str) -> Actor:
    return Actor(user=user, role=role, origin="test")


def signal_input(**overrides: Any) -> SignalInput:
    values: dict[str, Any] = {
        "channel": Channel.DEPARTMENT,
        "received_on": date.today() - timedelta(days=2),
        "description": "Geblindeerde ramen en constant licht in het pand.",
        "phenomena": ["cannabis"],
        "subjects": [
            {
                "kind": "person",
                "data": {
                    "given_names": "Jan",
                    "surname": "Fictief",
                    "date_of_birth": "1980-02-03",
                    "postcode": "9999 ZZ",
                },
            }
        ],
        "location_area": "Haven-Oost",
    }
    values.update(overrides)
    return SignalInput(**values)


@pytest.fixture
def new_signal(users: dict[str, User]) -> Any:
    """Make a signal reported by ``reporter`` and walk it to ``state`` through the services."""

    def make(state: str = "received", reporter: str = "department_officer", **overrides: Any) -> Any:
        signal = signal_create(acting=actor(users[reporter], "department_officer"), data=signal_input(**overrides))
        if state == "received":
            return signal
        w1 = state != "closed"
        signal_qualify(
            acting=actor(users["regisseur"], "regisseur"),
            signal_id=signal.pk,
            checked_items=["a_involvement", "r_constant_light"] if w1 else [],
            w1=w1,
            w2a=state != "referred",
            w2b=True,
            reasons="Checklist beoordeeld.",
            referred_to="Omgevingsdienst" if state == "referred" else "",
        )
        if state in {"qualified", "closed", "referred"}:
            signal.refresh_from_db()
            return signal
        route = {"no_action": "a", "department": "b", "riec": "c", "research": "d"}[state]
        signal_weigh(
            acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
            signal_id=signal.pk,
            scores=full_scores(),
            route=route,
            reasons="Afgewogen.",
            department="handhaving" if route == "b" else None,
        )
        signal.refresh_from_db()
        return signal

    return make


def full_scores(score: int = 2) -> dict[str, tuple[int, str]]:
    from weerbaar.signals.models import WeighingCriterion

    return dict.fromkeys(
        WeighingCriterion.objects.filter(active=True).values_list("code", flat=True), (score, "Toelichting.")
    )


@pytest.fixture
def login(client: Client) -> Any:
    def do(user: User) -> Client:
        client.force_login(user)
        return client

    return do
