# SPDX-License-Identifier: EUPL-1.2
"""Demo cases: Demodam's signals walked through steps 3 and 4 and governance, into every phase.

``weerbaar demo`` loads steps 1-2 (``signals.demo_data``) and the fictitious city's registries
(``sources.demo_data``). This module adds what a newcomer needs to see the rest of the protocol:
signals waiting for privacy check 1, decided checks (with a refused source and an excluded one),
hit/no-hit answers (hits, possibles, no-hits), content requests waiting, approved and refused,
every W4 outcome, RIEC referrals with feedback, and cases in every state up to a destroyed one,
plus a data-subject request answered with a restriction.

Why through the services only: the audit trail, the timelines and the work queues of the demo are
then the real ones, and a service that breaks a rule breaks the demo too. Each step acts as the
demo user whose role takes it (``Actor(user, role, origin="demo-data")``).

Subjects are people, companies and addresses of the demo city, so that the queries really hit.
They come from :func:`weerbaar.sources.synthetic.generate_city` with the BRP snapshot's row count
and the same seed as ``load_demo_sources``: the generator is deterministic, so this reproduces the
registries without reading a single source record outside the services.

Time: every service dates its decisions "now". Where the demo needs the past, a service's
``today`` parameter is used where it has one; otherwise a plain ORM update moves a *due or destroy
date* (never a decision row or an audit row), marked "time travel" where it happens.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.authz import Actor, system_actor
from weerbaar.accounts.models import User
from weerbaar.approach import referral as referrals
from weerbaar.approach import services as approach
from weerbaar.approach.models import Case, Intervention, InterventionStep, Participant, Referral
from weerbaar.approach.selectors import case_items
from weerbaar.audit.models import AuditEvent
from weerbaar.governance import requests as dsr
from weerbaar.governance.models import DataSubjectRequest, RequestKind, RequestStatus, RestrictionGround
from weerbaar.governance.retention import retention_run
from weerbaar.research import services as research
from weerbaar.research.models import ContentDecision, ContentRequest, PrivacyCheck1, Query, QueryStatus
from weerbaar.signals.models import (
    Channel,
    ChecklistItem,
    ChecklistKind,
    RetentionTerm,
    Signal,
    Subject,
    WeighingCriterion,
)
from weerbaar.signals.services import SignalInput, signal_create, signal_qualify, signal_weigh
from weerbaar.signals.states import Route, State
from weerbaar.sources.models import Snapshot
from weerbaar.sources.synthetic import City, generate_city

ORIGIN = "demo-data"

#: How many signals go into each phase (``several of each``); the order is the order of creation.
PHASES: dict[str, int] = {
    "pc1_requested": 2,  # research: privacy check 1 asked, not yet decided
    "pc1_decided": 2,  # some sources approved, one refused, the excluded Bibob file refused
    "queried": 2,  # hit/no-hit run: hits, a possible and a no-hit
    "content_waiting": 2,  # a content request waits for the bronhouder
    "content_approved": 2,  # approved, answered, read by the team
    "content_refused": 1,  # refused by the bronhouder
    "w4_stop": 2,  # W4: not confirmed, stopped
    "w4_department": 2,  # W4: departments act on their own powers
    "w4_riec": 2,  # W4: to the RIEC, with a referral sent (and feedback on one)
    "case_open": 2,  # W4: case meeting; the case waits for privacy check 2A
    "case_2a": 2,  # 2A decided for internal and external participants
    "case_meeting": 2,  # meeting held, plan chosen, interventions wait for 2B
    "case_running": 2,  # 2B approved and running (a deadline near, one passed), one 2B refused
    "case_closed": 2,  # every intervention done (a 13b closure, all steps), closed: monitoring
    "case_destroyed": 2,  # closed, past monitoring and retention: destroyed by the retention run
}

#: Observations per signal: description, phenomena, area, red flags (all fictitious).
STORIES: list[tuple[str, list[str], str, list[str]]] = [
    (
        (
            "Bedrijfspand met geblindeerde ramen; buren melden 's nachts ventilatiegeluid en een hennepgeur "
            "(fictieve melding, Demodam)."
        ),
        ["cannabis"],
        "Bedrijventerrein De Proef",
        ["r_blinded_windows", "r_smell", "r_ventilation"],
    ),
    (
        (
            "Horecazaak die zichtbaar verlies draait maar alles contant betaalt; de leidinggevende op de "
            "vergunning is nooit aanwezig (fictieve melding, Demodam)."
        ),
        ["money_laundering"],
        "Centrum",
        ["r_cash", "r_straw_men"],
    ),
    (
        (
            "Woning binnen zes maanden twee keer doorverkocht met een grote waardesprong; de koper is een pas "
            "opgerichte B.V. (fictieve melding, Demodam)."
        ),
        ["real_estate_fraud", "money_laundering"],
        "Demodam-Zuid",
        ["r_abc", "r_value_jump"],
    ),
    (
        (
            "Op het vakantiepark wonen permanent meer mensen in een chalet dan er staan ingeschreven; de huur "
            "wordt contant geïnd (fictieve melding, Demodam)."
        ),
        ["human_trafficking", "holiday_parks"],
        "Vakantiepark Het Verzinsel",
        ["r_cash"],
    ),
    (
        (
            "Schuur in het buitengebied verhuurd aan onbekenden; er staan vaten en er hangt een anijslucht "
            "(fictieve melding, Demodam)."
        ),
        ["synthetic_drugs", "environmental_crime"],
        "Buitengebied Noord",
        ["r_empty_barns", "r_smell"],
    ),
    (
        (
            "Bij een loods worden 's nachts pakketjes geladen en gelost; jongeren worden geronseld als koerier "
            "en er hangen veel camera's (fictieve melding, Demodam)."
        ),
        ["youth_exploitation", "cocaine"],
        "Haven-Oost",
        ["r_cameras", "r_odd_hours"],
    ),
]

#: People in no registry of the city: their queries answer "no-hit".
NOBODIES = [
    ("Piet", "", "Nergensbekend", "1961-04-12"),
    ("Lotte", "van", "Nimmerland", "1988-09-30"),
    ("Sem", "", "Onvindbaar", "1979-01-17"),
]

#: Privacy check 1 per source: the legal basis of the original collection (the other texts of the
#: assessment are the same for every demo source).
LEGAL_BASIS = {
    "brp": "Wet BRP art. 3.2: verstrekking aan organen van de gemeente voor een wettelijke taak.",
    "permits": "Eigen dossiers van burgemeester en college (Alcoholwet, APV, Omgevingswet).",
    "handelsregister": "Handelsregisterwet 2007: openbaar register.",
    "bag": "Wet basisregistratie adressen en gebouwen: openbaar.",
    "vth": "Eigen toezichts- en handhavingsdossiers van het college (Awb titel 5.2).",
    "woz": "AWR art. 67 met het besluit gegevensverstrekking van de heffingsambtenaar: alleen hit/no-hit.",
}
ASSESSMENT = {
    "compatibility": {
        "link": "Handhaving van de openbare orde en bestuurlijke aanpak liggen in het verlengde van het doel.",
        "context": "Gegevens die de gemeente zelf heeft verzameld of die openbaar zijn.",
        "nature": "Geen bijzondere of strafrechtelijke persoonsgegevens (art. 9/10 AVG) in deze bron.",
        "consequences": "Eerst alleen hit/no-hit; inhoud pas na een verzoek dat de bronhouder goedkeurt.",
        "safeguards": "Versleuteld opgeslagen, elke vraag gelogd, alleen het casusteam (need to know).",
    },
    "necessity": "Nodig om te toetsen of de betrokkenen van het signaal bij de gemeente bekend zijn.",
    "proportionality": "Beperkt tot de betrokkenen van dit signaal en deze bron.",
    "subsidiarity": "Geen minder ingrijpende manier om het signaal te toetsen.",
    "minimisation": "Alleen het antwoord hit/no-hit; velden pas op een gemotiveerd verzoek.",
}
#: The fields the team asks of a permit record, and those the bronhouder gives (minimisation).
CONTENT_ASKED = ["record_type", "date", "status", "summary", "street", "house_number"]
CONTENT_GIVEN = ["record_type", "date", "status", "summary"]

EXTERNAL_POLICE = ("Politie Eenheid Demodam (fictief)", "Wijkagent")
EXTERNAL_RIEC = ("RIEC Demodam (fictief)", "Casuscoördinator")

#: Owner department of an intervention → the demo user who executes it, and their role.
EXECUTORS: dict[str, tuple[str, str]] = {
    "handhaving": ("handhaving", "department_officer"),
    "vergunningen": ("vergunningen", "department_officer"),
    "openbare_orde": ("burgemeester", "bestuur"),
}


@dataclass
class _Subjects:
    """The demo city's people, companies and addresses, drawn once, in a seeded order."""

    persons: list[dict[str, str]]
    companies: list[dict[str, str]]
    addresses: list[dict[str, str]]
    used: Counter[str] = field(default_factory=Counter)

    def take(self, kind: str) -> dict[str, str]:
        pool = {"person": self.persons, "company": self.companies, "address": self.addresses}[kind]
        index = self.used[kind] % len(pool)  # a small city may hand out someone twice
        self.used[kind] += 1
        return dict(pool[index])


