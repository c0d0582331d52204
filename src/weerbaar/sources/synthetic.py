# SPDX-License-Identifier: EUPL-1.2
"""A seeded generator of Demodam, a fictitious Dutch city, in the canonical source file formats.

Why: the matching engine, the importers and the benchmarks need data that looks like a municipality's
registries (BRP, BAG, Handelsregister) and departmental files, with what makes Dutch data hard — households
sharing a surname and an address, a junior and a senior with the same given names at one address,
namesakes across town, surname prefixes, ``ij``, diacritics, house-number additions — at sizes from a demo
(2,000 persons) to a city (1 M persons) without ever touching a real person's data.

Everything here is **fictitious** (:data:`FICTITIOUS`, and a ``FICTITIOUS.txt`` beside every file set):

* the city is Demodam, municipality code ``9999`` (not a CBS code); BAG-like ids are ``9999 01 nnnnnnnnnn``;
* street names are built from invented compounds (roots, parts and street kinds), not taken from a list of
  real streets; postcodes count down from ``9999``;
* BSNs pass the eleven-test and count down from ``999 999 999``, then are shuffled over the persons: a city of
  up to ~9,000 persons stays inside ``9999xxxxx``, whose top holds the test numbers published for the BRP test
  environments (for example ``999993653``, ``999990019``). Larger cities go further down the ``99x`` range;
  those numbers are valid but not reserved, which is why the city and every file set carry the marker;
* KvK numbers are ``99`` + six digits; trade names are invented; surnames and given names are common Dutch
  and multicultural names drawn from frequency tables plus a long tail of invented compounds, so any
  resemblance to a real person is the resemblance of a common name.

Design for scale: rows are tuples of ``str`` in the canonical column order (:class:`Table`), strings that
repeat (names, streets, dates, postcodes) are shared objects, and every draw goes through ``random.Random``
with precomputed cumulative weights. A city of 1 M persons, 150 k companies, 500 k addresses and 1 M
departmental records takes ~24 s of CPU to generate and write (30-40 s wall on a shared two-core machine)
and ~0.8 GB at peak (``/usr/bin/time -v``).

Ground truth is kept in memory: the ids in the rows, the household of each person (:attr:`City.households`),
the junior/senior pairs and, per departmental record, the id of its subject (:attr:`Table.subject_ids`);
:func:`write_city` can write the latter as ``record_subjects.csv``.
"""

from __future__ import annotations

import csv
import math
import random
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, Generic, TypeVar

__all__ = [
    "ADDRESS_COLUMNS",
    "CITY_NAME",
    "COMPANY_COLUMNS",
    "DIRECTOR_COLUMNS",
    "FICTITIOUS",
    "PERSON_COLUMNS",
    "RECORD_COLUMNS",
    "REFERENCE_DATE",
    "City",
    "NameModel",
    "Table",
    "bsn_block",
    "generate_city",
    "invent_street_names",
    "write_city",
    "write_table",
]

FICTITIOUS: Final = True
CITY_NAME: Final = "Demodam"
MUNICIPALITY_CODE: Final = "9999"  # not a CBS municipality code
#: "Today" for ages and record dates, fixed so that a seed gives the same city on any day.
REFERENCE_DATE: Final = date(2026, 1, 1)

PERSON_COLUMNS: Final = (
    "id",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "bsn",
)
COMPANY_COLUMNS: Final = (
    "id",
    "kvk_number",
    "trade_name",
    "legal_form",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "sbi_code",
    "registration_date",
)
DIRECTOR_COLUMNS: Final = ("company_id", "person_id", "role")
ADDRESS_COLUMNS: Final = (
    "id",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "usage",
    "surface_m2",
)
#: Departmental records: the record, then the subject's fields (a person's name and date of birth, or a
#: company's KvK number and trade name; the other pair empty), then the address.
RECORD_COLUMNS: Final = (
    "id",
    "record_type",
    "date",
    "status",
    "summary",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "kvk_number",
    "trade_name",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
)

Row = tuple[str, ...]
T = TypeVar("T")


@dataclass
class Table:
    """One output table: canonical columns and rows as tuples in that order (compact at city scale)."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    #: Departmental records only: the id of each row's subject (person or company), the ground truth.
    subject_ids: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> Iterator[dict[str, str]]:
        """Rows as dicts, made one at a time so a million rows never exist as dicts together."""
        cols = self.columns
        for row in self.rows:
            yield dict(zip(cols, row, strict=True))

    def column(self, name: str) -> list[str]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


@dataclass
class City:
    """A generated city: its tables (persons, companies, directors, addresses, permits, enforcement, taxes)
    and the ground truth that is not in the canonical columns."""

    name: str
    seed: int
    persons: Table
    companies: Table
    company_directors: Table
    addresses: Table
    permits: Table
    enforcement: Table
    taxes: Table
    #: Household number of each person, aligned with ``persons.rows``.
    households: array[int]
    #: (senior id, junior id): same surname, same address, same first given name, different dates of birth.
    junior_senior: list[tuple[str, str]]
    names: NameModel
    fictitious: bool = FICTITIOUS

    def tables(self) -> dict[str, Table]:
        """The tables by file stem, in the order :func:`write_city` writes them."""
        return {
            t.name: t
            for t in (
                self.persons,
                self.companies,
                self.company_directors,
                self.addresses,
                self.permits,
                self.enforcement,
                self.taxes,
            )
        }


class _Weighted(Generic[T]):
    """Draw from fixed weights by bisection on cumulative weights: O(log n) and no list per draw."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.values: list[T] = []
        self.cum: list[float] = []
        total = 0.0
        for value, weight in pairs:
            if weight <= 0:
                continue
            total += weight
            self.values.append(value)
            self.cum.append(total)
        if not self.values:
            raise ValueError("no positive weights")
        self.total = total

    def draw(self, rng: random.Random) -> T:
        return self.values[bisect_right(self.cum, rng.random() * self.total)]


def _zipf(values: Sequence[T], exponent: float = 1.0, offset: float = 1.0) -> list[tuple[T, float]]:
    """Zipf-like weights by rank: the first names in a frequency-ordered list are much more common."""
    return [(v, 1.0 / (rank + offset) ** exponent) for rank, v in enumerate(values)]


# ---------------------------------------------------------------------------------------------- names
# Frequency-ordered, most common first. Surnames are (prefix, surname) as the BRP keeps them.
_DUTCH_SURNAMES_TOP: Final = [
    ("de", "Jong"), ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
    ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"),
    ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("de", "Bruin"), ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"),
    ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Peeters"),
    ("de", "Jonge"), ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Kuiper"), ("", "Veenstra"),
    ("", "Kramer"), ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"), ("", "Postma"), ("", "Martens"),
    ("", "Vink"), ("de", "Ruiter"), ("", "Timmermans"), ("", "Groen"), ("", "Gerritsen"), ("", "Jonker"),
    ("van", "Loon"), ("", "Boer"), ("van der", "Velde"), ("", "Willemsen"), ("", "Smeets"), ("de", "Lange"),
    ("de", "Vos"), ("", "Bosch"), ("van", "Dongen"), ("", "Schipper"), ("de", "Koning"), ("van der", "Laan"),
    ("", "Koning"), ("van der", "Velden"), ("", "Driessen"), ("van", "Doorn"), ("", "Hermans"), ("", "Evers"),
    ("van den", "Bosch"), ("van der", "Meulen"), ("", "Hofman"), ("", "Bosman"), ("", "Wolters"),
    ("", "Sanders"), ("van der", "Horst"), ("", "Mol"), ("", "Kuijpers"), ("", "Molenaar"), ("van de", "Pol"),
    ("de", "Leeuw"), ("", "Verbeek"), ("", "Bijl"), ("van", "Rijn"), ("", "Wijnands"), ("ter", "Horst"),
    ("ten", "Brink"), ("in 't", "Veld"), ("van 't", "Hof"), ("", "IJzerman"), ("van", "IJzendoorn"),
    ("", "Reijnders"), ("", "Hoëvenaar"), ("", "Daniëls"), ("", "Israëls"), ("op den", "Kamp"),
    ("'t", "Hart"), ("te", "Riele"), ("uit den", "Bogaard"), ("van het", "Reve"), ("den", "Hollander"),
]  # fmt: skip
_FIXED_SURNAMES: Final = {
    "turkish": [
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
        "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat",
        "Erdoğan", "Güneş", "Akın", "Aktaş", "Korkmaz", "Bulut", "Keskin", "Ünal", "Tekin",
    ],
    "moroccan": [
        "El Amrani", "Bouzid", "Benali", "El Idrissi", "Ouali", "Boukhari", "El Khatib", "Azzouzi",
        "Ait Taleb", "Bennani", "Chaouch", "El Hamdaoui", "Ziani", "Tahiri", "Amrani", "Bouchtaoui", "Aarab",
        "El Ouahabi", "Belhaj", "Achahbar", "Haddouchi", "El Moussaoui", "Bakkali", "Zaoui", "Lamrini",
    ],
    "caribbean": [
        "Pinas", "Wijngaarde", "Sabajo", "Doelwijt", "Martina", "Isenia", "Celestijn", "Girigorie", "Koeiman",
        "Tjon A Fong", "Liauw", "Oosterwolde", "Kartosen", "Brandon", "Rosalia", "Kromodimedjo", "Soekhoe",
    ],
    "european": [
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schäfer", "Wagner", "Becker", "Hoffmann",
        "Popescu", "Ionescu", "Popa", "Horváth", "Nagy", "Tóth", "Ivanov", "Petrov", "Dimitrov", "García",
        "Fernández", "Rodríguez", "Rossi", "Ferrari", "Russo", "Silva", "Santos", "Costa", "Oliveira",
        "Jørgensen", "O'Brien", "Murphy", "Dubois", "Lefèvre", "Kovačević", "Novák", "Papadopoulos",
        "Jovanović", "Petrović", "Kazlauskas", "Bērziņš",
    ],
    "asian": [
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Wang", "Li", "Zhang", "Chen", "Liu", "Huang", "Lin",
        "Kumar", "Singh", "Sharma", "Patel", "Gupta", "Lim", "Tan", "Wong", "Cheung", "Rahman", "Hussain",
        "Khan", "Ahmadi", "Hosseini", "Mohammadi", "Karimi", "Rezaei", "Rahimi", "Jafari", "Ahmadzai",
        "Popal", "Siddiqui", "Chaudhry", "Santoso", "Wijaya", "Tanaka", "Kim", "Park",
    ],
}  # fmt: skip

