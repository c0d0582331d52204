# SPDX-License-Identifier: EUPL-1.2
"""One signal through all four steps in headless Chromium, each step by the user of the right role.

Intake (department officer) → W1/W2 (regisseur) → W3 research (ondermijningsteam) → privacy check 1
(privacyfunctionaris) → hit/no-hit queries and a content request (team) → the source owner of the
VTH file's department approves one field → W4 case meeting (team) → team and participants
(regisseur) → privacy check 2A (privacyfunctionaris) → the meeting view per participant → the case
meeting and a closure intervention (regisseur) → 2B (privacyfunctionaris) → start, procedure steps
with due dates and outcome (handhaving officer) → closure (regisseur) → with frozen time past
monitoring + retention, the privacyfunctionaris runs retention on /governance/retention and every
page shows the tombstone, none of the planted text.

The sources are a tiny VTH and BRP snapshot imported through the real import, so the matching
index exists and the queries really hit. Set ``WEERBAAR_SCREENSHOTS=docs/img`` to (re)make the
documentation's screenshots from this walk; without it nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import formats, timezone, translation

from tests.browser.test_signal_flow import sign_in
from tests.matching.conftest import index_dir, load_source  # noqa: F401  (fixtures: tiny sources + index)
from tests.research.conftest import BRP_ROWS, VTH_ROWS
from tests.research.helpers import ASSESSMENT
from weerbaar.accounts.models import Department, User
from weerbaar.approach.models import Case, Participant
from weerbaar.approach.selectors import case_items
from weerbaar.audit.models import AuditEvent
from weerbaar.research.models import ContentRequest
from weerbaar.signals.models import Signal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("WEERBAAR_SCREENSHOTS", "")

#: Planted text (realistic, as the screenshots show it, and unique): present while the case runs,
#: gone from every page after retention.
DESCRIPTION = "Geblindeerde ramen, constant licht en een sterke hennepgeur bij het pand."
ADDRESS = "Proefweg 1"
PLANTED = {
    "description": DESCRIPTION,
    "address": ADDRESS,
    "subject": "Fictief",
    "pc1 request": "Is de betrokkene bekend bij toezicht en handhaving of in de BRP?",
    "pc1 assessment": "Nodig en evenredig om dit signaal te toetsen.",
    "content request": "Wat is er bij de controle van dit adres vastgesteld?",
    "owner decision": "Alleen de samenvatting: de datum is voor de weging niet nodig.",
    "content": "Hennepgeur geconstateerd",
    "w4": "De hits bevestigen het signaal: eerder hennepgeur vastgesteld op dit adres.",
    "2a": "Need to know: de handhaver en de politie krijgen alleen wat zij voor de sluiting nodig hebben.",
    "meeting": "Besloten: sluiting van het pand voorbereiden volgens het Damoclesbeleid.",
    "intervention": "Drugs aanwezig in de woning: sluiting op grond van art. 13b Opiumwet.",
    "2b exchange": "Adres van het pand en de bestuurlijke rapportage van de politie naar de burgemeester.",
    "2b": "Art. 13b Opiumwet en art. 16 Wpg staan deze uitwisseling toe.",
    "step": "Voornemen per aangetekende brief aan de eigenaar verzonden.",
    "outcome": "Het pand is gesloten en verzegeld.",
    "closure": "Afgerond; de monitoring loopt via de wijkagent.",
}


#: The privacy check 1 assessment as the form asks it (compatibility factors at the top level).
ASSESSMENT_TEXT = {**{k: v for k, v in ASSESSMENT.items() if isinstance(v, str)}, **ASSESSMENT["compatibility"]}


def shot(page: Any, name: str, until: str = "") -> None:
    """A full-page screenshot for docs/img (down to the bottom of ``until`` when given), only when
    asked for: the images change with every run."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        clip = None
        if until:
            box = page.locator(until).first.bounding_box()
            scrolled = page.evaluate("window.scrollY")
            clip = {"x": 0, "y": 0, "width": 1280, "height": box["y"] + scrolled + box["height"] + 24}
        path = Path(SHOTS) / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, clip=clip)
        from PIL import Image  # 128 colours: a third of the size, text as sharp

        with Image.open(path) as image:
            reduced = image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE)
        reduced.save(path, optimize=True)


