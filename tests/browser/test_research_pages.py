# SPDX-License-Identifier: EUPL-1.2
"""The step 3 pages in headless Chromium: each role's page passes axe, and a source owner decides
with the browser (no script needed: the forms are plain HTML under the CSP)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_signal_flow import sign_in, sign_out
from tests.conftest import actor
from tests.matching.conftest import index_dir, load_source  # noqa: F401  (fixtures used by `sources`)
from tests.research.conftest import sources  # noqa: F401  (fixture)
from tests.research.helpers import approve_sources, request_pc1
from weerbaar.research import services
from weerbaar.research.models import ContentDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_research_pages_pass_axe_and_the_owner_decides(
    page: Any,
    live_server: Any,
    users: Any,
    new_signal: Any,
    sources: Any,  # noqa: F811
) -> None:
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    signal = new_signal("research")
    approve_sources(users, signal.pk, ["vth", "brp"])
    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    vth = next(q for q in services.run_queries(acting=team, signal_id=signal.pk).queries if q.source.slug == "vth")
    request = services.content_request(acting=team, query_id=vth.pk, fields=["date", "summary"], reasons="Voor W4.")
    pc1 = request_pc1(users, signal.pk, ["permits", "bibob"])
    violations: dict[str, int] = {}

    sign_in(page, base, "ondermijningsteam")
    page.goto(f"{base}/signals/{signal.pk}/research")
    violations["research page"] = Axe().run(page).violations_count
    sign_out(page)

    sign_in(page, base, "privacyfunctionaris")
    page.goto(f"{base}/research/pc1/{pc1.pk}")
    violations["privacy check 1"] = Axe().run(page).violations_count
    sign_out(page)

    sign_in(page, base, "source_owner")
    page.goto(f"{base}/research/tasks")
    violations["tasks"] = Axe().run(page).violations_count
    page.click(f"a[href='/research/content/{request.pk}']")
    violations["content decision"] = Axe().run(page).violations_count
    page.check("input[name=approve][value=yes]")
    page.check("input[name=fields_approved][value=summary]")
    page.fill("#id_reasons", "Akkoord.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/research/tasks")
    sign_out(page)

    sign_in(page, base, "ondermijningsteam")
    page.goto(f"{base}/research/content/{request.pk}/answer")
    assert "Hennepgeur geconstateerd" in page.content()
    violations["content answer"] = Axe().run(page).violations_count

    assert ContentDecision.objects.get().approved_fields == ["summary"]
    assert violations == dict.fromkeys(violations, 0), violations
    assert not dialogs