def _city_subjects(city: City, rng: random.Random) -> _Subjects:
    """People with a permit (so the BRP and the permits file both hit, and the bronhouder gets the
    content request), companies with a permit, and addresses, each list shuffled by the seed."""
    persons = {row[0]: dict(zip(city.persons.columns, row, strict=True)) for row in city.persons.rows}
    companies = {row[1]: dict(zip(city.companies.columns, row, strict=True)) for row in city.companies.rows}
    columns = city.permits.columns
    person_ids: list[str] = []
    kvks: list[str] = []
    for row, subject_id in zip(city.permits.rows, city.permits.subject_ids, strict=True):
        record = dict(zip(columns, row, strict=True))
        if subject_id in persons and record["date_of_birth"] and subject_id not in person_ids:
            person_ids.append(subject_id)
        elif record["kvk_number"] in companies and record["kvk_number"] not in kvks:
            kvks.append(record["kvk_number"])
    rng.shuffle(person_ids)
    rng.shuffle(kvks)
    person_fields = ("given_names", "surname_prefix", "surname", "date_of_birth", "street", "house_number")
    address_fields = ("street", "house_number", "house_number_addition", "postcode", "city")
    people = [
        {k: persons[i][k] for k in (*person_fields, "house_number_addition", "postcode", "city") if persons[i][k]}
        for i in person_ids
    ]
    company_fields = ("kvk_number", "trade_name", "legal_form", *address_fields)
    firms = [{k: companies[kvk][k] for k in company_fields if companies[kvk][k]} for kvk in kvks]
    places = [dict(zip(city.addresses.columns, row, strict=True)) for row in city.addresses.rows]
    rng.shuffle(places)
    addresses = [{k: a[k] for k in address_fields if a[k]} for a in places[:200]]
    if not people or not firms or not addresses:
        raise RuntimeError("The demo registries hold no person or company with a permit: load them first.")
    return _Subjects(persons=people, companies=firms, addresses=addresses)