def main(page: Any) -> str:
    return str(page.inner_text("main"))


def nl_date(day: Any) -> str:
    """A date as the Dutch pages print it (Django's DATE_FORMAT for nl)."""
    with translation.override("nl"):
        return str(formats.date_format(day))


def submit(page: Any, form: str = "main form.wb-form") -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("load")


def tick(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()


class Desks:
    """One browser context per colleague, signed in on first use: each step is done at the desk of
    the person whose role it is (faster than signing in and out for every step). Every page
    records dialogs, script errors, CSP violations and responses of 400 and up."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser, self.base = browser, base
        self.pages: dict[str, Any] = {}
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def __call__(self, username: str) -> Any:
        if username not in self.pages:
            context = self.browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(10000)
            page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
            # Failed loads are caught with their address by the response hook (the console repeats
            # them without one); what remains in the console is script errors and CSP violations.
            page.on("console", lambda m: self._console(m))
            page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            sign_in(page, self.base, username)
            self.pages[username] = page
        return self.pages[username]

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Failed to load" not in message.text:
            self.errors.append(message.text)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()


@pytest.fixture
def desk(browser: Any, live_server: Any) -> Iterator[Desks]:
    """Closed before the live server stops: an open keep-alive connection would outlive it."""
    desks = Desks(browser, live_server.url)
    yield desks
    desks.close()


@pytest.fixture
def people(users: dict[str, User], make_user: Any) -> dict[str, User]:
    """Named colleagues (the screenshots show names): the source owner and the officer who executes
    belong to Toezicht en handhaving, which owns the VTH file; a BRP owner of Burgerzaken."""
    names = {
        "department_officer": ("Mila", "Melder"),
        "regisseur": ("Rik", "Regisseur"),
        "ondermijningsteam": ("Olga", "Onderzoek"),
        "privacyfunctionaris": ("Petra", "Privacy"),
        "source_owner": ("Bram", "Bronhouder"),
    }
    for code, (first, last) in names.items():
        User.objects.filter(pk=users[code].pk).update(first_name=first, last_name=last)
    department = {d.code: d for d in Department.objects.all()}
    for code in ("regisseur", "ondermijningsteam", "privacyfunctionaris"):
        User.objects.filter(pk=users[code].pk).update(department=department["openbare_orde"])
    User.objects.filter(pk=users["department_officer"].pk).update(department=department["vergunningen"])
    User.objects.filter(pk=users["source_owner"].pk).update(department=department["handhaving"])
    officer = make_user("handhaver", "department_officer")
    User.objects.filter(pk=officer.pk).update(
        first_name="Henk", last_name="Handhaver", department=department["handhaving"]
    )
    brp_owner = make_user("brp_owner", "source_owner")
    User.objects.filter(pk=brp_owner.pk).update(department=department["burgerzaken"])
    return {**users, "handhaver": officer, "brp_owner": brp_owner}


def test_one_signal_from_intake_to_destruction(
    desk: Desks,
    live_server: Any,
    people: dict[str, User],
    load_source: Any,  # noqa: F811
) -> None:
    base = live_server.url
    load_source("vth", VTH_ROWS)
    load_source("brp", BRP_ROWS)
    pages: list[tuple[str, str, str]] = []  # (page, url, who saw planted text there): looked at after retention

    # --- Step 1: a department officer reports, the regisseur qualifies ------------------------------------
    page = desk("department_officer")
    page.click("nav >> text=Nieuw signaal")
    page.fill("#id_description", DESCRIPTION)
    page.fill("#id_location_address", f"{ADDRESS}, 9999 ZZ Demodam")
    page.fill("#id_location_area", "Haven-Oost")
    page.check("input[name=phenomena][value=cannabis]")
    for i, person in enumerate((VTH_ROWS[0], {"given_names": "Piet", "surname": "Nergensbekend"})):
        page.select_option(f"#id_subject-{i}-kind", "person")
        page.fill(f"#id_subject-{i}-given_names", person["given_names"])
        page.fill(f"#id_subject-{i}-surname", person["surname"])
    page.fill("#id_subject-0-date_of_birth", "1980-02-03")
    page.fill("#id_subject-0-postcode", "9999 ZZ")
    page.fill("#id_subject-1-date_of_birth", "1955-05-05")
    submit(page, "main form")
    page.wait_for_url(f"{base}/signals/*")
    reference = page.inner_text("h1").split()[-1]
    signal_url = page.url
    signal = Signal.objects.get(pk=int(signal_url.rstrip("/").rsplit("/", 1)[-1]))
    assert "Ontvangen (wacht op kwalificatie)" in page.inner_text(".wb-dl")

    page = desk("regisseur")
    page.goto(signal_url)
    page.click("a[href$='/qualify']")
    page.check("#ci_a_involvement")
    page.check("#ci_r_blinded_windows")
    for name in ("w1", "w2a", "w2b"):
        page.check(f"input[name={name}][value=yes]")
    page.fill("#id_reasons", "Lokale verankering: het pand; rode vlag: geblindeerde ramen.")
    submit(page, "main form")
    page.wait_for_url(signal_url)
    assert "Gekwalificeerd (wacht op weging)" in page.inner_text(".wb-dl")

    # --- Step 2: the ondermijningsteam weighs: source research ------------------------------------------
    page = desk("ondermijningsteam")
    page.goto(signal_url)
    page.click("a[href$='/weigh']")
    for code, explanation in (
        ("concreteness", "Adres en waarnemingen zijn concreet."),
        ("recency", "Waarnemingen van deze maand."),
        ("coverage", "Past in de fenomeenanalyse hennepteelt."),
        ("reliability", "Melding van een eigen medewerker."),
        ("seriousness", "Mogelijk grootschalige teelt in een woonwijk."),
    ):
        page.check(f"input[name=score_{code}][value='2']")
        page.fill(f"#id_explanation_{code}", explanation)
    page.check("input[name=route][value=d]")
    page.fill("#id_reasons", "Concreet en recent: bronnenonderzoek.")
    submit(page, "main form")
    page.wait_for_url(signal_url)
    assert "Bronnenonderzoek (stap 3)" in page.inner_text(".wb-dl")

    # --- Step 3: privacy check 1 asked by the team ---------------------------------------------------------
    page.click("main .wb-actions >> text=Bronnenonderzoek")
    research_url = f"{base}/signals/{signal.pk}/research"
    page.wait_for_url(research_url)
    assert "Er is nog geen privacytoets 1 aangevraagd." in main(page)
    assert "Bevragingen uitvoeren" not in main(page)  # no query without an approved check
    pc1_form = "form[action$='/research/pc1']"
    for slug in ("vth", "brp", "bibob"):
        page.check(f"{pc1_form} input[name=sources][value={slug}]")
    page.fill(f"{pc1_form} textarea[name=reasons]", PLANTED["pc1 request"])
    submit(page, pc1_form)
    assert "Privacytoets 1 is aangevraagd." in main(page)
    assert "wacht op een besluit" in main(page)

    # ... decided per source by the privacyfunctionaris, from her work list
    page = desk("privacyfunctionaris")
    page.click("nav >> text=Toetsen en verzoeken")
    page.click(f"main a:text-is('{reference}')")
    page.wait_for_url(f"{base}/research/pc1/*")
    pc1_url = page.url
    assert "kan alleen worden geweigerd" in page.inner_text("fieldset:has-text('Bibob-dossiers')")
    for slug in ("vth", "brp"):
        page.check(f"input[name={slug}-outcome][value=approved]")
        for field in (
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
        ):
            page.fill(f"textarea[name={slug}-{field}]", ASSESSMENT_TEXT[field])
        page.fill(f"textarea[name={slug}-reasons]", PLANTED["pc1 assessment"])
    page.check("input[name=bibob-outcome][value=refused]")
    page.fill("textarea[name=bibob-reasons]", "Uitgesloten: art. 28 Wet Bibob.")
    shot(page, "privacytoets-1", until="fieldset:has-text('Bibob-dossiers')")
    submit(page, "main form")
    page.wait_for_url(pc1_url)
    assert "Privacytoets 1 is vastgelegd." in main(page)
    assert main(page).count("Huidig besluit: Goedgekeurd") == 2
    assert "Huidig besluit: Geweigerd" in main(page)
    pages.append(("privacy check 1", pc1_url, "privacyfunctionaris"))

    # --- Queries: Jan hits in both sources, Piet in neither; a no-hit shows nothing more ---------------------
    page = desk("ondermijningsteam")
    page.goto(research_url)
    page.click("form[action$='/research/queries'] button[type=submit]")
    page.wait_for_url(f"{research_url}#queries")
    assert "Bevragingen uitgevoerd (4 antwoorden)" in main(page)
    rows = page.locator("#queries tbody tr")
    assert rows.count() == 4
    answers = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(4)]
    by_status = sorted((a[0], a[1], a[3]) for a in answers)
    assert by_status == [
        ("Basisregistratie Personen (BRP)", "Geen hit", ""),
        ("Basisregistratie Personen (BRP)", "Hit", "Inhoud vragen"),
        ("Toezicht en handhaving (VTH)", "Geen hit", ""),
        ("Toezicht en handhaving (VTH)", "Hit", "Inhoud vragen"),
    ], by_status
    piet = page.locator("#queries tbody tr", has_text="Nergensbekend")
    assert "Fictief" not in piet.first.inner_text()
    assert PLANTED["content"] not in page.content()  # a hit shows no content, only the one bit
    shot(page, "bronnenonderzoek")

    # --- A content request on the VTH hit; no content before the owner approves ---------------------------
    page.locator("#queries tbody tr", has_text="Toezicht en handhaving (VTH)").locator(
        "text=Inhoud vragen"
    ).first.click()
    page.wait_for_url(f"{base}/research/queries/*/content")
    page.check("input[name=fields_wanted][value=date]")
    page.check("input[name=fields_wanted][value=summary]")
    page.fill("textarea[name=reasons]", PLANTED["content request"])
    submit(page)
    page.wait_for_url(f"{research_url}#content")
    content_row = page.locator("#content tbody tr").first
    assert "wacht op de bronhouder" in content_row.inner_text()
    assert content_row.locator("text=Antwoord lezen").count() == 0
    assert PLANTED["content"] not in page.content()
    answer_url = f"{base}/research/content/{ContentRequest.objects.get(query__signal=signal).pk}/answer"
    page.goto(answer_url)  # straight to the answer's address: refused, with the reason
    assert "De bronhouder heeft dit verzoek nog niet goedgekeurd; er is geen inhoud om te tonen." in main(page)
    assert PLANTED["content"] not in page.content()

    # The BRP owner (Burgerzaken) is not asked; the VTH owner (Toezicht en handhaving) is.
    page = desk("brp_owner")
    page.click("nav >> text=Toetsen en verzoeken")
    assert reference not in main(page)
    page = desk("source_owner")
    page.click("nav >> text=Toetsen en verzoeken")
    page.click(f"main a:text-is('{reference}')")
    page.wait_for_url(f"{base}/research/content/*")
    owner_page = main(page)
    assert PLANTED["content request"] in owner_page and DESCRIPTION not in owner_page  # never the signal
    page.check("input[name=approve][value=yes]")
    page.check("input[name=fields_approved][value=summary]")  # the date is not needed: refused
    page.fill("textarea[name=reasons]", PLANTED["owner decision"])
    submit(page)
    page.wait_for_url(f"{base}/research/tasks")
    assert "Uw besluit is vastgelegd." in main(page)

    page = desk("ondermijningsteam")
    page.goto(research_url)
    content_row = page.locator("#content tbody tr").first
    assert "Goedgekeurd" in content_row.inner_text() and "Samenvatting" in content_row.inner_text()
    content_row.locator("text=Antwoord lezen").click()
    page.wait_for_url(f"{base}/research/content/*/answer")
    table = page.inner_text("main table")
    assert PLANTED["content"] in table and "2025-03-01" not in table  # only the approved field
    pages.append(("content answer", page.url, "ondermijningsteam"))
    read = AuditEvent.objects.filter(action="research:content:read", result="success").get()
    assert read.actor_label == "ondermijningsteam" and reference in read.purpose  # audited with its purpose

    # --- W4: confirmed, to the municipal case meeting -----------------------------------------------------
    page.goto(research_url)
    w4_form = "form[action$='/research/w4']"
    page.check(f"{w4_form} input[name=confirmed][value=yes]")
    page.check(f"{w4_form} input[name=outcome][value=case]")
    page.fill(f"{w4_form} textarea[name=reasons]", PLANTED["w4"])
    submit(page, w4_form)
    page.wait_for_url(signal_url)
    assert "W4 is vastgelegd." in main(page)
    assert "Casus: aanpak (stap 4)" in page.inner_text(".wb-dl")
    pages.append(("source research", research_url, "ondermijningsteam"))

    # --- Step 4: the regisseur sets up the case ---------------------------------------------------------
    case = Case.objects.get(signal=signal)
    case_url = f"{base}/cases/{case.pk}"
    page = desk("regisseur")
    page.click("nav >> text=Casussen")
    page.click(f"main a:text-is('{case.reference}')")
    page.wait_for_url(case_url)
    assert "Open: voorbereiding casusoverleg" in page.inner_text(".wb-dl")
    assert "Olga Onderzoek" in page.inner_text(".wb-dl")  # W4's decider is the first team member
    page.click("text=Casusteam")
    page.select_option("#id_user", label="Henk Handhaver (Toezicht en handhaving)")
    submit(page)
    page.wait_for_url(case_url)
    for user, organisation, function in (
        ("Olga Onderzoek (Openbare orde en veiligheid)", "", "ondermijningsteam"),
        ("Henk Handhaver (Toezicht en handhaving)", "", "toezichthouder"),
        ("", "Politie Eenheid Noord-Holland", "wijkagent"),
    ):
        page.click("text=Deelnemer toevoegen")
        if user:
            page.select_option("#id_user", label=user)
        page.fill("#id_organisation", organisation)
        page.fill("#id_function", function)
        submit(page)
        page.wait_for_url(case_url)
        assert "De deelnemer is toegevoegd." in main(page)
    assert "Casusoverleg vastleggen" not in page.inner_text(".wb-actions")  # 2A comes first

    # --- Privacy check 2A: a share matrix per participant ------------------------------------------------
    with translation.override("nl"):
        label = {item.key: item.label for item in case_items(case)}
        who = {p.function: p.label for p in Participant.objects.filter(case=case)}
    subjects = list(signal.subjects.order_by("id"))
    jan_vth = next(k for k, v in label.items() if k.startswith("query:") and "VTH" in v and "betrokkene 1" in v)
    content_key = next(k for k in label if k.startswith("content:"))
    cells = {
        "ondermijningsteam": [
            "signal:description",
            "signal:location",
            f"subject:{subjects[0].pk}",
            jan_vth,
            content_key,
        ],
        "toezichthouder": ["signal:location", f"subject:{subjects[0].pk}"],
        "wijkagent": ["signal:location"],
    }
    page = desk("privacyfunctionaris")
    page.goto(case_url)
    page.click("main .wb-actions >> text=Privacytoets 2A")
    for function, keys in cells.items():
        for key in keys:
            tick(page, f"{label[key]} — {who[function]}")
    page.fill("#id_reasons", PLANTED["2a"])
    submit(page)
    page.wait_for_url(case_url)
    assert "Privacytoets 2A is vastgelegd." in main(page)

    # The meeting view shows each participant exactly their cells.
    page = desk("handhaver")
    page.goto(f"{case_url}/meeting")
    assert page.locator("main dl dt").all_inner_texts() == [label[k] for k in cells["toezichthouder"]]
    text = main(page)
    assert ADDRESS in text and "Fictief" in text
    assert PLANTED["description"] not in text and PLANTED["content"] not in text
    page = desk("ondermijningsteam")
    page.goto(f"{case_url}/meeting")
    assert page.locator("main dl dt").all_inner_texts() == [label[k] for k in cells["ondermijningsteam"]]
    text = main(page)
    assert PLANTED["description"] in text and PLANTED["content"] in text and "Hit" in text
    shot(page, "casusoverleg")
    pages.append(("meeting view", page.url, "ondermijningsteam"))

    # --- The case meeting and the plan: a closure under art. 13b Opiumwet ---------------------------------
    page = desk("regisseur")
    page.goto(case_url)
    page.click("main .wb-actions >> text=Casusoverleg vastleggen")
    for function in ("ondermijningsteam", "toezichthouder", "wijkagent"):
        page.get_by_label(who[function], exact=False).check()
    page.fill("#id_reasons", PLANTED["meeting"])
    submit(page)
    page.wait_for_url(case_url)
    assert "Het casusoverleg is vastgelegd." in main(page)
    page.click("main .wb-actions >> text=Interventie toevoegen")
    page.select_option("#id_instrument", "closure-13b")
    page.select_option("#id_owner_department", "handhaving")
    page.fill("#id_reasons", PLANTED["intervention"])
    submit(page)
    page.wait_for_url(case_url)
    plan = page.locator("main section.wb-criterion").first
    assert "Gepland: nog niet gestart (eerst privacytoets 2B)" in plan.inner_text()
    assert "Interventie starten" not in plan.inner_text()

    # --- Privacy check 2B for the intervention ----------------------------------------------------------
    page = desk("privacyfunctionaris")
    page.goto(case_url)
    page.click("text=Privacytoets 2B beslissen")
    page.fill("#id_exchange", PLANTED["2b exchange"])
    page.fill("#id_legal_basis", "art. 13b Opiumwet")
    page.check("input[name=allowed][value=yes]")
    tick(page, label[f"subject:{subjects[0].pk}"])
    page.fill("#id_reasons", PLANTED["2b"])
    submit(page)
    page.wait_for_url(case_url)
    assert "toegestaan — art. 13b Opiumwet" in page.locator("main section.wb-criterion").first.inner_text()

    # --- The handhaving officer executes: steps with due dates, then the outcome -------------------------
    page = desk("handhaver")
    page.goto(case_url)
    page.click("text=Interventie starten")
    page.wait_for_url(case_url)
    assert "De interventie is gestart" in main(page)
    today = timezone.localdate()
    steps = page.locator("main section.wb-criterion tbody tr")
    assert "Loopt" in page.locator("main section.wb-criterion").first.inner_text()
    due = {steps.nth(i).locator("th").inner_text().split("\n")[0]: steps.nth(i).locator("td").first.inner_text()
           for i in range(steps.count())}  # fmt: skip
    assert due["Bestuurlijke rapportage politie ontvangen"] == "—"
    assert due["Voornemen verzonden"] == nl_date(today + timedelta(days=14))
    assert due["Zienswijze ontvangen of termijn verstreken"] == nl_date(today + timedelta(days=28))
    assert due["Bezwaartermijn verstreken of bezwaar ontvangen"] == nl_date(today + timedelta(days=91))
    for step, notes in (
        ("Bestuurlijke rapportage politie ontvangen", "Rapportage van de politie ontvangen."),
        ("Voornemen verzonden", PLANTED["step"]),
    ):
        steps.filter(has_text=step).locator("text=Afronden").click()
        page.fill("#id_notes", notes)
        submit(page)
        page.wait_for_url(case_url)
        assert "De stap is afgerond." in main(page)
    row = page.locator("main section.wb-criterion tbody tr", has_text="Voornemen verzonden")
    assert "handhaver" in row.inner_text()  # decisions name the account
    page.click("text=Uitkomst vastleggen")
    page.check("input[name=outcome][value=effective]")
    page.fill("#id_notes", PLANTED["outcome"])
    submit(page)
    page.wait_for_url(case_url)
    assert "Uitkomst: Toegepast" in main(page)

    # --- The regisseur closes the plan: monitoring, then retention -------------------------------------
    page = desk("regisseur")
    page.goto(case_url)
    page.click("main .wb-actions >> text=Plan sluiten")
    page.fill("#id_reasons", PLANTED["closure"])
    submit(page)
    page.wait_for_url(case_url)
    assert "Gesloten: monitoring" in page.inner_text(".wb-dl")
    case.refresh_from_db()
    signal.refresh_from_db()
    assert case.monitoring_until is not None and signal.destroy_after is not None
    assert f"monitoring tot {nl_date(case.monitoring_until)}" in page.inner_text(".wb-dl")
    shot(page, "casus")
    pages.append(("case", case_url, "regisseur"))
    page.goto(signal_url)
    assert "Casus afgesloten: monitoring, daarna bewaartermijn" in page.inner_text(".wb-dl")
    timeline = page.inner_text(".wb-timeline")
    for expected in (
        "Privacytoets 1",
        "W4",
        f"Casus {case.reference} geopend",
        "Privacytoets 2A",
        "Casusoverleg van",
        "Interventie gekozen",
        "Privacytoets 2B toegestaan",
        "Stap afgerond: Voornemen verzonden",
        "Toegepast",
        "Plan van aanpak gesloten",
        PLANTED["closure"],
    ):
        assert expected in timeline, expected
    shot(page, "casus-tijdlijn")
    pages.append(("signal", signal_url, "regisseur"))
    pages.append(("signal", signal_url, "ondermijningsteam"))

    # --- Frozen time past monitoring + retention: the privacyfunctionaris runs retention -------------------
    moment = datetime.combine(signal.destroy_after + timedelta(days=1), time(9), tzinfo=timezone.get_current_timezone())
    desk.close()  # the sessions would have expired long since: everyone signs in again
    with time_machine.travel(moment, tick=True):
        page = desk("privacyfunctionaris")
        page.click("nav >> text=Privacy en bewaren")
        page.wait_for_url(f"{base}/governance")
        shot(page, "privacy-en-bewaren")
        page.click("main >> text=Bewaartermijn")
        due_signals = page.locator("section", has_text="Signalen (met alles uit stap 3-4 daarover)")
        assert reference in due_signals.inner_text()
        page.check("#confirm")
        submit(page, "main form")
        assert "1 onderdeel/onderdelen vernietigd; 0 mislukt." in main(page)
        assert reference not in main(page)

        tombstone = "Vernietigd volgens de bewaartermijn; alleen dit restant zonder inhoud is bewaard."
        for username in ("regisseur", "ondermijningsteam", "privacyfunctionaris"):
            page = desk(username)
            for name, url, seen_by in pages:
                if seen_by != username:
                    continue
                response = page.goto(url)
                if username == "privacyfunctionaris":
                    # She reads a signal only while it is checked (research, case): now "not found".
                    assert response.status == 404, name
                    desk.errors.remove(f"404 {url}")
                html = page.content()
                for what, planted in PLANTED.items():
                    assert planted not in html, f"{what} still on the {name} page for {username}"
                if name == "content answer":
                    assert tombstone in main(page)
            if username != "privacyfunctionaris":
                page.goto(signal_url)
                assert tombstone in page.inner_text(".wb-dl")
                assert "Vernietigd (restant zonder inhoud)" in page.inner_text(".wb-dl")
                assert page.locator(".wb-dl dd").nth(-1).inner_text().strip() == "—"  # no subjects left
            if username == "regisseur":
                shot(page, "vernietigd")
                page.goto(case_url)
                assert "Vernietigd (restant zonder inhoud)" in page.inner_text(".wb-dl")

    assert desk.dialogs == [] and desk.errors == [], (desk.dialogs, desk.errors)


def test_step_4_and_governance_pages_pass_axe(
    desk: Desks,
    live_server: Any,
    users: dict[str, User],
    new_signal: Any,
    load_source: Any,  # noqa: F811
) -> None:
    """No serious or critical accessibility violation on the pages of step 4 and governance (step 3's
    pages are checked in tests/research/test_browser.py)."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.governance.flow import to_case
    from weerbaar.approach.models import Intervention, Referral

    load_source("vth", VTH_ROWS)
    case = to_case(users, new_signal)
    intervention = Intervention.objects.get(case=case)
    base = live_server.url
    found: dict[str, list[str]] = {}
    for username, paths in {
        "regisseur": [
            "/cases",
            f"/cases/{case.pk}",
            f"/cases/{case.pk}/participants/new",
            f"/cases/{case.pk}/interventions/new",
            f"/cases/referrals/{Referral.objects.get(case=case).pk}",
            f"/cases/interventions/{intervention.pk}/outcome",
            "/instruments",
        ],
        "ondermijningsteam": [f"/cases/{case.pk}/meeting"],
        "privacyfunctionaris": [
            f"/cases/{case.pk}/privacy-check-2a",
            f"/cases/interventions/{intervention.pk}/privacy-check-2b",
            "/governance",
            "/governance/retention",
            "/governance/requests",
            "/governance/requests/new",
            "/governance/register",
            "/governance/audit",
        ],
    }.items():
        page = desk(username)
        for path in paths:
            page.goto(base + path)
            violations = Axe().run(page).response["violations"]
            serious = [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]
            if serious:
                found[path] = serious
    assert found == {}, found
    assert desk.dialogs == [] and desk.errors == [], (desk.dialogs, desk.errors)
