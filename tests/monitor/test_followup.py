# SPDX-License-Identifier: EUPL-1.2
"""Conclusions and their policy follow-up: the rules of a response, CRUD through the API with the
permission of every operation per role, the audit trail, and the indicators' current values."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from tests.monitor.test_report import _codes, make_wave, report_codebook  # noqa: F401 - fixture
from weerbaar.accounts.authz import Actor, system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor import figures, followup
from weerbaar.monitor.models import Conclusion, FollowUp

API = "/api/v1/monitor/follow-ups"


@pytest.fixture
def acting() -> Actor:
    return system_actor("monitor-test", origin="test")


@pytest.fixture
def wave(report_codebook: Any) -> Any:  # noqa: F811 - the imported fixture
    return make_wave(report_codebook, 2022, _codes(2022, {"under_20k": 20, "20k_50k": 30, "50k_100k": 10}))


@pytest.fixture
def conclusion(wave: Any, acting: Actor) -> Conclusion:
    return followup.save_conclusion(
        acting=acting,
        year=2022,
        number=4,
        theme="information",
        text_nl="De informatiepositie is de achilleshiel.",
        text_en="The information position is the Achilles heel.",
    )


def _follow_up(conclusion: Conclusion, acting: Actor, **changes: Any) -> FollowUp:
    values: dict[str, Any] = {
        "response_kind": "will_pick_up",
        "text_nl": "Een landelijk programma voor data-analyse.",
        "owner": "Ministerie van JenV",
        "deadline": date(2026, 12, 31),
        "indicators": ["policy", "queries.total"],
    }
    values.update(changes)
    return followup.create_follow_up(acting=acting, conclusion_id=conclusion.pk, data=followup.FollowUpInput(**values))


def test_a_conclusion_is_saved_changed_and_audited(conclusion: Conclusion, acting: Actor) -> None:
    changed = followup.save_conclusion(
        acting=acting, year=2022, number=4, theme="", text_nl="Nieuwe tekst.", text_en=""
    )
    assert changed.pk == conclusion.pk and changed.text_nl == "Nieuwe tekst."
    events = AuditEvent.objects.filter(action="monitor.conclusion.save").order_by("id")
    assert events.count() == 2 and events.last().detail["before"]["text_nl"].startswith("De informatiepositie")
    with pytest.raises(ValidationError) as error:
        followup.save_conclusion(acting=acting, year=2022, number=0, theme="nonsense", text_nl=" ", text_en="")
    assert set(error.value.message_dict) == {"number", "theme", "text_nl"}


def test_a_response_names_known_indicators_and_an_owner_and_deadline_when_picked_up(
    conclusion: Conclusion, acting: Actor
) -> None:
    made = _follow_up(conclusion, acting)
    assert made.indicators == ["policy", "queries.total"]
    with pytest.raises(ValidationError) as error:
        _follow_up(conclusion, acting, owner="", deadline=None, indicators=["nothing_like_it", "signals.unicorn"])
    assert set(error.value.message_dict) == {"owner", "deadline", "indicators"}
    assert "nothing_like_it" in error.value.message_dict["indicators"][0]
    done = _follow_up(conclusion, acting, response_kind="done", owner="", deadline=None, indicators=[])
    assert done.response_kind == "done"
    assert FollowUp.objects.count() == 2


def test_the_indicators_show_their_current_value_and_trend(conclusion: Conclusion, acting: Actor) -> None:
    for code in _codes(2023, {"20k_50k": 5}):
        figures.submit_figures(
            acting=acting,
            data={
                "municipality_code": code,
                "period_start": "2023-01-01",
                "period_end": "2023-12-31",
                "figures": {"queries.total": 4},
            },
        )
    _follow_up(conclusion, acting)
    waves = followup.overview(english=True)
    response = waves[0]["conclusions"][0]["responses"][0]
    (output,) = response["outputs"]
    assert output.ref == "queries.total" and output.latest == "20" and output.latest_year == 2023
    (outcome,) = response["outcomes"]
    assert outcome.ref == "policy" and outcome.latest_year == 2022 and outcome.latest.endswith("%")
    assert [year for year, _text in outcome.trend] == [2022]


# --- the API: CRUD and who may do what --------------------------------------------------------------


def _client(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_ministry_keeps_the_follow_up_through_the_api(
    client: Client, make_user: Any, conclusion: Conclusion
) -> None:
    c = _client(client, make_user("beleid", "ministry"))
    body = {
        "conclusion": conclusion.pk,
        "response_kind": "will_pick_up",
        "text_nl": "Programma informatiepositie.",
        "owner": "JenV",
        "deadline": "2026-12-31",
        "indicators": ["policy", "queries.hit"],
    }
    made = c.post(API, data=json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["wave"] == 2022 and made.json()["conclusion_number"] == 4
    assert c.get(API).json()[0]["id"] == pk
    assert c.get(f"{API}/{pk}").json()["indicators"] == ["policy", "queries.hit"]
    patched = c.patch(f"{API}/{pk}", data=json.dumps({"status": "in_progress"}), content_type="application/json")
    assert patched.status_code == 200 and patched.json()["status"] == "in_progress"
    assert patched.json()["owner"] == "JenV"
    put = c.put(
        f"{API}/{pk}",
        data=json.dumps({**body, "response_kind": "done", "status": "done"}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["response_kind"] == "done"
    event = AuditEvent.objects.filter(action="monitor.followup.update").order_by("id").first()
    assert event is not None and event.detail["changed"]["status"] == ["planned", "in_progress"]
    assert c.delete(f"{API}/{pk}").status_code == 204
    assert not FollowUp.objects.exists()
    assert c.get(f"{API}/{pk}").status_code == 404


def test_bad_follow_up_input_is_a_problem_and_nothing_is_stored(
    client: Client, make_user: Any, conclusion: Conclusion
) -> None:
    c = _client(client, make_user("beleid", "ministry"))
    bad = c.post(
        API,
        data=json.dumps(
            {"conclusion": conclusion.pk, "response_kind": "will_pick_up", "text_nl": "x", "indicators": ["nope"]}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in bad.json()["invalid_params"]}
    assert names == {"owner", "deadline", "indicators"}
    kind = c.post(
        API,
        data=json.dumps({"conclusion": conclusion.pk, "response_kind": "maybe", "text_nl": "x"}),
        content_type="application/json",
    )
    assert kind.status_code == 400 and "response_kind" in {p["name"] for p in kind.json()["invalid_params"]}
    missing = c.post(
        API,
        data=json.dumps({"conclusion": 999999, "response_kind": "done", "text_nl": "x"}),
        content_type="application/json",
    )
    assert missing.status_code == 400 and "conclusion" in {p["name"] for p in missing.json()["invalid_params"]}
    assert not FollowUp.objects.exists()


#: Per role: may read the follow-up, may change it.
ROLES = {
    "researcher": (True, True),
    "ministry": (True, True),
    "figures_submitter": (False, False),
    "regisseur": (False, False),
    "administrator": (False, False),
}


@pytest.mark.parametrize(("role", "rights"), ROLES.items())
def test_every_follow_up_operation_per_role(
    client: Client, make_user: Any, conclusion: Conclusion, acting: Actor, role: str, rights: tuple[bool, bool]
) -> None:
    may_read, may_write = rights
    existing = _follow_up(conclusion, acting)
    c = _client(client, make_user(f"user-{role}", role))
    body = json.dumps({"conclusion": conclusion.pk, "response_kind": "done", "text_nl": "Gedaan."})
    read = 200 if may_read else 403
    write = 403 if not may_write else None
    assert c.get(API).status_code == read
    assert c.get(f"{API}/{existing.pk}").status_code == read
    created = c.post(API, data=body, content_type="application/json").status_code
    assert created == (write or 201)
    patched = c.patch(
        f"{API}/{existing.pk}", data=json.dumps({"status": "done"}), content_type="application/json"
    ).status_code
    assert patched == (write or 200)
    put = c.put(f"{API}/{existing.pk}", data=body, content_type="application/json").status_code
    assert put == (write or 200)
    assert c.delete(f"{API}/{existing.pk}").status_code == (write or 204)
    if not may_write:
        assert AuditEvent.objects.filter(result="denied", actor_label=f"user-{role}").exists()


def test_anonymous_callers_are_told_to_sign_in(client: Client, conclusion: Conclusion) -> None:
    assert client.get(API).status_code == 401
    assert client.post(API, data="{}", content_type="application/json").status_code == 401