def _demo_users() -> dict[str, User]:
    names = ["regisseur", "team", "privacy", "bronhouder", "vergunningen", "handhaving", "burgemeester", "riec"]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_demo=True)}
    missing = sorted(set(names) - set(users))
    if missing:
        raise RuntimeError(f"Load the demo data first; missing demo users: {', '.join(missing)}.")
    return users


class _Demo:
    """One run of the demo loader: the users as actors, the subjects, the seeded choices."""

    def __init__(self, rng: random.Random, subjects: _Subjects) -> None:
        self.rng = rng
        self.subjects = subjects
        self.users = _demo_users()
        self.today = timezone.localdate()
        self.regisseur = self.act("regisseur", "regisseur")
        self.team = self.act("team", "ondermijningsteam")
        self.privacy = self.act("privacy", "privacyfunctionaris")
        self.bronhouder = self.act("bronhouder", "source_owner")
        self.riec = self.act("riec", "riec_liaison")
        self.story = 0
        self.checklist = {
            kind: set(ChecklistItem.objects.filter(kind=kind, active=True).values_list("code", flat=True))
            for kind in (ChecklistKind.ANCHORING, ChecklistKind.SIGNALLING, ChecklistKind.RED_FLAG)
        }
        self.criteria = list(WeighingCriterion.objects.filter(active=True).values_list("code", flat=True))

    def act(self, username: str, role: str) -> Actor:
        return Actor(user=self.users[username], role=role, origin=ORIGIN)

    def _first(self, kind: ChecklistKind, preferred: str) -> list[str]:
        """``preferred`` when the checklist holds it, else the first item of ``kind``."""
        items = self.checklist[kind]
        return [preferred] if preferred in items else sorted(items)[:1]

    # Steps 1-2 -------------------------------------------------------------------------------

    def signal(self, extra: Sequence[str] = ("company",), *, known: bool = True) -> Signal:
        """A new signal about a person of the city (``known``) plus ``extra`` subjects
        (``company``, ``address``, ``possible``, ``nobody``), qualified and weighed to source
        research (route d)."""
        description, phenomena, area, flags = STORIES[self.story % len(STORIES)]
        self.story += 1
        person = self.subjects.take("person") if known else {}
        subjects: list[dict[str, Any]] = [{"kind": "person", "data": person}] if known else []
        for kind in extra:
            if kind in ("company", "address"):
                subjects.append({"kind": kind, "data": self.subjects.take(kind)})
            elif kind == "possible":
                # Someone of the city by name, with another date of birth and no address: the
                # sources answer "possible" (a person must verify), never a hit.
                other = self.subjects.take("person")
                born = date.fromisoformat(other["date_of_birth"])
                names = ("given_names", "surname_prefix", "surname")
                moved = born.replace(year=born.year - 3, day=min(born.day, 28)).isoformat()
                subjects.append(
                    {"kind": "person", "data": {**{k: other[k] for k in names if k in other}, "date_of_birth": moved}}
                )
            elif kind == "nobody":
                given, prefix, surname, born_on = NOBODIES[self.story % len(NOBODIES)]
                data = {"given_names": given, "surname_prefix": prefix, "surname": surname, "date_of_birth": born_on}
                subjects.append({"kind": "person", "data": {k: v for k, v in data.items() if v}})
        officer = self.story % 2 == 0
        signal = signal_create(
            acting=self.act("handhaving", "department_officer") if officer else self.regisseur,
            data=SignalInput(
                channel=Channel.DEPARTMENT if officer else self.rng.choice([Channel.POLICE, Channel.MMA, Channel.RIEC]),
                received_on=self.today - timedelta(days=self.rng.randint(20, 120)),
                description=description,
                phenomena=phenomena,
                subjects=subjects,
                location_area=area,
                location_address=f"{person['street']} {person['house_number']}, Demodam" if person else "",
                reporter_anonymous=not officer,
            ),
        )
        # W1 needs an indicator of local anchoring and a signalling one (the municipality's list).
        anchoring = self._first(ChecklistKind.ANCHORING, "a_involvement")
        signalling = self._first(ChecklistKind.SIGNALLING, "s_malafide")
        red = [f for f in flags if f in self.checklist[ChecklistKind.RED_FLAG]]
        signal_qualify(
            acting=self.regisseur,
            signal_id=signal.pk,
            checked_items=[*anchoring, *signalling, *red],
            w1=True,
            w2a=True,
            w2b=True,
            reasons="Lokale verankering en rode vlaggen aanwezig; gemeentelijke taak binnen Demodam.",
        )
        signal_weigh(
            acting=self.team,
            signal_id=signal.pk,
            scores={
                c: (self.rng.randint(2, 3), "Concreet en recent; past in de fenomeenanalyse.") for c in self.criteria
            },
            route=Route.RESEARCH,
            reasons="Voldoende concreet om bronnenonderzoek te doen (route d).",
        )
        return signal

    # Step 3 ----------------------------------------------------------------------------------

    def pc1_request(self, signal: Signal, sources: Sequence[str]) -> PrivacyCheck1:
        return research.pc1_request(
            acting=self.team,
            signal_id=signal.pk,
            source_slugs=list(sources),
            reasons="Nagaan of de betrokkenen bij de gemeente bekend zijn en of het signaal klopt.",
        )

    def pc1(self, signal: Signal, approve: Sequence[str], refuse: Sequence[tuple[str, str]] = ()) -> PrivacyCheck1:
        """Privacy check 1 asked by the team and decided by the privacyfunctionaris."""
        check = self.pc1_request(signal, [*approve, *(slug for slug, _reasons in refuse)])
        decisions = [
            research.SourceDecision(
                source=slug,
                outcome="approved",
                reasons="Verenigbaar, noodzakelijk en proportioneel voor dit signaal.",
                assessment={"legal_basis": LEGAL_BASIS[slug], **ASSESSMENT},
            )
            for slug in approve
        ] + [research.SourceDecision(source=slug, outcome="refused", reasons=reasons) for slug, reasons in refuse]
        return research.pc1_decide(acting=self.privacy, pc1_id=check.pk, decisions=decisions)

    def researched(self, signal: Signal, approve: Sequence[str] = ("brp", "permits", "handelsregister", "bag")) -> None:
        self.pc1(signal, approve)
        research.run_queries(acting=self.team, signal_id=signal.pk)

    def content_request(self, signal: Signal) -> ContentRequest:
        """Ask the bronhouder (Vergunningen) for the permit record of the first hit."""
        query = (
            Query.objects.filter(signal=signal, source__slug="permits", status=QueryStatus.HIT).order_by("id").first()
        )
        if query is None:
            raise RuntimeError(f"{signal.reference}: no hit in the permits file; are the demo registries loaded?")
        return research.content_request(
            acting=self.team,
            query_id=query.pk,
            fields=CONTENT_ASKED,
            reasons="Welke vergunning is er en wat is de status? Nodig om de melding over het pand te toetsen.",
        )

    def content_decide(self, request: ContentRequest, *, approve: bool) -> ContentDecision:
        decision = research.content_decide(
            acting=self.bronhouder,
            request_id=request.pk,
            approve=approve,
            fields=CONTENT_GIVEN if approve else [],
            reasons="Akkoord voor de vergunningsgegevens; het adres is al bekend, dus niet nodig."
            if approve
            else "Geweigerd: het verzoek maakt niet duidelijk waarom de inhoud nodig is naast de hit.",
        )
        if approve:
            answer = decision.answer
            research.content_read(acting=self.team, answer_id=answer.pk)
        return decision

    def w4(self, signal: Signal, outcome: str, departments: Sequence[str] = ()) -> None:
        confirmed = outcome != "stop"
        reasons = {
            "stop": "De bronnen bevestigen het signaal niet: niet in behandeling genomen.",
            "department": "Bevestigd; de vakafdelingen treden op met hun eigen bevoegdheden.",
            "case": "Bevestigd door de hits en de vergunningsgegevens: casusoverleg (stap 4).",
            "riec": "Bevestigd; de signalen wijzen op een netwerk buiten de gemeente: naar het RIEC.",
        }[outcome]
        research.w4_decide(
            acting=self.team,
            signal_id=signal.pk,
            confirmed=confirmed,
            outcome=outcome,
            departments=list(departments),
            reasons=reasons,
        )

    def to_w4(self, outcome: str, departments: Sequence[str] = ()) -> Signal:
        """A signal researched (with an approved content request) and decided by W4."""
        signal = self.signal(extra=("company",))
        self.researched(signal)
        self.content_decide(self.content_request(signal), approve=True)
        self.w4(signal, outcome, departments)
        signal.refresh_from_db()
        return signal

    # Step 4 ----------------------------------------------------------------------------------

    def case(self, outcome: str = "case") -> Case:
        signal = self.to_w4(outcome)
        return Case.objects.get(signal=signal)

    def participants(self, case: Case, *, riec_track: bool = False) -> dict[str, Participant]:
        """Internal colleagues (by account) and external partners (by organisation)."""
        add = approach.participant_add
        made = {"team": add(acting=self.regisseur, case_id=case.pk, organisation="", user_id=self.users["team"].pk)}
        if riec_track:
            approach.team_add(acting=self.regisseur, case_id=case.pk, user_id=self.users["riec"].pk)
            made["riec_user"] = add(
                acting=self.regisseur,
                case_id=case.pk,
                organisation="",
                function="RIEC-contactpersoon",
                user_id=self.users["riec"].pk,
            )
        else:
            for name in ("handhaving", "vergunningen", "burgemeester"):
                approach.team_add(acting=self.regisseur, case_id=case.pk, user_id=self.users[name].pk)
            made["handhaving"] = add(
                acting=self.regisseur, case_id=case.pk, organisation="", user_id=self.users["handhaving"].pk
            )
            made["police"] = add(
                acting=self.regisseur, case_id=case.pk, organisation=EXTERNAL_POLICE[0], function=EXTERNAL_POLICE[1]
            )
        made["riec"] = add(
            acting=self.regisseur,
            case_id=case.pk,
            organisation=EXTERNAL_RIEC[0],
            function=EXTERNAL_RIEC[1],
            is_riec=True,
        )
        return made

    def matrix(self, case: Case, people: dict[str, Participant]) -> None:
        """Privacy check 2A: need to know per participant. The description and the subjects go to
        everyone at the table, query answers to the municipality, content answers to the team."""
        internal = [p.pk for key, p in people.items() if key in ("team", "handhaving", "riec_user")]
        everyone = [p.pk for p in people.values()]
        cells: dict[str, list[int]] = {}
        for item in case_items(case):
            kind = item.key.partition(":")[0]
            if item.key == "signal:description" or kind == "subject":
                cells[item.key] = everyone
            elif item.key == "signal:location" or kind == "query":
                cells[item.key] = internal
            elif kind == "content":
                cells[item.key] = [people["team"].pk]
        approach.matrix_decide(
            acting=self.privacy,
            case_id=case.pk,
            cells=cells,
            reasons="Need to know: partners zien de melding en de betrokkenen; bronantwoorden blijven binnen "
            "de gemeente, de vergunningsgegevens bij het ondermijningsteam.",
        )

    def meeting(self, case: Case, people: dict[str, Participant], decisions: str) -> None:
        approach.meeting_record(
            acting=self.regisseur,
            case_id=case.pk,
            held_on=self.today,
            attendee_ids=[p.pk for p in people.values()],
            reasons=decisions,
        )

    def prepared(self, decisions: str) -> tuple[Case, dict[str, Participant]]:
        """A case with participants, 2A and a meeting held."""
        case = self.case()
        people = self.participants(case)
        self.matrix(case, people)
        self.meeting(case, people, decisions)
        return case, people

    def plan(self, case: Case, instrument: str, department: str, reasons: str) -> Intervention:
        return approach.intervention_plan(
            acting=self.regisseur, case_id=case.pk, instrument=instrument, owner_department=department, reasons=reasons
        )

    def check_2b(self, intervention: Intervention, *, allowed: bool, legal_basis: str, reasons: str) -> None:
        keys = sorted(i.key for i in case_items(intervention.case) if i.key.startswith(("subject:", "signal:")))
        approach.check_2b_decide(
            acting=self.privacy,
            intervention_id=intervention.pk,
            exchange="Naam en adres van de betrokkene en de feiten uit de melding, voor het voornemen en het besluit."
            if allowed
            else "Gegevens uit het sociaal domein over de bewoners, om de maatregel te onderbouwen.",
            legal_basis=legal_basis,
            allowed=allowed,
            shared_items=keys if allowed else [],
            reasons=reasons,
        )

    def executor(self, intervention: Intervention) -> Actor:
        username, role = EXECUTORS[intervention.owner_department.code]
        return self.act(username, role)

    def run(self, intervention: Intervention, *, steps: int | None = 0) -> None:
        """Start the intervention and complete ``steps`` procedure steps in order (None: all)."""
        acting = self.executor(intervention)
        approach.intervention_start(acting=acting, intervention_id=intervention.pk)
        rows = list(InterventionStep.objects.filter(intervention=intervention).order_by("step__order"))
        for row in rows if steps is None else rows[:steps]:
            approach.step_complete(acting=acting, step_id=row.pk, notes="Afgerond volgens de procedure (demo).")

    def done(self, intervention: Intervention, outcome: str = "effective") -> None:
        approach.intervention_outcome(
            acting=self.executor(intervention),
            intervention_id=intervention.pk,
            outcome=outcome,
            notes="Uitgevoerd; het pand en de betrokkenen blijven in de monitoring.",
        )

    def due_in(self, intervention: Intervention, days: int) -> None:
        """Time travel: ``intervention_start`` dates the start today and has no ``today``
        parameter, so the first open step's due date is moved with an ORM update to ``days`` from
        today (negative: passed). Only the due date changes: no decision and no audit row."""
        row = InterventionStep.objects.filter(intervention=intervention, done_at__isnull=True).order_by("step__order")
        first = row.first()
        if first is not None:
            InterventionStep.objects.filter(pk=first.pk).update(due_on=self.today + timedelta(days=days))

    def close(self, case: Case) -> Case:
        return approach.case_close(
            acting=self.regisseur,
            case_id=case.pk,
            reasons="Alle interventies hebben een uitkomst; de monitoring van het pand begint.",
        )


