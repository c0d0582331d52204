# SPDX-License-Identifier: EUPL-1.2
"""The municipal lineage: the list per year, the chains of mergers, and what the migration loads."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from weerbaar.monitor import lineage
from weerbaar.monitor.models import Merger, Municipality, RiecRegion, SizeClass

#: The monitor's counts (monitor.md) and CBS's for the other years.
COUNTS = {2009: 441, 2012: 415, 2016: 390, 2022: 345, 2024: 342}
NATIONAL_POPULATION_2024 = 17_942_942


@pytest.mark.parametrize(("year", "count"), COUNTS.items())
def test_number_of_municipalities_per_year(year: int, count: int) -> None:
    assert len(lineage.entries(year)) == count


def test_the_yearly_decrease_matches_the_mergers_table() -> None:
    """README of the reference data: the net decrease per year of effect, 443 (2008) → 342 (2024).
    Rozenburg (March 2010) and Weesp (March 2022) still count on 1 January of their year."""
    counts = {year: len(lineage.entries(year)) for year in range(2009, 2025)}
    assert counts[2010] == counts[2009] - 10  # 11 in 2010, less Rozenburg
    assert counts[2011] == counts[2010] - 13  # 12 in 2011, plus Rozenburg
    assert counts[2022] == counts[2021] - 7  # 8 in 2022, less Weesp
    assert counts[2023] == counts[2022] - 3  # 2 in 2023, plus Weesp
    assert counts[2020] == counts[2021] + 3
    assert counts[2009] - counts[2024] == 101 - 2  # 2009's own decrease of 2 came before 1 January 2009


def test_late_mergers_still_exist_on_1_january_of_their_year() -> None:
    assert "GM0600" in lineage.entries(2010) and "GM0600" not in lineage.entries(2011)  # Rozenburg
    assert "GM0457" in lineage.entries(2022) and "GM0457" not in lineage.entries(2023)  # Weesp


def test_renamings_change_the_code_but_not_the_count() -> None:
    assert "GM0065" not in lineage.entries(2009) and "GM1891" in lineage.entries(2009)  # Dantumadiel from 1 Jan 2009
    assert "GM0083" in lineage.entries(2010) and "GM1908" in lineage.entries(2011)  # Menaldumadeel → Menameradiel
    assert "GM1921" in lineage.entries(2015) and "GM1940" in lineage.entries(2016)  # De Friese Meren (1 July 2015)
    assert "GM0241" in lineage.entries(2015) and "GM1945" in lineage.entries(2016)  # Groesbeek → Berg en Dal


@pytest.mark.parametrize(
    ("code", "year", "today"),
    [
        # Menaldumadeel → (renamed 2011) Menameradiel → (merged 2018) Waadhoeke
        ("GM0083", 2009, "GM1949"),
        # Skarsterlân → (merged 2014) De Friese Meren → (renamed 2015) De Fryske Marren
        ("GM0051", 2009, "GM1940"),
        # Ubbergen → (merged 2015) Groesbeek → (renamed 2016) Berg en Dal
        ("GM0282", 2012, "GM1945"),
        ("GM0600", 2010, "GM0599"),  # Rozenburg → Rotterdam
        ("GM0457", 2022, "GM0363"),  # Weesp → Amsterdam
        ("GM0363", 2009, "GM0363"),  # unchanged
        ("GM1891", 2016, "GM1891"),
    ],
)
def test_current_code_follows_every_change(code: str, year: int, today: str) -> None:
    assert lineage.current_code(code, year) == today


def test_every_code_of_every_year_maps_to_a_2024_municipality() -> None:
    today = set(lineage.entries(2024))
    for year in range(2009, 2025):
        for code in lineage.entries(year):
            assert lineage.current_code(code, year) in today


def test_chains_of_more_than_one_step_exist_and_resolve() -> None:
    changes = lineage.read_changes()
    successor = {c.old_code: c.new_code for c in changes}
    long_chains = [code for code in successor if successor[code] in successor]
    assert len(long_chains) >= 5
    for code in long_chains:
        assert lineage.current_code(code) == lineage.current_code(successor[code])


def test_a_code_that_did_not_exist_that_year_is_refused() -> None:
    with pytest.raises(KeyError):
        lineage.current_code("GM1992", 2016)  # Voorne aan Zee exists from 2023
    with pytest.raises(KeyError):
        lineage.current_code("GM9999")


def test_population_is_shared_out_not_invented() -> None:
    """Every year's (estimated) populations add up to that year's national total: estimates divide
    the successor's 2024 figure over its predecessors and scale it to the year; nothing is lost."""
    assert sum(e.population for e in lineage.entries(2024).values()) == NATIONAL_POPULATION_2024
    for year in range(2009, 2024):
        total = sum(e.population for e in lineage.entries(year).values())
        assert abs(total - lineage.NATIONAL_POPULATION[year]) <= len(lineage.entries(year))  # rounding