# Parts of invented surnames, per naming tradition: "Molenstra", "Veenhoek"; "Karakaya"; "Benmoussa";
# "Sewnath"; "Nowakowski". Together with the fixed lists they give a long tail of rare names.
_SURNAME_ROOTS: Final = [
    "Berg", "Veen", "Hoek", "Molen", "Brink", "Wijk", "Haar", "Kamp", "Horst", "Dijk", "Beek", "Bosch",
    "Akker", "Sloot", "Hof", "Laar", "Brug", "Weide", "Hout", "Veld", "Burg", "Stee", "Meer", "Wal", "Linde",
    "Ven", "Heuvel", "Broek", "Donk", "Rade", "Hage", "Wold", "Mark", "Zand", "Steen", "Klink", "Hamer",
    "Smed", "Bakel", "Kuip", "Wever", "Visch", "Schaap", "Vogel", "Zwaan", "Kraai", "Valk", "Haan", "Wolf",
    "Beer", "Rooi", "Groen", "Wit", "Zwart", "Rood", "Graaf", "Hertog", "Ridder", "Schout", "Kerk", "Kapel",
    "Toren", "Poort", "Gracht", "Dam", "Sluis", "Haven", "Kade", "Stal", "Schuur", "Hoeve", "Gaarde", "Tuin",
    "Boom", "Eik", "Beuk", "Wilg", "Els", "Berk", "Hulst", "Riet", "Bies", "Klaver", "Roos", "Lelie",
    "Tarwe", "Rogge", "Haver", "Vlas", "Koren", "Meel", "Rijk", "Wijn", "Bijl", "Spijk", "Kooi", "Vliet",
    "Geer", "Hul", "Ruijs", "Lamm", "Oort", "Ees", "Velt", "Terp", "Wierd", "Nijen",
]  # fmt: skip
_SURNAME_ENDINGS: Final = [
    "stra", "ma", "sma", "inga", "ink", "man", "mans", "s", "sen", "en", "er", "ers", "huis", "huizen", "kamp",
    "veld", "hof", "hout", "hoven", "land", "loo", "rink", "ing", "ens", "mate", "dal", "voort", "schot",
    "stein", "zijl", "meijer", "wijk", "ier", "aar", "enaar", "hart", "kes", "ema", "enga", "ijn",
]  # fmt: skip
_TAIL_PARTS: Final = {
    "turkish": (
        [
            "Ak", "Kara", "Öz", "Er", "Al", "Gül", "Yıldız", "Demir", "Çelik", "Kaya", "Taş", "Şen", "Ay", "Gün",
            "Tek", "Bay", "Kurt", "Arslan", "Doğan", "Bal", "Çakır", "Koca", "Uz", "Yurt", "Kılıç", "Sarı",
            "Erdem", "Ok", "Aydın", "Baş",
        ],
        [
            "türk", "taş", "han", "oğlu", "kaya", "soy", "demir", "can", "er", "dağ", "el", "gün", "ay", "yürek",
            "bulut", "ok", "kan", "göz", "su", "yol", "koç", "alp", "tekin", "men",
        ],
    ),
    "moroccan": (
        ["El ", "Ben", "Bou", "Ait ", "Ou", "Al "],
        [
            "Moussa", "Mansour", "Azzouz", "Mimoun", "Tahar", "Khalil", "Haddou", "Yahya", "Ziane", "Amar",
            "Kaddour", "Hamdaou", "Ghazouan", "Jebar", "Khattab", "Ouahab", "Idriss", "Bakkal", "Fassi", "Rifi",
            "Alaou", "Naciri", "Hajj", "Mrabet", "Chaib", "Yousfi", "Harrak", "Karroum",
        ],
    ),
    "caribbean": (
        [
            "Ram", "Jag", "Sew", "Bhag", "Mahab", "Lach", "Shiv", "Kish", "Har", "Bis", "Dew", "Son", "Rag",
            "Gan", "Mung", "Ganga", "Chedi", "Baldew", "Ajodh", "Ramsa", "Hir", "Mat",
        ],
        [
            "din", "dien", "sing", "nath", "sarup", "roop", "nandan", "persad", "lal", "adhin", "baran", "dhan",
            "ier", "jit", "kisoen", "lall", "charan", "narain",
        ],
    ),
    "european": (
        [
            "Kowal", "Nowak", "Wiśniew", "Lewandow", "Dąbrow", "Kamiń", "Zieliń", "Szymań", "Woźniak", "Kozłow",
            "Jankow", "Mazur", "Krawcz", "Grabow", "Pawłow", "Michal", "Zając", "Król", "Wieczor", "Jabłoń",
            "Wróbl", "Nowic", "Adamcz", "Dud", "Wójc", "Sikor", "Baran", "Kubiak", "Stępn", "Pietrz",
        ],
        ["ski", "czyk", "ak", "ek", "owicz", "ewski", "owski", "iak", "uk", "ik"],
    ),
}  # fmt: skip
_TAIL_PREFIXES: Final = [
    ("", 72.0), ("van", 9.0), ("de", 7.0), ("van der", 3.5), ("van den", 2.5), ("van de", 2.0), ("ter", 0.8),
    ("ten", 0.8), ("te", 0.3), ("in 't", 0.3), ("van 't", 0.3), ("op de", 0.2), ("'t", 0.1), ("den", 0.1),
    ("uit den", 0.05), ("van het", 0.05),
]  # fmt: skip
#: Background -> (share of names from the fixed list, share from the own tail); the rest from the Dutch tail.
_SURNAME_MIX: Final = {
    "dutch": (0.18, 0.0),
    "turkish": (0.35, 0.60),
    "moroccan": (0.35, 0.55),
    "caribbean": (0.25, 0.40),
    "european": (0.35, 0.45),
    "asian": (1.0, 0.0),
}