# The phases --------------------------------------------------------------------------------------


def _pc1_requested(demo: _Demo, n: int) -> int:
    signal = demo.signal()
    demo.pc1_request(signal, ["brp", "permits", "vth"])
    return signal.pk


def _pc1_decided(demo: _Demo, n: int) -> int:
    signal = demo.signal()
    demo.pc1(
        signal,
        approve=["brp", "permits", "handelsregister"],
        refuse=[
            ("vth", "Niet noodzakelijk: de vergunningen geven al antwoord op de vraag (subsidiariteit)."),
            ("bibob", "Uitgesloten: Bibob-dossiers zijn geheim (art. 28 Wet Bibob) en geen algemene bron."),
        ],
    )
    return signal.pk


def _queried(demo: _Demo, n: int) -> int:
    # Every kind of answer: hits (the person, the company), a "possible" (a namesake with another
    # date of birth) and no-hits (someone unknown); the WOZ answers hit/no-hit only, ever.
    signal = demo.signal(extra=("company", "possible", "nobody"))
    demo.researched(signal, ["brp", "permits", "handelsregister", "bag", "woz"])
    return signal.pk


def _content_waiting(demo: _Demo, n: int) -> int:
    signal = demo.signal(extra=("address",))
    demo.researched(signal)
    demo.content_request(signal)
    return signal.pk


