# SPDX-License-Identifier: EUPL-1.2
"""Demo data: the fictitious municipality of Demodam, its staff, and ~200 signals in every state.

Every name, address and number here is invented (BSNs pass the eleven-test but are generated).
Signals are made through the real services, so the demo's audit trail is a real one.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.authz import Actor, system_actor
from weerbaar.accounts.models import Department, Role, User
from weerbaar.signals.defaults import CRITERIA, PHENOMENA
from weerbaar.signals.models import Channel, ChecklistItem, ChecklistKind, Signal
from weerbaar.signals.retention import retention_run
from weerbaar.signals.services import SignalInput, signal_create, signal_qualify, signal_weigh
from weerbaar.signals.states import Route

# Printed by `weerbaar demo`; demo accounts exist only in the demo data.
DEMO_PASSWORD = "demo-Weerbaar-2026"  # noqa: S105  # nosec B105

DEPARTMENTS = [
    ("vergunningen", "Vergunningen"),
    ("handhaving", "Toezicht en handhaving"),
    ("belastingen", "Belastingen en WOZ"),
    ("burgerzaken", "Burgerzaken"),
    ("sociaal_domein", "Sociaal domein"),
    ("openbare_orde", "Openbare orde en veiligheid"),
]
#: username, full name, role codes, department code
USERS = [
    ("regisseur", "Ria de Regisseur", ["regisseur"], "openbare_orde"),
    ("team", "Tom van het Team", ["ondermijningsteam"], "openbare_orde"),
    ("privacy", "Pien Privacy", ["privacyfunctionaris"], "openbare_orde"),
    ("bronhouder", "Bas Bronhouder", ["source_owner"], "vergunningen"),
    ("vergunningen", "Vera Vergunning", ["department_officer"], "vergunningen"),
    ("handhaving", "Henk Handhaving", ["department_officer"], "handhaving"),
    ("burgemeester", "Bea Burgemeester", ["bestuur"], "openbare_orde"),
    ("riec", "Rik van het RIEC", ["riec_liaison"], "openbare_orde"),
    ("beheer", "Bart Beheer", ["administrator"], "openbare_orde"),
    # The monitor half (in a real deployment: the national or RIEC monitor, not the municipality).
    ("onderzoeker", "Olga Onderzoeker", ["researcher"], "openbare_orde"),
    ("ministerie", "Mees van het Ministerie", ["ministry"], "openbare_orde"),
]

GIVEN = ["Jan", "Piet", "Klaas", "Sanne", "Fleur", "Daan", "Lotte", "Bram", "Noor", "Sem", "Eva", "Lucas"]
SURNAMES = [
    ("", "Fictief"),
    ("van", "Verzonnen"),
    ("de", "Bedacht"),
    ("van der", "Proefstra"),
    ("", "Demomans"),
    ("ter", "Testhuis"),
    ("", "Voorbeeldink"),
]
STREETS = ["Fictiefstraat", "Demolaan", "Verzinsel", "Proefweg", "Nepkade", "Oefenhof", "Schijndijk"]
AREAS = [
    "Centrum",
    "Haven-Oost",
    "Bedrijventerrein De Proef",
    "Buitengebied Noord",
    "Demodam-Zuid",
    "Vakantiepark Het Verzinsel",
]
OBSERVATIONS = [
    "Ramen van het pand zijn geblindeerd; 's nachts brandt er constant licht en er is ventilatiegeluid.",
    "Een kapsalon zonder klanten betaalt de huur contant en wisselt vaak van eigenaar.",
    "Een loods op het bedrijventerrein wordt 's nachts geladen en gelost; er hangen veel camera's.",
    "Een woning is binnen zes maanden drie keer doorverkocht met grote waardesprongen.",
    "Op een vakantiepark wonen permanent arbeidsmigranten in overvolle chalets.",
    "Een schuur in het buitengebied wordt verhuurd aan onbekenden; er staan vaten in de berm.",
    "Jongeren worden bij het winkelcentrum benaderd om pakketjes te bezorgen tegen contante betaling.",
]


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def _subject(rng: random.Random) -> dict[str, object]:
    kind = rng.choice(["person", "person", "company", "address", "vehicle"])
    street = {
        "street": rng.choice(STREETS),
        "house_number": str(rng.randint(1, 250)),
        "postcode": f"{rng.randint(9990, 9999)}{rng.choice('AB')}{rng.choice('XZ')}",
        "city": "Demodam",
    }
    if kind == "person":
        prefix, surname = rng.choice(SURNAMES)
        data = {
            "given_names": rng.choice(GIVEN),
            "surname_prefix": prefix,
            "surname": surname,
            "date_of_birth": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "bsn": _bsn(rng),
            **street,
        }
    elif kind == "company":
        data = {
            "trade_name": f"{rng.choice(['Proef', 'Demo', 'Fictief'])} {rng.choice(['Handel', 'Opslag', 'Kapsalon'])}",
            "legal_form": "B.V.",
            "kvk_number": f"9{rng.randint(1000000, 9999999)}",
            **street,
        }
    elif kind == "address":
        data = street
    else:
        data = {"licence_plate": f"XX-{rng.randint(100, 999)}-Q", "make": "Demomobiel"}
    return {"kind": kind, "data": {k: v for k, v in data.items() if v}}


@transaction.atomic
def load_demo_data(*, signals: int = 200, seed: int = 2026) -> dict[str, int]:
    """Create Demodam's departments, one account per role, and ``signals`` signals."""
    rng = random.Random(seed)  # nosec B311
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DEPARTMENTS
    }
    users: dict[str, User] = {}
    for username, full_name, roles, dept in USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "department": departments[dept], "is_demo": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.roles.set(Role.objects.filter(code__in=roles))
        users[username] = user
    if Signal.objects.exists():
        return {"signals": Signal.objects.count()}

    def actor(username: str, role: str) -> Actor:
        return Actor(user=users[username], role=role, origin="demo-data")

    anchoring = list(ChecklistItem.objects.filter(kind=ChecklistKind.ANCHORING).values_list("code", flat=True))
    flags = list(ChecklistItem.objects.filter(kind=ChecklistKind.RED_FLAG).values_list("code", flat=True))
    signalling = list(ChecklistItem.objects.filter(kind=ChecklistKind.SIGNALLING).values_list("code", flat=True))
    plan = (
        ["received"] * 40
        + ["qualified"] * 34
        + ["closed"] * 18
        + ["referred"] * 14
        + ["a"] * 30
        + ["b"] * 20
        + ["c"] * 16
        + ["d"] * 28
    )
    plan = (plan * (signals // len(plan) + 1))[:signals]
    rng.shuffle(plan)
    today = timezone.localdate()
    for target in plan:
        officer = rng.random() < 0.5
        data = SignalInput(
            channel=Channel.DEPARTMENT
            if officer
            else rng.choice([Channel.MMA, Channel.POLICE, Channel.RIEC, Channel.CITIZEN, Channel.OTHER_GOVERNMENT]),
            received_on=today - timedelta(days=rng.randint(0, 400)),
            description=rng.choice(OBSERVATIONS),
            phenomena=rng.sample([p[0] for p in PHENOMENA], k=rng.randint(1, 2)),
            subjects=[_subject(rng) for _ in range(rng.randint(1, 3))],
            location_area=rng.choice(AREAS),
            location_address=f"{rng.choice(STREETS)} {rng.randint(1, 250)}, Demodam",
            reporter_anonymous=not officer and rng.random() < 0.5,
            reporter_name="" if officer else "Melder (fictief)",
        )
        by = (
            actor(rng.choice(["vergunningen", "handhaving"]), "department_officer")
            if officer
            else actor("regisseur", "regisseur")
        )
        signal = signal_create(acting=by, data=data)
        if target == "received":
            continue
        w1 = target != "closed"
        w2 = target != "referred"
        signal_qualify(
            acting=actor("regisseur", "regisseur"),
            signal_id=signal.pk,
            checked_items=[rng.choice(anchoring), rng.choice(signalling), rng.choice(flags)] if w1 else [],
            w1=w1,
            w2a=w2,
            w2b=True,
            referred_to="" if w2 else "Omgevingsdienst (fictief)",
            reasons="Demo: beoordeeld aan de hand van de checklist.",
        )
        if target in {"qualified", "closed", "referred"}:
            continue
        signal_weigh(
            acting=actor("team", "ondermijningsteam"),
            signal_id=signal.pk,
            scores={c[0]: (rng.randint(0, 3), "Demo-toelichting.") for c in CRITERIA},
            route=target,
            department="handhaving" if target == Route.DEPARTMENT else None,
            reasons="Demo: afgewogen tegen de lokale criteria.",
        )
    # A few unprocessed signals are past their year: the retention job leaves tombstones.
    old = list(Signal.objects.filter(state="no_action").order_by("id").values_list("id", flat=True)[:8])
    Signal.objects.filter(id__in=old).update(destroy_after=today - timedelta(days=1))
    retention_run(acting=system_actor("retention", origin="demo-data"))
    return {"signals": Signal.objects.count()}