_DUTCH_GIVEN: Final = {
    # (female, era): frequency-ordered first names; era 0 = born before 1960, 1 = 1960-1989, 2 = 1990 on.
    (False, 0): [
        "Johannes", "Jan", "Cornelis", "Hendrik", "Pieter", "Willem", "Gerrit", "Jacobus", "Adrianus", "Petrus",
        "Dirk", "Hendrikus", "Gerardus", "Antonius", "Wilhelmus", "Theodorus", "Franciscus", "Jacob", "Klaas",
        "Albert", "Arie", "Hermanus", "Marinus", "Johan", "Henk", "Kees", "Wim", "Bernardus", "Gijsbert",
        "Teunis", "Wijnand", "Rijk", "Evert", "Harm", "Lambertus", "Aart", "Leendert", "Huib", "Sjoerd",
        "Jelle", "Douwe", "Hein", "Frans", "Toon", "Joop", "Gerard", "Nicolaas", "Martinus", "Egbert", "Reinier",
    ],
    (True, 0): [
        "Maria", "Johanna", "Anna", "Cornelia", "Elisabeth", "Hendrika", "Wilhelmina", "Catharina",
        "Geertruida", "Adriana", "Jacoba", "Petronella", "Aaltje", "Grietje", "Antje", "Trijntje", "Neeltje",
        "Alida", "Margaretha", "Dina", "Hillegonda", "Klaziena", "Marijke", "Gerda", "Riet", "Mijntje", "Truus",
        "Bep", "Corrie", "Ans", "Tiny", "Joke", "Wilma", "Henny", "Jannie", "Gerritje", "Aleida", "Sjoukje",
        "Fenna", "Baukje", "Hendrikje", "Lena", "Teuntje",
    ],
    (False, 1): [
        "Peter", "Mark", "Marco", "Erik", "Michel", "Patrick", "Richard", "Robert", "Martijn", "Jeroen",
        "Dennis", "Sander", "Bas", "Rob", "Frank", "Paul", "Marcel", "Arjan", "Hans", "Edwin", "René", "Remco",
        "Ruud", "Wouter", "Niels", "Stefan", "Bart", "Joost", "Jan-Willem", "Jan-Peter", "Marijn", "Gijs",
        "Maarten", "Vincent", "Jasper", "Tom", "Rick", "Roy", "Ronald", "Erwin", "Leon", "Arno", "Koen",
        "Thijs", "Hugo", "Ivo", "Ramon", "Danny", "Jeffrey",
    ],
    (True, 1): [
        "Linda", "Monique", "Sandra", "Marieke", "Esther", "Ingrid", "Petra", "Anouk", "Mirjam", "Wendy", "Kim",
        "Saskia", "Sanne", "Ilse", "Judith", "Chantal", "Marloes", "Nicole", "Anja", "Karin", "Ellen",
        "Mariëlle", "Daniëlle", "Inge", "Femke", "Suzanne", "Astrid", "Miranda", "Yvonne", "Anne-Marie",
        "Marie-José", "Marijke", "Manon", "Annemiek", "Eline", "Lotte", "Joyce", "Kirsten", "Bianca", "Renate",
        "Mirella", "Nathalie", "Jolanda", "Brenda", "Maaike", "Hester",
    ],
    (False, 2): [
        "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Luuk", "Bram", "Thijs", "Jesse", "Stijn", "Ruben",
        "Tim", "Thomas", "Lars", "Noah", "Liam", "Jayden", "Tygo", "Sven", "Gijs", "Mees", "Julian", "Max",
        "Siem", "Jens", "Joep", "Teun", "Floris", "Ties", "Hugo", "Tijn", "Sep", "Olivier", "Guus", "Jurre",
        "Boaz", "Morris", "Ravi", "Pepijn", "Wessel", "Cas", "Hidde", "Niek", "Dex", "Ruud", "Koen", "Jort",
    ],
    (True, 2): [
        "Emma", "Julia", "Sophie", "Lotte", "Tess", "Anna", "Sara", "Fleur", "Lisa", "Eva", "Noa", "Zoë", "Mila",
        "Evi", "Saar", "Lieke", "Isa", "Femke", "Anouk", "Nina", "Roos", "Yara", "Lynn", "Iris", "Chloë",
        "Fenna", "Maud", "Jasmijn", "Noor", "Liv", "Nora", "Esmee", "Fay", "Sanne", "Demi", "Britt", "Romy",
        "Floor", "Elin", "Luna", "Hanna", "Jente", "Amber", "Merel", "Senna", "Vera", "Lana", "Ilse",
    ],
}  # fmt: skip
_DUTCH_MIDDLE: Final = {
    False: [
        "Johannes", "Petrus", "Cornelis", "Hendrik", "Jacobus", "Antonius", "Gerardus", "Maria", "Franciscus",
        "Wilhelmus", "Pieter", "Jan", "Willem", "Theodorus", "Adrianus", "Hendrikus", "Johan", "Gerrit",
        "Marinus", "Lambertus", "Dirk", "Alexander", "Frederik", "Jozef",
    ],
    True: [
        "Maria", "Johanna", "Cornelia", "Catharina", "Elisabeth", "Wilhelmina", "Anna", "Hendrika", "Petronella",
        "Adriana", "Geertruida", "Jacoba", "Margaretha", "Sophie", "Anne", "Louise", "Josephina", "Aleida",
        "Christina", "Theodora",
    ],
}  # fmt: skip
_FOREIGN_GIVEN: Final = {
    ("turkish", False): [
        "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Yusuf", "Emre", "Burak", "Murat",
        "Kemal", "Osman", "Serkan", "Erdem", "Kaan", "Efe", "Orhan", "Cem", "Mert", "Volkan", "Tolga", "Ömer",
    ],
    ("turkish", True): [
        "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Merve", "Büşra", "Esra", "Özlem", "Sevgi",
        "Derya", "Gül", "Yasemin", "Ebru", "Songül", "Nur", "Dilek", "Hülya", "Tuba", "Selin",
    ],
    ("moroccan", False): [
        "Mohamed", "Mohammed", "Ahmed", "Youssef", "Said", "Rachid", "Hamza", "Bilal", "Ayoub", "Mustapha",
        "Abdelkader", "Karim", "Soufiane", "Ilias", "Mounir", "Khalid", "Adam", "Anouar", "Nordin", "Driss",
        "Brahim", "Abdellah", "Younes", "Redouan",
    ],
    ("moroccan", True): [
        "Fatima", "Khadija", "Naima", "Samira", "Nadia", "Latifa", "Malika", "Salma", "Imane", "Hanane",
        "Aicha", "Yasmina", "Zineb", "Meryem", "Loubna", "Hafsa", "Ikram", "Nora", "Soumaya", "Rachida",
    ],
    ("caribbean", False): [
        "Anil", "Rajesh", "Ravi", "Kevin", "Romano", "Ricardo", "Rudi", "Iwan", "Marvin", "Jurgen", "Gerold",
        "Sunil", "Delano", "Jairzinho", "Rishi", "Vikash", "Glenn", "Errol", "Clarence", "Ashwin",
    ],
    ("caribbean", True): [
        "Sunita", "Shanti", "Priya", "Shirley", "Sharon", "Jennifer", "Natasha", "Sandra", "Reshma",
        "Giovanna", "Quincy", "Chantal", "Anjali", "Rosita", "Gracia", "Marsha", "Ilona", "Kavita",
    ],
    ("european", False): [
        "Piotr", "Tomasz", "Krzysztof", "Andrei", "Ion", "Stefan", "Jürgen", "Günther", "José", "Luca",
        "João", "Michał", "Łukasz", "Dragan", "Sean", "François", "Marek", "Paweł", "Mihai", "Nikolai",
        "Dimitrios", "Miguel", "Giorgos", "Tamás",
    ],
    ("european", True): [
        "Agnieszka", "Katarzyna", "Małgorzata", "Anna", "Marta", "Elena", "María", "Giulia", "Ana", "Ioana",
        "Zsófia", "Siobhan", "Chloé", "Jana", "Magdalena", "Joanna", "Monika", "Andreea", "Sofia", "Ewa",
    ],
    ("asian", False): [
        "Minh", "Anh", "Wei", "Jun", "Arjun", "Deepak", "Rahul", "Hao", "Tuan", "Reza", "Ahmad", "Omid",
        "Hamid", "Farid", "Ali", "Hiroshi", "Jin", "Budi", "Rizwan", "Imran",
    ],
    ("asian", True): [
        "Thi", "Lan", "Mai", "Ying", "Mei", "Priya", "Anjali", "Linh", "Huong", "Maryam", "Shirin", "Xin",
        "Fatemeh", "Zahra", "Yuki", "Ji-woo", "Sari", "Ayesha",
    ],
}  # fmt: skip
_BACKGROUNDS: Final = [
    ("dutch", 76.0),
    ("turkish", 5.0),
    ("moroccan", 5.0),
    ("caribbean", 4.0),
    ("european", 6.0),
    ("asian", 4.0),
]
#: How many given names a person has, by background and era (1, 2, 3).
_NAME_COUNTS: Final = {
    ("dutch", 0): ((1, 18.0), (2, 45.0), (3, 37.0)),
    ("dutch", 1): ((1, 30.0), (2, 50.0), (3, 20.0)),
    ("dutch", 2): ((1, 38.0), (2, 50.0), (3, 12.0)),
    ("other", 0): ((1, 70.0), (2, 27.0), (3, 3.0)),
}


def _era(birth_year: int) -> int:
    return 0 if birth_year < 1960 else 1 if birth_year < 1990 else 2


class _Tail:
    """A long tail of invented surnames with power-law ranks (p ∝ 1/(rank + c)), drawn without building it.

    Why: a city of 2,000 and one of 1 M persons should sample the same national-like distribution — the
    large one simply meets more rare names — so the tail is ``size`` names long whatever the city's size,
    and a name is only made (and cached) when its rank is first drawn. Ranks below the number of two-part
    compounds name those; rarer ranks map one-to-one onto three-part compounds.
    """

    def __init__(
        self,
        rng: random.Random,
        heads: Sequence[str],
        tails: Sequence[str],
        size: int,
        offset: float,
        prefixes: _Weighted[str] | None = None,
        exclude: Iterable[str] = (),
    ) -> None:
        known = set(exclude)
        two = [h + t for h in heads for t in tails]
        if len(two) < size:
            two += [a + b.lower() for a in heads for b in heads if a != b and not a.endswith(" ")]
        rng.shuffle(two)
        self.two = [n for n in dict.fromkeys(two) if n not in known]
        self.heads, self.tails = list(heads), list(tails)
        self.space = len(heads) * len(heads) * len(tails)
        self.size = min(size, len(self.two) + self.space)
        self.offset = offset
        self.log_span = math.log((self.size + offset) / offset)
        self.step = next(a for a in range(7919, 10**7) if math.gcd(a, self.space) == 1)
        self.prefixes = prefixes
        self.cache: dict[int, tuple[str, str]] = {}

    def draw(self, rng: random.Random) -> tuple[str, str]:
        rank = min(self.size - 1, int(self.offset * math.exp(rng.random() * self.log_span) - self.offset))
        hit = self.cache.get(rank)
        if hit is None:
            hit = self.cache[rank] = self._name(rank)
        return hit

    def _name(self, rank: int) -> tuple[str, str]:
        if rank < len(self.two):
            name = self.two[rank]
        else:
            idx = (rank - len(self.two)) * self.step % self.space
            idx, i = divmod(idx, len(self.heads))
            k, j = divmod(idx, len(self.heads))
            name = self.heads[i] + self.heads[j].lower() + self.tails[k]
        prefix = ""
        if self.prefixes is not None:  # a fixed prefix per rank, from a hash of the rank (no stream use)
            u = ((rank * 2654435761 + 12345) & 0xFFFFFFFF) / 2**32
            prefix = self.prefixes.values[bisect_right(self.prefixes.cum, u * self.prefixes.total)]
        return prefix, name


class NameModel:
    """Name frequencies of Demodam: a background, a surname with its prefix, given names by sex and era.

    Why a class: the benchmark draws plausible people who are *not* in the registry from the same
    distributions as the city (same common surnames, same namesakes), so it shares the city's model.
    """

    def __init__(self, rng: random.Random, tail_size: int = 300_000) -> None:
        self.backgrounds = _Weighted(_BACKGROUNDS)
        self.fixed = {"dutch": _Weighted(_zipf(_DUTCH_SURNAMES_TOP, exponent=0.35))}
        for bg, names in _FIXED_SURNAMES.items():
            exponent = 0.35 if bg in ("asian", "european") else 0.6  # one list for many origins: flatter
            self.fixed[bg] = _Weighted(_zipf([("", s) for s in names], exponent=exponent, offset=2.0))
        self.dutch_tail = _Tail(
            rng,
            _SURNAME_ROOTS,
            _SURNAME_ENDINGS,
            tail_size,
            offset=100.0,
            prefixes=_Weighted(_TAIL_PREFIXES),
            exclude=(s for _, s in _DUTCH_SURNAMES_TOP),
        )
        self.tails = {
            bg: _Tail(rng, heads, endings, len(heads) * len(endings), offset=10.0)
            for bg, (heads, endings) in _TAIL_PARTS.items()
        }
        self.dutch_given = {
            key: _Weighted(_zipf(names, exponent=0.6, offset=2.0)) for key, names in _DUTCH_GIVEN.items()
        }
        self.dutch_middle = {key: _Weighted(_zipf(names, exponent=0.8)) for key, names in _DUTCH_MIDDLE.items()}
        self.foreign_given = {
            key: _Weighted(_zipf(names, exponent=0.6, offset=2.0)) for key, names in _FOREIGN_GIVEN.items()
        }
        self.counts = {key: _Weighted(pairs) for key, pairs in _NAME_COUNTS.items()}
        self._joined: dict[tuple[str, ...], str] = {}

    def background(self, rng: random.Random) -> str:
        return self.backgrounds.draw(rng)

    def surname(self, rng: random.Random, background: str) -> tuple[str, str]:
        """(prefix, surname) for someone of this background."""
        fixed, own = _SURNAME_MIX[background]
        u = rng.random()
        if u < fixed:
            return self.fixed[background].draw(rng)
        if u < fixed + own:
            return self.tails[background].draw(rng)
        return self.dutch_tail.draw(rng)

    def given_names(self, rng: random.Random, background: str, female: bool, birth_year: int) -> str:
        """1-3 given names as one string ("Johannes Petrus"), shared between persons with the same names."""
        era = _era(birth_year)
        if background == "dutch":
            count = self.counts[("dutch", era)].draw(rng)
            names = [self.dutch_given[(female, era)].draw(rng)]
            pool = self.dutch_middle[female] if era < 2 or rng.random() < 0.4 else self.dutch_given[(female, 2)]
        else:
            count = self.counts[("other", 0)].draw(rng)
            names = [self.foreign_given[(background, female)].draw(rng)]
            pool = self.foreign_given[(background, female)] if rng.random() < 0.6 else self.dutch_middle[female]
        while len(names) < count:
            extra = pool.draw(rng)
            if extra not in names:
                names.append(extra)
            elif rng.random() < 0.3:
                break
        key = tuple(names)
        joined = self._joined.get(key)
        if joined is None:
            joined = self._joined[key] = " ".join(names)
        return joined


# --------------------------------------------------------------------------------------------- streets
_STREET_ROOTS: Final = [
    "Zwaluw", "Linden", "Kempen", "Wilgen", "Hooi", "Molen", "Klaver", "Sluis", "Turf", "Veen", "Duin",
    "Haven", "Vlas", "Kalk", "Zilt", "Oever", "Berken", "Dorpel", "Kreek", "Polder", "Reiger", "Meeuwen",
    "Kievit", "Merel", "Lijster", "Hazel", "Esdoorn", "Iepen", "Vlier", "Brem", "Heide", "Zegge", "Lisdodde",
    "Kroos", "Bever", "Otter", "Das", "Egel", "Hinde", "Vossen", "Gerst", "Spelt", "Boekweit", "Koolzaad",
    "Rogge", "Zeilmaker", "Kuiper", "Touwslager", "Lakenverver", "Smids", "Pottenbakker", "Walvis",
    "Haring", "Schelp", "Baken", "Boei", "Loods", "Ankers", "Stuurman", "Schipper", "Tij", "Eb", "Vloed",
    "Wijnrank", "Rijp", "Spijker", "Dijkgraaf", "Heemraad", "Schepen", "Proef", "Demo",
]  # fmt: skip
_STREET_PARTS: Final = [
    "", "", "", "", "hoek", "weide", "kamp", "horst", "veld", "rade", "akker", "mere", "donk", "hof", "wijk",
    "rijk", "dal", "hout", "stede", "brug",
]  # fmt: skip
_STREET_KINDS: Final = [
    ("straat", 30.0), ("laan", 16.0), ("weg", 12.0), ("pad", 4.0), ("plein", 3.0), ("kade", 3.0),
    ("singel", 3.0), ("dreef", 3.0), ("hof", 4.0), ("gracht", 2.0), ("dijk", 3.0), ("erf", 2.0),
    ("steeg", 1.5), ("ring", 1.5), ("park", 1.0), ("wal", 1.0), ("markt", 0.5),
]  # fmt: skip
_STREET_MODIFIERS: Final = ["Korte ", "Lange ", "Oude ", "Nieuwe ", "1e ", "2e ", "3e ", "Achter ", "Binnen "]


def _street_names(rng: random.Random) -> Iterator[str]:
    """Distinct invented street names, endlessly: compounds first, then with "Korte", "2e"..., then per district."""
    kinds = _Weighted(_STREET_KINDS)
    seen: set[str] = set()
    misses = 0
    while True:
        part = rng.choice(_STREET_PARTS)
        kind = kinds.draw(rng)
        if part and part == kind:
            continue
        name = rng.choice(_STREET_ROOTS) + part + kind
        if name in seen:
            name = rng.choice(_STREET_MODIFIERS) + name
        if name in seen and misses > 1000:
            name = f"{name} {rng.choice(('Noord', 'Zuid', 'Oost', 'West'))}"
        if name in seen:
            misses += 1
            continue
        seen.add(name)
        yield name


def invent_street_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct invented street names ("Zwaluwhorststraat", "Korte Kalkweidelaan")."""
    names = _street_names(rng)
    return [next(names) for _ in range(count)]


# --------------------------------------------------------------------------------------------- numbers
def bsn_block(count: int) -> list[str]:
    """The first ``count`` eleven-test-valid BSNs counting down from 999 999 999 (see the module notes).

    For eight leading digits the ninth is fixed by the test (weight -1), and one prefix in eleven has none.
    """
    out: list[str] = []
    low = [3 * (x // 10) + 2 * (x % 10) for x in range(100)]  # digits 7 and 8 weigh 3 and 2
    prefix = 99_999_999
    while len(out) < count:
        if prefix < 10_000_000:
            raise ValueError("too many BSNs requested")
        high, rest = divmod(prefix, 100)  # digits 1-6 (weights 9..4), digits 7-8
        s = 0
        h = high
        for w in (4, 5, 6, 7, 8, 9):
            s += w * (h % 10)
            h //= 10
        check = (s + low[rest]) % 11
        if check < 10:
            out.append(f"{prefix:08d}{check}")
        prefix -= 1
    return out


class _Dates:
    """ISO strings per day, made once and shared: a city has ~40,000 distinct birth dates, not a million."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def iso(self, ordinal: int) -> str:
        s = self._cache.get(ordinal)
        if s is None:
            s = self._cache[ordinal] = date.fromordinal(ordinal).isoformat()
        return s


_REF_ORD: Final = REFERENCE_DATE.toordinal()
_NUM: Final = [str(i) for i in range(2000)]
_LETTERS: Final = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
_PC_LETTERS: Final = [p for p in _LETTERS if p not in ("SA", "SD", "SS")]  # never issued

# ------------------------------------------------------------------------------------------- addresses
_USAGE_BY_STREET: Final = {
    "residential": [
        ("woonfunctie", 96.5), ("kantoorfunctie", 1.0), ("winkelfunctie", 1.0), ("bijeenkomstfunctie", 0.5),
        ("gezondheidszorgfunctie", 0.5), ("onderwijsfunctie", 0.3), ("overige gebruiksfunctie", 0.2),
    ],
    "centre": [
        ("woonfunctie", 52.0), ("winkelfunctie", 24.0), ("bijeenkomstfunctie", 9.0), ("kantoorfunctie", 9.0),
        ("logiesfunctie", 2.5), ("gezondheidszorgfunctie", 1.5), ("onderwijsfunctie", 1.0), ("sportfunctie", 1.0),
    ],
    "business": [
        ("industriefunctie", 55.0), ("kantoorfunctie", 28.0), ("winkelfunctie", 5.0),
        ("bijeenkomstfunctie", 3.0), ("sportfunctie", 3.0), ("overige gebruiksfunctie", 5.0), ("celfunctie", 0.2),
        ("woonfunctie", 0.8),
    ],
}  # fmt: skip
#: Usage -> (mu, sigma) of a log-normal floor area in m².
_SURFACE: Final = {
    "woonfunctie": (4.55, 0.35),
    "winkelfunctie": (4.6, 0.7),
    "kantoorfunctie": (5.3, 0.9),
    "industriefunctie": (6.6, 0.9),
    "bijeenkomstfunctie": (5.0, 0.8),
    "logiesfunctie": (6.0, 1.0),
    "gezondheidszorgfunctie": (5.5, 0.8),
    "onderwijsfunctie": (7.0, 0.6),
    "sportfunctie": (6.5, 0.8),
    "celfunctie": (8.0, 0.3),
    "overige gebruiksfunctie": (4.0, 0.9),
}
#: House-number addition schemes of a multi-unit building (BAG huisletter or toevoeging).
_ADDITION_SCHEMES: Final = [
    ("A", "B", "C", "D", "E", "F"),
    ("1", "2", "3", "4", "5", "6"),
    ("H", "1", "2", "3", "4"),
    ("", "A", "B", "C"),
    ("", "1", "2", "3"),
    ("A", "B"),
    ("bis",),
]


@dataclass
class _AddressBook:
    rows: list[Row]
    by_usage: dict[str, list[int]]


def _make_addresses(rng: random.Random, n: int, city: str, pc4_start: int) -> _AddressBook:
    """Streets of ~10-120 numbers; each side of a street gets a new postcode every 6-24 numbers, as PostNL
    does; a tenth of the numbers are multi-unit buildings with additions. BAG ids count up in the city."""
    street_kinds = _Weighted([("residential", 80.0), ("centre", 11.0), ("business", 9.0)])
    usage_by_kind = {k: _Weighted(v) for k, v in _USAGE_BY_STREET.items()}
    streets = _street_names(rng)
    rows: list[Row] = []
    by_usage: dict[str, list[int]] = {}
    pc4 = pc4_start
    letter_i = 0
    letters_max = rng.randint(60, 250)
    surfaces: dict[tuple[str, int], str] = {}
    lognorm = rng.lognormvariate

    def next_postcode() -> str:
        nonlocal pc4, letter_i, letters_max
        letter_i += 1
        if letter_i >= letters_max:
            pc4 = pc4 - 1 if pc4 > 1000 else 9999
            letter_i = 0
            letters_max = rng.randint(60, 250)
        return f"{pc4}{_PC_LETTERS[letter_i]}"

    seq = 0
    while len(rows) < n:
        street = next(streets)
        kind = street_kinds.draw(rng)
        usage_w = usage_by_kind[kind]
        length = rng.randint(4, 40) if kind == "business" else rng.randint(8, 120)
        postcode = [next_postcode(), next_postcode()]
        left = [rng.randint(6, 24), rng.randint(6, 24)]
        multi_unit = 0.18 if kind == "centre" else 0.08
        for number in range(1, length + 1):
            side = number & 1
            left[side] -= 1
            if left[side] < 0:
                postcode[side] = next_postcode()
                left[side] = rng.randint(6, 24)
            pc = postcode[side]
            if rng.random() < multi_unit:
                scheme = rng.choice(_ADDITION_SCHEMES)
                units = scheme[: rng.randint(min(2, len(scheme)), len(scheme))]
            else:
                units = ("",)
            hn = _NUM[number]
            for unit_i, addition in enumerate(units):
                usage = usage_w.draw(rng)
                if unit_i and kind == "centre":
                    usage = "woonfunctie"  # living above the shop
                mu, sigma = _SURFACE[usage]
                area = max(12, int(lognorm(mu, sigma)))
                key = (usage, area)
                surface = surfaces.get(key)
                if surface is None:
                    surface = surfaces[key] = str(area)
                seq += 1
                by_usage.setdefault(usage, []).append(len(rows))
                rows.append((f"{MUNICIPALITY_CODE}01{seq:010d}", street, hn, addition, pc, city, usage, surface))
                if len(rows) >= n:
                    break
            if len(rows) >= n:
                break
    return _AddressBook(rows, by_usage)


# --------------------------------------------------------------------------------------------- persons
_HOUSEHOLD_SIZES: Final = [(1, 38.0), (2, 33.0), (3, 12.0), (4, 12.0), (5, 4.0), (6, 1.0)]
_ADULT_AGES: Final = [
    (age, 1.0 if age < 30 else 1.2 if age < 65 else 0.9 if age < 80 else 0.45 if age < 90 else 0.08)
    for age in range(18, 101)
]


@dataclass
class _Member:
    given: str
    prefix: str
    surname: str
    dob: int  # ordinal
    female: bool