def _content_approved(demo: _Demo, n: int) -> int:
    signal = demo.signal()
    demo.researched(signal)
    demo.content_decide(demo.content_request(signal), approve=True)
    return signal.pk


def _content_refused(demo: _Demo, n: int) -> int:
    signal = demo.signal()
    demo.researched(signal)
    demo.content_decide(demo.content_request(signal), approve=False)
    return signal.pk


def _w4_stop(demo: _Demo, n: int) -> int:
    # Someone the sources do not know and a namesake of someone they do: a no-hit and a
    # "possible" that nobody could confirm, so W4 stops (not taken into treatment).
    signal = demo.signal(extra=("nobody", "possible"), known=False)
    demo.researched(signal, ["brp", "permits"])
    demo.w4(signal, "stop")
    return signal.pk


def _w4_department(demo: _Demo, n: int) -> int:
    departments = ["handhaving"] if n % 2 else ["vergunningen", "handhaving"]
    return demo.to_w4("department", departments).pk


def _w4_riec(demo: _Demo, n: int) -> int:
    case = demo.case("riec")
    people = demo.participants(case, riec_track=True)
    demo.matrix(case, people)
    made = referrals.referral_create(
        acting=demo.riec,
        case_id=case.pk,
        reasons="Aanmelding voor een integrale casus: vermoedelijk netwerk met vertakkingen buiten Demodam.",
    )
    referrals.referral_event(acting=demo.riec, referral_id=made.pk, status="sent")
    if n % 2:
        return case.signal_id  # this one waits for the RIEC's answer
    referrals.referral_event(acting=demo.riec, referral_id=made.pk, status="accepted")
    referrals.referral_event(
        acting=demo.riec,
        referral_id=made.pk,
        status="feedback",
        reasons="Het RIEC neemt de casus op; politie en Belastingdienst sluiten aan. Volgend overleg over zes weken.",
    )
    return case.signal_id


