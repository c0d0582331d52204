# SPDX-License-Identifier: EUPL-1.2
"""Municipal lineage: which municipalities existed on 1 January of each year 2009–2024, and where
their territory is today.

The monitor's unit of analysis changes between waves (441 municipalities in 2009, 345 in 2022)
because municipalities merge. This module reconstructs the list per year from two reference files
in ``monitor/data`` (README there says where they come from): the 342 municipalities of 2024 and
the mergers since 2009, plus the four renamings that gave a municipality a new code.

It works backwards from 2024: the list on 1 January of year Y is the list of Y+1 with every change
that took effect after 1 January Y and on or before 1 January Y+1 undone (the abolished codes come
back; a code the change created disappears). A code is *created* by its first change when it is
numbered GM1884 or higher: CBS numbers new municipalities in sequence, and GM1884 (Kaag en
Braassem, 2009) was the first new code of the period; a lower code that receives territory is an
existing municipality absorbing a neighbour. tests/monitor/test_lineage.py checks the result
against CBS's yearly counts.

The building functions are free of Django (the migration and the analysis use them); the query
helpers at the end read the ``Municipality`` table that the migration fills.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from weerbaar.monitor.models import Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
FIRST_YEAR = 2009
LAST_YEAR = 2024
#: CBS numbers new municipalities in sequence; the first code created in the period.
FIRST_NEW_CODE = 1884

#: Size classes: (code, lower bound inclusive). docs/monitor-data.md explains the cut-offs.
SIZE_CLASSES: tuple[tuple[str, int], ...] = (
    ("under_20k", 0),
    ("20k_50k", 20_000),
    ("50k_100k", 50_000),
    ("100k_plus", 100_000),
)

#: The police units are named as in domain.md §6 (the reference file says "Amsterdam").
RIEC_NAMES = {"Amsterdam": "Amsterdam-Amstelland"}

#: Renamings: a new code for the same territory (reference README, "Excluded on purpose").
RENAMINGS: tuple[tuple[str, str, str, str, str], ...] = (
    ("2009-01-01", "GM0065", "Dantumadeel", "GM1891", "Dantumadiel"),
    ("2011-01-01", "GM0083", "Menaldumadeel", "GM1908", "Menameradiel"),
    ("2015-07-01", "GM1921", "De Friese Meren", "GM1940", "De Fryske Marren"),
    ("2016-01-01", "GM0241", "Groesbeek", "GM1945", "Berg en Dal"),
)

#: Mergers that did not take effect on 1 January (reference README).
EFFECTIVE_DATES = {"GM0600": "2010-03-18", "GM0457": "2022-03-24"}  # Rozenburg, Weesp

#: Municipalities divided over several successors; only the main successor is recorded.
SPLIT = frozenset({"GM0893", "GM0063", "GM1671", "GM0140", "GM0053", "GM0788"})

#: Where a municipality's province or RIEC region before its merger differs from its successor's.
#: Leerdam and Zederik lay in Zuid-Holland (police unit Rotterdam) until they formed
#: Vijfheerenlanden (Utrecht) in 2019; Weesp belonged to Gooi en Vechtstreek (Midden-Nederland)
#: until it joined Amsterdam in 2022.
REGION_OVERRIDES: dict[str, dict[str, str]] = {
    "GM0545": {"province": "Zuid-Holland", "riec_region": "Rotterdam"},
    "GM0707": {"province": "Zuid-Holland", "riec_region": "Rotterdam"},
    "GM0457": {"riec_region": "Midden-Nederland"},
}

#: An absorbed municipality (one that joined an existing municipality that kept its code) is
#: estimated at no more than this many inhabitants; see :func:`_split_population`.
ABSORBED_CAP = 10_000

CBS, CARRIED, SHARE = "cbs", "carried", "share"

#: Registered population of the Netherlands on 1 January (CBS StatLine 37296ned). An estimated
#: figure is the 2024 figure scaled by NATIONAL_POPULATION[year] / NATIONAL_POPULATION[2024], so
#: that a municipality is not put in a larger size class for growth that came after the wave.
NATIONAL_POPULATION = {
    2009: 16_485_787,
    2010: 16_574_989,
    2011: 16_655_799,
    2012: 16_730_348,
    2013: 16_779_575,
    2014: 16_829_289,
    2015: 16_900_726,
    2016: 16_979_120,
    2017: 17_081_507,
    2018: 17_181_084,
    2019: 17_282_163,
    2020: 17_407_585,
    2021: 17_475_415,
    2022: 17_590_672,
    2023: 17_811_291,
    2024: 17_942_942,
}


@dataclass(frozen=True)
class Change:
    """A municipality abolished (merger) or given a new code (renaming) on ``date``."""

    date: dt.date
    kind: str  # "merger" | "renaming"
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    split: bool = False


@dataclass(frozen=True)
class Entry:
    """One municipality on 1 January of ``year`` (the rows of the ``Municipality`` table)."""

    year: int
    cbs_code: str
    name: str
    province: str
    population: int
    population_is_estimate: bool
    population_method: str
    size_class: str
    riec_region: str
    current_code: str


def size_class(population: int) -> str:
    """The size class of a population (lower bounds inclusive: 20,000 is in ``20k_50k``)."""
    found = SIZE_CLASSES[0][0]
    for code, lower in SIZE_CLASSES:
        if population >= lower:
            found = code
    return found


def read_changes(data_dir: Path = DATA_DIR) -> list[Change]:
    """Mergers from ``mergers.csv`` plus the renamings, in order of effect."""
    changes: list[Change] = []
    with (data_dir / "mergers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            old = row["old_cbs_code"].strip()
            date = EFFECTIVE_DATES.get(old, f"{int(row['year']):04d}-01-01")
            changes.append(
                Change(
                    date=dt.date.fromisoformat(date),
                    kind="merger",
                    old_code=old,
                    old_name=row["old_name"].strip(),
                    new_code=row["new_cbs_code"].strip(),
                    new_name=row["new_name"].strip(),
                    split=old in SPLIT,
                )
            )
    for date, old, old_name, new, new_name in RENAMINGS:
        changes.append(Change(dt.date.fromisoformat(date), "renaming", old, old_name, new, new_name))
    changes.sort(key=lambda c: (c.date, c.old_code))
    return changes


def read_current(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """The 2024 municipalities by code: name, province, population, RIEC region."""
    current: dict[str, dict[str, Any]] = {}
    with (data_dir / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            unit = row["police_unit"].strip()
            current[row["cbs_code"].strip()] = {
                "name": row["name"].strip(),
                "province": row["province"].strip(),
                "population": int(row["population"]),
                "riec_region": RIEC_NAMES.get(unit, unit),
            }
    return current


def read_population_history(data_dir: Path = DATA_DIR) -> dict[tuple[int, str], int]:
    """Measured populations for earlier years (``population_history.csv``: year, cbs_code,
    population), used instead of an estimate wherever a row exists. Empty if there is no file."""
    path = data_dir / "population_history.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {(int(r["year"]), r["cbs_code"].strip()): int(r["population"]) for r in csv.DictReader(handle)}


def _created(changes: list[Change]) -> set[tuple[str, dt.date]]:
    """(code, date) of the change that created each new code: its first appearance as a successor."""
    first: dict[str, dt.date] = {}
    for change in changes:
        if int(change.new_code[2:]) >= FIRST_NEW_CODE and change.new_code not in first:
            first[change.new_code] = change.date
    return set(first.items())


def _between(changes: Iterable[Change], year: int) -> list[Change]:
    """Changes that took effect after 1 January ``year`` and on or before 1 January ``year + 1``."""
    low, high = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return [c for c in changes if low < c.date <= high]


def _split_population(total: int, members: list[str], absorber: str | None) -> dict[str, int]:
    """Share a successor's population out over the municipalities that formed it.

    No population figure before 2024 is in the reference data, so this is an estimate: where a
    new municipality was formed, every member gets an equal share; where an existing municipality
    absorbed neighbours (it kept its code), each absorbed one is taken to be small — an equal share
    but at most ``ABSORBED_CAP`` (every municipality absorbed 2009–2024 had fewer than about
    20,000 inhabitants) — and the absorber keeps the rest.
    """
    if absorber is None:
        base, rest = divmod(total, len(members))
        return {code: base + (1 if i < rest else 0) for i, code in enumerate(sorted(members))}
    absorbed = [m for m in members if m != absorber]
    each = min(total // len(members), ABSORBED_CAP)
    shares = dict.fromkeys(absorbed, each)
    shares[absorber] = total - each * len(absorbed)
    return shares


def build(data_dir: Path = DATA_DIR) -> tuple[list[Entry], list[Change]]:
    """Every (year, municipality) from 2009 to 2024, and the changes, from the reference files."""
    changes = read_changes(data_dir)
    current = read_current(data_dir)
    measured = read_population_history(data_dir)
    created = _created(changes)
    names = {c.old_code: c.old_name for c in changes} | {c.new_code: c.new_name for c in changes}
    names |= {code: info["name"] for code, info in current.items()}

    # The state of the year being built, walking back from 2024: code -> (population, method).
    population = {code: info["population"] for code, info in current.items()}
    method = dict.fromkeys(current, CBS)
    by_year: dict[int, dict[str, tuple[int, str]]] = {LAST_YEAR: {c: (population[c], CBS) for c in current}}
    for year in range(LAST_YEAR - 1, FIRST_YEAR - 1, -1):
        # A figure carried back one year is no longer the figure of that year.
        method = {code: CARRIED if how == CBS else how for code, how in method.items()}
        groups: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
        for change in _between(changes, year):
            groups[(change.date, change.new_code)].append(change.old_code)
        # Undo the interval's changes, latest first, so that a chain within one interval unwinds.
        for (date, new_code), olds in sorted(groups.items(), reverse=True):
            kept = (new_code, date) not in created
            members = sorted(olds) + ([new_code] if kept else [])
            total, inherited = population.pop(new_code), method.pop(new_code)
            for code, value in _split_population(total, members, new_code if kept else None).items():
                population[code] = value
                method[code] = inherited if len(members) == 1 else SHARE
        for code in population:
            if (year, code) in measured:
                population[code], method[code] = measured[(year, code)], CBS
        by_year[year] = {c: (population[c], method[c]) for c in population}

    successor = {c.old_code: c.new_code for c in changes}
    entries: list[Entry] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        scale = NATIONAL_POPULATION[year] / NATIONAL_POPULATION[LAST_YEAR]
        for code, (figure, how) in sorted(by_year[year].items()):
            value = figure if how == CBS else round(figure * scale)
            now = _chain(code, successor)
            info = current[now]
            override = REGION_OVERRIDES.get(code, {})
            entries.append(
                Entry(
                    year=year,
                    cbs_code=code,
                    name=info["name"] if code in current else names[code],
                    province=override.get("province", info["province"]),
                    population=value,
                    population_is_estimate=how != CBS,
                    population_method=how,
                    size_class=size_class(value),
                    riec_region=override.get("riec_region", info["riec_region"]),
                    current_code=now,
                )
            )
    return entries, changes


def _chain(code: str, successor: dict[str, str]) -> str:
    seen = {code}
    while code in successor:
        code = successor[code]
        if code in seen:  # pragma: no cover - a cycle would be an error in the reference data
            raise ValueError(f"cycle in the municipal changes at {code}")
        seen.add(code)
    return code


@lru_cache(maxsize=1)
def _lineage() -> tuple[dict[int, dict[str, Entry]], dict[str, str]]:
    entries, changes = build()
    by_year: dict[int, dict[str, Entry]] = defaultdict(dict)
    for entry in entries:
        by_year[entry.year][entry.cbs_code] = entry
    return dict(by_year), {c.old_code: c.new_code for c in changes}


def entries(year: int) -> dict[str, Entry]:
    """The municipalities of ``year`` from the reference files (Django-free), by code."""
    by_year, _ = _lineage()
    if year not in by_year:
        raise KeyError(f"no municipal lineage for {year} (known: {FIRST_YEAR}–{LAST_YEAR})")
    return by_year[year]


def current_code(code: str, year: int | None = None) -> str:
    """The 2024 code of the municipality that now holds the territory of ``code``, following
    mergers and renamings in order (GM0083 Menaldumadeel → GM1908 Menameradiel → GM1949 Waadhoeke).

    With ``year``, the code must have existed on 1 January of that year (``KeyError`` otherwise);
    CBS never reuses a code, so the chain itself does not depend on the year.
    """
    by_year, successor = _lineage()
    if year is not None and code not in entries(year):
        raise KeyError(f"{code} is not a municipality on 1 January {year}")
    if year is None and code not in successor and code not in by_year[LAST_YEAR]:
        raise KeyError(f"{code} is not a known municipality code")
    return _chain(code, successor)


# --- the database table (filled by migration 0002) ---------------------------------------------


def municipalities(year: int) -> QuerySet[Municipality]:
    """The municipalities of 1 January ``year`` as stored (ordered by code)."""
    from weerbaar.monitor.models import Municipality

    return Municipality.objects.filter(year=year).order_by("cbs_code")


def codes(year: int) -> set[str]:
    """The CBS codes valid for a wave of ``year`` (from the stored lineage). A wave beyond the
    lineage (2026 while the list ends in 2024) covers the latest stored year's municipalities,
    as opening a wave and the report do (``waves.frame_year``)."""
    known = [y for y in years() if y <= year]
    return set(municipalities(max(known)).values_list("cbs_code", flat=True)) if known else set()


def years() -> list[int]:
    """The years the stored lineage covers."""
    from weerbaar.monitor.models import Municipality

    return sorted(set(Municipality.objects.values_list("year", flat=True).distinct()))
