# SPDX-License-Identifier: EUPL-1.2
"""The reporting side's pages and report API: who may open what (every URL and operation per
role), the report inline and as files, the analysis per item with the operational figures beside
it, the conclusions form and the follow-up pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.monitor.test_report import RESPONDENTS_2022, _codes, make_wave, report_codebook  # noqa: F401 - fixture
from weerbaar.accounts.authz import system_actor
from weerbaar.monitor import figures, followup, report
from weerbaar.monitor.models import Conclusion, FollowUp, Wave

#: The roles and which of VIEW, MANAGE, FOLLOWUP they hold.
ROLES = {
    "researcher": {"view", "manage", "followup"},
    "ministry": {"view", "followup"},
    "figures_submitter": set(),
    "regisseur": set(),
}


@pytest.fixture
def wave(report_codebook: Any) -> Wave:  # noqa: F811 - the imported fixture
    make_wave(report_codebook, 2016, _codes(2016, {"under_20k": 30, "20k_50k": 40}), synthetic=True)
    return make_wave(report_codebook, 2022, _codes(2022, RESPONDENTS_2022), synthetic=True)


@pytest.fixture
def conclusion(wave: Wave) -> Conclusion:
    return followup.save_conclusion(
        acting=system_actor("test", origin="test"),
        year=2022,
        number=1,
        theme="administrative",
        text_nl="Beleid is er.",
        text_en="Policy exists.",
    )


@pytest.fixture
def follow_up(conclusion: Conclusion) -> FollowUp:
    return followup.create_follow_up(
        acting=system_actor("test", origin="test"),
        conclusion_id=conclusion.pk,
        data=followup.FollowUpInput(response_kind="done", text_nl="Al gedaan.", indicators=["policy", "signals.total"]),
    )


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _cases(conclusion: Conclusion, follow_up: FollowUp) -> list[tuple[str, str, str, dict[str, Any] | None, int]]:
    """(method, url, permission, body, status when allowed)."""
    c, f = conclusion.pk, follow_up.pk
    return [
        ("get", "/monitor/waves/2022/report", "view", None, 200),
        ("get", "/monitor/waves/2022/report.json", "view", None, 200),
        ("get", "/monitor/waves/2022/report.html", "view", None, 200),
        ("get", "/monitor/waves/2022/analysis", "view", None, 200),
        ("get", "/monitor/waves/2022/analysis?item=policy", "view", None, 200),
        ("get", "/monitor/follow-up", "view", None, 200),
        ("get", "/api/v1/monitor/waves/2022/report", "view", None, 200),
        ("get", "/api/v1/monitor/waves/2022/analysis/policy", "view", None, 200),
        ("get", "/monitor/waves/2022/conclusions", "manage", None, 200),
        (
            "post",
            "/monitor/waves/2022/conclusions",
            "manage",
            {"number": 2, "theme": "", "text_nl": "Nog een.", "text_en": ""},
            302,
        ),
        ("get", f"/monitor/follow-up/new/{c}", "followup", None, 200),
        ("get", f"/monitor/follow-up/{f}/edit", "followup", None, 200),
        (
            "post",
            f"/monitor/follow-up/{f}/edit",
            "followup",
            {"response_kind": "done", "text_nl": "Gedaan.", "status": "done", "indicators": "policy"},
            302,
        ),
        (
            "post",
            f"/monitor/follow-up/new/{c}",
            "followup",
            {"response_kind": "done", "text_nl": "Ook.", "status": "planned"},
            302,
        ),
        ("post", f"/monitor/follow-up/{f}/delete", "followup", {}, 302),
        ("post", "/monitor/waves/2022/conclusions/1/delete", "manage", {}, 302),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_operation_per_role(
    client: Client, make_user: Any, role: str, conclusion: Conclusion, follow_up: FollowUp
) -> None:
    _login(client, make_user(f"u-{role}", role))
    for method, url, perm, body, allowed in _cases(conclusion, follow_up):
        response = getattr(client, method)(url, body) if method == "post" else client.get(url)
        expected = allowed if perm in ROLES[role] else 403
        assert response.status_code == expected, (role, method, url, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, conclusion: Conclusion, follow_up: FollowUp) -> None:
    for method, url, _perm, body, _allowed in _cases(conclusion, follow_up):
        response = getattr(client, method)(url, body) if method == "post" else client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and "login" in response["Location"], url


def test_the_report_page_shows_the_banner_suppression_and_conclusions(
    client: Client, make_user: Any, conclusion: Conclusion
) -> None:
    c = _login(client, make_user("r", "researcher"))
    page = c.get("/monitor/waves/2022/report").content.decode()
    assert "data-synthetic" in page and "Synthetic data." in page
    assert "data-suppressed" in page and "withheld" in page
    assert "Policy exists." in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "<script" not in page.split("<main", 1)[1], "no inline script in the report"


def test_the_downloads(client: Client, make_user: Any, wave: Wave) -> None:
    c = _login(client, make_user("r", "researcher"))
    data = c.get("/monitor/waves/2022/report.json")
    assert data["Content-Type"] == "application/json"
    assert 'filename="monitor-2022-synthetic.json"' in data["Content-Disposition"]
    document = json.loads(data.content)
    report.validate_analysis(document)
    assert document["wave"]["synthetic"] is True
    pdf = c.get("/monitor/waves/2022/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert c.get("/monitor/waves/2022/report.docx").status_code == 404
    assert c.get("/monitor/waves/1999/report").status_code == 404


def test_the_analysis_page_puts_what_was_done_beside_what_was_said(client: Client, make_user: Any, wave: Wave) -> None:
    acting = system_actor("test", origin="test")
    for code in _codes(2022, {"20k_50k": 6}):
        figures.submit_figures(
            acting=acting,
            data={
                "municipality_code": code,
                "period_start": "2022-01-01",
                "period_end": "2022-12-31",
                "figures": {"signals.cannabis": 7},
            },
        )
    c = _login(client, make_user("r", "researcher"))
    listing = c.get("/monitor/waves/2022/analysis").content.decode()
    assert "?item=ph_cannabis" in listing and "Synthetic data." in listing
    detail = c.get("/monitor/waves/2022/analysis?item=ph_cannabis").content.decode()
    assert 'data-figure="signals.cannabis"' in detail and ">42<" in detail
    small = c.get("/monitor/waves/2022/analysis?item=policy").content.decode()
    assert "data-suppressed" in small
    assert c.get("/monitor/waves/2022/analysis?item=nothing").status_code == 404
    api = c.get("/api/v1/monitor/waves/2022/analysis/ph_cannabis").json()
    assert api["operational_figures"]["signals.cannabis"]["total"] == 42 and api["synthetic"] is True


def test_the_conclusions_form(client: Client, make_user: Any, wave: Wave) -> None:
    c = _login(client, make_user("r", "researcher"))
    bad = c.post("/monitor/waves/2022/conclusions", {"number": 1, "theme": "", "text_nl": "", "text_en": ""})
    assert bad.status_code == 400 and not Conclusion.objects.exists()
    assert (
        c.post(
            "/monitor/waves/2022/conclusions",
            {"number": 1, "theme": "cooperation", "text_nl": "Eerste.", "text_en": ""},
        ).status_code
        == 302
    )
    assert (
        c.post(
            "/monitor/waves/2022/conclusions",
            {"number": 1, "theme": "cooperation", "text_nl": "Gewijzigd.", "text_en": ""},
        ).status_code
        == 302
    )
    assert Conclusion.objects.get().text_nl == "Gewijzigd."
    assert "Gewijzigd." in c.get("/monitor/waves/2022/conclusions?number=1").content.decode()


def test_the_follow_up_page_and_form(client: Client, make_user: Any, conclusion: Conclusion) -> None:
    c = _login(client, make_user("b", "ministry"))
    bad = c.post(
        f"/monitor/follow-up/new/{conclusion.pk}",
        {"response_kind": "will_pick_up", "text_nl": "Later.", "status": "planned", "indicators": "nope"},
    )
    assert bad.status_code == 400 and not FollowUp.objects.exists()
    ok = c.post(
        f"/monitor/follow-up/new/{conclusion.pk}",
        {
            "response_kind": "will_pick_up",
            "text_nl": "Later.",
            "status": "planned",
            "owner": "JenV",
            "deadline": "2027-01-31",
            "indicators": "policy, interventions.bibob",
        },
    )
    assert ok.status_code == 302
    page = c.get("/monitor/follow-up").content.decode()
    assert 'data-indicator="policy"' in page and 'data-indicator="interventions.bibob"' in page
    assert "Output (what was done)" in page and "Outcome (survey)" in page
    assert c.get("/monitor/follow-up/new/999999").status_code == 404
    assert c.get("/monitor/follow-up/999999/edit").status_code == 404


def test_the_schema_documents_every_report_operation(client: Client) -> None:
    paths = client.get("/api/v1/schema?format=json").json()["paths"]
    assert set(paths["/api/v1/monitor/figures"]) >= {"get", "post"}
    assert set(paths["/api/v1/monitor/follow-ups"]) >= {"get", "post"}
    assert set(paths["/api/v1/monitor/follow-ups/{id}"]) >= {"get", "put", "patch", "delete"}
    assert "get" in paths["/api/v1/monitor/waves/{year}/report"]
    assert "get" in paths["/api/v1/monitor/waves/{year}/analysis/{item_id}"]