def _case_open(demo: _Demo, n: int) -> int:
    case = demo.case()
    if n % 2 == 0:
        demo.participants(case)  # the other one has no participants yet at all
    return case.signal_id


def _case_2a(demo: _Demo, n: int) -> int:
    case = demo.case()
    demo.matrix(case, demo.participants(case))
    return case.signal_id


def _case_meeting(demo: _Demo, n: int) -> int:
    case, _people = demo.prepared("Besloten: Bibob-toets op de lopende vergunning en een stopgesprek.")
    demo.plan(case, "bibob", "vergunningen", "Lopende aanvraag van een exploitatievergunning: Bibob-toets.")
    demo.plan(case, "stopgesprek", "openbare_orde", "De burgemeester voert een stopgesprek met de eigenaar.")
    return case.signal_id


def _case_running(demo: _Demo, n: int) -> int:
    first = n % 2 == 0
    case, _people = demo.prepared("Besloten: last onder dwangsom, stopgesprek en een bestuurlijke rapportage.")
    lod = demo.plan(case, "penalty-order", "handhaving", "Strijdig gebruik van het bedrijfspand beëindigen.")
    demo.check_2b(lod, allowed=True, legal_basis="Gemeentewet art. 125; Awb art. 5:32", reasons="Nodig voor de last.")
    demo.run(lod, steps=2)
    if first:
        talk = demo.plan(case, "stopgesprek", "openbare_orde", "Stopgesprek met de huurder van het pand.")
        demo.check_2b(
            talk, allowed=True, legal_basis="Gemeentewet art. 172 (openbare orde)", reasons="Beperkt tot naam en adres."
        )
        demo.run(talk)
        demo.due_in(talk, 4)  # within the warning window: the work queue warns
        report = demo.plan(case, "administrative-report-request", "openbare_orde", "Rapportage bij de politie.")
        demo.check_2b(
            report, allowed=True, legal_basis="Wet politiegegevens art. 19 en 20", reasons="Verstrekking toegestaan."
        )
        demo.run(report)
        demo.due_in(report, -5)  # the deadline has passed: overdue
    else:
        riec = demo.plan(case, "riec-referral", "openbare_orde", "Aanmelden bij het RIEC voor de integrale aanpak.")
        demo.check_2b(
            riec,
            allowed=True,
            legal_basis="RIEC-LIEC-convenant (gegevensdeling in de casus)",
            reasons="Alleen het 2A-pakket.",
        )
        demo.run(riec, steps=1)
        made = referrals.referral_create(
            acting=demo.regisseur, case_id=case.pk, intervention_id=riec.pk, reasons="Aanmelding via het plan."
        )
        referrals.referral_event(acting=demo.regisseur, referral_id=made.pk, status="sent")
    fine = demo.plan(case, "administrative-fine", "handhaving", "Bestuurlijke boete voor de bewoning.")
    demo.check_2b(
        fine,
        allowed=False,
        legal_basis="Wmo 2015 art. 5.2.3 (geheimhouding sociaal domein)",
        reasons="Geweigerd: de onderbouwing vraagt gegevens uit het sociaal domein die de wet niet laat delen.",
    )
    return case.signal_id


def _closed_case(demo: _Demo) -> Case:
    case, _people = demo.prepared("Besloten: sluiting op grond van art. 13b Opiumwet.")
    closure = demo.plan(case, "closure-13b", "openbare_orde", "Drugs aangetroffen in de woning: sluiting (Damocles).")
    demo.check_2b(
        closure,
        allowed=True,
        legal_basis="Opiumwet art. 13b; Wet politiegegevens art. 19 (bestuurlijke rapportage)",
        reasons="De bestuurlijke rapportage en het adres zijn nodig voor het besluit.",
    )
    demo.run(closure, steps=None)
    demo.done(closure)
    return demo.close(case)


def _case_closed(demo: _Demo, n: int) -> int:
    return _closed_case(demo).signal_id


def _case_destroyed(demo: _Demo, n: int) -> int:
    case = _closed_case(demo)
    # Time travel: the case closed today; its monitoring and retention periods are moved into the
    # past with an ORM update of the dates that retention reads (the closure and the audit rows stay
    # as they are), so that the retention run below destroys it as it would after three years.
    months = RetentionTerm.objects.filter(state=State.CASE_CLOSED).values_list("months", flat=True).first()
    destroy_after = demo.today - timedelta(days=1)
    monitoring_until = approach.add_months(destroy_after, -(months or approach.policy().retention_months))
    Case.objects.filter(pk=case.pk).update(monitoring_until=monitoring_until)
    Signal.objects.filter(pk=case.signal_id).update(destroy_after=destroy_after)
    return case.signal_id


PHASE_FUNCTIONS: dict[str, Callable[[_Demo, int], int]] = {
    "pc1_requested": _pc1_requested,
    "pc1_decided": _pc1_decided,
    "queried": _queried,
    "content_waiting": _content_waiting,
    "content_approved": _content_approved,
    "content_refused": _content_refused,
    "w4_stop": _w4_stop,
    "w4_department": _w4_department,
    "w4_riec": _w4_riec,
    "case_open": _case_open,
    "case_2a": _case_2a,
    "case_meeting": _case_meeting,
    "case_running": _case_running,
    "case_closed": _case_closed,
    "case_destroyed": _case_destroyed,
}


