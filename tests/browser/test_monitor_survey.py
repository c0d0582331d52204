# SPDX-License-Identifier: EUPL-1.2
"""The monitor in headless Chromium: a researcher opens a wave, a municipality fills in the
questionnaire with its personal link across pages (routing brings up questions, a wrong answer is
refused with a message), submits, and after closing opens its benchmark sheet. The pages pass axe.
No script is needed anywhere: the forms are plain HTML under the CSP."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_signal_flow import sign_in, sign_out
from tests.monitor.conftest import SMALL_CODEBOOK
from weerbaar.accounts.authz import system_actor
from weerbaar.monitor.codebook import import_codebook
from weerbaar.monitor.models import Municipality, Response, ResponseStatus, Wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AMSTERDAM = "GM0363"


def at(tab: Any, url: str) -> None:
    """Wait for ``url``; a fragment the page had (a link of the error summary) may stay on."""
    tab.wait_for_url(re.compile(re.escape(url) + r"(#.*)?$"))


def _serious(tab: Any) -> list[str]:
    results = Axe().run(tab)
    return [v["id"] for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


def test_a_wave_from_opening_to_the_benchmark_sheet(page: Any, live_server: Any, make_user: Any) -> None:
    base = live_server.url
    make_user("researcher", "researcher")
    codebook = import_codebook(
        acting=system_actor("monitor-test", origin="test"), content=SMALL_CODEBOOK.encode(), name="klein.yaml"
    ).codebook
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    violations: dict[str, list[str]] = {}

    # 1. The researcher creates the wave and opens it; the links are shown once.
    sign_in(page, base, "researcher")
    page.goto(f"{base}/monitor")
    page.click("text=Nieuwe meting")
    page.fill("#id_year", "2022")
    page.select_option("#id_codebook_version", str(codebook.version))
    page.fill("#id_closes_on", (date.today() + timedelta(days=21)).isoformat())
    page.fill("#id_title", "Meting 2022 (browsertest)")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/monitor/waves/2022")
    violations["wave (draft)"] = _serious(page)
    page.fill("#id_contacts", f"{AMSTERDAM};oov@amsterdam.example")
    page.check("#id_confirm")
    page.click("text=Open en nodig uit")
    page.wait_for_selector("#links")
    link = page.inner_text(f"#links tr[data-code='{AMSTERDAM}'] code")
    assert link.startswith(f"{base}/monitor/survey/")
    assert page.locator("#links tbody tr").count() == 345
    sign_out(page)

    # 2. The municipality answers with its link, without an account.
    page.goto(link)
    assert "Vragenlijst voor de gemeente" in page.inner_text("main")
    violations["overview"] = _serious(page)
    page.click("text=Beginnen")
    at(page, f"{link}/administrative")
    assert page.locator("input[name=policy_year]").count() == 0  # routing: not asked yet
    page.check("input[name=has_policy][value='1']")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/administrative")  # the follow-up question appears on the same page
    assert "verdere vragen" in page.inner_text("main")
    page.fill("input[name=policy_year]", "1990")  # below the codebook's minimum of 2000
    page.click("text=Bewaren en verder")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Vul een getal in van 2000 tot en met 2026. U vulde “1990” in." in summary.inner_text()
    assert page.get_attribute("input[name=policy_year]", "aria-invalid") == "true"
    violations["page with an error"] = _serious(page)
    page.click("#error-summary a")  # the summary links to the field
    assert page.evaluate("document.activeElement.name") == "policy_year" or page.url.endswith("#q-policy_year")
    page.fill("input[name=policy_year]", "2015")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/organisational")
    page.fill("input[name=fte]", "2,5")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/cooperation")
    page.check("input[name=satisfaction][value='4']")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/prevention")
    page.check("input[name=orientation][value=mixed]")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/information")
    page.check("input[name=sources][value=brp]")
    page.check("input[name=sources][value=woz]")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/information")  # WOZ ticked: its follow-up question appears
    violations["page with checkboxes"] = _serious(page)
    page.check("input[name=woz_ok][value='1']")
    page.click("text=Bewaren en verder")
    at(page, f"{link}/phenomena")
    page.check("input[name=cannabis][value='1']")
    page.click("text=Bewaren en naar het overzicht")
    at(page, link)
    page.click("text=Mijn antwoorden indienen")
    at(page, link)
    assert "Dank u wel" in page.inner_text("main")
    response = Response.objects.get(municipality_code=AMSTERDAM)
    assert response.status == ResponseStatus.COMPLETE
    assert response.answers == {
        "has_policy": 1,
        "policy_year": 2015,
        "fte": 2.5,
        "satisfaction": 4,
        "orientation": "mixed",
        "sources": ["brp", "woz"],
        "woz_ok": 1,
        "cannabis": 1,
    }
    page.goto(f"{link}/benchmark")
    assert "Nog niet beschikbaar" in page.inner_text("main")  # before closing

    # Other large municipalities answer too, so the sheet has figures to compare with.
    wave = Wave.objects.get(year=2022)
    others = Municipality.objects.filter(year=2022, size_class="100k_plus").exclude(cbs_code=AMSTERDAM)
    for index, code in enumerate(others.order_by("cbs_code").values_list("cbs_code", flat=True)[:12]):
        Response.objects.create(
            wave=wave, municipality_code=code, status=ResponseStatus.COMPLETE, answers={"cannabis": index % 2}
        )

    # 3. The researcher closes the wave.
    sign_in(page, base, "researcher")
    page.goto(f"{base}/monitor/waves/2022")
    assert "1 compleet" not in page.inner_text("main")  # 13 complete by now
    assert "13 compleet" in page.inner_text("main")
    violations["progress dashboard"] = _serious(page)
    page.check("#id_confirm")
    page.click("text=De meting sluiten")
    page.wait_for_url(f"{base}/monitor/waves/2022")
    assert "Meting 2022 is gesloten." in page.inner_text("main")
    sign_out(page)

    # 4. The link now opens the benchmark sheet, and no longer the questionnaire.
    page.goto(link)
    assert "Deze vragenlijst is gesloten" in page.inner_text("main")
    page.click("text=Open het benchmarkblad van uw gemeente")
    at(page, f"{link}/benchmark")
    main = page.inner_text("main")
    assert "Benchmarkblad 2022: Amsterdam" in main
    row = page.inner_text("tr[data-item=cannabis]")
    assert "ja" in row and "n=13" in row  # own answer, and the country's 13 respondents
    assert page.locator("tr[data-item=cannabis] td[data-suppressed]").count() == 1  # Amstelland: too few
    violations["benchmark sheet"] = _serious(page)

    # 5. The researcher opens the wave's report from the wave page.
    sign_in(page, base, "researcher")
    page.goto(f"{base}/monitor/waves/2022")
    page.click("main >> text=Rapport")
    at(page, f"{base}/monitor/waves/2022/report")
    report = page.inner_text("main")
    assert page.inner_text("h1") == "Monitor bestuurlijke aanpak — meting 2022"
    assert "–" in report  # cells of fewer than five municipalities are withheld
    violations["report"] = _serious(page)
    sign_out(page)

    assert violations == {key: [] for key in violations}
    # No CSP violation or script error. (Chromium also logs every answer that is not 2xx, such as
    # the 400 of the page with an error and the 410 of the closed questionnaire: those are meant.)
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []
