# SPDX-License-Identifier: EUPL-1.2
"""Synthetic waves: consistent with the published 2022 figures, plausible, routed, and stored
through the real import path as synthetic."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from weerbaar.monitor import lineage
from weerbaar.monitor.codebook_schema import parse_value, routing_errors
from weerbaar.monitor.models import Response, ResponseStatus, Wave
from weerbaar.monitor.synthetic import YEARS, generate_wave, load_synthetic_waves, shipped_spec

#: monitor.md: share of municipalities reporting the phenomenon as present in 2022.
PUBLISHED_2022 = {
    "ph_cannabis": 0.73,
    "ph_laundering": 0.54,
    "ph_families": 0.54,
    "ph_synthetic": 0.48,
    "ph_trafficking": 0.40,
    "ph_care_fraud": 0.35,
    "ph_violence": 0.22,
    "ph_gangs": 0.19,
    "ph_environment": 0.17,
}


@pytest.fixture(scope="module")
def waves() -> dict[int, pd.DataFrame]:
    return {year: generate_wave(year) for year in YEARS}


def _share(frame: pd.DataFrame, column: str, value: str = "1") -> float:
    answered = frame[column][frame[column] != ""]
    return float((answered == value).mean())


@pytest.mark.parametrize(("item", "published"), PUBLISHED_2022.items())
def test_2022_phenomena_match_the_published_shares(waves: dict[int, pd.DataFrame], item: str, published: float) -> None:
    assert abs(_share(waves[2022], item) - published) <= 0.03


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_match_does_not_depend_on_the_seed(seed: int) -> None:
    frame = generate_wave(2022, seed)
    for item, published in PUBLISHED_2022.items():
        assert abs(_share(frame, item) - published) <= 0.03, item


def test_about_half_lack_expertise_and_most_lack_criminology_and_data(waves: dict[int, pd.DataFrame]) -> None:
    frame = waves[2022]
    for area in ("risk", "bibob", "enforcement"):
        assert 0.40 <= _share(frame, f"or_expertise_{area}") <= 0.60
    for area in ("criminology", "data"):
        assert _share(frame, f"or_expertise_{area}") < 0.35


@pytest.mark.parametrize("year", YEARS)
def test_respondents_are_that_years_municipalities_and_about_69_percent(
    waves: dict[int, pd.DataFrame], year: int
) -> None:
    frame = waves[year]
    codes = set(lineage.entries(year))
    assert set(frame["municipality_code"]) <= codes and frame["municipality_code"].is_unique
    assert 0.64 <= len(frame) / len(codes) <= 0.74
    assert frame.attrs["synthetic"] is True


@pytest.mark.parametrize("year", YEARS)
def test_every_answer_is_valid_and_routed(waves: dict[int, pd.DataFrame], year: int) -> None:
    spec = shipped_spec()
    by_id = spec.by_id()
    frame = waves[year]
    assert set(frame.columns) - {"municipality_code"} == {i.id for i in spec.items if year in i.waves}
    for record in frame.to_dict("records"):
        answers = {k: parse_value(by_id[k], v) for k, v in record.items() if k != "municipality_code" and v != ""}
        assert routing_errors(spec.items, year, answers) == [], record["municipality_code"]


def test_trends_and_size_effects(waves: dict[int, pd.DataFrame]) -> None:
    cannabis = [_share(waves[y], "ph_cannabis") for y in YEARS]
    assert cannabis == sorted(cannabis)
    coordinator = [_share(waves[y], "or_coordinator") for y in YEARS]
    assert coordinator == sorted(coordinator)
    frame = waves[2022].copy()
    sizes = {code: e.size_class for code, e in lineage.entries(2022).items()}
    frame["size_class"] = frame["municipality_code"].map(sizes)
    small = frame[frame["size_class"] == "under_20k"]
    large = frame[frame["size_class"] == "100k_plus"]
    assert _share(large, "or_coordinator") > _share(small, "or_coordinator")
    fte = pd.to_numeric(frame["or_fte_total"].replace("", None))
    assert fte[frame["size_class"] == "100k_plus"].mean() > 3 * fte[frame["size_class"] == "under_20k"].mean()


def test_partial_responses_exist(waves: dict[int, pd.DataFrame]) -> None:
    frame = waves[2016]
    last = frame.columns[-1]
    assert 0.05 < (frame[last] == "").mean() < 0.4


def test_the_same_seed_gives_the_same_wave() -> None:
    assert generate_wave(2012, 7).equals(generate_wave(2012, 7))
    assert not generate_wave(2012, 7).equals(generate_wave(2012, 8))


@pytest.mark.django_db
def test_load_stores_synthetic_waves_through_the_import() -> None:
    outcome = load_synthetic_waves()
    assert sorted(outcome) == list(YEARS)
    for year in YEARS:
        wave = Wave.objects.get(year=year)
        assert wave.synthetic and "Synthetic" in wave.title
        responses = Response.objects.filter(wave=wave)
        assert responses.count() == len(generate_wave(year))
        assert responses.filter(status=ResponseStatus.PARTIAL).exists()
        assert responses.filter(status=ResponseStatus.COMPLETE).exists()
    cannabis = [
        r.answers["ph_cannabis"] for r in Response.objects.filter(wave__year=2022) if "ph_cannabis" in r.answers
    ]
    assert abs(sum(cannabis) / len(cannabis) - 0.73) <= 0.03
    # Loading again changes nothing.
    count = Response.objects.count()
    assert set(load_synthetic_waves().values()) == {"kept: already loaded"}
    assert Response.objects.count() == count


@pytest.mark.django_db
def test_real_data_is_never_overwritten(acting: Any) -> None:
    from weerbaar.monitor.answers_import import import_rows
    from weerbaar.monitor.codebook import ensure_shipped_codebook

    ensure_shipped_codebook(acting=acting)
    import_rows(acting=acting, year=2016, rows=[{"municipality_code": "GM0363", "ph_cannabis": 1}])
    outcome = load_synthetic_waves(years=(2016,), replace=True)
    assert outcome == {2016: "kept: real data"}
    assert Response.objects.filter(wave__year=2016).count() == 1
    assert not Wave.objects.get(year=2016).synthetic