def _data_subject_requests(demo: _Demo, made: dict[str, list[int]]) -> None:
    """An access request by a person of a closed case: searched, the case withheld (art. 41
    UAVG), the report made, answered. And one from a person in research, just received."""
    closed = made.get("case_closed") or []
    subject = Subject.objects.filter(signal_id__in=closed[:1], kind="person").order_by("id").first()
    if subject is not None:
        data = dict(subject.data or {})
        names = ("given_names", "surname_prefix", "surname", "date_of_birth", "street", "house_number", "postcode")
        request = dsr.dsr_create(
            acting=demo.privacy,
            data=dsr.RequestInput(
                kind=RequestKind.ACCESS,
                received_on=demo.today - timedelta(days=12),
                requester={k: data[k] for k in names if data.get(k)},
                notes="Identiteit gecontroleerd aan de balie van Demodam (fictief).",
            ),
        )
        dsr.dsr_search(acting=demo.privacy, request_id=request.pk)
        dsr.dsr_restrict(
            acting=demo.privacy,
            request_id=request.pk,
            item=f"approach.case:{Case.objects.get(signal_id=subject.signal_id).pk}",
            ground=RestrictionGround.UAVG_41,
            reasons="De sluiting is in monitoring; inzage in het casusoverleg zou het toezicht doorkruisen "
            "(art. 41 lid 1 onder d UAVG).",
        )
        dsr.access_report(acting=demo.privacy, request_id=request.pk, file_format="json")
        dsr.dsr_close(
            acting=demo.privacy,
            request_id=request.pk,
            outcome=RequestStatus.ANSWERED,
            reasons="Inzageoverzicht verstrekt; één onderdeel is beperkt op grond van art. 41 UAVG.",
        )
    queried = made.get("queried") or []
    person = Subject.objects.filter(signal_id__in=queried[:1], kind="person").order_by("id").first()
    if person is not None:
        data = dict(person.data or {})
        dsr.dsr_create(
            acting=demo.privacy,
            data=dsr.RequestInput(
                kind=RequestKind.ACCESS,
                received_on=demo.today - timedelta(days=2),
                requester={k: data[k] for k in ("given_names", "surname", "date_of_birth") if data.get(k)},
                notes="Per post ontvangen; identiteit nog te controleren (fictief).",
            ),
        )


def demo_case_counts() -> dict[str, int]:
    """What the demo holds of steps 3-4 and governance (for the CLI's summary and the tests)."""
    states = Counter(Signal.objects.values_list("state", flat=True))
    return {
        "pc1": PrivacyCheck1.objects.count(),
        "research": states[State.RESEARCH],
        "stopped": states[State.STOPPED],
        "department": states[State.DEPARTMENT],
        "riec": states[State.RIEC],
        "case": states[State.CASE],
        "case_closed": states[State.CASE_CLOSED],
        "destroyed": states[State.DESTROYED],
        "cases": Case.objects.count(),
        "interventions": Intervention.objects.count(),
        "referrals": Referral.objects.count(),
        "content_requests": ContentRequest.objects.count(),
        "requests": DataSubjectRequest.objects.count(),
    }


def load_demo_cases(*, seed: int = 2026, phases: dict[str, int] | None = None) -> dict[str, int]:
    """Walk new demo signals into every phase of steps 3-4 (``phases``: how many per phase,
    default :data:`PHASES`), warn the deadlines, run retention, and handle data-subject requests.

    Idempotent: once this loader has run (its audit rows say so; they outlive any destruction),
    it does nothing. Needs the demo users (``load_demo_data``) and the registries with their index
    (``load_demo_sources`` with the same ``seed``, then ``build_all``). One transaction: all or
    nothing. Returns :func:`demo_case_counts` and ``signals``, how many signals this call made."""
    if AuditEvent.objects.filter(origin=ORIGIN, action="research:pc1:request").exists():
        return {**demo_case_counts(), "signals": 0}
    snapshot = Snapshot.objects.filter(source__slug="brp", is_current=True).only("row_count").first()
    if snapshot is None:
        raise RuntimeError("Load the demo registries first (load_demo_sources).")
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - reproducible demo data, not a secret
    # load_demo_sources generated the city with this seed and the BRP's number of persons.
    city = generate_city(snapshot.row_count, seed=seed)
    made: dict[str, list[int]] = {}
    with transaction.atomic():
        demo = _Demo(rng, _city_subjects(city, rng))
        for phase, count in (PHASES if phases is None else phases).items():
            made[phase] = [PHASE_FUNCTIONS[phase](demo, n) for n in range(count)]
        approach.warn_deadlines(acting=system_actor("deadlines", origin=ORIGIN))
        retention_run(acting=system_actor("retention", origin=ORIGIN))
        _data_subject_requests(demo, made)
    return {**demo_case_counts(), "signals": sum(len(ids) for ids in made.values())}
