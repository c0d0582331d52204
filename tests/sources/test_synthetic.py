# SPDX-License-Identifier: EUPL-1.2
"""The synthetic city and the Dutch person benchmark: deterministic, valid, internally consistent, fast.

Why these checks: benchmarks and demos trust this data blindly — an invalid BSN, a director who does not
exist or a truth row that points nowhere would silently skew every figure measured on it.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from stdnum.nl import bsn

from weerbaar.sources.synthetic import (
    ADDRESS_COLUMNS,
    COMPANY_COLUMNS,
    DIRECTOR_COLUMNS,
    PERSON_COLUMNS,
    RECORD_COLUMNS,
    City,
    bsn_block,
    generate_city,
    write_city,
)

ROOT = Path(__file__).resolve().parents[2]
POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def city() -> City:
    return generate_city(2000, seed=7)


@pytest.fixture(scope="module")
def benchmark() -> ModuleType:
    path = ROOT / "bench" / "dutch_benchmark.py"
    spec = importlib.util.spec_from_file_location("dutch_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dutch_benchmark"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_city_other_seed_other_city() -> None:
    a, b, c = generate_city(300, seed=3), generate_city(300, seed=3), generate_city(300, seed=4)
    for name, table in a.tables().items():
        assert table.rows == b.tables()[name].rows, name
    assert a.persons.rows != c.persons.rows
    assert a.junior_senior == b.junior_senior


def test_default_sizes_follow_the_brief(city: City) -> None:
    assert len(city.persons) == 2000
    assert len(city.companies) == 300
    assert len(city.addresses) == 1000
    assert len(city.permits) + len(city.enforcement) + len(city.taxes) == 2000
    assert city.fictitious and city.name == "Demodam"


def test_columns_are_canonical(city: City) -> None:
    assert city.persons.columns == PERSON_COLUMNS
    assert city.companies.columns == COMPANY_COLUMNS
    assert city.company_directors.columns == DIRECTOR_COLUMNS
    assert city.addresses.columns == ADDRESS_COLUMNS
    for table in (city.permits, city.enforcement, city.taxes):
        assert table.columns == RECORD_COLUMNS
    for table in city.tables().values():
        assert all(len(row) == len(table.columns) for row in table.rows), table.name


def test_bsns_pass_the_eleven_test_and_are_unique(city: City) -> None:
    numbers = city.persons.column("bsn")
    assert all(bsn.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("9999") for n in numbers)  # a small city stays at the top, by the test sets
    assert all(bsn.is_valid(n) for n in bsn_block(5000)[-100:])


def test_postcodes_ids_and_dates_are_well_formed(city: City) -> None:
    postcodes = city.addresses.column("postcode") + city.persons.column("postcode") + city.companies.column("postcode")
    assert all(POSTCODE.match(p) and p[4:] not in ("SA", "SD", "SS") for p in postcodes)
    assert all(re.fullmatch(r"999901\d{10}", i) for i in city.addresses.column("id"))
    kvk = city.companies.column("kvk_number")
    assert all(re.fullmatch(r"\d{8}", k) for k in kvk) and len(set(kvk)) == len(kvk)
    dates = city.persons.column("date_of_birth") + city.companies.column("registration_date")
    dates += [d for t in (city.permits, city.enforcement, city.taxes) for d in t.column("date")]
    assert all(ISO_DATE.match(d) for d in dates)
    for table in city.tables().values():
        ids = [row[0] for row in table.rows]
        if table.name != "company_directors":
            assert len(set(ids)) == len(ids), table.name


def test_persons_live_at_residential_addresses(city: City) -> None:
    homes = {row[1:5] for row in city.addresses.rows if row[6] == "woonfunctie"}
    assert all(row[5:9] in homes for row in city.persons.rows)


def test_households_share_an_address_and_a_surname(city: City) -> None:
    members: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for household, row in zip(city.households, city.persons.rows, strict=True):
        members[household].append(row)
    assert sum(1 for m in members.values() if len(m) > 1) > 100
    for rows in members.values():
        assert len({r[5:10] for r in rows}) == 1
        if len(rows) >= 3:  # children carry the head's surname
            surnames = [(r[2], r[3]) for r in rows]
            assert max(surnames.count(s) for s in surnames) >= 2


def test_junior_senior_pairs_exist(city: City) -> None:
    persons = {row[0]: row for row in city.persons.rows}
    assert len(city.junior_senior) >= 5
    identical = 0
    for senior_id, junior_id in city.junior_senior:
        senior, junior = persons[senior_id], persons[junior_id]
        assert senior[5:10] == junior[5:10] and senior[2:4] == junior[2:4]
        assert senior[1].split(" ")[0] == junior[1].split(" ")[0]
        assert senior[4] < junior[4]
        identical += senior[1] == junior[1]
    assert identical >= 3


def test_namesakes_live_elsewhere(city: City) -> None:
    places: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for row in city.persons.rows:
        places[row[1:4]].add(row[5:9])
    assert any(len(p) > 1 for p in places.values())


def test_names_have_prefixes_and_hard_characters(city: City) -> None:
    rows = city.persons.rows
    prefixes = {r[2] for r in rows}
    assert {"van", "de", "van der", "van den"} <= prefixes
    assert any(not (r[1] + r[3]).isascii() for r in rows)
    assert any("ij" in r[3].lower() for r in rows)
    assert any(r[7] for r in rows)  # house-number additions
    assert {len(r[1].split(" ")) for r in rows} == {1, 2, 3}


def test_every_director_and_record_subject_exists(city: City) -> None:
    persons = {row[0]: row for row in city.persons.rows}
    companies = {row[0]: row for row in city.companies.rows}
    directed = set()
    for company_id, person_id, role in city.company_directors.rows:
        assert company_id in companies and person_id in persons and role
        directed.add(company_id)
    assert directed == set(companies)
    for table in (city.permits, city.enforcement, city.taxes):
        assert len(table.subject_ids) == len(table.rows)
        for row, subject_id in zip(table.rows, table.subject_ids, strict=True):
            if subject_id in persons:
                p = persons[subject_id]
                assert row[5:8] == p[1:4] and row[8] in ("", p[4]) and row[11:16] == p[5:10]
            else:
                c = companies[subject_id]
                assert (row[9], row[10]) == (c[1], c[2]) and row[11:16] == c[4:9]


def test_write_city_writes_the_canonical_files(city: City, tmp_path: Path) -> None:
    paths = write_city(city, tmp_path, truth=True)
    names = {p.name for p in paths}
    expected = {"persons", "companies", "company_directors", "addresses", "permits", "enforcement", "taxes"}
    assert {f"{n}.csv" for n in expected} <= names
    assert "FICTITIOUS.txt" in names
    for name, table in city.tables().items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert tuple(rows[0]) == table.columns
        assert [tuple(r) for r in rows[1:]] == table.rows
    with pytest.raises(ValueError, match="only 'csv'"):
        write_city(city, tmp_path, fmt="parquet")


def test_two_thousand_persons_in_well_under_a_second() -> None:
    started = time.perf_counter()
    generate_city(2000, seed=11)
    assert time.perf_counter() - started < 1.5


def test_benchmark_truth_is_consistent(benchmark: ModuleType, tmp_path: Path) -> None:
    bench = benchmark.build_benchmark(persons=4000, subjects=1200, seed=2)
    registry = {row[0]: row for row in bench.registry}
    subjects = {s["id"]: s for s in bench.subjects}
    assert len(subjects) == 1200
    by_difficulty: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in bench.truth:
        by_difficulty[row[2]].append(row)
    assert {d.name for d in benchmark.DIFFICULTIES} | {"not_in_registry"} == set(by_difficulty)
    assert 0.18 <= len(by_difficulty["not_in_registry"]) / 1200 <= 0.22
    name_dob = {(r[1], r[2], r[3], r[4]) for r in registry.values()}
    for subject_id, registry_id, difficulty, expected in bench.truth:
        s = subjects[subject_id]
        if difficulty == "not_in_registry":
            assert registry_id == "" and expected == "no_hit"
            if s["date_of_birth"]:
                assert (s["given_names"], s["surname_prefix"], s["surname"], s["date_of_birth"]) not in name_dob
        else:
            assert registry_id in registry and expected in ("hit", "possible")
        assert s["bsn"] == ""
    assert all(e == "possible" for *_, e in by_difficulty["junior_senior_no_dob"])
    assert all(e == "hit" for *_, e in by_difficulty["junior_senior"])
    assert all(not subjects[s]["date_of_birth"] for s, *_ in by_difficulty["missing_dob"])
    half = [subjects[s]["date_of_birth"] != "" for s, *_ in by_difficulty["initials"] + by_difficulty["typo"]]
    assert 0.3 <= sum(half) / len(half) <= 0.7
    outsiders = [subjects[s]["date_of_birth"] != "" for s, *_ in by_difficulty["not_in_registry"]]
    assert 0.35 <= sum(outsiders) / len(outsiders) <= 0.65

    paths = benchmark.write_benchmark(bench, tmp_path)
    assert [p.name for p in paths] == ["registry.csv", "subjects.csv", "truth.csv"]
    with (tmp_path / "truth.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["subject_id", "registry_id", "difficulty", "expected"]
    with (tmp_path / "subjects.csv").open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == PERSON_COLUMNS


def test_benchmark_transformations_do_what_they_say(benchmark: ModuleType) -> None:
    bench = benchmark.build_benchmark(persons=4000, subjects=1200, seed=3)
    registry = {row[0]: dict(zip(PERSON_COLUMNS, row, strict=True)) for row in bench.registry}
    subjects = {s["id"]: s for s in bench.subjects}
    for subject_id, registry_id, difficulty, _ in bench.truth:
        s, r = subjects[subject_id], registry.get(registry_id)
        if r is None:
            continue
        if difficulty == "dob_day_month_swapped":
            assert s["date_of_birth"] == benchmark.swap_day_month(r["date_of_birth"]) != r["date_of_birth"]
        elif difficulty == "prefix_reversed":
            assert s["surname_prefix"] == "" and s["surname"].startswith(r["surname"])
        elif difficulty == "ij_y":
            assert "ij" not in (s["given_names"] + s["surname"]).lower()
        elif difficulty == "diacritics_dropped":
            assert (s["given_names"] + s["surname"]).isascii()
        elif difficulty == "moved":
            assert (s["street"], s["house_number"], s["postcode"]) != (r["street"], r["house_number"], r["postcode"])
        elif difficulty == "clean":
            assert all(s[c] == r[c] for c in PERSON_COLUMNS[1:-1] if c != "date_of_birth")


def test_score_of_perfect_answers(benchmark: ModuleType) -> None:
    bench = benchmark.build_benchmark(persons=2000, subjects=400, seed=4)
    answers = {sid: (expected, rid if expected == "hit" else "") for sid, rid, _, expected in bench.truth}
    with_dob = {s["id"] for s in bench.subjects if s["date_of_birth"]}
    result = benchmark.score(bench.truth, answers, with_dob)
    overall = result["all"]
    assert overall["precision"] == 1.0 and overall["recall"] == 1.0 and overall["recall_dob"] == 1.0
    assert overall["false_hit_rate"] == 0.0 and overall["ambiguous_hits"] == 0
    assert result["junior_senior_no_dob"]["possible_share"] == 1.0
