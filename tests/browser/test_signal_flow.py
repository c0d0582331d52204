# SPDX-License-Identifier: EUPL-1.2
"""A newcomer takes a signal from intake to a W3 decision in the browser; the main pages pass axe."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page: Any) -> None:
    page.click("header form[action='/accounts/logout'] button")


def test_intake_qualify_weigh_timeline(page: Any, live_server: Any, users: Any) -> None:
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # 1. A department officer reports a signal.
    sign_in(page, base, "department_officer")
    page.click("text=Nieuw signaal")
    page.fill("#id_description", "Geblindeerde ramen <script>alert(1)</script> en ventilatiegeluid.")
    page.fill("#id_location_area", "Haven-Oost")
    page.check("input[name=phenomena][value=cannabis]")
    page.select_option("#id_subject-0-kind", "person")
    assert page.is_hidden("#id_subject-0-kvk_number")  # only the person's fields show
    page.fill("#id_subject-0-surname", "Fictief")
    page.fill("#id_subject-0-postcode", "12")  # invalid: message beside the field, nothing lost
    page.click("main button[type=submit]")
    assert "postcode" in page.inner_text("#id_subject-0-postcode_error").lower()
    assert page.input_value("#id_description").startswith("Geblindeerde ramen")
    page.fill("#id_subject-0-postcode", "9999 ZZ")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/signals/*")
    reference = page.inner_text("h1").split()[-1]
    assert reference.startswith("S-")
    signal_url = page.url
    sign_out(page)

    # 2. The regisseur qualifies it.
    sign_in(page, base, "regisseur")
    assert reference in page.inner_text("main")  # in the work queue
    page.goto(signal_url)
    page.click("a[href$='/qualify']")
    page.check("#ci_a_involvement")
    page.check("#ci_r_blinded_windows")
    page.check("input[name=w1][value=yes]")
    page.check("input[name=w2a][value=yes]")
    page.check("input[name=w2b][value=yes]")
    page.fill("#id_reasons", "Lokale verankering: pand; rode vlag: geblindeerde ramen.")
    page.click("main button[type=submit]")
    page.wait_for_url(signal_url)
    assert "Gekwalificeerd" in page.inner_text(".wb-dl")
    sign_out(page)

    # 3. The ondermijningsteam weighs it and chooses source research.
    sign_in(page, base, "ondermijningsteam")
    page.goto(signal_url)
    page.click("a[href$='/weigh']")
    for code in ("concreteness", "recency", "coverage", "reliability", "seriousness"):
        page.check(f"input[name=score_{code}][value='2']")
        page.fill(f"#id_explanation_{code}", f"Toelichting {code}.")
    page.check("input[name=route][value=d]")
    page.fill("#id_reasons", "Voldoende concreet voor bronnenonderzoek.")
    page.click("main button[type=submit]")
    page.wait_for_url(signal_url)

    # 4. The timeline shows the whole path, who decided, in which role.
    timeline = page.inner_text(".wb-timeline")
    for expected in (
        "Ontvangen",
        "Gekwalificeerd",
        "Bronnenonderzoek",
        "regisseur (regisseur)",
        "ondermijningsteam (ondermijningsteam)",
        "Toelichting seriousness.",
    ):
        assert expected in timeline, expected
    assert dialogs == []  # the script in the description never ran


@pytest.mark.parametrize("path", ["/accounts/login", "/", "/signals", "/signals/new", "detail", "/sources"])
def test_main_pages_have_no_serious_accessibility_violations(
    page: Any, live_server: Any, users: Any, new_signal: Any, path: str
) -> None:
    base = live_server.url
    if path != "/accounts/login":
        sign_in(page, base, "regisseur")
    if path == "detail":
        path = f"/signals/{new_signal('research').pk}"
    page.goto(base + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, results.generate_report()


def test_the_list_filters_as_you_type(page: Any, live_server: Any, users: Any, new_signal: Any) -> None:
    """Progressive enhancement with htmx: the results update without a page load; the URL follows."""
    research = new_signal("research")
    received = new_signal("received", location_area="Centrum")
    base = live_server.url
    sign_in(page, base, "regisseur")
    page.goto(f"{base}/signals")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.select_option("#id_state", "research")
    page.wait_for_url("**state=research**")
    results = page.inner_text("#results")
    assert f"S-{research.pk:06d}" in results and f"S-{received.pk:06d}" not in results
    assert errors == []  # no CSP violation or script error


def test_the_regisseur_finds_the_source_catalogue_in_the_navigation(page: Any, live_server: Any, users: Any) -> None:
    """The catalogue says per source what may be asked of it; it never shows a record."""
    base = live_server.url
    sign_in(page, base, "regisseur")
    page.click("nav >> text=Bronnen")
    page.wait_for_url("**/sources")
    text = page.inner_text("main")
    assert "Basisregistratie Personen" in text and "Wet Bibob" in text