class _PersonMaker:
    """Households one at a time: a head, perhaps a partner, children or an elderly parent."""

    def __init__(self, rng: random.Random, names: NameModel) -> None:
        self.rng = rng
        self.names = names
        self.sizes = _Weighted(_HOUSEHOLD_SIZES)
        self.adult_ages = _Weighted(_ADULT_AGES)
        self.namesake_pool: list[tuple[str, str, str, bool]] = []  # adults so far: (given, prefix, surname, female)

    def dob(self, age: int) -> int:
        return _REF_ORD - age * 365 - (age // 4) - self.rng.randint(0, 364)

    def person(self, background: str, female: bool, age: int, surname: tuple[str, str]) -> _Member:
        year = REFERENCE_DATE.year - age
        given = self.names.given_names(self.rng, background, female, year)
        return _Member(given, surname[0], surname[1], self.dob(age), female)

    def household(self) -> tuple[list[_Member], list[tuple[int, int]]]:
        """Members, and (senior, junior) index pairs among them."""
        rng = self.rng
        bg = self.names.background(rng)
        surname = self.names.surname(rng, bg)
        size = self.sizes.draw(rng)
        pairs: list[tuple[int, int]] = []
        if size == 1:
            members = [self.person(bg, rng.random() < 0.5, self.adult_ages.draw(rng), surname)]
        elif size == 2 and rng.random() < 0.10:
            # An elderly parent living with an adult child; a son is often named after his father.
            old = rng.randint(72, 98)
            young = old - rng.randint(24, 40)
            father = self.person(bg, False, old, surname)
            child = self.person(bg, rng.random() < 0.5, young, surname)
            if not child.female and rng.random() < 0.35:
                child.given = father.given if rng.random() < 0.7 else self._same_first(father.given, bg, young)
                pairs.append((0, 1))
            members = [father, child]
        else:
            single_parent = size >= 2 and rng.random() < (0.18 if size == 2 else 0.12)
            couple = not single_parent
            n_children = size - (2 if couple else 1)
            head_age = rng.randint(22, 78) if n_children == 0 else rng.randint(24 + 2 * n_children, 62)
            head = self.person(bg, single_parent and rng.random() < 0.8, head_age, surname)
            members = [head]
            if couple:
                partner_bg = bg if rng.random() < 0.85 else self.names.background(rng)
                own = surname if rng.random() < 0.5 else self.names.surname(rng, partner_bg)
                partner_age = max(18, head_age + rng.randint(-6, 4))
                members.append(self.person(partner_bg, rng.random() < 0.96, partner_age, own))
            dad = head if not head.female else None
            eldest = max(0, head_age - rng.randint(21, 38))
            for k in range(n_children):
                age = max(0, eldest - k * rng.randint(1, 4))
                child = self.person(bg, rng.random() < 0.49, age, surname)
                if k == 0 and dad is not None and not child.female and age >= 12:
                    r = rng.random()
                    if r < 0.10:
                        child.given = dad.given
                        pairs.append((0, len(members)))
                    elif r < 0.15:
                        child.given = self._same_first(dad.given, bg, REFERENCE_DATE.year - age)
                        pairs.append((0, len(members)))
                members.append(child)
        # A namesake elsewhere in town: now and then a head carries the full name of an earlier adult.
        head = members[0]
        if self.namesake_pool and not pairs and rng.random() < 0.01:
            given, prefix, sur, female = rng.choice(self.namesake_pool)
            head.given, head.prefix, head.surname, head.female = given, prefix, sur, female
            for m in members[1:]:
                if (m.prefix, m.surname) == surname:
                    m.prefix, m.surname = prefix, sur
        if rng.random() < 0.05:
            self.namesake_pool.append((head.given, head.prefix, head.surname, head.female))
        return members, pairs

    def _same_first(self, given: str, bg: str, year: int) -> str:
        """The father's first given name with other middle names (a junior who is not a full namesake)."""
        first = given.split(" ", 1)[0]
        other = self.names.given_names(self.rng, bg, False, year).split(" ")[1:]
        return " ".join([first, *(n for n in other if n != first)]) or first


def _make_persons(
    rng: random.Random, names: NameModel, book: _AddressBook, n: int
) -> tuple[Table, array[int], list[tuple[str, str]]]:
    maker = _PersonMaker(rng, names)
    dates = _Dates()
    homes = list(book.by_usage.get("woonfunctie", [])) or list(range(len(book.rows)))
    rng.shuffle(homes)
    bsns = bsn_block(n)
    rng.shuffle(bsns)
    rows: list[Row] = []
    households: array[int] = array("l")
    pairs: list[tuple[str, str]] = []
    hh = 0
    while len(rows) < n:
        members, js = maker.household()
        arow = book.rows[homes[hh % len(homes)]]  # more households than homes: some share an address
        addr = arow[1:6]
        first = len(rows)
        for m in members:
            if len(rows) >= n:
                break
            i = len(rows)
            rows.append((f"P{i + 1:07d}", m.given, m.prefix, m.surname, dates.iso(m.dob), *addr, bsns[i]))
            households.append(hh)
        for senior, junior in js:
            if first + junior < len(rows):
                pairs.append((rows[first + senior][0], rows[first + junior][0]))
        hh += 1
    return Table("persons", PERSON_COLUMNS, rows), households, pairs


# ------------------------------------------------------------------------------------------- companies
#: sbi code, weight, preferred address usage, words of trade names.
_SECTORS: Final = [
    ("56101", 5.0, "bijeenkomstfunctie", ("Restaurant", "Eethuis", "Brasserie", "Bistro")),
    ("56102", 4.0, "winkelfunctie", ("Snackbar", "Cafetaria", "Grillroom", "Pizzeria", "Shoarma")),
    ("5630", 3.0, "bijeenkomstfunctie", ("Café", "Eetcafé", "Lounge", "Shisha Lounge", "Bar")),
    ("4711", 2.0, "winkelfunctie", ("Supermarkt", "Minimarkt", "Toko")),
    ("4771", 3.0, "winkelfunctie", ("Mode", "Boutique", "Fashion")),
    ("4742", 1.0, "winkelfunctie", ("Belwinkel", "Telecom", "Phone Repair")),
    ("96021", 4.0, "winkelfunctie", ("Kapsalon", "Barbershop", "Kappers")),
    ("96022", 3.0, "winkelfunctie", ("Nagelstudio", "Beautysalon", "Schoonheidssalon")),
    ("4520", 3.0, "industriefunctie", ("Autobedrijf", "Garage", "Carwash", "Autoservice")),
    ("4511", 2.0, "industriefunctie", ("Autohandel", "Auto's", "Occasions")),
    ("4120", 5.0, "kantoorfunctie", ("Bouw", "Bouwbedrijf", "Aannemersbedrijf")),
    ("4334", 4.0, "woonfunctie", ("Schilderwerken", "Schildersbedrijf")),
    ("4322", 3.0, "woonfunctie", ("Installatietechniek", "Loodgietersbedrijf")),
    ("6820", 4.0, "kantoorfunctie", ("Vastgoed", "Onroerend Goed", "Verhuur")),
    ("6420", 3.0, "kantoorfunctie", ("Holding", "Beheer", "Participaties")),
    ("7022", 6.0, "woonfunctie", ("Advies", "Consultancy", "Management")),
    ("6201", 4.0, "woonfunctie", ("Software", "IT", "Digital")),
    ("4932", 2.0, "woonfunctie", ("Taxi", "Taxicentrale", "Personenvervoer")),
    ("4941", 2.0, "industriefunctie", ("Transport", "Logistiek", "Koeriers")),
    ("5510", 1.0, "logiesfunctie", ("Hotel", "Pension", "B&B")),
    ("8121", 2.0, "woonfunctie", ("Schoonmaak", "Cleaning", "Schoonmaakdiensten")),
    ("1071", 1.0, "winkelfunctie", ("Bakkerij", "Banketbakkerij")),
    ("9313", 1.0, "sportfunctie", ("Fitness", "Sportschool", "Gym")),
    ("8553", 0.8, "kantoorfunctie", ("Rijschool", "Verkeersschool")),
    ("8690", 1.0, "gezondheidszorgfunctie", ("Zorg", "Thuiszorg", "Praktijk")),
    ("6619", 0.5, "winkelfunctie", ("Geldtransfer", "Wisselkantoor")),
    ("9200", 0.3, "bijeenkomstfunctie", ("Speelhal", "Amusementscentrum")),
    ("4776", 0.5, "winkelfunctie", ("Growshop", "Tuincentrum", "Bloemen")),
    ("4642", 1.0, "industriefunctie", ("Groothandel", "Import Export", "Trading")),
]
_NONPROFIT_SECTORS: Final = [
    ("9499", 5.0, "bijeenkomstfunctie", ("Belangen", "Wijkvereniging", "Buurthuis", "Cultuur")),
    ("9312", 2.0, "sportfunctie", ("Sportvereniging", "Voetbal", "Atletiek")),
    ("8899", 2.0, "kantoorfunctie", ("Welzijn", "Hulpverlening", "Opvang")),
    ("9491", 1.0, "bijeenkomstfunctie", ("Gebedshuis", "Gemeenschap")),
]
#: legal form, weight, roles of its directors, (min, max) number of directors.
_LEGAL_FORMS: Final = [
    ("Eenmanszaak", 55.0, ("eigenaar",), (1, 1)),
    ("B.V.", 25.0, ("bestuurder",), (1, 2)),
    ("V.O.F.", 8.0, ("vennoot",), (2, 3)),
    ("Stichting", 5.0, ("voorzitter", "secretaris", "penningmeester"), (1, 3)),
    ("Vereniging", 3.0, ("voorzitter", "secretaris", "penningmeester"), (3, 3)),
    ("Maatschap", 1.5, ("maat",), (2, 4)),
    ("C.V.", 1.0, ("beherend vennoot", "commanditaire vennoot"), (2, 2)),
    ("Coöperatie", 0.5, ("bestuurder",), (2, 3)),
    ("N.V.", 0.1, ("bestuurder",), (2, 3)),
]
_BRAND_HEADS: Final = [
    "Vex", "Nor", "Bra", "Kel", "Zan", "Tro", "Mer", "Lux", "Pri", "Sta", "Vol", "Dra", "Fen", "Hal", "Ori",
    "Del", "Arn", "Sol", "Ver", "Kor", "Ben", "Cas", "Duo", "Elm", "Gro",
]  # fmt: skip
_PLACE_BRANDS: Final = ["Demodam", "Demodamse", "Haven", "Centrum", "Noord", "Zuid", "Oost", "West", "Stad", "Regio"]
_BRAND_TAILS: Final = ["ano", "ix", "ora", "um", "ex", "io", "en", "ar", "is", "o", "a", "us", "el", "on", "ia"]


def _display_surname(prefix: str, surname: str) -> str:
    """A surname as a trade name writes it: the prefix capitalised ("Van der Berg")."""
    return f"{prefix[0].upper()}{prefix[1:]} {surname}" if prefix else surname


def _make_companies(rng: random.Random, n: int, persons: Table, book: _AddressBook) -> tuple[Table, Table]:
    companies = Table("companies", COMPANY_COLUMNS)
    directors = Table("company_directors", DIRECTOR_COLUMNS)
    if n == 0 or not persons.rows:
        return companies, directors
    dates = _Dates()
    forms = _Weighted((f, w) for f, w, _, _ in _LEGAL_FORMS)
    form_info = {f: (roles, span) for f, _, roles, span in _LEGAL_FORMS}
    sectors = _Weighted((s, s[1]) for s in _SECTORS)
    nonprofit = _Weighted((s, s[1]) for s in _NONPROFIT_SECTORS)
    adult_cut = dates.iso(_REF_ORD - 18 * 365 - 5)
    adults = [i for i, row in enumerate(persons.rows) if row[4] <= adult_cut] or list(range(len(persons.rows)))
    serial = rng.sample(adults, max(1, len(adults) // 1000))  # a few persons direct many companies
    kvk_space = 10**6 if n <= 10**6 else 10**7
    kvk_numbers = rng.sample(range(kvk_space), n)
    kvk_lead = "99" if kvk_space == 10**6 else "9"
    width = 8 - len(kvk_lead)
    any_address = range(len(book.rows))

    def director() -> int:
        return rng.choice(serial) if rng.random() < 0.03 else rng.choice(adults)

    def brand() -> str:
        if rng.random() < 0.15:
            return rng.choice(_PLACE_BRANDS)
        return rng.choice(_BRAND_HEADS) + rng.choice(_BRAND_TAILS)

    for i in range(n):
        cid = f"C{i + 1:07d}"
        form = forms.draw(rng)
        roles, (lo, hi) = form_info[form]
        sbi, _, usage, words = (nonprofit if form in ("Stichting", "Vereniging") else sectors).draw(rng)
        people = [director() for _ in range(rng.randint(lo, hi))]
        people = list(dict.fromkeys(people))
        owner = persons.rows[people[0]]
        word = rng.choice(words)
        r = rng.random()
        if form in ("Stichting", "Vereniging"):
            trade = f"{form} {word} {brand()}"
        elif form in ("Eenmanszaak", "V.O.F.", "Maatschap") and r < 0.45:
            name = _display_surname(owner[2], owner[3])
            if len(people) > 1 and r < 0.2:
                other = persons.rows[people[1]]
                trade = f"{name} & {_display_surname(other[2], other[3])}"
            else:
                trade = f"{name} {word}"
        elif form == "Eenmanszaak" and r < 0.65:
            trade = f"{word} {owner[1].split(' ')[0]}"
        else:
            trade = f"{brand()} {word}"
        if form in ("B.V.", "N.V."):
            trade = f"{trade} {form}"
        at_home = usage == "woonfunctie" or (form == "Eenmanszaak" and rng.random() < 0.4)
        if at_home:
            addr = owner[5:10]
        else:
            pool = book.by_usage.get(usage) or any_address
            addr = book.rows[rng.choice(pool)][1:6]
        years_ago = min(75.0, rng.expovariate(1 / 9))
        reg = dates.iso(_REF_ORD - int(years_ago * 365.25) - 1)
        kvk = f"{kvk_lead}{kvk_numbers[i]:0{width}d}"
        companies.rows.append((cid, kvk, trade, form, *addr, sbi, reg))
        for k, p in enumerate(people):
            role = roles[min(k, len(roles) - 1)] if len(roles) > 1 else roles[0]
            directors.rows.append((cid, persons.rows[p][0], role))
    return companies, directors


# ---------------------------------------------------------------------------------- departmental records
@dataclass(frozen=True)
class _RecordType:
    name: str
    weight: float
    company_share: float  # probability that the subject is a company (when the city has companies)
    statuses: tuple[tuple[str, float], ...]
    summaries: tuple[str, ...]


_PERMIT_STATUS: Final = (
    ("verleend", 60.0), ("in behandeling", 12.0), ("aangevraagd", 8.0), ("geweigerd", 6.0),
    ("ingetrokken", 3.0), ("verlopen", 8.0), ("buiten behandeling gesteld", 3.0),
)  # fmt: skip
_ENFORCEMENT_STATUS: Final = (
    ("afgerond", 55.0), ("open", 20.0), ("in bezwaar", 6.0), ("in beroep", 2.0), ("overtreding beëindigd", 12.0),
    ("ingevorderd", 5.0),
)  # fmt: skip
_TAX_STATUS: Final = (
    ("opgelegd", 25.0), ("betaald", 50.0), ("openstaand", 10.0), ("bezwaar", 5.0), ("kwijtgescholden", 4.0),
    ("dwangbevel", 4.0), ("oninbaar", 2.0),
)  # fmt: skip
_RECORD_TYPES: Final = {
    "permits": [
        _RecordType("alcoholwetvergunning", 14.0, 1.0, _PERMIT_STATUS, (
            "Vergunning Alcoholwet voor een horecalokaliteit.",
            "Wijziging leidinggevenden op de vergunning Alcoholwet.",
            "Vergunning Alcoholwet, slijtersbedrijf.",
        )),
        _RecordType("exploitatievergunning", 14.0, 1.0, _PERMIT_STATUS, (
            "Exploitatievergunning horeca op grond van de APV.",
            "Exploitatievergunning, verlengde openingstijden tot 03:00 uur.",
            "Exploitatievergunning na overname van de zaak.",
        )),
        _RecordType("omgevingsvergunning", 40.0, 0.3, _PERMIT_STATUS, (
            "Omgevingsvergunning voor het bouwen van een dakkapel.",
            "Omgevingsvergunning voor het splitsen van een woning in drie appartementen.",
            "Omgevingsvergunning voor het wijzigen van het gebruik naar bedrijfsruimte.",
            "Omgevingsvergunning voor het kappen van een boom.",
            "Omgevingsplanactiviteit: verbouw van de begane grond tot winkel.",
        )),
        _RecordType("evenementenvergunning", 8.0, 0.6, _PERMIT_STATUS, (
            "Evenementenvergunning voor een buurtfeest.",
            "Evenementenvergunning voor een muziekevenement tot 1.000 bezoekers.",
        )),
        _RecordType("standplaatsvergunning", 5.0, 0.5, _PERMIT_STATUS, (
            "Standplaatsvergunning voor de weekmarkt.",
            "Standplaatsvergunning voor een foodtruck.",
        )),
        _RecordType("terrasvergunning", 8.0, 1.0, _PERMIT_STATUS, (
            "Terrasvergunning voor 24 zitplaatsen.",
            "Terrasvergunning, uitbreiding met een overkapping.",
        )),
        _RecordType("speelautomatenvergunning", 2.0, 1.0, _PERMIT_STATUS, (
            "Aanwezigheidsvergunning voor twee kansspelautomaten.",
        )),
        _RecordType("seksinrichtingvergunning", 0.5, 1.0, _PERMIT_STATUS, (
            "Exploitatievergunning seksinrichting.",
        )),
        _RecordType("woningvormingsvergunning", 8.5, 0.4, _PERMIT_STATUS, (
            "Vergunning Huisvestingsverordening: woningvorming.",
            "Vergunning voor kamerverhuur aan vier personen.",
        )),
    ],
    "enforcement": [
        _RecordType("controle", 40.0, 0.5, _ENFORCEMENT_STATUS, (
            "Controle horeca: geen overtredingen geconstateerd.",
            "Controle bouw: werkzaamheden conform vergunning.",
            "Integrale controle met politie en belastingdienst.",
            "Controle bewoning: meer bewoners aangetroffen dan ingeschreven.",
            "Controle Alcoholwet: leidinggevende niet aanwezig.",
        )),
        _RecordType("waarschuwing", 20.0, 0.5, _ENFORCEMENT_STATUS, (
            "Schriftelijke waarschuwing wegens bouwen zonder vergunning.",
            "Waarschuwing: overschrijding terrasgrenzen.",
            "Waarschuwing wegens overlast en afval naast de container.",
        )),
        _RecordType("vooraankondiging", 10.0, 0.5, _ENFORCEMENT_STATUS, (
            "Vooraankondiging last onder dwangsom, zienswijze binnen twee weken.",
            "Voornemen tot sluiting, zienswijze gevraagd.",
        )),
        _RecordType("last onder dwangsom", 12.0, 0.5, _ENFORCEMENT_STATUS, (
            "Last onder dwangsom: € 2.500 per overtreding, maximaal € 25.000.",
            "Last onder dwangsom: € 500 per week, maximaal € 10.000.",
            "Last onder dwangsom wegens strijdig gebruik van een bedrijfspand.",
        )),
        _RecordType("last onder bestuursdwang", 5.0, 0.5, _ENFORCEMENT_STATUS, (
            "Last onder bestuursdwang: verwijderen van een illegale uitbouw.",
            "Bestuursdwang: ontruiming wegens brandgevaarlijke situatie.",
        )),
        _RecordType("bestuurlijke boete", 6.0, 0.6, _ENFORCEMENT_STATUS, (
            "Bestuurlijke boete Alcoholwet: € 1.360.",
            "Bestuurlijke boete wegens overtreding van de APV: € 340.",
        )),
        _RecordType("sluiting", 3.0, 0.7, _ENFORCEMENT_STATUS, (
            "Sluiting woning voor drie maanden op grond van art. 13b Opiumwet.",
            "Sluiting bedrijfspand voor zes maanden op grond van art. 13b Opiumwet.",
            "Sluiting horecazaak op grond van art. 174a Gemeentewet.",
        )),
        _RecordType("invordering dwangsom", 4.0, 0.5, _ENFORCEMENT_STATUS, (
            "Invorderingsbesluit verbeurde dwangsom: € 7.500.",
            "Invorderingsbesluit verbeurde dwangsom: € 25.000.",
        )),
    ],
    "taxes": [
        _RecordType("WOZ-beschikking", 30.0, 0.15, _TAX_STATUS, (
            "WOZ-beschikking, waardepeildatum 1 januari.",
            "WOZ-beschikking, object gewijzigd na verbouwing.",
        )),
        _RecordType("aanslag OZB", 20.0, 0.2, _TAX_STATUS, (
            "Aanslag onroerendezaakbelasting eigenaren.",
            "Aanslag onroerendezaakbelasting gebruikers niet-woning.",
        )),
        _RecordType("aanslag afvalstoffenheffing", 20.0, 0.0, _TAX_STATUS, (
            "Aanslag afvalstoffenheffing meerpersoonshuishouden.",
            "Aanslag afvalstoffenheffing eenpersoonshuishouden.",
        )),
        _RecordType("aanslag rioolheffing", 12.0, 0.2, _TAX_STATUS, (
            "Aanslag rioolheffing eigenaren.",
        )),
        _RecordType("bezwaar WOZ-waarde", 6.0, 0.15, _TAX_STATUS, (
            "Bezwaar tegen de WOZ-waarde, waarde verlaagd.",
            "Bezwaar tegen de WOZ-waarde, ongegrond.",
        )),
        _RecordType("kwijtschelding", 5.0, 0.0, _TAX_STATUS, (
            "Verzoek om kwijtschelding gemeentelijke belastingen.",
        )),
        _RecordType("dwangbevel", 4.0, 0.3, _TAX_STATUS, (
            "Dwangbevel wegens niet betaalde aanslag.",
            "Dwangbevel, beslag aangekondigd.",
        )),
        _RecordType("toeristenbelasting", 1.5, 1.0, _TAX_STATUS, (
            "Aanslag toeristenbelasting op basis van opgegeven overnachtingen.",
        )),
        _RecordType("precariobelasting", 1.5, 1.0, _TAX_STATUS, (
            "Aanslag precariobelasting voor terras en uitstalling.",
        )),
    ],
}  # fmt: skip
#: Table -> (id prefix, share of all records, probability that a person's date of birth is left out).
_RECORD_TABLES: Final = {"permits": ("VG", 0.25, 0.10), "enforcement": ("HH", 0.30, 0.35), "taxes": ("BL", 0.45, 0.05)}


def _make_records(rng: random.Random, n: int, persons: Table, companies: Table) -> tuple[Table, Table, Table]:
    dates = _Dates()
    adult_cut = dates.iso(_REF_ORD - 18 * 365 - 5)
    adults = [i for i, row in enumerate(persons.rows) if row[4] <= adult_cut] or list(range(len(persons.rows)))
    start = date(2018, 1, 1).toordinal()
    out: list[Table] = []
    remaining = n
    names = list(_RECORD_TABLES)
    for t_i, table_name in enumerate(names):
        prefix, share, no_dob = _RECORD_TABLES[table_name]
        count = remaining if t_i == len(names) - 1 else round(n * share)
        remaining -= count
        table = Table(table_name, RECORD_COLUMNS)
        types = _Weighted((rt, rt.weight) for rt in _RECORD_TYPES[table_name])
        statuses = {rt.name: _Weighted(rt.statuses) for rt in _RECORD_TYPES[table_name]}
        rows, subjects = table.rows, table.subject_ids
        for k in range(count):
            rt = types.draw(rng)
            head = (
                f"{prefix}-{k + 1:07d}",
                rt.name,
                dates.iso(rng.randint(start, _REF_ORD - 1)),
                statuses[rt.name].draw(rng),
                rng.choice(rt.summaries),
            )
            if companies.rows and rng.random() < rt.company_share:
                c = companies.rows[rng.randrange(len(companies.rows))]
                rows.append((*head, "", "", "", "", c[1], c[2], *c[4:9]))
                subjects.append(c[0])
            elif persons.rows:
                p = persons.rows[rng.choice(adults)]
                dob = "" if rng.random() < no_dob else p[4]
                rows.append((*head, p[1], p[2], p[3], dob, "", "", *p[5:10]))
                subjects.append(p[0])
        out.append(table)
    return out[0], out[1], out[2]


# -------------------------------------------------------------------------------------------------- API
def _stream(seed: int, part: str) -> random.Random:
    """One random stream per part of the city, so that e.g. more records never change the persons of a seed.

    Pseudo-random on purpose: this is reproducible test data, never a secret.
    """
    return random.Random(f"demodam:{seed}:{part}")  # noqa: S311  # nosec B311


def generate_city(
    persons: int = 2000,
    seed: int = 0,
    companies: int | None = None,
    addresses: int | None = None,
    records: int | None = None,
    city: str = CITY_NAME,
) -> City:
    """Generate a fictitious city; the same arguments always give the same city.

    Defaults follow the brief: companies ≈ 15 % of persons, addresses ≈ 50 %, departmental records ≈ persons
    (split 25 % permits, 30 % enforcement, 45 % taxes). Pass 0 to leave a table empty.
    """
    if persons < 1:
        raise ValueError("persons must be at least 1")
    n_companies = round(persons * 0.15) if companies is None else companies
    n_addresses = max(1, round(persons * 0.5)) if addresses is None else addresses
    n_records = persons if records is None else records
    if min(n_companies, n_addresses, n_records) < 0:
        raise ValueError("counts must not be negative")
    if n_addresses < 1:
        raise ValueError("a city needs at least one address")
    names = NameModel(_stream(seed, "names"))
    book = _make_addresses(_stream(seed, "addresses"), n_addresses, city, pc4_start=9999)
    person_table, households, pairs = _make_persons(_stream(seed, "persons"), names, book, persons)
    company_table, director_table = _make_companies(_stream(seed, "companies"), n_companies, person_table, book)
    permits, enforcement, taxes = _make_records(_stream(seed, "records"), n_records, person_table, company_table)
    return City(
        name=city,
        seed=seed,
        persons=person_table,
        companies=company_table,
        company_directors=director_table,
        addresses=Table("addresses", ADDRESS_COLUMNS, book.rows),
        permits=permits,
        enforcement=enforcement,
        taxes=taxes,
        households=households,
        junior_senior=pairs,
        names=names,
    )


def write_table(table: Table, path: Path) -> Path:
    """One table as UTF-8 CSV with a header of its canonical columns."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    return path


def write_city(city: City, out_dir: Path, fmt: str = "csv", *, truth: bool = False) -> list[Path]:
    """Write persons.csv, companies.csv, company_directors.csv, addresses.csv, permits.csv, enforcement.csv
    and taxes.csv, plus FICTITIOUS.txt; with ``truth`` also record_subjects.csv (table, record_id, subject_id)
    so a benchmark can check which registry entry each departmental record is about."""
    if fmt != "csv":
        raise ValueError(f"unsupported format {fmt!r}; only 'csv' is written")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [write_table(t, out_dir / f"{name}.csv") for name, t in city.tables().items()]
    if truth:
        path = out_dir / "record_subjects.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("table", "record_id", "subject_id"))
            for t in (city.permits, city.enforcement, city.taxes):
                writer.writerows((t.name, row[0], sid) for row, sid in zip(t.rows, t.subject_ids, strict=True))
        paths.append(path)
    marker = out_dir / "FICTITIOUS.txt"
    counts = ", ".join(f"{len(t)} {name}" for name, t in city.tables().items())
    marker.write_text(
        f"FICTITIOUS DATA. {city.name} does not exist: every person, company, address and record in these files\n"
        f"was generated by weerbaar.sources.synthetic (seed {city.seed}): {counts}.\n"
        "BSNs pass the eleven-test and KvK numbers look real, but none was issued to anyone for this data.\n",
        encoding="utf-8",
    )
    paths.append(marker)
    return paths
