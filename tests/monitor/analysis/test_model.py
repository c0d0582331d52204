# SPDX-License-Identifier: EUPL-1.2
"""The explanatory model: a textbook 2×2 case by hand, statsmodels directly, and every refusal."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from weerbaar.monitor.analysis import Item, ItemType, ModelSpec, Wave, codebook_of, fit_model

from .frames import population, scale, wave, yes_no

BOOK = codebook_of(
    [
        yes_no("bibob"),
        scale("satisfaction", 1, 5),
        Item("fte", ItemType.NUMBER, scale_min=0),
        Item("kind", ItemType.CHOICE, choices=("a", "b")),
    ]
)


def two_by_two() -> Wave:
    """40 small municipalities (10 yes, 30 no) and 20 large ones (12 yes, 8 no)."""
    classes = ["small"] * 40 + ["large"] * 20
    answers = [1] * 10 + [0] * 30 + [1] * 12 + [0] * 8
    return wave(2022, population(classes), {"bibob": answers})


def test_logistic_regression_on_a_two_by_two_table_by_hand() -> None:
    """With one binary covariate the model is saturated and the estimates are the table's.

    intercept = log(10/30) = −1.098612; coefficient = log((12/8)/(10/30)) = log(4.5) = 1.504077
    se = sqrt(1/10 + 1/30 + 1/12 + 1/8) = sqrt(0.341667) = 0.584523 (Woolf), intercept se = sqrt(1/10 + 1/30) = 0.365148
    OR 4.5, interval exp(1.504077 ± 1.959964·0.584523) = [1.431087, 14.150085]; p = 2·(1 − Φ(2.573176)) = 0.010077
    llf = 10·log 0.25 + 30·log 0.75 + 12·log 0.6 + 8·log 0.4 = −35.953639
    llnull = 22·log(22/60) + 38·log(38/60) = −39.429466
    LR = 2·(−35.953639 + 39.429466) = 6.951653, df 1, p = 2·(1 − Φ(sqrt 6.951653 = 2.636599)) = 0.008374
    AIC = 2·35.953639 + 2·2 = 75.907278; McFadden R² = 1 − 35.953639/39.429466 = 0.088153
    """
    result = fit_model(two_by_two(), BOOK, ModelSpec("bibob", ("size_class",)))
    assert result.ok, result.message
    assert (result.kind, result.n, result.reference) == ("logistic", 60, {"size_class": "small"})
    const, large = result.terms
    assert (const.name, large.name) == ("const", "size_class[large]")
    assert const.coef == pytest.approx(-1.098612, abs=1e-5)
    assert const.se == pytest.approx(0.365148, abs=1e-5)
    assert large.coef == pytest.approx(1.504077, abs=1e-5)
    assert large.odds_ratio == pytest.approx(4.5, abs=1e-4)
    assert large.se == pytest.approx(0.584523, abs=1e-5)
    assert (large.ci_low, large.ci_high) == pytest.approx((1.431087, 14.150085), abs=1e-3)
    assert large.p_value == pytest.approx(0.010077, abs=1e-5)
    fit = result.fit
    assert fit is not None
    assert fit.llf == pytest.approx(-35.953639, abs=1e-5)
    assert fit.llnull == pytest.approx(-39.429466, abs=1e-5)
    assert (fit.lr_stat, fit.lr_df, fit.lr_p_value) == (
        pytest.approx(6.951653, abs=1e-5),
        1,
        pytest.approx(0.008374, abs=1e-5),
    )
    assert fit.aic == pytest.approx(75.907278, abs=1e-5)
    assert fit.pseudo_r2 == pytest.approx(0.088153, abs=1e-5)


def fixed_wave(seed: int = 7, size: int = 120) -> Wave:
    rng = np.random.default_rng(seed)
    classes = rng.choice(["s", "m", "l"], size, p=[0.5, 0.3, 0.2])
    regions = rng.choice(["North", "South", "West"], size)
    capacity = np.round(rng.gamma(2, 1, size), 2)
    funding = rng.integers(0, 2, size)
    order = {"s": 0, "m": 1, "l": 2}
    frame = population(list(classes), list(regions), capacity=capacity, funding=funding)
    frame["population"] = [10_000 * (order[c] + 1) + i for i, c in enumerate(classes)]
    eta = -1 + 0.8 * (classes == "l") + 0.5 * capacity - 0.4 * funding
    bibob = (rng.random(size) < 1 / (1 + np.exp(-eta))).astype(float)
    satisfaction = np.clip(np.round(3 + 0.4 * capacity - 0.5 * (regions == "West") + rng.normal(0, 1, size)), 1, 5)
    bibob[:6] = np.nan  # not answered: complete cases only
    return wave(2022, frame, {"bibob": list(bibob), "satisfaction": list(satisfaction)})


def design(w: Wave, rows: pd.Index) -> pd.DataFrame:
    """The same design built by hand: small class and most frequent region as references."""
    frame = w.frame.loc[rows]
    region_ref = frame["riec_region"].value_counts().idxmax()
    columns = {f"size_class[{c}]": (frame["size_class"] == c).astype(float) for c in ["m", "l"]}
    columns.update(
        {
            f"riec_region[{r}]": (frame["riec_region"] == r).astype(float)
            for r in sorted(frame["riec_region"].unique())
            if r != region_ref
        }
    )
    columns.update(capacity=frame["capacity"].astype(float), funding=frame["funding"].astype(float))
    return pd.DataFrame(columns)


def test_logistic_regression_equals_statsmodels() -> None:
    w = fixed_wave()
    result = fit_model(w, BOOK, ModelSpec("bibob"))
    assert result.ok, result.message
    rows = w.aligned.index[w.aligned["bibob"].notna()]
    x = design(w, rows)
    direct = sm.Logit(w.aligned.loc[rows, "bibob"].to_numpy(), sm.add_constant(x.to_numpy())).fit(disp=0)
    names = [t.name for t in result.terms]
    assert names == ["const", *x.columns]
    assert [t.coef for t in result.terms] == pytest.approx(list(direct.params), abs=1e-6)
    assert [t.se for t in result.terms] == pytest.approx(list(direct.bse), abs=1e-6)
    assert [t.p_value for t in result.terms] == pytest.approx(list(direct.pvalues), abs=1e-6)
    assert result.fit is not None
    assert (result.fit.aic, result.fit.pseudo_r2, result.fit.lr_p_value) == pytest.approx(
        (direct.aic, direct.prsquared, direct.llr_pvalue)
    )
    assert result.n == 114


def test_ordinal_regression_equals_statsmodels() -> None:
    """The fast logistic cdf changes nothing: OrderedModel(distr="logit") gives the same estimates.

    The null log-likelihood (thresholds only) is Σ n_j·log(n_j/n) over the observed levels.
    """
    w = fixed_wave()
    result = fit_model(w, BOOK, ModelSpec("satisfaction", ("riec_region", "capacity")))
    assert result.ok, result.message
    assert result.kind == "ordinal"
    y = w.aligned["satisfaction"].to_numpy()
    frame = w.frame
    ref = frame["riec_region"].value_counts().idxmax()
    x = pd.DataFrame(
        {
            f"riec_region[{r}]": (frame["riec_region"] == r).astype(float)
            for r in sorted(frame["riec_region"].unique())
            if r != ref
        }
    ).assign(capacity=frame["capacity"].to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = OrderedModel(y, x.to_numpy(), distr="logit").fit(method="bfgs", disp=0, maxiter=1000)
    k = x.shape[1]
    assert [t.coef for t in result.terms] == pytest.approx(list(direct.params[:k]), abs=1e-4)
    assert [t.se for t in result.terms] == pytest.approx(list(direct.bse[:k]), abs=1e-3)
    levels, counts = np.unique(y, return_counts=True)
    assert result.fit is not None
    assert result.fit.llnull == pytest.approx(float((counts * np.log(counts / counts.sum())).sum()))
    assert result.fit.llf == pytest.approx(direct.llf, abs=1e-6)
    assert result.fit.lr_df == k
    assert len(result.thresholds) == len(levels) - 1
    assert [value for _, value in result.thresholds] == sorted(value for _, value in result.thresholds)


def test_quasi_separation_is_a_message_not_a_crash() -> None:
    """Every large municipality says yes: the odds ratio of "large" is infinite."""
    classes = ["small"] * 30 + ["large"] * 10
    answers = [1] * 10 + [0] * 20 + [1] * 10
    result = fit_model(wave(2022, population(classes), {"bibob": answers}), BOOK, ModelSpec("bibob", ("size_class",)))
    assert not result.ok
    assert "separation" in result.message and "size_class[large]" in result.message
    assert result.terms == []


def test_complete_separation_by_a_number() -> None:
    """Yes exactly when capacity is above 2: a straight cut, whatever the coefficient."""
    capacity = np.linspace(0.1, 4, 40)
    frame = population(["small"] * 40, capacity=capacity)
    result = fit_model(
        wave(2022, frame, {"bibob": list((capacity > 2).astype(float))}), BOOK, ModelSpec("bibob", ("capacity",))
    )
    assert not result.ok
    assert "separation" in result.message and "capacity" in result.message


def test_ordinal_separation() -> None:
    classes = ["small"] * 30 + ["large"] * 10
    answers = [1, 2, 3, 4, 5] * 6 + [5] * 10
    result = fit_model(
        wave(2022, population(classes), {"satisfaction": answers}), BOOK, ModelSpec("satisfaction", ("size_class",))
    )
    assert not result.ok
    assert "size_class[large]" in result.message and "one end of the scale" in result.message


@pytest.mark.parametrize(
    ("answers", "spec", "message"),
    [
        ([1, 0] * 4, ModelSpec("bibob", ("size_class",)), "too few cases: 8 complete cases"),
        ([1] * 30, ModelSpec("bibob", ()), "the outcome does not vary"),
        ([1] * 3 + [0] * 27, ModelSpec("bibob", ()), "only 3 municipalities in the smaller outcome group"),
        ([1, 0] * 15, ModelSpec("kind"), "must be a yes/no or scale item"),
        ([1, 0] * 15, ModelSpec("bibob", ("budget",)), "unknown or non-numeric covariate: budget"),
        ([1, 0] * 15, ModelSpec("satisfaction"), "satisfaction was not asked in 2022"),
        ([1, 2] * 15, ModelSpec("bibob", ()), "answers other than 1 and 0"),
    ],
)
def test_refusals_say_why(answers: list[int], spec: ModelSpec, message: str) -> None:
    frame = population(["small"] * len(answers))
    result = fit_model(wave(2022, frame, {"bibob": answers}), BOOK, spec)
    assert not result.ok
    assert message in result.message


def test_small_categories_are_merged_before_fitting() -> None:
    """Three "mid" municipalities (fewer than 5) join their smaller neighbour; no term rests on them alone."""
    classes = ["small"] * 30 + ["mid"] * 3 + ["large"] * 27
    rng = np.random.default_rng(3)
    answers = list((rng.random(60) < 0.5).astype(float))
    frame = population(classes)
    result = fit_model(wave(2022, frame, {"bibob": answers}), BOOK, ModelSpec("bibob", ("size_class",)))
    assert result.ok, result.message
    assert result.merged == {"size_class": ["mid", "large"]}
    assert [t.name for t in result.terms] == ["const", "size_class[mid+large]"]


def test_a_number_item_of_the_wave_as_covariate() -> None:
    rng = np.random.default_rng(5)
    fte = np.round(rng.gamma(2, 1, 80), 1)
    bibob = (rng.random(80) < 1 / (1 + np.exp(-(fte - 2)))).astype(float)
    w = wave(2022, population(["small"] * 80), {"bibob": list(bibob), "fte": list(fte)})
    result = fit_model(w, BOOK, ModelSpec("bibob", ("fte",)))
    assert result.ok, result.message
    assert [t.name for t in result.terms] == ["const", "fte"]
    assert result.terms[1].odds_ratio > 1
    assert any("events per covariate" in note for note in result.notes) is False


def test_as_dict_is_plain_data() -> None:
    data = fit_model(two_by_two(), BOOK, ModelSpec("bibob", ("size_class",))).as_dict()
    assert data["terms"][1]["name"] == "size_class[large]"
    assert set(data["fit"]) == {"pseudo_r2", "aic", "llf", "llnull", "lr_stat", "lr_df", "lr_p_value"}
