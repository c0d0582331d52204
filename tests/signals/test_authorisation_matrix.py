# SPDX-License-Identifier: EUPL-1.2
"""The authorisation matrix as data: role × object scope × action → status, walked for web and API.

404 means "does not exist or not yours" (indistinguishable); 403 means "your roles never allow this".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import actor, full_scores, signal_input
from weerbaar.signals.services import signal_create, signal_qualify, signal_weigh

pytestmark = pytest.mark.django_db

ACTIONS = ["list", "own", "other", "riec_case", "create", "qualify", "weigh", "admin", "api_list", "api_other"]
A, F, N = 200, 403, 404  # allowed, forbidden by role, not found (out of scope)
MATRIX: dict[str, list[int]] = {
    #                     list own other riec create qualify weigh admin api_list api_other
    "regisseur": [A, A, A, A, A, A, F, F, A, A],
    "ondermijningsteam": [A, A, A, A, F, F, A, F, A, A],
    "privacyfunctionaris": [A, N, N, A, F, F, F, F, A, N],
    "source_owner": [F, F, F, F, F, F, F, F, F, F],
    "department_officer": [A, A, N, N, A, F, F, F, A, N],
    "bestuur": [F, F, F, F, F, F, F, F, F, F],
    "riec_liaison": [A, N, N, A, F, F, F, F, A, N],
    "administrator": [F, F, F, F, F, F, F, A, F, F],
}


@pytest.fixture
def objects(new_signal: Any) -> dict[str, Any]:
    return {
        "own": new_signal("received", reporter="department_officer"),
        "other": new_signal("received", reporter="other_officer"),
        "qualified": new_signal("qualified", reporter="other_officer"),
        "riec": new_signal("riec", reporter="other_officer"),
    }


def _url(action: str, o: dict[str, Any]) -> str:
    return {
        "list": "/signals",
        "own": f"/signals/{o['own'].pk}",
        "other": f"/signals/{o['other'].pk}",
        "riec_case": f"/signals/{o['riec'].pk}",
        "create": "/signals/new",
        "qualify": f"/signals/{o['other'].pk}/qualify",
        "weigh": f"/signals/{o['qualified'].pk}/weigh",
        "admin": "/admin/",
        "api_list": "/api/v1/signals",
        "api_other": f"/api/v1/signals/{o['other'].pk}",
    }[action]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_matrix(role: str, action: str, users: Any, objects: dict[str, Any], client: Any) -> None:
    client.force_login(users[role])
    expected = MATRIX[role][ACTIONS.index(action)]
    response = client.get(_url(action, objects))
    assert response.status_code == expected, f"{role} {action}"
    if expected == N and action.startswith("api"):
        assert response["Content-Type"] == "application/problem+json"


def test_out_of_scope_looks_exactly_like_missing(users: Any, objects: dict[str, Any], client: Any) -> None:
    client.force_login(users["department_officer"])
    hidden = client.get(f"/api/v1/signals/{objects['other'].pk}")
    missing = client.get("/api/v1/signals/99999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_attachment_of_another_officers_signal_is_not_found(users: Any, new_signal: Any, client: Any) -> None:
    signal = new_signal("received", reporter="other_officer", attachments=[("a.txt", b"secret text")])
    attachment = signal.attachments.get()
    client.force_login(users["department_officer"])
    assert client.get(f"/signals/{signal.pk}/attachments/{attachment.pk}").status_code == 404
    client.force_login(users["other_officer"])
    response = client.get(f"/signals/{signal.pk}/attachments/{attachment.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"secret text"


def test_officer_list_shows_only_own_reports(users: Any, objects: dict[str, Any], client: Any) -> None:
    client.force_login(users["department_officer"])
    ids = [s["id"] for s in client.get("/api/v1/signals").json()["results"]]
    assert ids == [objects["own"].pk]


def test_anonymous_is_sent_to_login(client: Any, objects: dict[str, Any]) -> None:
    response = client.get(f"/signals/{objects['own'].pk}")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert client.get("/api/v1/signals").status_code in (401, 403)


def test_api_refusals_are_audited(users: Any, client: Any) -> None:
    from weerbaar.audit.models import AuditEvent

    client.force_login(users["bestuur"])
    assert client.get("/api/v1/signals").status_code == 403
    event = AuditEvent.objects.latest("id")
    assert (event.result, event.action, event.actor_label) == ("denied", "signals:signal:view", "bestuur")


def test_origin_behind_a_trusted_proxy(rf: Any, settings: Any) -> None:
    from weerbaar.accounts.authz import origin_of

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert origin_of(request) == "10.0.0.2"  # no proxy configured: the header is not trusted
    settings.PROXY_HOPS = 1
    assert origin_of(request) == "192.0.2.7"  # the address our one proxy saw, not the forged first entry


def test_search_and_filters_never_reach_outside_the_scope(users: Any, objects: dict[str, Any], client: Any) -> None:
    other = objects["other"]
    client.force_login(users["department_officer"])
    for query in (f"q=S-{other.pk:06d}", f"q={other.pk}", "state=received", "q=Haven-Oost", "channel=department"):
        ids = [s["id"] for s in client.get(f"/api/v1/signals?{query}").json()["results"]]
        assert other.pk not in ids, query
        page = client.get(f"/signals?{query}").content.decode()
        assert f'href="/signals/{other.pk}"' not in page, query


def test_field_level_need_to_know(users: Any, new_signal: Any, client: Any) -> None:
    """The reporter sees their report and its state, not the team's reasons; the RIEC liaison sees the
    case but not who reported it."""
    own = new_signal("research", reporter="department_officer")
    client.force_login(users["department_officer"])
    body = client.get(f"/api/v1/signals/{own.pk}").json()
    assert body["view_level"] == "reporter" and body["description"]
    assert all(change["reasons"] is None for change in body["history"])
    page = client.get(f"/signals/{own.pk}").content.decode()
    assert "Afgewogen." not in page and "Checklist beoordeeld." not in page

    external = signal_create(
        acting=actor(users["regisseur"], "regisseur"),
        data=signal_input(channel="police", reporter_name="Agent Fictief", reporter_contact="06-0000"),
    )

    signal_qualify(
        acting=actor(users["regisseur"], "regisseur"),
        signal_id=external.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="Checklist.",
    )
    signal_weigh(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=external.pk,
        scores=full_scores(),
        route="c",
        reasons="Naar het RIEC.",
    )
    client.force_login(users["riec_liaison"])
    body = client.get(f"/api/v1/signals/{external.pk}").json()
    assert body["view_level"] == "riec" and body["reporter_name"] is None and body["reporter_contact"] is None
    assert "Naar het RIEC." in [c["reasons"] for c in body["history"]]
    assert "Agent Fictief" not in client.get(f"/signals/{external.pk}").content.decode()
    client.force_login(users["ondermijningsteam"])
    assert client.get(f"/api/v1/signals/{external.pk}").json()["reporter_name"] == "Agent Fictief"


#: Writes, per role: intake, qualification (W1-W2) and weighing (W3), through the API and the web.
WRITE_ACTIONS = ["create", "qualify", "weigh"]
WRITE_MATRIX: dict[str, list[bool]] = {
    "regisseur": [True, True, False],
    "ondermijningsteam": [False, False, True],
    "privacyfunctionaris": [False, False, False],
    "source_owner": [False, False, False],
    "department_officer": [True, False, False],
    "bestuur": [False, False, False],
    "riec_liaison": [False, False, False],
    "administrator": [False, False, False],
}
API_BODY = {
    "channel": "department",
    "received_on": "2026-01-10",
    "description": "x",
    "phenomena": ["cannabis"],
    "subjects": [{"kind": "address", "data": {"postcode": "9999ZZ"}}],
}


@pytest.mark.parametrize("role", list(WRITE_MATRIX))
@pytest.mark.parametrize("action", WRITE_ACTIONS)
@pytest.mark.parametrize("door", ["api", "web"])
def test_write_matrix(role: str, action: str, door: str, users: Any, new_signal: Any, client: Any) -> None:
    allowed = WRITE_MATRIX[role][WRITE_ACTIONS.index(action)]
    received, qualified = new_signal("received", reporter="other_officer"), new_signal("qualified")
    client.force_login(users[role])
    scores = full_scores()
    if door == "api":
        url, body, ok = {
            "create": ("/api/v1/signals", API_BODY, 201),
            "qualify": (
                f"/api/v1/signals/{received.pk}/qualify",
                {"checked_items": ["a_social", "s_latent"], "w1": True, "w2a": True, "w2b": True, "reasons": "r"},
                200,
            ),
            "weigh": (
                f"/api/v1/signals/{qualified.pk}/weigh",
                {
                    "scores": {k: {"score": s, "explanation": e} for k, (s, e) in scores.items()},
                    "route": "d",
                    "reasons": "r",
                },
                200,
            ),
        }[action]
        response = client.post(url, body, content_type="application/json")
    else:
        url, body = {
            "create": (
                "/signals/new",
                {
                    "channel": "department",
                    "received_on": "2026-01-10",
                    "description": "x",
                    "phenomena": ["cannabis"],
                    "subject-TOTAL_FORMS": "1",
                    "subject-INITIAL_FORMS": "0",
                    "subject-MIN_NUM_FORMS": "0",
                    "subject-MAX_NUM_FORMS": "10",
                    "subject-0-kind": "address",
                    "subject-0-postcode": "9999ZZ",
                },
            ),
            "qualify": (
                f"/signals/{received.pk}/qualify",
                {
                    "checked_items": ["a_social", "s_latent"],
                    "w1": "yes",
                    "w2a": "yes",
                    "w2b": "yes",
                    "reasons": "r",
                    "expected_state": "received",
                },
            ),
            "weigh": (
                f"/signals/{qualified.pk}/weigh",
                {
                    "route": "d",
                    "reasons": "r",
                    **{f"score_{k}": str(s) for k, (s, _e) in scores.items()},
                    **{f"explanation_{k}": e for k, (_s, e) in scores.items()},
                },
            ),
        }[action]
        response = client.post(url, body)
        ok = 302
    assert response.status_code == (ok if allowed else 403), (role, action, door, response.content[:300])


def test_the_leading_department_sees_the_signal_handed_to_it(users: Any, make_user: Any, client: Any) -> None:
    """W3 (b): the department that takes the lead reads the signal (not who reported it); another
    department's officer still gets "not found"."""
    from weerbaar.accounts.models import Department

    signal = signal_create(
        acting=actor(users["regisseur"], "regisseur"),
        data=signal_input(channel="police", reporter_name="Agent Fictief", reporter_contact="06-0000"),
    )
    signal_qualify(
        acting=actor(users["regisseur"], "regisseur"),
        signal_id=signal.pk,
        checked_items=["a_social", "s_latent"],
        w1=True,
        w2a=True,
        w2b=True,
        reasons="Checklist.",
    )
    signal_weigh(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=signal.pk,
        scores=full_scores(),
        route="b",
        department="handhaving",
        reasons="Handhaving neemt het over.",
    )
    client.force_login(users["other_officer"])  # department "handhaving", did not report it
    body = client.get(f"/api/v1/signals/{signal.pk}").json()
    assert body["view_level"] == "riec" and body["reporter_name"] is None and body["description"]
    assert "Agent Fictief" not in client.get(f"/signals/{signal.pk}").content.decode()
    elsewhere = make_user("vergunner", "department_officer")
    elsewhere.department = Department.objects.get_or_create(code="vergunningen", defaults={"name": "Vergunningen"})[0]
    elsewhere.save()
    client.force_login(elsewhere)
    assert client.get(f"/api/v1/signals/{signal.pk}").status_code == 404
