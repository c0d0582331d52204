# SPDX-License-Identifier: EUPL-1.2
"""A small seeded accuracy regression on Dutch person data, through the index and through batch linkage.

The benchmark in ``bench/`` measures accuracy at scale; this test only guards against regressions,
fast. It builds a BRP-like registry with what makes Dutch municipal data hard (households sharing
surname and dwelling, a junior and a senior with the same given names at one address, namesakes,
prefixes, ij/y, diacritics, house-number additions) and noisy signal subjects with ground truth,
then checks what matters most: a hit is almost never wrong, an innocent citizen who is not in the
registry is (almost) never drawn in, and a household member is never taken for another.

The generator lives here, seeded, so a failure is reproducible from the test alone;
``tests/matching/test_properties.py`` reuses it.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from weerbaar.matching import index, linkage
from weerbaar.matching.records import normalise_row

# The generator --------------------------------------------------------------------------------

SURNAMES: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("de", "Vries"), ("van der", "Berg"), ("van den", "Heuvel"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"),
    ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"),
    ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
    ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("de", "Lange"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("van", "Vliet"), ("", "Hoekstra"),
    ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"),
    ("", "Blom"), ("", "Huisman"), ("de", "Jong"), ("in 't", "Veld"), ("ter", "Horst"), ("ten", "Brink"),
    ("van 't", "Hek"), ("de la", "Rosa"), ("", "Çelik"), ("", "Öztürk"), ("", "Şahin"), ("", "Bijl"),
    ("", "Hoëvenaar"), ("", "Müller"), ("", "Kuijpers"), ("", "Wijnands"), ("", "Rijnders"), ("van", "Wijk"),
    ("", "Kaya"), ("", "Bouzid"), ("", "El Idrissi"), ("", "Pinas"), ("", "Nijland"), ("van der", "Heijden"),
    ("van den", "Bosch"), ("", "Gerritsen"), ("", "Postma"), ("", "Zijlstra"), ("van", "Rijn"), ("", "Timmermans"),
    ("", "Vink"), ("", "Bosman"), ("", "Scholten"), ("van", "Doorn"), ("", "Kramer"), ("", "Doğan"), ("", "Kowalczyk"),
    ("", "Yılmaz"), ("", "Aydın"), ("", "Łukasik"),
)  # fmt: skip
#: Surnames that never occur in the registry: subjects and records that are certainly someone else.
OTHER_SURNAMES: tuple[tuple[str, str], ...] = (
    ("", "Zwanenburg"), ("van", "Hoogstraten"), ("", "Oosterhuis"), ("", "Tromp"), ("de", "Ridder"),
    ("", "Lammers"), ("van der", "Ploeg"), ("", "Hofman"), ("", "Wolters"), ("", "Nauta"), ("", "Haddou"),
    ("ter", "Haar"), ("", "Rutten"), ("", "Vonk"), ("", "Sterrenburg"), ("", "Kuiper"), ("van", "Gelder"),
)  # fmt: skip
MALE: tuple[str, ...] = (
    "Jan", "Pieter", "Johannes", "Hendrik", "Cornelis", "Willem", "Gerrit", "Dirk", "Thomas", "Daan", "Sem",
    "Lucas", "Mohammed", "Ahmet", "Mehmet", "Bram", "Kees", "Joost", "Ruud", "Sander", "Martijn", "Jeroen",
    "Bas", "Stijn", "Youssef", "Emre", "Rik", "Thijs", "Wouter", "Frank", "Karel", "Marinus", "Gökhan", "René",
)  # fmt: skip
FEMALE: tuple[str, ...] = (
    "Maria", "Anna", "Johanna", "Elisabeth", "Cornelia", "Emma", "Julia", "Sophie", "Lotte", "Anne", "Fatima",
    "Ayşe", "Saskia", "Ingrid", "Marieke", "Petra", "Sanne", "Eva", "Lisa", "Fleur", "Iris", "Noor", "Zeynep",
    "Hanneke", "Wilhelmina", "Geertje", "Mirjam", "Anouk", "Esther", "Femke", "Nienke", "Renée", "Chloë",
)  # fmt: skip
STREETS: tuple[str, ...] = (
    "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Prins Hendriklaan",
    "Burgemeester de Kockstraat", "Wethouder Jansenlaan", "Julianastraat", "Beatrixlaan", "Oranjestraat",
    "Nieuwstraat", "Marktplein", "Lindelaan", "Eikenlaan", "Beukenlaan", "Parkweg", "Zuiderkade", "Oudegracht",
    "Vondelstraat", "Rembrandtlaan", "IJsselkade", "Wilhelminastraat", "Emmastraat", "Industrieweg", "Hoogstraat",
)  # fmt: skip
CITIES: tuple[str, ...] = ("Utrecht", "'s-Hertogenbosch", "Zwolle", "Amersfoort", "IJsselstein", "Den Haag")
ADDITIONS: tuple[str, ...] = ("", "", "", "", "", "", "A", "B", "1", "2", "bis", "hs")
_PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"


@dataclass(frozen=True)
class Resident:
    """One registry person, written as the BRP writes it (prefix in its own column, ISO dates)."""

    pid: str
    given: tuple[str, ...]
    prefix: str
    surname: str
    dob: tuple[int, int, int]
    street: str
    number: int
    addition: str
    postcode: str
    city: str
    bsn: str
    household: int
    role: str = ""  # "junior" or "senior" for the pair with the same given names at one address

    def row(self, *, bsn: bool = True) -> dict[str, str]:
        row = {
            "id": self.pid,
            "given_names": " ".join(self.given),
            "surname_prefix": self.prefix,
            "surname": self.surname,
            "date_of_birth": "{:04d}-{:02d}-{:02d}".format(*self.dob),
            "street": self.street,
            "house_number": str(self.number),
            "house_number_addition": self.addition,
            "postcode": self.postcode,
            "city": self.city,
        }
        if bsn:
            row["bsn"] = self.bsn
        return row

    def identity(self) -> tuple[object, ...]:
        """What an identical twin record would share: name, date of birth and dwelling."""
        return (self.given, self.prefix, self.surname, self.dob, self.postcode, self.number, self.addition)


@dataclass
class Subject:
    """A signal's subject as a department writes it, with the ground truth (``None``: not in the registry)."""

    kind: str
    row: dict[str, str]
    truth: str | None
    household: int | None = None
    tags: set[str] = field(default_factory=set)


