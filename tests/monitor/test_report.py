# SPDX-License-Identifier: EUPL-1.2
"""The report of a wave from the database: the document's shape (the analysis part validates
against report.schema.json), suppression visible in JSON and HTML, a trend across a reworded item,
real and synthetic waves kept apart, reproducibility, the synthetic notice in HTML and PDF, the
models, and the command line in all three formats."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from weerbaar.accounts.authz import system_actor
from weerbaar.monitor import report, report_render
from weerbaar.monitor.codebook import import_codebook
from weerbaar.monitor.models import Municipality, Response, ResponseSource, ResponseStatus, Wave, WaveState
from weerbaar.monitor.report_cli import register_report

REPORT_CODEBOOK = """\
title: Report test codebook
items:
  - id: policy_v1
    theme: administrative
    type: yes_no
    label_nl: Heeft uw gemeente beleid voor de bestuurlijke aanpak?
    label_en: Has your municipality a policy for the administrative approach?
    waves: [2016]
  - id: policy
    theme: administrative
    type: yes_no
    label_nl: Is er een beleidsplan voor de aanpak van ondermijning vastgesteld?
    label_en: Has a policy plan for tackling undermining crime been adopted?
    waves: [2022]
    previous_id: policy_v1
  - id: fte
    theme: organisational
    type: number
    label_nl: Hoeveel fte?
    label_en: How many FTE?
    min: 0
    max: 500
    unit: fte
    waves: [2016, 2022]
  - id: funding
    theme: factors
    type: scale
    label_nl: De middelen zijn toereikend.
    label_en: Funding is sufficient.
    scale: {min: 1, max: 5}
    waves: [2016, 2022]
  - id: orientation
    theme: prevention
    type: choice
    label_nl: Oriëntatie
    label_en: Orientation
    choices:
      - {code: case, label_nl: Casusgericht, label_en: Case-driven}
      - {code: mixed, label_nl: Gemengd, label_en: Mixed}
      - {code: preventive, label_nl: Preventief, label_en: Preventive}
    waves: [2016, 2022]
  - id: ph_cannabis
    theme: phenomena
    type: yes_no
    label_nl: Komt hennepteelt voor?
    label_en: Does cannabis cultivation occur?
    waves: [2016, 2022]
