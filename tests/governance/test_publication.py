# SPDX-License-Identifier: EUPL-1.2
"""Figures for publication: small counts hidden, and no hidden count recoverable from the totals;
no personal data of citizens or staff; CSV formulas neutralised. Also the processing register."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import actor
from weerbaar.audit.models import AuditEvent
from weerbaar.governance.publication import outcome_of, publication_export
from weerbaar.governance.suppression import Grid, protect, protect_grid

K = 5


# The attacker: independent of the implementation ---------------------------------------------------


def recoverable(grid: Grid, values: list[int], hidden: set[int]) -> list[int]:
    """Hidden entries an attacker computes exactly from the published ones: first line by line
    (a total minus the other cells), then by any linear combination of the lines (rank test)."""
    equations = grid.equations()
    found = set()
    for parts, total in equations:  # the obvious attack
        unknown = [e for e in (*parts, total) if e in hidden]
        if len(unknown) == 1:
            found.add(unknown[0])
    order = sorted(hidden)
    if order:
        matrix = np.zeros((len(equations), len(order)))
        for row, (parts, total) in enumerate(equations):
            for column, entry in enumerate(order):
                matrix[row, column] = (entry in parts) - (entry == total)
        rank = np.linalg.matrix_rank(matrix)
        for column, entry in enumerate(order):
            unit = np.zeros((1, len(order)))
            unit[0, column] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:  # e_i lies in the row space
                found.add(entry)
    return sorted(found)


def test_one_small_cell_takes_complements_in_its_row_and_column() -> None:
    cells = [[12, 3, 20], [15, 18, 25]]
    grid, protected = protect_grid(cells, K)
    assert protected.primary == {grid.cell(0, 1)}
    assert len(protected.hidden) >= 4  # a rectangle at least: two in its row, two in its column
    assert recoverable(grid, protected.values, protected.hidden) == []
    # What is shown is true; what is hidden includes every small count.
    for entry, value in enumerate(protected.values):
        if entry not in protected.hidden:
            assert protected.shown(entry) == value


def test_the_naive_table_would_give_the_cell_away() -> None:
    """Without complements the hidden 3 is the row total minus the rest: the attack works."""
    cells = [[12, 3, 20], [15, 18, 25]]
    grid = Grid(2, 3)
    values = grid.entries(cells)
    assert recoverable(grid, values, {grid.cell(0, 1)}) == [grid.cell(0, 1)]


def test_small_totals_are_hidden_and_zeros_shown() -> None:
    cells = [[2, 0, 1], [30, 40, 50]]
    grid, protected = protect_grid(cells, K)
    assert grid.row_total(0) in protected.hidden  # a total of 3 is a small count too
    assert grid.cell(0, 1) not in protected.primary
    assert recoverable(grid, protected.values, protected.hidden) == []


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda rows: st.integers(min_value=1, max_value=6).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_hidden_count_can_be_recovered_from_the_totals(cells: list[list[int]]) -> None:
    grid, protected = protect_grid(cells, K)
    assert {e for e, v in enumerate(protected.values) if 0 < v < K} <= protected.hidden
    assert recoverable(grid, protected.values, protected.hidden) == []


def test_a_one_way_table_with_a_total() -> None:
    values = [3, 10, 12, 25]  # three cells and their total
    protected = protect(values, [([0, 1, 2], 3)], K, inner={0, 1, 2})
    assert protected.hidden == {0, 1}  # the smallest other cell is the complement, not the total


# The export -----------------------------------------------------------------------------------------


@pytest.fixture
def figures(users: Any, new_signal: Any) -> dict[str, Any]:
    made = {"cannabis_no_action": [new_signal("no_action") for _ in range(6)]}
    made["cannabis_closed"] = [new_signal("closed", description="Naam Burger Geheim")]
    made["money_no_action"] = [new_signal("no_action", phenomena=["money_laundering"]) for _ in range(5)]
    made["both_referred"] = [
        new_signal("referred", phenomena=["cannabis", "money_laundering"], reporter="regisseur", channel="police",
                   reporter_name="Agent Verborgen")
        for _ in range(2)
    ]  # fmt: skip
    return made


def _export(pf: Any, **kwargs: Any) -> tuple[dict[str, Any], bytes]:
    today = date.today()
    return publication_export(acting=pf, start=today - timedelta(days=30), end=today, **kwargs)


def test_counts_suppression_and_no_personal_data(figures: dict[str, Any], pf: Any, users: Any) -> None:
    data, content = _export(pf, file_format="json")
    table = next(t for t in data["tables"] if t["name"] == "signals_by_phenomenon_and_outcome")
    rows = {r["key"]: r for r in table["rows"]}
    true = {("cannabis", "w3_no_action"): 6, ("money_laundering", "w3_no_action"): 5, ("cannabis", "w1_closed"): 1}
    true |= {("cannabis", "w2_referred"): 2, ("money_laundering", "w2_referred"): 2}
    for row in table["rows"]:
        for column, shown in row["cells"].items():
            count = true.get((row["key"], column), 0)
            assert shown in (count, None), (row["key"], column)  # what is shown is true
            if 0 < count < K:
                assert shown is None, (row["key"], column)  # every small count is hidden
    assert rows["cocaine"]["cells"]["w3_no_action"] == 0  # zeros are shown
    grid = Grid(len(table["rows"]), len(table["columns"]))
    shown: list[int | None] = [r["cells"][c["key"]] for r in table["rows"] for c in table["columns"]]
    shown += [r["total"] for r in table["rows"]] + [table["column_totals"][c["key"]] for c in table["columns"]]
    shown.append(table["total"])
    hidden = {i for i, v in enumerate(shown) if v is None}
    assert hidden and recoverable(grid, [v or 0 for v in shown], hidden) == []
    text = content.decode()
    for private in ["Naam Burger Geheim", "Agent Verborgen", "Jan", "Fictief", "Haven-Oost", "S-0"]:
        assert private not in text, private
    for username in users:  # no staff: not as a value anywhere ("bestuur" is also part of "bestuursdwang")
        assert f'"{username}"' not in text, username
    leads = {lead["step"]: lead["median_days"] for lead in data["lead_times"]}
    assert leads["research"] is None and leads["case"] is None  # fewer than five signals took them
    assert isinstance(leads["qualification"], float) and isinstance(leads["weighing"], float)
    event = AuditEvent.objects.get(action="governance:publication:export")
    assert event.detail["k"] == 5 and event.purpose == "publication (council figures, Woo)"


def test_csv_is_long_format_and_neutralises_formulas(figures: dict[str, Any], pf: Any) -> None:
    from weerbaar.signals.models import Phenomenon

    Phenomenon.objects.create(code="formula", label_nl='=HYPERLINK("http://x")', label_en="@SUM(A1)")
    _data, content = _export(pf, file_format="csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(cell.startswith(("'@SUM", "'=HYPERLINK")) for row in rows for cell in row)
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)
    header = rows.index(["table", "row", "column", "value"])
    figures_rows = rows[header + 1 :]
    assert ["signals_by_phenomenon_and_outcome", "Cocaine trade", "W3 (a): no action", "0"] in figures_rows
    assert any(r[3] == "x" for r in figures_rows)


def test_threshold_is_a_setting(figures: dict[str, Any], pf: Any, settings: Any) -> None:
    settings.PUBLICATION_MIN_COUNT = 7
    data, _content = _export(pf, file_format="json")
    table = data["tables"][0]
    assert data["min_count"] == 7
    assert next(r for r in table["rows"] if r["key"] == "cannabis")["cells"]["w3_no_action"] is None
    settings.PUBLICATION_MIN_COUNT = 1
    assert _export(pf, file_format="json")[0]["min_count"] == 2  # never below two: one is a person


def test_destroyed_signals_count_with_their_last_outcome(new_signal: Any, pf: Any) -> None:
    import time_machine
    from django.utils import timezone

    from weerbaar.accounts.authz import system_actor
    from weerbaar.governance.retention import retention_run

    for _ in range(5):
        new_signal("no_action")
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        retention_run(acting=system_actor("retention"))
    data, _content = _export(pf, file_format="json")
    cannabis = next(r for r in data["tables"][0]["rows"] if r["key"] == "cannabis")
    assert cannabis["cells"]["w3_no_action"] == 5


def test_outcomes_follow_the_route() -> None:
    assert outcome_of("department", "b") == "w3_department" and outcome_of("department", "d") == "w4_department"
    assert outcome_of("riec", "c") == "w3_riec" and outcome_of("riec", "d") == "w4_riec"
    assert outcome_of("qualified", "") == "open" and outcome_of("case_closed", "d") == "case_closed"


def test_bad_periods_are_refused(pf: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        publication_export(acting=pf, start=date(2026, 2, 1), end=date(2026, 1, 1), file_format="xlsx")
    assert {"to", "format"} <= set(exc.value.message_dict)


def test_page_api_and_download(figures: dict[str, Any], users: Any, client: Any) -> None:
    client.force_login(users["regisseur"])
    today = date.today()
    query = f"start={today - timedelta(days=30)}&end={today}"
    page = client.get(f"/governance/publication?{query}")
    assert page.status_code == 200 and "W3 (a)" in page.content.decode()
    download = client.get(f"/governance/publication?{query}&format=csv")
    assert download["Content-Type"].startswith("text/csv") and download["Content-Disposition"].startswith("attachment")
    api = client.get(f"/api/v1/governance/publication?from={today - timedelta(days=30)}&to={today}")
    assert api.status_code == 200 and api.json()["min_count"] == 5
    assert client.get(f"/api/v1/governance/publication?from={today}&to={today}&format=csv")["Content-Type"].startswith(
        "text/csv"
    )
    bad = client.get("/api/v1/governance/publication?from=gisteren&to=2026-01-01")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


# The processing register ------------------------------------------------------------------------------


def test_register_is_generated_from_the_configuration(users: Any, client: Any, new_signal: Any) -> None:
    from weerbaar.governance.register import register_generate
    from weerbaar.sources.models import Source

    new_signal("received")
    Source.objects.filter(slug="brp").update(retention_days=17)
    data, content = register_generate(acting=actor(users["administrator"], "administrator"), file_format="json")
    brp = next(s for s in data["sources"] if s["code"] == "brp")
    assert brp["retention_days"] == 17 and brp["law"].startswith("Wet basisregistratie personen")
    assert {r["code"] for r in data["recipients"]} >= {"regisseur", "privacyfunctionaris", "riec_liaison"}
    assert any(t["state"] == "no_action" and t["months"] == 12 for t in data["retention"]["signal_terms"])
    assert data["retention"]["case_monitoring_months"] == 12
    assert "intake" in {p["purpose"] for p in data["purposes_in_audit"]}
    assert json.loads(content) == data
    _data, html = register_generate(acting=actor(users["administrator"], "administrator"), file_format="html")
    assert b"<!DOCTYPE html>" in html and b"Basisregistratie Personen" in html
    client.force_login(users["administrator"])
    assert "Basisregistratie Personen" in client.get("/governance/register").content.decode()
    assert client.get("/governance/register?format=json").json()["controller"]
    assert client.get("/api/v1/governance/register").json()["sources"]
    assert AuditEvent.objects.filter(action="governance:register:generate").count() >= 4