def _dob(rng: random.Random, first_year: int, last_year: int) -> tuple[int, int, int]:
    return (rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _postcode(rng: random.Random, used: set[str]) -> str:
    while True:
        code = f"{rng.randint(1000, 9999)}{rng.choice(_PC_LETTERS)}{rng.choice(_PC_LETTERS)}"
        if code not in used:
            used.add(code)
            return code


def make_registry(seed: int = 20240601, size: int = 1000) -> list[Resident]:
    """About ``size`` residents in households of one to four, with junior/senior pairs and namesakes.

    Household members share surname and dwelling and differ in first given name and date of birth
    (twins with different names are a separate test); every 25th household adds a junior with the
    senior's given names, and every 30th copies the full name of an earlier resident elsewhere.
    """
    rng = random.Random(seed)
    used_postcodes: set[str] = set()
    bsns = iter(rng.sample(range(100_000_000, 999_999_999), size * 2))
    people: list[Resident] = []
    household = 0
    while len(people) < size:
        household += 1
        prefix, name = rng.choice(SURNAMES)
        dwelling = (rng.choice(STREETS), rng.randint(1, 250), rng.choice(ADDITIONS), _postcode(rng, used_postcodes),
                    rng.choice(CITIES))  # fmt: skip
        parents_born = rng.randint(1940, 1990)
        members: list[Resident] = []
        for position in range(rng.choice((1, 1, 2, 2, 3, 4))):
            pool = MALE if rng.random() < 0.5 else FEMALE
            given = tuple(rng.sample(pool, rng.choice((1, 1, 2, 2, 3))))
            if household % 30 == 0 and position == 0 and people:
                namesake = rng.choice(people)
                given, prefix, name = namesake.given, namesake.prefix, namesake.surname
            born = _dob(rng, parents_born - 3, parents_born + 4) if position < 2 else _dob(rng, parents_born + 22, 2015)
            if any(m.given[0] == given[0] or m.dob == born for m in members):
                continue
            pid = f"R{len(people) + len(members):05d}"
            members.append(Resident(pid, given, prefix, name, born, *dwelling, str(next(bsns)), household))
        if household % 25 == 0:
            senior = replace(members[0], role="senior")
            junior = replace(
                senior,
                pid=f"R{len(people) + len(members):05d}",
                dob=_dob(rng, senior.dob[0] + 18, min(senior.dob[0] + 35, 2020)),
                bsn=str(next(bsns)),
                role="junior",
            )
            members = [senior, *members[1:], junior]
        people.extend(members)
    return people


def unrelated_residents(rng: random.Random, count: int, registry: list[Resident]) -> list[Resident]:
    """Residents that share nothing identifying with the registry: other surname, date of birth and postcode."""
    taken_dobs = {p.dob for p in registry}
    taken_postcodes = {p.postcode for p in registry}
    out: list[Resident] = []
    while len(out) < count:
        prefix, name = rng.choice(OTHER_SURNAMES)
        born = _dob(rng, 1930, 2015)
        if born in taken_dobs:
            continue
        out.append(
            Resident(
                f"U{len(out):05d}",
                tuple(rng.sample(MALE + FEMALE, rng.choice((1, 2)))),
                prefix,
                name,
                born,
                rng.choice(STREETS),
                rng.randint(1, 250),
                rng.choice(ADDITIONS),
                _postcode(rng, taken_postcodes),
                rng.choice(CITIES),
                str(rng.randint(100_000_000, 999_999_999)),
                -1,
            )
        )
    return out


# Noise --------------------------------------------------------------------------------------------


def _strip_diacritics(text: str) -> str:
    """What a keyboard without Turkish or Polish letters makes of a name: Yılmaz → Yilmaz, Łukasik → Lukasik."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return plain.translate(str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"}))


def _swap_ij(text: str) -> str:
    if "ij" in text:
        return text.replace("ij", "y")
    if "IJ" in text:
        return text.replace("IJ", "Y")
    return text.replace("y", "ij")


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip inside the word: two letters swapped, one dropped, or one replaced."""
    i = rng.randint(1, len(text) - 2)
    operation = rng.choice(("swap", "drop", "replace"))
    if operation == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if operation == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + rng.choice([c for c in "aeiourstnl" if c != text[i]]) + text[i + 1 :]


def _iso(dob: tuple[int, int, int]) -> str:
    return "{:04d}-{:02d}-{:02d}".format(*dob)


Variant = Callable[[random.Random, Resident], dict[str, str]]


def _reversed(rng: random.Random, p: Resident) -> dict[str, str]:
    return {"surname_prefix": "", "surname": f"{p.surname}, {p.prefix}"}


def _abbreviated(rng: random.Random, p: Resident) -> dict[str, str]:
    return {"surname_prefix": "", "surname": rng.choice(("vd ", "v.d. ", "v/d ", "V.D. ")) + p.surname}


def _glued(rng: random.Random, p: Resident) -> dict[str, str]:
    return {"surname_prefix": "", "surname": (p.prefix + p.surname).replace(" ", "").replace("'", "").capitalize()}


def _capitals(rng: random.Random, p: Resident) -> dict[str, str]:
    return {key: value.upper() for key, value in p.row(bsn=False).items() if key != "id"}


def _typo_variant(rng: random.Random, p: Resident) -> dict[str, str]:
    if rng.random() < 0.6 or len(p.given[0]) < 5:
        return {"surname": _typo(rng, p.surname)}
    return {"given_names": " ".join((_typo(rng, p.given[0]), *p.given[1:]))}


def _swapped(rng: random.Random, p: Resident) -> dict[str, str]:
    y, m, d = p.dob
    return {"date_of_birth": rng.choice((f"{y:04d}-{d:02d}-{m:02d}", f"{m:02d}-{d:02d}-{y:04d}"))}


def _postcode_spacing(rng: random.Random, p: Resident) -> dict[str, str]:
    pc = p.postcode
    return {"postcode": rng.choice((f"{pc[:4]} {pc[4:].lower()}", pc.lower(), f" {pc[:4]}  {pc[4:]} "))}


def _addition_forms(rng: random.Random, p: Resident) -> dict[str, str]:
    joiner = rng.choice(("", "-", " "))
    return {"house_number": f"{p.number}{joiner}{rng.choice((p.addition.lower(), p.addition.upper()))}",
            "house_number_addition": ""}  # fmt: skip


def _date_forms(rng: random.Random, p: Resident) -> dict[str, str]:
    y, m, d = p.dob
    forms = (
        f"{d:02d}-{m:02d}-{y}",
        f"{d}/{m}/{y}",
        f"{y}{m:02d}{d:02d}",
        f"{d:02d}.{m:02d}.{y}",
        f"{y}{m:02d}{d:02d}.0",
    )
    return {"date_of_birth": rng.choice(forms)}


#: kind → (how many, which residents qualify, what changes). Every subject carries one difficulty.
VARIANTS: dict[str, tuple[int, Callable[[Resident], bool], Variant]] = {
    "clean": (25, lambda p: True, lambda rng, p: {}),
    "date written differently": (10, lambda p: True, _date_forms),
    "prefix reversed": (15, lambda p: bool(p.prefix), _reversed),
    "prefix abbreviated": (15, lambda p: p.prefix.startswith("van d"), _abbreviated),
    "prefix glued": (15, lambda p: bool(p.prefix), _glued),
    "ij/y": (15, lambda p: _swap_ij(p.surname) != p.surname, lambda rng, p: {"surname": _swap_ij(p.surname)}),
    "diacritics dropped": (
        15,
        lambda p: _strip_diacritics(p.surname + "".join(p.given)) != p.surname + "".join(p.given),
        lambda rng, p: {"surname": _strip_diacritics(p.surname), "given_names": _strip_diacritics(" ".join(p.given))},
    ),
    "capitals": (15, lambda p: True, _capitals),
    "one typo": (20, lambda p: len(p.surname) >= 5, _typo_variant),
    "initials": (15, lambda p: True, lambda rng, p: {"given_names": "".join(g[0] + "." for g in p.given)}),
    "first given name only": (15, lambda p: len(p.given) > 1, lambda rng, p: {"given_names": p.given[0]}),
    "day and month swapped": (15, lambda p: p.dob[2] <= 12 and p.dob[1] != p.dob[2], _swapped),
    "postcode spacing": (15, lambda p: True, _postcode_spacing),
    "house-number addition": (15, lambda p: bool(p.addition), _addition_forms),
    "missing dob": (15, lambda p: not p.role, lambda rng, p: {"date_of_birth": ""}),
}  # fmt: skip
MOVED = 15
STRANGERS = 40
NAMESAKES = 20
UNREGISTERED_MEMBERS = 20


def make_subjects(registry: list[Resident], seed: int = 7) -> list[Subject]:
    """About 350 subjects: each variant above, moved residents, and three kinds of people not in the registry."""
    rng = random.Random(seed)
    subjects: list[Subject] = []
    by_household: dict[int, list[Resident]] = defaultdict(list)
    for person in registry:
        by_household[person.household].append(person)
    for kind, (count, qualifies, change) in VARIANTS.items():
        pool = [p for p in registry if qualifies(p)]
        for person in rng.sample(pool, min(count, len(pool))):  # a small registry may hold fewer
            row = {**person.row(bsn=False), **change(rng, person)}
            subjects.append(Subject(kind, row, person.pid, person.household))
    for person in rng.sample(registry, MOVED):  # moved: registry still has the old dwelling
        elsewhere = rng.choice([p for p in registry if p.household != person.household])
        row = person.row(bsn=False)
        for key in ("street", "house_number", "house_number_addition", "postcode", "city"):
            row[key] = elsewhere.row()[key]
        subjects.append(Subject("moved", row, person.pid, person.household))
    for i, stranger in enumerate(unrelated_residents(rng, STRANGERS, registry)):
        neighbour = rng.choice(registry)  # a stranger living next door to a registry address
        row = {**stranger.row(bsn=False), "id": f"S{i}", "house_number": str(neighbour.number + 1)}
        row.update(street=neighbour.street, postcode=neighbour.postcode, house_number_addition="", city=neighbour.city)
        subjects.append(Subject("not in registry: stranger", row, None))
    taken_dobs = {p.dob for p in registry}
    for i, person in enumerate(rng.sample(registry, NAMESAKES)):  # same full name, other dob and dwelling
        elsewhere = unrelated_residents(rng, 1, registry)[0]
        born = _dob(rng, 1930, 2015)
        while born in taken_dobs:
            born = _dob(rng, 1930, 2015)
        row = {**person.row(bsn=False), "id": f"NS{i}", "date_of_birth": _iso(born)}
        for key in ("street", "house_number", "house_number_addition", "postcode", "city"):
            row[key] = elsewhere.row()[key]
        subjects.append(Subject("not in registry: namesake elsewhere", row, None))
    for i, person in enumerate(rng.sample(registry, UNREGISTERED_MEMBERS)):  # e.g. a lodger or a newborn
        firsts = {m.given[0] for m in by_household[person.household]}
        born = _dob(rng, 1930, 2015)
        while born in taken_dobs:
            born = _dob(rng, 1930, 2015)
        given = rng.choice([g for g in MALE + FEMALE if g not in firsts and g[0] not in {f[0] for f in firsts}])
        row = {**person.row(bsn=False), "id": f"HM{i}", "given_names": given, "date_of_birth": _iso(born)}
        subjects.append(Subject("not in registry: household member", row, None, person.household))
    for person in registry:  # the junior/senior pair without a date of birth: never decidable
        if person.role:
            row = {**person.row(bsn=False), "date_of_birth": ""}
            subjects.append(Subject("junior/senior without dob", row, person.pid, person.household, {"ambiguous"}))
    return subjects


# Running and scoring -------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str
    best: str | None


def run_index(path: Path, registry: list[Resident], subjects: list[Subject]) -> list[Outcome]:
    index.build_segment(path, "person", ((i, p.pid, p.row()) for i, p in enumerate(registry)))
    segment = index.Segment(path)
    try:
        out = []
        for subject in subjects:
            decision = segment.query("person", subject.row).decision
            out.append(Outcome(decision.status, decision.best.ext_id if decision.best else None))
        return out
    finally:
        segment.close()


def run_linkage(registry: list[Resident], subjects: list[Subject]) -> list[Outcome]:
    left = [normalise_row("person", s.row) for s in subjects]
    right = [normalise_row("person", p.row()) for p in registry]
    results, _model = linkage.link("person", left, right)
    return [Outcome(r.decision.status, r.decision.best.ext_id if r.decision.best else None) for r in results]


@dataclass
class Figures:
    precision: float
    false_hit_rate: float
    recall_with_dob: float
    ambiguous_hits: list[str]
    household_hits: list[str]
    per_kind: dict[str, Counter[str]]

    def table(self) -> str:
        lines = [
            f"precision of hits {self.precision:.4f}; false-hit rate {self.false_hit_rate:.4f}",
            f"recall with dob {self.recall_with_dob:.4f}",
            f"junior/senior without dob decided as hit: {self.ambiguous_hits}",
            f"household member hit for another: {self.household_hits}",
        ]
        for kind, counts in self.per_kind.items():
            lines.append(f"  {kind:40s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return "\n".join(lines)


def score(registry: list[Resident], subjects: list[Subject], outcomes: Iterable[Outcome]) -> Figures:
    household_of = {p.pid: p.household for p in registry}
    hits = right_hits = strangers = stranger_hits = with_dob = found_with_dob = 0
    ambiguous_hits: list[str] = []
    household_hits: list[str] = []
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for subject, outcome in zip(subjects, outcomes, strict=True):
        correct = outcome.status == "hit" and outcome.best == subject.truth
        per_kind[subject.kind][("hit" if correct else "WRONG hit") if outcome.status == "hit" else outcome.status] += 1
        if outcome.status == "hit":
            hits += 1
            right_hits += correct
            if not correct and subject.household is not None and household_of.get(outcome.best) == subject.household:
                household_hits.append(f"{subject.kind}: {subject.row} -> {outcome.best}")
        if subject.truth is None:
            strangers += 1
            stranger_hits += outcome.status == "hit"
        if "ambiguous" in subject.tags and outcome.status == "hit":
            ambiguous_hits.append(f"{subject.row} -> {outcome.best}")
        if subject.truth is not None and subject.row.get("date_of_birth") and not subject.tags:
            with_dob += 1
            found_with_dob += correct
    return Figures(
        precision=right_hits / hits if hits else 1.0,
        false_hit_rate=stranger_hits / strangers if strangers else 0.0,
        recall_with_dob=found_with_dob / with_dob if with_dob else 1.0,
        ambiguous_hits=ambiguous_hits,
        household_hits=household_hits,
        per_kind=dict(per_kind),
    )


# The tests ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> list[Resident]:
    return make_registry()


@pytest.fixture(scope="module")
def subjects(registry: list[Resident]) -> list[Subject]:
    return make_subjects(registry)


def test_the_generator_makes_what_the_benchmark_needs(registry: list[Resident], subjects: list[Subject]) -> None:
    """The figures below mean something only if the data holds the hard cases and no identical twins."""
    assert 950 <= len(registry) <= 1100
    assert len({p.identity() for p in registry}) == len(registry), "an identical twin record would be undecidable"
    assert len({p.pid for p in registry}) == len(registry)
    households = Counter(p.household for p in registry)
    assert sum(1 for n in households.values() if n > 1) >= 150
    seniors = [p for p in registry if p.role == "senior"]
    juniors = {(p.household, p.given) for p in registry if p.role == "junior"}
    assert len(seniors) >= 10 and all((s.household, s.given) in juniors for s in seniors)
    names = Counter((p.given, p.prefix, p.surname) for p in registry)
    assert sum(1 for n in names.values() if n > 1) >= 5, "namesakes elsewhere"
    assert 300 <= len(subjects) <= 450
    assert sum(s.truth is None for s in subjects) >= 60


def _check(figures: Figures) -> None:
    report = "\n" + figures.table()
    assert figures.precision >= 0.99, report
    assert figures.false_hit_rate <= 0.01, report
    assert figures.recall_with_dob >= 0.9, report
    assert not figures.ambiguous_hits, report
    assert not figures.household_hits, report


def test_accuracy_through_the_index(tmp_path: Path, registry: list[Resident], subjects: list[Subject]) -> None:
    """The online path: one SQLite segment, one query per subject, model from priors."""
    _check(score(registry, subjects, run_index(tmp_path / "persons.sqlite", registry, subjects)))


def test_accuracy_through_batch_linkage(registry: list[Resident], subjects: list[Subject]) -> None:
    """The batch path: the model is estimated by EM on the subjects and the registry at hand."""
    _check(score(registry, subjects, run_linkage(registry, subjects)))
