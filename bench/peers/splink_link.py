# SPDX-License-Identifier: EUPL-1.2
# ruff: noqa: S608  # SQL is assembled from fixed identifiers and the operator's own file paths, never from data
"""Splink 5 on DuckDB as the batch-linkage peer: FEBRL4 as Splink documents it, Dutch persons as a competent
user would configure it. Runs in bench/.peers-venv (bench/peers/setup.sh creates it).

Usage:
    python bench/peers/splink_link.py febrl4 LEFT.csv RIGHT.csv --out links.csv [--threshold 0.2] [--truth T.csv]
    python bench/peers/splink_link.py person LEFT.csv RIGHT.csv --out links.csv [--truth T.csv]

Writes `left_id,right_id,score,status` (status `hit`) and prints one JSON line: wall time in total (from
process start, so imports and CSV loading count, as they would for a user), training and predicting, and
peak RSS. With --truth it adds precision/recall/F1 (bench/peers/metrics.py).

FEBRL4 follows Splink's example notebook (docs/demos/examples/duckdb/febrl4 in the Splink repository, "the
detailed model"): its data preparation, blocking rules, comparisons, prior from deterministic rules with
recall 0.8, u by random sampling with max_pairs 1e6, EM on date_of_birth and on postcode, and predict() with
threshold_match_probability 0.2 (the notebook's value, hence the default of --threshold). The notebook scores
every pair above that threshold, so every such pair is written as a `hit`; the notebook's "advanced"
full-name model is there too (--model advanced) to show what the extra effort buys.

Person keeps, per left record, only the best right record, and only when its match probability is at least
--accept (0.5: the point where Splink's model says a match is more likely than not). That is what a user who
needs one answer per subject does with Splink's pairwise output; ties go to the lowest right id so that
runs repeat.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: a user waits for those too

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pa_csv  # noqa: E402
import splink  # noqa: E402
import splink.comparison_level_library as cll  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import evaluate  # noqa: E402
from splink_person import both_have, load_person_table, peak_rss_mib, person_settings, train_person  # noqa: E402

# ---------------------------------------------------------------------------------------------- FEBRL4


def febrl_read(path: Path) -> pa.Table:
    """Read as splink_datasets.febrl4a/b does (pyarrow, empty strings as null): the notebook's input.

    Every column is read as text. In the original files the space after each comma makes pyarrow read
    street_number as text; bench/febrl.py drops that space, so without this pyarrow would infer integers
    and the notebook's string comparisons on street_number (the advanced model) would not bind.
    """
    with path.open(encoding="utf-8") as handle:
        header = [name.strip() for name in handle.readline().split(",")]
    types = {name: pa.string() for name in header}
    return pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(column_types=types, strings_can_be_null=True))


def febrl_prepare(data: pa.Table) -> pa.Table:
    """The notebook's prepare_data: strip column names, identifiers and dates as trimmed text."""
    data = data.rename_columns([column.strip() for column in data.column_names])
    relation = duckdb.sql(
        """
            select
                * replace (
                    trim(cast(date_of_birth as varchar)) as date_of_birth,
                    trim(cast(soc_sec_id as varchar)) as soc_sec_id,
                    trim(cast(postcode as varchar)) as postcode
                ),
                regexp_extract(rec_id, '^([^-]+-[^-]+)', 1) as cluster
            from data
            """
    )
    if relation is None:  # only statements without a result return None
        raise RuntimeError("prepare_data returned no relation")
    return relation.arrow().read_all()


FEBRL_BLOCKING: list[Any] = [
    block_on("given_name", "surname"),
    "l.given_name = r.surname and l.surname = r.given_name",
    block_on("date_of_birth"),
    block_on("soc_sec_id"),
    block_on("state", "address_1"),
    block_on("street_number", "address_1"),
    block_on("postcode"),
]
FEBRL_DETERMINISTIC: list[Any] = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]


def febrl_detailed_settings() -> SettingsCreator:
    """The notebook's `detailed_model_settings`, unchanged."""
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=FEBRL_BLOCKING,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )


def febrl_advanced_settings() -> dict[str, Any]:
    """The notebook's `extended_model_settings` ("Further refinements"): one full-name comparison."""
    jw_switched = "jaro_winkler_similarity(given_name_l, surname_r) + jaro_winkler_similarity(surname_l, given_name_r)"
    return {
        "unique_id_column_name": "rec_id",
        "link_type": "link_only",
        "blocking_rules_to_generate_predictions": FEBRL_BLOCKING,
        "comparisons": [
            {
                "output_column_name": "Full name",
                "comparison_levels": [
                    {
                        "sql_condition": "(given_name_l IS NULL OR given_name_r IS NULL) and "
                        "(surname_l IS NULL OR surname_r IS NULL)",
                        "label_for_charts": "Null",
                        "is_null_level": True,
                    },
                    cll.ExactMatchLevel("full_name", term_frequency_adjustments=True),
                    cll.JaroWinklerLevel("full_name", 0.9),
                    cll.JaroWinklerLevel("full_name", 0.7),
                    cll.ColumnsReversedLevel("given_name", "surname"),
                    {"sql_condition": f"{jw_switched} >= 1.8", "label_for_charts": "switched + jw >= 1.8"},
                    {"sql_condition": f"{jw_switched} >= 1.4", "label_for_charts": "switched + jw >= 1.4"},
                    cll.ExactMatchLevel("given_name", term_frequency_adjustments=True),
                    cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
                    {
                        "sql_condition": "given_name_l = surname_r OR surname_l = given_name_r",
                        "label_for_charts": "single name cross-matches",
                    },
                    cll.JaroWinklerLevel("given_name", 0.9),
                    cll.JaroWinklerLevel("surname", 0.9),
                    cll.ElseLevel(),
                ],
            },
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            {
                "output_column_name": "Social security ID",
                "comparison_levels": [
                    cll.NullLevel("soc_sec_id"),
                    cll.ExactMatchLevel("soc_sec_id", term_frequency_adjustments=True),
                    cll.DamerauLevenshteinLevel("soc_sec_id", 1),
                    cll.DamerauLevenshteinLevel("soc_sec_id", 2),
                    cll.ElseLevel(),
                ],
            },
            {
                "output_column_name": "Street number",
                "comparison_levels": [
                    cll.NullLevel("street_number"),
                    cll.ExactMatchLevel("street_number", term_frequency_adjustments=True),
                    cll.DamerauLevenshteinLevel("street_number", 1),
                    cll.ElseLevel(),
                ],
            },
            {
                "output_column_name": "Postcode",
                "comparison_levels": [
                    cll.NullLevel("postcode"),
                    cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
                    cll.DamerauLevenshteinLevel("postcode", 1),
                    cll.DamerauLevenshteinLevel("postcode", 2),
                    cll.ElseLevel(),
                ],
            },
        ],
        "retain_intermediate_calculation_columns": True,
    }


def run_febrl4(args: argparse.Namespace, db_api: DuckDBAPI, timings: dict[str, float]) -> Any:
    """Load, train and predict as the notebook does; returns the predictions SplinkDataFrame."""
    dfs = [febrl_prepare(febrl_read(path)) for path in (args.left, args.right)]
    em_rules: list[Any]
    if args.model == "advanced":
        con = duckdb.connect()
        for n, dataset in enumerate(dfs):
            con.register(f"dataset_{n}", dataset)
        dfs = [
            con.sql(f"select *, given_name || '_' || surname as full_name from dataset_{n}").to_arrow_table()
            for n in range(len(dfs))
        ]
        settings: SettingsCreator | dict[str, Any] = febrl_advanced_settings()
        u_pairs, em_rules = 1e7, ["l.date_of_birth = r.date_of_birth", "l.postcode = r.postcode"]
    else:
        settings = febrl_detailed_settings()
        u_pairs, em_rules = 1e6, [block_on("date_of_birth"), block_on("postcode")]
    # dataset_display_name fixes source_dataset to left/right, so the output keeps LEFT's ids on the left
    sdfs = [
        db_api.register(df, dataset_display_name=name, table_name=f"input_{name}")
        for df, name in zip(dfs, ("left", "right"), strict=True)
    ]
    linker = Linker(sdfs, settings)
    timings["load_s"] = time.perf_counter() - STARTED

    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(FEBRL_DETERMINISTIC, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=args.max_pairs or u_pairs)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    timings["training_s"] = time.perf_counter() - started

    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=args.threshold)
    timings["predict_s"] = time.perf_counter() - started
    return predictions