def test_earlier_years_do_not_count_later_growth() -> None:
    rotterdam_2016, rotterdam_2024 = lineage.entries(2016)["GM0599"], lineage.entries(2024)["GM0599"]
    assert rotterdam_2016.population == round(rotterdam_2024.population * 16_979_120 / 17_942_942)


def test_only_2024_populations_are_measured() -> None:
    assert not any(e.population_is_estimate for e in lineage.entries(2024).values())
    for year in (2009, 2016, 2022):
        assert all(e.population_is_estimate for e in lineage.entries(year).values())
    # Rotterdam's territory is unchanged since Rozenburg joined in 2010: its 2024 figure is carried back.
    assert lineage.entries(2016)["GM0599"].population_method == "carried"
    assert lineage.entries(2009)["GM0599"].population_method == "share"
    # Amsterdam before 2022 is the 2024 figure less the estimate for Weesp.
    assert lineage.entries(2016)["GM0363"].population_method == "share"


def test_absorbed_municipalities_are_estimated_small() -> None:
    weesp, amsterdam = lineage.entries(2022)["GM0457"], lineage.entries(2022)["GM0363"]
    assert weesp.size_class == "under_20k" and amsterdam.size_class == "100k_plus"
    scale = lineage.NATIONAL_POPULATION[2022] / lineage.NATIONAL_POPULATION[2024]
    assert weesp.population == round(lineage.ABSORBED_CAP * scale)
    assert abs(weesp.population + amsterdam.population - round(931_298 * scale)) <= 1


@pytest.mark.parametrize(
    ("population", "size_class"),
    [
        (0, "under_20k"),
        (19_999, "under_20k"),
        (20_000, "20k_50k"),
        (49_999, "20k_50k"),
        (50_000, "50k_100k"),
        (100_000, "100k_plus"),
        (931_298, "100k_plus"),
    ],
)
def test_size_class_cut_offs(population: int, size_class: str) -> None:
    assert lineage.size_class(population) == size_class


def test_regions_before_a_merger_across_a_border() -> None:
    leerdam = lineage.entries(2018)["GM0545"]
    assert (leerdam.province, leerdam.riec_region) == ("Zuid-Holland", "Rotterdam")
    assert lineage.entries(2019)["GM1961"].province == "Utrecht"
    assert lineage.entries(2021)["GM0457"].riec_region == "Midden-Nederland"  # Weesp: Gooi en Vechtstreek


def test_ten_riec_regions_named_as_the_domain_names_them() -> None:
    regions = Counter(e.riec_region for e in lineage.entries(2024).values())
    assert set(regions) == set(RiecRegion.values)
    assert regions["Amsterdam-Amstelland"] == 6 and regions["Noord-Nederland"] == 40


# --- the table loaded by the migration ----------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_loads_the_lineage() -> None:
    for year, count in COUNTS.items():
        assert Municipality.objects.filter(year=year).count() == count
    assert Municipality.objects.values("year").distinct().count() == 16
    assert Merger.objects.count() == 134 + 4
    assert set(Municipality.objects.values_list("size_class", flat=True).distinct()) == set(SizeClass.values)
    weesp = Municipality.objects.get(year=2022, cbs_code="GM0457")
    assert weesp.current_code == "GM0363" and weesp.population_is_estimate


@pytest.mark.django_db
def test_query_helpers_read_the_stored_lineage() -> None:
    assert len(lineage.codes(2016)) == 390
    assert lineage.municipalities(2024).first().cbs_code == "GM0014"  # type: ignore[union-attr]
    assert lineage.years() == list(range(2009, 2025))


@pytest.mark.django_db
def test_stored_rows_equal_the_built_ones(django_assert_max_num_queries: Any) -> None:
    built = {(e.year, e.cbs_code): e for y in (2009, 2022) for e in lineage.entries(y).values()}
    stored = Municipality.objects.filter(year__in=(2009, 2022))
    assert stored.count() == len(built)
    for row in stored:
        entry = built[(row.year, row.cbs_code)]
        assert (row.name, row.population, row.size_class, row.riec_region, row.current_code) == (
            entry.name,
            entry.population,
            entry.size_class,
            entry.riec_region,
            entry.current_code,
        )
