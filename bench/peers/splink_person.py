# SPDX-License-Identifier: EUPL-1.2
# ruff: noqa: S608  # SQL is assembled from fixed identifiers and the operator's own file paths, never from data
"""The Splink 5 person model shared by the batch peer (splink_link.py) and the online peer (splink_online.py).

Runs in bench/.peers-venv. One place for the cleaning, the comparisons, the blocking rules and the training
recipe, so that batch and online measure the same model: a difference between the two peers' figures is
then the cost of the way they are run, not of a different configuration.

What a competent Splink user does with Dutch person records (the canonical person format: id, given_names,
surname_prefix, surname, date_of_birth, street, house_number, house_number_addition, postcode, city, bsn):
- cleaning in SQL before Splink sees the data, because Splink compares what it is given: lowercase,
  diacritics stripped, punctuation removed; the surname prefix glued to the surname (`van der` + `Berg` ->
  `vanderberg`) so a split, glued or absent prefix compares equal; the first given name and its initial as
  separate columns; the postcode without spaces and upper-cased; the house number with its addition as one
  token (`12A`, `12-a`, `12 a` -> `12a`) and the number alone; dates read in the common forms.
- comparisons from Splink's library where one fits (NameComparison, DateOfBirthComparison) and custom
  levels where the library is British (its PostcodeComparison parses UK postcodes, so the Dutch PC4 area is
  a custom level); term-frequency adjustments on names and postcode, as Splink's guides recommend.
- u by random sampling, m by EM on two blocking rules (each rule leaves the other comparisons free to be
  estimated), the prior from deterministic rules with an assumed recall: Splink's documented recipe.
"""

from __future__ import annotations

import resource
import sys
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

PERSON_COLUMNS = (
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


def peak_rss_mib() -> float:
    """Peak resident set size of this process (DuckDB runs in process, so its memory is included)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kib / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def read_person_csv_sql(path: str) -> str:
    """A DuckDB query reading a person CSV as text, so that ids, postcodes and BSNs keep leading zeros."""
    escaped = path.replace("'", "''")
    return f"select * from read_csv('{escaped}', header = true, all_varchar = true)"


def clean_person_sql(source: str) -> str:
    """The cleaning a competent user writes before Splink: one SQL select over `source` (a table or subquery).

    Missing optional columns (bsn) are tolerated by the caller adding them as NULL before this runs.
    """

    def text(col: str) -> str:
        # lowercase, diacritics off, anything but letters becomes a space, spaces collapsed
        return f"trim(regexp_replace(lower(strip_accents(coalesce({col}, ''))), '[^a-z]+', ' ', 'g'))"

    dob = "trim(coalesce(date_of_birth, ''))"
    return f"""
    select
        cast(id as varchar) as id,
        nullif({text("given_names")}, '') as given_names,
        nullif(split_part({text("given_names")}, ' ', 1), '') as first_name,
        nullif(left({text("given_names")}, 1), '') as first_initial,
        nullif(replace({text("coalesce(surname_prefix, '') || ' ' || coalesce(surname, '')")}, ' ', ''), '')
            as surname,
        strftime(coalesce(
            try_strptime({dob}, '%Y-%m-%d'), try_strptime({dob}, '%Y%m%d'),
            try_strptime({dob}, '%d-%m-%Y'), try_strptime({dob}, '%d/%m/%Y')
        ), '%Y-%m-%d') as dob,
        nullif(upper(regexp_replace(coalesce(postcode, ''), '\\s+', '', 'g')), '') as postcode,
        nullif(regexp_extract(coalesce(house_number, ''), '[0-9]+'), '') as house_number,
        nullif(lower(regexp_replace(coalesce(house_number, '') || coalesce(house_number_addition, ''),
            '[^0-9A-Za-z]', '', 'g')), '') as house,
        nullif({text("city")}, '') as city,
        nullif(regexp_replace(coalesce(bsn, ''), '[^0-9]', '', 'g'), '') as bsn
    from {source}
    """


def load_person_table(con: Any, path: str, name: str) -> int:
    """Read and clean one person CSV into DuckDB table `name`; returns its row count."""
    raw = f"{name}_raw"
    con.execute(f"create or replace table {raw} as {read_person_csv_sql(path)}")
    present = {row[0] for row in con.execute(f"describe {raw}").fetchall()}
    missing = [c for c in PERSON_COLUMNS if c not in present]
    required = [c for c in missing if c != "bsn"]
    if required:
        raise SystemExit(f"{path}: missing columns {', '.join(required)}")
    source = raw if not missing else f"(select *, {', '.join(f'null::varchar as {c}' for c in missing)} from {raw})"
    con.execute(f"create or replace table {name} as {clean_person_sql(source)}")
    con.execute(f"drop table {raw}")
    return int(con.execute(f"select count(*) from {name}").fetchall()[0][0])


# Candidate pairs for prediction: a true pair should survive at least one rule, even with a typo in the
# surname (caught by dob), a missing date of birth (caught by name or address) or a move (caught by dob/name).
PERSON_BLOCKING: list[Any] = [
    block_on("dob"),
    block_on("surname", "first_initial"),
    block_on("postcode", "house_number"),
]


def both_have(con: Any, tables: tuple[str, str], column: str) -> bool:
    """Whether every table has some value in `column`: a comparison that one side never fills cannot be
    trained (Splink warns and falls back to defaults), so a competent user leaves it out."""
    return all(con.execute(f"select count({column}) from {t}").fetchall()[0][0] > 0 for t in tables)


def person_settings(*, with_bsn: bool) -> SettingsCreator:
    """Comparisons ordered from most to least specific within each, as Splink requires."""
    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.80),
            cll.CustomLevel("first_initial_l = first_initial_r", label_for_charts="same initial"),
            cll.ElseLevel(),
        ],
    )
    postcode = cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
            cll.CustomLevel("substr(postcode_l, 1, 4) = substr(postcode_r, 1, 4)", label_for_charts="same PC4"),
            cll.ElseLevel(),
        ],
    )
    house = cl.CustomComparison(
        output_column_name="house",
        comparison_levels=[
            cll.NullLevel("house_number"),
            cll.ExactMatchLevel("house"),
            cll.ExactMatchLevel("house_number"),
            cll.ElseLevel(),
        ],
    )
    bsn = cl.CustomComparison(
        output_column_name="bsn",
        comparison_levels=[
            cll.NullLevel("bsn"),
            cll.ExactMatchLevel("bsn"),
            cll.DamerauLevenshteinLevel("bsn", 1),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        unique_id_column_name="id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=PERSON_BLOCKING,
        comparisons=[
            first_name,
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True
            ),
            postcode,
            house,
            *([bsn] if with_bsn else []),
        ],
        retain_intermediate_calculation_columns=False,
    )


def train_person(linker: Linker, *, with_bsn: bool, max_pairs: float, seed: int | None = 42) -> None:
    """Splink's recipe: prior from deterministic rules, u by random sampling, m by EM on two blocking rules."""
    deterministic: list[Any] = [block_on("first_name", "surname", "dob"), *([block_on("bsn")] if with_bsn else [])]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