# ---------------------------------------------------------------------------------------------- person


def run_person(args: argparse.Namespace, db_api: DuckDBAPI, timings: dict[str, float]) -> Any:
    """Clean both files in DuckDB, train the shared person model, predict above --threshold."""
    con = db_api.duckdb_con
    paths = {"left": args.left, "right": args.right}
    rows = {name: load_person_table(con, str(path), f"input_{name}") for name, path in paths.items()}
    timings["left_rows"], timings["right_rows"] = rows["left"], rows["right"]
    sdfs = [db_api.register(f"input_{name}", dataset_display_name=name) for name in ("left", "right")]
    with_bsn = both_have(con, ("input_left", "input_right"), "bsn")
    linker = Linker(sdfs, person_settings(with_bsn=with_bsn))
    timings["load_s"] = time.perf_counter() - STARTED

    started = time.perf_counter()
    train_person(linker, with_bsn=with_bsn, max_pairs=args.max_pairs or 1e7)
    timings["training_s"] = time.perf_counter() - started

    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=args.threshold)
    timings["predict_s"] = time.perf_counter() - started
    return predictions


# ---------------------------------------------------------------------------------------------- output


def write_links(db_api: DuckDBAPI, predictions: Any, out: Path, *, best_only: bool, accept: float, uid: str) -> int:
    """Orient each pair as (left file's id, right file's id) and write it; returns the number of rows written."""
    table = predictions.physical_name
    oriented = f"""
        select
            case when source_dataset_l = 'left' then {uid}_l else {uid}_r end as left_id,
            case when source_dataset_l = 'left' then {uid}_r else {uid}_l end as right_id,
            match_probability as score
        from {table}
    """
    if best_only:
        query = f"""
            select left_id, right_id, round(score, 6) as score, 'hit' as status from ({oriented})
            where score >= {accept}
            qualify row_number() over (partition by left_id order by score desc, right_id) = 1
            order by left_id
        """
    else:
        query = f"select left_id, right_id, round(score, 6) as score, 'hit' as status from ({oriented}) order by 1, 2"
    target = str(out).replace("'", "''")
    db_api.duckdb_con.execute(f"copy ({query}) to '{target}' (header, delimiter ',')")
    return int(db_api.duckdb_con.execute(f"select count(*) from ({query})").fetchall()[0][0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=("febrl4", "person"))
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threshold", type=float, help="predict() threshold_match_probability (default 0.2)")
    parser.add_argument("--accept", type=float, default=0.5, help="person: minimum probability of the best pair")
    parser.add_argument("--model", choices=("detailed", "advanced"), default="detailed", help="febrl4 notebook model")
    parser.add_argument("--max-pairs", type=float, help="u sampling pairs (febrl4: the notebook's; person: 1e7)")
    parser.add_argument("--truth", type=Path, help="truth CSV: add precision/recall/F1 to the JSON line")
    args = parser.parse_args(argv)
    if args.threshold is None:
        args.threshold = 0.2  # the FEBRL4 notebook's; for persons --accept decides
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

    db_api = DuckDBAPI()
    timings: dict[str, float] = {}
    if args.dataset == "febrl4":
        predictions = run_febrl4(args, db_api, timings)
        uid, best_only = "rec_id", False
    else:
        predictions = run_person(args, db_api, timings)
        uid, best_only = "id", True

    started = time.perf_counter()
    written = write_links(db_api, predictions, args.out, best_only=best_only, accept=args.accept, uid=uid)
    timings["write_s"] = time.perf_counter() - started
    pairs = int(db_api.duckdb_con.execute(f"select count(*) from {predictions.physical_name}").fetchall()[0][0])

    result: dict[str, Any] = {
        "peer": "splink",
        "splink": splink.__version__,
        "duckdb": duckdb.__version__,
        "dataset": args.dataset,
        "model": args.model if args.dataset == "febrl4" else "person",
        "threshold": args.threshold,
        "accept": args.accept if best_only else None,
        "pairs_above_threshold": pairs,
        "links": written,
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in timings.items()},
        "wall_s": round(time.perf_counter() - STARTED, 3),
        "peak_rss_mib": peak_rss_mib(),
    }
    if args.truth:
        result["metrics"] = evaluate(args.out, args.truth)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
