# SPDX-License-Identifier: EUPL-1.2
"""XSS in steps 3-4 and governance: the payload corpus of ``test_xss.py`` in every free-text field
of research, approach and governance, every page that shows them rendered in Chromium; no dialog
opens, no script runs, no element or handler of a payload reaches the DOM.

One signal per payload is walked through the real services (privacy check 1 with its assessment,
queries with a purpose, a content request and the owner's decision, W4, participants, 2A, the
meeting, an intervention with 2B, a step, a referral with its events, the outcome and closure),
on a VTH snapshot whose records carry the payloads too (they reach the content answer and the
meeting view). Governance: data-subject requests whose requester, notes, restriction and closing
texts are payloads, and the access-log searches. Forms that refuse their input show it again:
those are filled in the browser, each with every payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.test_case_walk import Desks, desk, main  # noqa: F401  (fixture)
from tests.browser.test_xss import PAYLOADS
from tests.conftest import actor
from tests.matching.conftest import index_dir, load_source  # noqa: F401  (fixtures)
from tests.research.conftest import VTH_ROWS
from weerbaar.accounts.models import User
from weerbaar.approach import referral
from weerbaar.approach import services as approach
from weerbaar.approach.models import Case
from weerbaar.approach.selectors import case_items
from weerbaar.governance import requests
from weerbaar.research import services as research

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What a payload that escaped its text would leave in the DOM (the pages' own scripts have a src).
INJECTED = (
    "script:not([src]), iframe, object, embed, img[src='x'], svg[onload], [onerror], [onload], a[href^='javascript:']"
)
#: Every payload at once, for the forms typed in the browser (fits the 200-character fields).
ALL = " ".join(PAYLOADS)
ASSESSMENT = (
    "legal_basis",
    "link",
    "context",
    "nature",
    "consequences",
    "safeguards",
    "necessity",
    "proportionality",
    "subsidiarity",
    "minimisation",
)


@dataclass
class Walked:
    payload: str
    signal: int
    pc1: int
    request: int
    case: int
    intervention: int
    step: int
    referral: int
    open: bool


def walk(users: dict[str, User], new_signal: Any, payload: str, *, close: bool) -> Walked:
    """One signal through steps 3 and 4 with ``payload`` in every free-text field."""
    team = actor(users["ondermijningsteam"], "ondermijningsteam")
    pf = actor(users["privacyfunctionaris"], "privacyfunctionaris")
    regisseur = actor(users["regisseur"], "regisseur")
    signal = new_signal("research", description=payload)
    pc1 = research.pc1_request(acting=team, signal_id=signal.pk, source_slugs=["vth", "bibob"], reasons=payload)
    research.pc1_decide(
        acting=pf,
        pc1_id=pc1.pk,
        decisions=[
            research.SourceDecision("vth", "approved", payload, dict.fromkeys(ASSESSMENT, payload)),
            research.SourceDecision("bibob", "refused", payload),
        ],
    )
    run = research.run_queries(acting=team, signal_id=signal.pk, purpose=payload[:200])
    hit = next(q for q in run.queries if q.status == "hit")
    request = research.content_request(
        acting=team, query_id=hit.pk, fields=["record_type", "status", "summary", "date"], reasons=payload
    )
    research.content_decide(
        acting=actor(users["source_owner"], "source_owner"),
        request_id=request.pk,
        approve=True,
        fields=["record_type", "status", "summary"],
        reasons=payload,
    )
    research.w4_decide(acting=team, signal_id=signal.pk, confirmed=True, outcome="case", reasons=payload)
    case = Case.objects.get(signal=signal)
    colleague = approach.participant_add(
        acting=regisseur,
        case_id=case.pk,
        organisation=payload[:120],
        function=payload[:120],
        user_id=users["ondermijningsteam"].pk,
    )
    riec = approach.participant_add(
        acting=regisseur, case_id=case.pk, organisation=payload[:120], function=payload[:120], is_riec=True
    )
    keys = [item.key for item in case_items(case)]
    approach.matrix_decide(
        acting=pf, case_id=case.pk, cells={key: [colleague.pk, riec.pk] for key in keys}, reasons=payload
    )
    approach.meeting_record(
        acting=regisseur,
        case_id=case.pk,
        held_on=date.today(),
        attendee_ids=[colleague.pk, riec.pk],
        reasons=payload,
    )
    made = approach.intervention_plan(
        acting=regisseur, case_id=case.pk, instrument="closure-13b", owner_department="handhaving", reasons=payload
    )
    approach.check_2b_decide(
        acting=pf,
        intervention_id=made.pk,
        exchange=payload,
        legal_basis=payload[:300],
        allowed=True,
        shared_items=keys,
        reasons=payload,
    )
    approach.intervention_start(acting=regisseur, intervention_id=made.pk)
    steps = list(made.steps.order_by("step__order"))
    approach.step_complete(acting=regisseur, step_id=steps[0].pk, notes=payload)
    package = referral.referral_create(acting=regisseur, case_id=case.pk, reasons=payload)
    referral.referral_event(acting=regisseur, referral_id=package.pk, status="sent", reasons=payload)
    referral.referral_event(acting=regisseur, referral_id=package.pk, status="feedback", reasons=payload)
    if close:
        approach.intervention_outcome(acting=regisseur, intervention_id=made.pk, outcome="effective", notes=payload)
        approach.case_close(acting=regisseur, case_id=case.pk, reasons=payload)
    return Walked(payload, signal.pk, pc1.pk, request.pk, case.pk, made.pk, steps[1].pk, package.pk, not close)


def inert(page: Any, where: str) -> None:
    page.wait_for_load_state("load")
    found = page.locator(INJECTED).count()
    assert found == 0, f"{found} injected element(s) on {where}"


def visit(page: Any, url: str, *, shows: str = "") -> None:
    page.goto(url)
    inert(page, url)
    if shows:
        assert shows in main(page), f"the payload is not shown as text on {url}"


def test_payloads_in_every_field_of_steps_3_4_and_governance_never_execute(
    desk: Desks,  # noqa: F811
    live_server: Any,
    users: dict[str, User],
    new_signal: Any,
    load_source: Any,  # noqa: F811
) -> None:
    base = live_server.url
    jan = VTH_ROWS[0]
    load_source(
        "vth",
        [
            {**jan, "id": f"X{i}", "record_type": payload, "status": payload, "summary": payload}
            for i, payload in enumerate(PAYLOADS)
        ],
    )
    # The last case is closed (its closing texts show); the others stay open, as the privacyfunctionaris
    # reads a signal's privacy check 1 only while it is in research or a running case.
    walked = [walk(users, new_signal, p, close=i == len(PAYLOADS) - 1) for i, p in enumerate(PAYLOADS)]
    first = walked[0]
    pf = actor(users["privacyfunctionaris"], "privacyfunctionaris")
    pending = research.pc1_request(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=new_signal("research", description=first.payload).pk,
        source_slugs=["permits"],
        reasons=first.payload,
    )  # left open: its form is filled in the browser below
    about_jan = requests.dsr_create(
        acting=pf,
        data=requests.RequestInput(
            kind="access",
            received_on=date.today(),
            requester={"given_names": "Jan", "surname": "Fictief", "date_of_birth": "1980-02-03"},
            notes=first.payload,
        ),
    )
    for w in walked[:2]:
        requests.dsr_restrict(
            acting=pf, request_id=about_jan.pk, item=f"signals.signal:{w.signal}", ground="uavg_41", reasons=w.payload
        )
    dsrs = [about_jan.pk]
    for i, payload in enumerate(PAYLOADS):
        text = payload[:200]
        made = requests.dsr_create(
            acting=pf,
            data=requests.RequestInput(
                kind="objection",
                received_on=date.today(),
                requester={
                    **dict.fromkeys(("given_names", "surname_prefix", "surname", "street", "city", "contact"), text),
                    "house_number_addition": text,
                    "date_of_birth": "1970-01-01",
                },
                notes=payload,
            ),
        )
        if i % 2:
            requests.dsr_close(acting=pf, request_id=made.pk, outcome="refused", reasons=payload)
        dsrs.append(made.pk)

    # --- The pages of every role -------------------------------------------------------------------------
    page = desk("ondermijningsteam")
    for url in ("/", "/research/tasks", "/cases", "/cases/notifications"):
        visit(page, base + url)
    for w in walked:
        visit(page, f"{base}/signals/{w.signal}", shows=w.payload)
        visit(page, f"{base}/signals/{w.signal}/research", shows=w.payload)
        visit(page, f"{base}/research/content/{w.request}/answer", shows=w.payload)
        visit(page, f"{base}/cases/{w.case}", shows=w.payload)
        visit(page, f"{base}/cases/{w.case}/meeting", shows=w.payload)

    page = desk("source_owner")
    for url in ("/", "/research/tasks"):
        visit(page, base + url)
    for w in walked:
        visit(page, f"{base}/research/content/{w.request}", shows=w.payload)

    page = desk("regisseur")
    for url in ("/", "/cases", "/signals", "/research/tasks"):
        visit(page, base + url)
    for w in walked:
        visit(page, f"{base}/cases/referrals/{w.referral}", shows=w.payload)
    for path in ("meetings/new", "interventions/new", "referrals/new", "team", "participants/new", "close"):
        visit(page, f"{base}/cases/{first.case}/{path}")
    visit(page, f"{base}/cases/steps/{first.step}/complete")
    visit(page, f"{base}/cases/interventions/{first.intervention}/outcome")

    page = desk("privacyfunctionaris")
    for url in ("/", "/research/tasks", "/governance", "/governance/requests", "/governance/retention"):
        visit(page, base + url)
    for w in walked:
        if w.open:
            visit(page, f"{base}/research/pc1/{w.pc1}", shows=w.payload)
    visit(page, f"{base}/cases/{first.case}/privacy-check-2a")
    for dsr in dsrs:
        visit(page, f"{base}/governance/requests/{dsr}")
    audit = f"{base}/governance/audit"
    visit(page, audit)
    visit(page, f"{audit}/employee?employee=ondermijningsteam")  # the queries' purposes are payloads
    visit(page, f"{audit}/subject?object_type=signals.signal&object_id={first.signal}")
    for w in walked:  # refused searches (400) show the input again
        visit(page, f"{audit}/employee?employee={quote(w.payload)}")
    visit(page, f"{audit}/subject?object_type={quote(ALL[:40])}&object_id={quote(ALL[:64])}")
    # The generated access report (HTML), opened as a file: no CSP protects it, only its escaping.
    _record, report = requests.access_report(acting=pf, request_id=about_jan.pk, file_format="html")
    page.goto("about:blank")
    page.set_content(report.decode())
    assert "Fictief" in page.inner_text("body") and PAYLOADS[2] in page.inner_text("body")
    inert(page, "the access report")

    # --- Refused input shown again in its form, typed in the browser (every payload in every field) ---
    # Privacy check 1: approving without a legal basis is refused; every other text comes back.
    page.goto(f"{base}/research/pc1/{pending.pk}")
    page.check("input[name=permits-outcome][value=approved]")
    for field in (*ASSESSMENT[1:], "reasons"):
        page.fill(f"textarea[name=permits-{field}]", ALL)
    page.click("main form button[type=submit]")
    inert(page, "privacy check 1 refused")
    assert page.input_value("textarea[name=permits-reasons]") == ALL
    # Privacy check 2B: a refused exchange that shares items is refused.
    page.goto(f"{base}/cases/interventions/{first.intervention}/privacy-check-2b")
    page.fill("#id_exchange", ALL)
    page.fill("#id_legal_basis", ALL)
    page.check("input[name=allowed][value=no]")
    page.locator("input[name=shared_items]").first.check()
    page.fill("#id_reasons", ALL)
    page.click("main form button[type=submit]")
    inert(page, "privacy check 2B refused")
    assert page.input_value("#id_exchange") == ALL
    # A data-subject request without anything that identifies.
    page.goto(f"{base}/governance/requests/new")
    for field in ("given_names", "surname_prefix", "street", "house_number_addition", "city", "contact", "notes"):
        page.fill(f"#id_{field}", ALL)
    page.click("main form button[type=submit]")
    inert(page, "data-subject request refused")
    assert page.input_value("#id_notes") == ALL

    assert desk.dialogs == []
    # Refused searches and forms answer 400 with the form and its messages; anything else is a fault.
    refused = (f"400 {base}/governance/audit/", f"400 {base}/governance/requests/new")
    assert [e for e in desk.errors if not e.startswith(refused)] == [], desk.errors