"""

GENERATED = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
#: Respondents per size class in 2022: the large class has only 3, so its cells are withheld.
RESPONDENTS_2022 = {"under_20k": 20, "20k_50k": 60, "50k_100k": 12, "100k_plus": 3}


def _codes(year: int, per_class: dict[str, int]) -> list[str]:
    codes: list[str] = []
    for size, count in per_class.items():
        found = list(
            Municipality.objects.filter(year=year, size_class=size)
            .order_by("cbs_code")
            .values_list("cbs_code", flat=True)
        )
        codes += found[:count]
    return codes


def _answers(i: int, year: int) -> dict[str, Any]:
    rng = np.random.default_rng(year * 1000 + i)
    policy = 1 if i % 3 else 0
    answers: dict[str, Any] = {
        "fte": round(float(rng.uniform(0.2, 6.0)), 1),
        "funding": int(rng.integers(1, 6)),
        "orientation": ["case", "mixed", "preventive"][i % 3],
        "ph_cannabis": int(i % 4 != 0),
    }
    answers["policy_v1" if year == 2016 else "policy"] = policy if year == 2022 else int(i % 2 == 0)
    return answers


def make_wave(codebook: Any, year: int, codes: list[str], *, synthetic: bool = False) -> Wave:
    wave = Wave.objects.create(
        year=year,
        codebook=codebook,
        state=WaveState.CLOSED,
        source=ResponseSource.IMPORT,
        synthetic=synthetic,
        title=f"Test wave {year}",
    )
    Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                municipality_code=code,
                status=ResponseStatus.COMPLETE,
                source=ResponseSource.IMPORT,
                answers=_answers(i, year),
            )
            for i, code in enumerate(codes)
        ]
    )
    return wave


@pytest.fixture
def report_codebook(db: Any) -> Any:
    acting = system_actor("monitor-test", origin="test")
    return import_codebook(acting=acting, content=REPORT_CODEBOOK.encode(), name="report.yaml").codebook


@pytest.fixture
def two_waves(report_codebook: Any) -> dict[int, Wave]:
    """A real wave 2016 (80 municipalities of 2016) and 2022 (95 of 2022, 3 of them large)."""
    w2016 = make_wave(report_codebook, 2016, _codes(2016, {"under_20k": 30, "20k_50k": 40, "50k_100k": 10}))
    w2022 = make_wave(report_codebook, 2022, _codes(2022, RESPONDENTS_2022))
    return {2016: w2016, 2022: w2022}


@pytest.fixture
def synthetic_waves(report_codebook: Any) -> dict[int, Wave]:
    w2016 = make_wave(report_codebook, 2016, _codes(2016, {"under_20k": 30, "20k_50k": 40}), synthetic=True)
    w2022 = make_wave(report_codebook, 2022, _codes(2022, RESPONDENTS_2022), synthetic=True)
    return {2016: w2016, 2022: w2022}


def test_the_document_holds_issue_5s_shape_and_the_analysis_validates(two_waves: dict[int, Wave]) -> None:
    document = report.build_document(two_waves[2022], use_cache=False)
    report.validate_analysis(document)
    policy = document["analysis"]["items"]["policy"]
    for key in ("n", "share", "ci_low", "ci_high", "by", "trend"):
        assert key in policy
    assert policy["n"] == sum(RESPONDENTS_2022.values())
    assert policy["N"] == 345
    for by in ("size_class", "riec_region"):
        for cell in policy["by"][by].values():
            assert set(cell) >= {"n", "share", "suppressed"}
    assert set(policy["by"]["size_class"]) == {"under_20k", "20k_50k", "50k_100k", "100k_plus"}
    assert len(policy["by"]["riec_region"]) == 10
    # The population frame covers every municipality of 2022, each with size class and region.
    frame = document["population_frame"]
    assert frame["year"] == 2022 and frame["N"] == 345
    assert sum(frame["size_class"].values()) == 345 and sum(frame["riec_region"].values()) == 345
    assert document["wave"] == {
        "year": 2022,
        "title": "Test wave 2022",
        "state": "closed",
        "synthetic": False,
        "codebook_version": two_waves[2022].codebook.version,
        "responses": 95,
        "complete": 95,
    }
    assert document["notice"] is None
    assert document["items"]["policy"]["comparable_items"] == ["policy_v1"]
    assert [t["code"] for t in document["themes"]] == [
        "administrative",
        "organisational",
        "prevention",
        "phenomena",
        "factors",
    ]


def test_the_share_is_computed_as_by_hand(two_waves: dict[int, Wave]) -> None:
    document = report.build_document(two_waves[2022], use_cache=False)
    answers = [r.answers["policy"] for r in Response.objects.filter(wave=two_waves[2022])]
    policy = document["analysis"]["items"]["policy"]
    assert policy["share"] == pytest.approx(sum(answers) / len(answers))
    assert policy["ci_low"] < policy["share"] < policy["ci_high"]


def test_a_class_of_fewer_than_five_is_withheld_with_a_complementary_cell(two_waves: dict[int, Wave]) -> None:
    document = report.build_document(two_waves[2022], use_cache=False)
    cells = document["analysis"]["items"]["policy"]["by"]["size_class"]
    large = cells["100k_plus"]
    assert large["n"] == 3 and large["suppressed"] is True
    assert large["share"] is None and large["ci_low"] is None and large["ci_high"] is None
    # Complementary: otherwise the national total minus the published classes gives it away.
    others = [g for g, c in cells.items() if g != "100k_plus" and c["suppressed"]]
    assert others, "a second cell must be withheld"
    html = report_render.render_html(document, generated_at=GENERATED)
    assert "data-suppressed" in html
    assert "–" in html


def test_the_trend_follows_the_reworded_item(two_waves: dict[int, Wave]) -> None:
    document = report.build_document(two_waves[2022], use_cache=False)
    trend = document["analysis"]["items"]["policy"]["trend"]
    assert [(p["year"], p["item"]) for p in trend] == [(2016, "policy_v1"), (2022, "policy")]
    old = [r.answers["policy_v1"] for r in Response.objects.filter(wave=two_waves[2016])]
    assert trend[0]["share"] == pytest.approx(sum(old) / len(old))
    changes = document["analysis"]["items"]["policy"]["changes"]
    assert changes[0]["from"] == 2016 and changes[0]["to"] == 2022
    assert changes[0]["difference"] == pytest.approx(trend[1]["share"] - trend[0]["share"])
    waves = document["trend_waves"]
    assert [(w["year"], w["N"], w["responses"]) for w in waves] == [(2016, 390, 80), (2022, 345, 95)]
    assert waves[0]["merged_since"] > 0 and waves[0]["municipalities_today"] < 390


def test_real_waves_never_borrow_a_synthetic_trend(report_codebook: Any) -> None:
    make_wave(report_codebook, 2016, _codes(2016, {"20k_50k": 40}), synthetic=True)
    real = make_wave(report_codebook, 2022, _codes(2022, RESPONDENTS_2022))
    document = report.build_document(real, use_cache=False)
    assert [p["year"] for p in document["analysis"]["items"]["policy"]["trend"]] == [2022]
    assert [w["year"] for w in document["trend_waves"]] == [2022]


def test_weighting_and_models_are_stated(two_waves: dict[int, Wave]) -> None:
    document = report.build_document(two_waves[2022], use_cache=False)
    weighting = document["analysis"]["weighting"]
    assert weighting["by"] == "size_class" and set(weighting["classes"]) == set(RESPONDENTS_2022)
    assert "largest_changes" in weighting
    # The default models use items of the shipped codebook; this codebook has none of them.
    assert document["model_specs"] == []
    custom = report.ModelDef(
        "ph_cannabis", ("fte", "funding"), "Which municipalities see cannabis?", "Wie ziet hennep?"
    )
    with_model = report.build_document(two_waves[2022], models=(custom,), use_cache=False)
    report.validate_analysis(with_model)
    model = with_model["analysis"]["models"][0]
    assert model["outcome"] == "ph_cannabis" and model["kind"] == "logistic"
    assert with_model["model_specs"][0]["covariates"] == ["size_class", "riec_region", "fte", "funding"]
    if model["ok"]:
        assert all({"odds_ratio", "ci_low", "ci_high", "p_value"} <= set(t) for t in model["terms"])
        assert model["fit"]["pseudo_r2"] is not None
    else:
        assert model["message"]
    html = report_render.render_html(with_model, generated_at=GENERATED)
    assert "ph_cannabis" in html


def test_a_covariate_not_asked_that_year_falls_back_to_its_predecessor(two_waves: dict[int, Wave]) -> None:
    custom = report.ModelDef("ph_cannabis", ("policy",), "q", "v")
    document = report.build_document(two_waves[2016], models=(custom,), use_cache=False)
    spec = document["model_specs"][0]
    assert spec["covariates"] == ["size_class", "riec_region", "policy_v1"]
    assert spec["replaced"] == {"policy": "policy_v1"}


def test_the_same_data_give_byte_identical_files(two_waves: dict[int, Wave]) -> None:
    first = report.document_bytes(report.build_document(two_waves[2022], use_cache=False))
    second = report.document_bytes(report.build_document(two_waves[2022], use_cache=False))
    assert first == second
    document = json.loads(first)
    html_1 = report_render.render_html(document, generated_at=GENERATED)
    html_2 = report_render.render_html(document, generated_at=GENERATED)
    assert html_1 == html_2
    pdf_1 = report_render.render_pdf(document, generated_at=GENERATED)
    assert pdf_1 == report_render.render_pdf(document, generated_at=GENERATED)
    assert pdf_1.startswith(b"%PDF")


def _pdf_titles(pdf: bytes) -> list[str]:
    """Every /Title of the PDF (document info and outline), also from compressed streams."""
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    titles = []
    for chunk in chunks:
        for raw in re.findall(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", chunk):
            if raw.startswith(b"<"):
                data = bytes.fromhex(raw[1:-1].decode())
                titles.append(data.decode("utf-16") if data.startswith(b"\xfe\xff") else data.decode("latin-1"))
            else:
                titles.append(raw[1:-1].decode("latin-1"))
    return titles


def test_a_synthetic_wave_says_so_in_json_html_and_pdf(synthetic_waves: dict[int, Wave], tmp_path: Path) -> None:
    document = report.build_document(synthetic_waves[2022], use_cache=False)
    assert document["wave"]["synthetic"] is True
    assert "Synthetic data" in document["notice"]["en"] and "Synthetische gegevens" in document["notice"]["nl"]
    html = report_render.render_html(document, generated_at=GENERATED, english=True)
    assert "data-synthetic" in html and "Synthetic data." in html
    pdf = report_render.render_pdf(document, generated_at=GENERATED, english=True)
    assert any("synthetic data" in title.lower() for title in _pdf_titles(pdf)), _pdf_titles(pdf)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils, where installed: check the text of every page too
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert pages and all("Synthetic data." in p for p in pages), "every page of the PDF says so"


def test_a_wave_without_answers_has_no_report(report_codebook: Any) -> None:
    from django.core.exceptions import ValidationError

    wave = Wave.objects.create(year=2024, codebook=report_codebook)
    with pytest.raises(ValidationError):
        report.build_document(wave)


# --- the command line --------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="weerbaar monitor")
    sub = parser.add_subparsers(dest="sub", required=True)
    register_report(sub, setup=lambda: None, origin=lambda: "cli:test")
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.mark.parametrize("file_format", ["json", "html", "pdf"])
def test_the_report_command_writes_each_format(two_waves: dict[int, Wave], tmp_path: Path, file_format: str) -> None:
    out = tmp_path / f"r.{file_format}"
    assert (
        _run(
            [
                "report",
                "--wave",
                "2022",
                "--format",
                file_format,
                "--out",
                str(out),
                "--generated-at",
                "2026-01-31T12:00:00+00:00",
            ]
        )
        == 0
    )
    content = out.read_bytes()
    if file_format == "json":
        document = json.loads(content)
        report.validate_analysis(document)
        assert document["analysis"]["year"] == 2022
    elif file_format == "html":
        assert b"<html" in content and b"2026-01-31 12:00 UTC" in content
    else:
        assert content.startswith(b"%PDF")


def test_the_report_command_refuses_an_unknown_wave(db: Any, capsys: Any) -> None:
    assert _run(["report", "--wave", "1999", "--format", "json"]) == 2
    assert "no wave 1999" in capsys.readouterr().err
