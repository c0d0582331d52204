# SPDX-License-Identifier: EUPL-1.2
"""Operational figures: intake through the API (every bad input a clear problem+json, nothing
stored), the account tied to its municipality, corrections and overlaps, the file import (all or
nothing), publication with the survey's suppression, and the municipal side's export."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from weerbaar.accounts.authz import system_actor
from weerbaar.audit.models import AuditEvent
from weerbaar.monitor import figures
from weerbaar.monitor.models import Municipality, OperationalFigures
from weerbaar.monitor.report_cli import register_report

URL = "/api/v1/monitor/figures"
GOOD = {
    "period_start": "2023-01-01",
    "period_end": "2023-03-31",
    "figures": {"signals.total": 40, "signals.cannabis": 12, "interventions.bibob": 3, "lead_time.weighing_days": 21},
}


@pytest.fixture
def submitter(make_user: Any) -> Any:
    return make_user("gm0363-weerbaar", "figures_submitter")


def _post(client: Client, body: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English (the UI is Dutch by default)
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_a_deployment_submits_its_counts(client: Client, submitter: Any) -> None:
    client.force_login(submitter)
    response = _post(client, GOOD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["municipality_code"] == "GM0363" and body["supersedes"] is None
    row = OperationalFigures.objects.get()
    assert row.figures == dict(sorted(GOOD["figures"].items())) and row.source == "api"
    assert row.submitted_by == submitter
    assert AuditEvent.objects.filter(action="monitor.figures.submit", object_id=str(row.pk)).exists()


def test_the_same_period_again_is_a_correction_and_an_overlap_is_refused(client: Client, submitter: Any) -> None:
    client.force_login(submitter)
    first = _post(client, GOOD).json()
    second = _post(client, {**GOOD, "figures": {"signals.total": 41}})
    assert second.status_code == 201 and second.json()["supersedes"] == first["id"]
    overlap = _post(client, {**GOOD, "period_start": "2023-03-01", "period_end": "2023-04-30"})
    assert overlap.status_code == 400
    assert overlap["Content-Type"] == "application/problem+json"
    assert "overlaps" in overlap.json()["detail"]
    assert OperationalFigures.objects.count() == 2
    assert OperationalFigures.objects.filter(superseded_by__isnull=True).get().figures == {"signals.total": 41}


BAD = [
    ({"figures": {"signals.total": -1}}, "figures.signals.total", "negative"),
    ({"figures": {"signals.total": 1.5}}, "figures.signals.total", "whole number"),
    ({"figures": {"signals.total": True}}, "figures.signals.total", "whole number"),
    ({"figures": {"signals.total": "veel"}}, "figures.signals.total", "whole number"),
    ({"figures": {"signals.total": 10**9}}, "figures.signals.total", "implausibly"),
    ({"figures": {"signals.unicorns": 3}}, "figures.signals.unicorns", "Unknown figure key"),
    ({"figures": {}}, "figures", "at least one key"),
    ({"figures": [1, 2]}, "figures", "at least one key"),
    ({"period_start": "2023-04-01", "period_end": "2023-03-31"}, "period_end", "before it starts"),
    ({"period_start": "2022-12-01", "period_end": "2023-01-31"}, "period_end", "one calendar year"),
    ({"period_start": "2008-01-01", "period_end": "2008-12-31"}, "period_start", "from 2009"),
    ({"period_start": "1-1-2023"}, "period_start", "YYYY-MM-DD"),
    ({"period_end": None}, "period_end", "YYYY-MM-DD"),
    ({"colour": "blue"}, "colour", "Unknown field"),
]


@pytest.mark.parametrize(("patch", "field", "text"), BAD)
def test_every_bad_input_is_a_clear_problem_and_nothing_is_stored(
    client: Client, submitter: Any, patch: dict[str, Any], field: str, text: str
) -> None:
    client.force_login(submitter)
    response = _post(client, {**GOOD, **patch})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Invalid input"
    reasons = {p["name"]: p["reason"] for p in problem["invalid_params"]}
    assert field in reasons and text in reasons[field], reasons
    assert not OperationalFigures.objects.exists()


def test_a_future_period_is_refused(client: Client, submitter: Any) -> None:
    client.force_login(submitter)
    today = date.today()
    start = date(today.year, 1, 1)
    response = _post(
        client, {**GOOD, "period_start": start.isoformat(), "period_end": (today + timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "period_end" in {p["name"] for p in response.json()["invalid_params"]}
    assert not OperationalFigures.objects.exists()


def test_a_code_unknown_in_that_year_is_refused(make_user: Any, client: Client) -> None:
    # Weesp (GM0457) joined Amsterdam on 24 March 2022: a municipality in 2022, not in 2023.
    client.force_login(make_user("gm0457", "figures_submitter"))
    assert _post(client, {**GOOD, "period_start": "2022-01-01", "period_end": "2022-03-01"}).status_code == 201
    refused = _post(client, GOOD)
    assert refused.status_code == 400
    assert "not a municipality on 1 January 2023" in refused.json()["detail"]
    assert OperationalFigures.objects.count() == 1


def test_the_body_must_be_an_object_and_valid_json(client: Client, submitter: Any) -> None:
    client.force_login(submitter)
    not_object = _post(client, [GOOD])
    assert not_object.status_code == 400 and not_object["Content-Type"] == "application/problem+json"
    broken = client.post(URL, data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken["Content-Type"] == "application/problem+json"
    assert not OperationalFigures.objects.exists()


def test_an_account_submits_for_its_own_municipality_only(client: Client, submitter: Any, make_user: Any) -> None:
    client.force_login(submitter)
    other = _post(client, {**GOOD, "municipality_code": "GM0599"})
    assert other.status_code == 403 and other["Content-Type"] == "application/problem+json"
    assert _post(client, {**GOOD, "municipality_code": "363"}).status_code == 201
    client.force_login(make_user("deployment", "figures_submitter"))
    untied = _post(client, GOOD)
    assert untied.status_code == 403 and "not tied to a municipality" in untied.json()["detail"]
    assert OperationalFigures.objects.count() == 1


def test_who_may_submit_and_read(client: Client, make_user: Any, submitter: Any) -> None:
    assert _post(client, GOOD).status_code == 401
    client.force_login(make_user("onderzoeker", "researcher"))
    assert _post(client, GOOD).status_code == 403
    assert client.get(URL, {"year": 2023}).status_code == 200
    client.force_login(submitter)
    assert client.get(URL, {"year": 2023}).status_code == 403
    client.force_login(make_user("beleid", "ministry"))
    assert client.get(URL, {"year": "twee"}).status_code == 400
    assert not OperationalFigures.objects.exists()


# --- publication ------------------------------------------------------------------------------------


def _codes(size: str, count: int, year: int = 2023) -> list[str]:
    return list(
        Municipality.objects.filter(year=year, size_class=size)
        .order_by("cbs_code")
        .values_list("cbs_code", flat=True)[:count]
    )


def _submit(code: str, values: dict[str, int], start: str = "2023-01-01", end: str = "2023-12-31") -> None:
    figures.submit_figures(
        acting=system_actor("test", origin="test"),
        data={"municipality_code": code, "period_start": start, "period_end": end, "figures": values},
    )


def test_published_figures_follow_the_suppression_rule(db: Any) -> None:
    for i, code in enumerate(_codes("20k_50k", 8)):
        _submit(code, {"signals.total": 10 + i, "interventions.bibob": 2})
    for code in _codes("50k_100k", 6):
        _submit(code, {"signals.total": 30})
    large = _codes("100k_plus", 2)
    for code in large:
        _submit(code, {"signals.total": 100, "riec.referrals": 4})
    published = figures.figures_for_year(2023)
    assert published["municipalities"] == 16 and published["N"] == 342
    total = published["figures"]["signals.total"]
    assert total["n"] == 16 and total["total"] == sum(10 + i for i in range(8)) + 6 * 30 + 200
    cells = total["by"]["size_class"]
    # Two large municipalities: withheld, and the next smallest class with them (complementary).
    assert cells["100k_plus"]["suppressed"] and cells["100k_plus"]["total"] is None
    assert cells["50k_100k"]["suppressed"] and cells["50k_100k"]["total"] is None
    assert not cells["20k_50k"]["suppressed"] and cells["20k_50k"]["total"] == sum(10 + i for i in range(8))
    assert cells["under_20k"] == {
        "N": cells["under_20k"]["N"],
        "n": 0,
        "suppressed": False,
        "total": None,
        "mean": None,
    }
    # A figure only two municipalities reported is withheld nationally, with its breakdown.
    referrals = published["figures"]["riec.referrals"]
    assert referrals["suppressed"] and referrals["total"] is None
    assert all(c["total"] is None for c in referrals["by"]["riec_region"].values())


def test_quarters_add_up_and_lead_times_average(db: Any) -> None:
    codes = _codes("20k_50k", 5)
    for code in codes:
        _submit(code, {"signals.total": 5, "lead_time.weighing_days": 10}, "2023-01-01", "2023-03-31")
        _submit(code, {"signals.total": 7, "lead_time.weighing_days": 20}, "2023-04-01", "2023-06-30")
    published = figures.figures_for_year(2023)
    assert published["figures"]["signals.total"]["total"] == 5 * 12
    assert published["figures"]["signals.total"]["mean"] == 12
    assert published["figures"]["lead_time.weighing_days"]["mean"] == 15
    assert "total" not in published["figures"]["lead_time.weighing_days"]


def test_the_api_lists_the_aggregates(client: Client, make_user: Any) -> None:
    for code in _codes("20k_50k", 5):
        _submit(code, {"signals.total": 3})
    client.force_login(make_user("beleid", "ministry"))
    body = client.get(URL, {"year": 2023}).json()
    assert body["figures"]["signals.total"]["total"] == 15 and body["suppression"]["min_cell"] == 5


# --- files ----------------------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="sub", required=True)
    register_report(sub, setup=lambda: None, origin=lambda: "cli:test")
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_a_csv_file_is_stored_whole(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(
        "municipality_code;period_start;period_end;signals.total;interventions.bibob\n"
        "GM0363;2023-01-01;2023-12-31;40;3\n"
        "GM0599;2023-01-01;2023-12-31;22;\n",
        encoding="utf-8",
    )
    assert _run(["import-figures", str(path)]) == 0
    rows = {r.municipality_code: r.figures for r in OperationalFigures.objects.all()}
    assert rows == {"GM0363": {"interventions.bibob": 3, "signals.total": 40}, "GM0599": {"signals.total": 22}}
    assert all(r.source == "file" for r in OperationalFigures.objects.all())


def test_a_file_with_one_bad_row_stores_nothing(db: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "figures.json"
    path.write_text(
        json.dumps(
            [
                {"municipality_code": "GM0363", **GOOD},
                {"municipality_code": "GM9999", **GOOD},
                {"municipality_code": "GM0599", **GOOD, "figures": {"signals.total": -2}},
                {"municipality_code": "GM0363", **GOOD},
            ]
        ),
        encoding="utf-8",
    )
    assert _run(["import-figures", str(path)]) == 1
    err = capsys.readouterr().err
    assert "submission 2, municipality_code" in err
    assert "submission 3, figures.signals.total" in err
    assert "submission 4" in err and "twice" in err
    assert not OperationalFigures.objects.exists()


def test_a_broken_file_is_refused(db: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "figures.json"
    path.write_text("[{", encoding="utf-8")
    assert _run(["import-figures", str(path)]) == 1
    assert "not valid JSON" in capsys.readouterr().err


# --- the municipal side ---------------------------------------------------------------------------------


def test_export_counts_this_deployments_work(new_signal: Any, tmp_path: Path) -> None:
    new_signal("riec")
    new_signal("research")
    new_signal("received")
    today = date.today()
    data = figures.export_figures(municipality_code="363", start=today - timedelta(days=30), end=today)
    assert data["municipality_code"] == "GM0363"
    values = data["figures"]
    assert values["signals.total"] == 3 and values["signals.cannabis"] == 3
    assert values["weighing.riec"] == 1 and values["weighing.research"] == 1
    assert "lead_time.weighing_days" in values
    assert set(values) <= set(figures.FIGURE_KEYS)
    # What the export writes is what the intake accepts (for last year's period it would be stored).
    figures.check_submission({**data, "period_start": "2023-01-01", "period_end": "2023-12-31"})
    out = tmp_path / "export.json"
    assert (
        _run(
            [
                "export-figures",
                "--municipality",
                "GM0363",
                "--from",
                (today - timedelta(days=30)).isoformat(),
                "--to",
                today.isoformat(),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text())["figures"]["signals.total"] == 3


def test_export_refuses_a_bad_period(db: Any, capsys: Any) -> None:
    assert _run(["export-figures", "--municipality", "GM0363", "--from", "2023-02-01", "--to", "2023-01-01"]) == 2
    assert _run(["export-figures", "--municipality", "Amsterdam", "--from", "2023-01-01", "--to", "2023-02-01"]) == 2
    assert _run(["export-figures", "--municipality", "GM0363", "--from", "gisteren", "--to", "2023-02-01"]) == 2
