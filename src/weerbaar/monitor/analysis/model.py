# SPDX-License-Identifier: EUPL-1.2
"""The explanatory model: which municipalities answer yes (or higher on a scale), and why.

A yes/no outcome gets a logistic regression, a scale outcome a proportional-odds (ordinal logistic)
regression, both fitted by statsmodels on the complete cases. Covariates are the size class and the
RIEC region (dummies against a reference category) and numeric covariates: columns of the
population frame (capacity, funding …) or numeric items of the same wave. Coefficients are given
as odds ratios with 95 % intervals and Wald p-values; the fit as McFadden's pseudo-R², AIC and the
likelihood-ratio test against the model without covariates.

The model describes the respondents; it is not corrected for the finite population (a model is a
statement about a process, not about the 345 municipalities of one year).

Two things make such models break on monitor data, and both give a clear message instead of a
crash or a silently absurd odds ratio of 10¹²:

- **too few cases**: fewer than 10 complete cases, no more cases than parameters, or an outcome
  that does not vary;
- **separation**: a combination of covariates predicts the outcome perfectly (say every large
  municipality has a Bibob policy), so the maximum-likelihood estimate is infinite. For a logistic
  model this is checked exactly beforehand, by linear programming (Konis 2007: is there a direction
  ``b ≠ 0`` with ``(2y − 1)·x·b ≥ 0`` for every case); for an ordinal model a category whose cases
  all sit at one end of the scale is caught beforehand, and an estimate that runs away (not
  converged, or a standardised coefficient beyond ±8) afterwards.

Categories with fewer than ``min_cell`` cases are merged first (a size class with its neighbour,
regions into "other regions"), so that no term rests on fewer municipalities than a published cell.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linprog
from scipy.special import expit

# The submodules, not statsmodels.api: the same classes, half a second less to import.
from statsmodels.discrete.discrete_model import Logit
from statsmodels.miscmodels.ordinal_model import OrderedModel

from weerbaar.monitor.analysis.estimators import LEVEL, z_value
from weerbaar.monitor.analysis.inputs import POPULATION_COLUMNS, Codebook, ItemType, Wave, group_order

CATEGORICAL = ("size_class", "riec_region")
OTHER_REGIONS = "other regions"
#: A standardised log-odds ratio beyond this is not an estimate but a sign of (quasi-)separation.
RUNAWAY = 8.0


@dataclass(frozen=True)
class ModelSpec:
    """An outcome (a yes/no or scale item) and its covariates (None: the default set)."""

    outcome: str
    covariates: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Term:
    name: str
    coef: float
    se: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class Fit:
    pseudo_r2: float
    aic: float
    llf: float
    llnull: float
    lr_stat: float
    lr_df: int
    lr_p_value: float


@dataclass(frozen=True)
class ModelResult:
    outcome: str
    kind: Literal["logistic", "ordinal"] | None
    ok: bool
    message: str
    n: int
    terms: list[Term] = field(default_factory=list)
    thresholds: list[tuple[str, float]] = field(default_factory=list)
    fit: Fit | None = None
    reference: dict[str, str] = field(default_factory=dict)
    merged: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["thresholds"] = [{"name": name, "value": value} for name, value in self.thresholds]
        return data


def default_covariates(wave: Wave) -> tuple[str, ...]:
    """Size class, region, and every numeric column of the population frame other than population."""
    extra = [
        str(c)
        for c in wave.frame.columns
        if c not in POPULATION_COLUMNS and pd.api.types.is_numeric_dtype(wave.frame[c])
    ]
    return (*CATEGORICAL, *extra)


def fit_model(
    wave: Wave, codebook: Codebook, spec: ModelSpec, *, min_cell: int = 5, level: float = LEVEL
) -> ModelResult:
    """Fit the model of ``spec`` on ``wave``; never raises for data that cannot carry the model."""
    item = codebook.get(spec.outcome)
    if item is None or item.type not in (ItemType.YES_NO, ItemType.SCALE):
        return ModelResult(spec.outcome, None, False, "the outcome must be a yes/no or scale item of the codebook", 0)
    kind: Literal["logistic", "ordinal"] = "logistic" if item.type == ItemType.YES_NO else "ordinal"
    covariates = spec.covariates if spec.covariates is not None else default_covariates(wave)
    try:
        data = _data(wave, codebook, spec.outcome, covariates)
    except ValueError as error:
        return ModelResult(spec.outcome, kind, False, str(error), 0)
    data = data.dropna()
    n = len(data)
    design, reference, merged, notes = _design(wave, data, covariates, min_cell)
    y = data["__outcome__"].to_numpy(dtype=np.float64)
    k = design.shape[1] + (1 if kind == "logistic" else len(np.unique(y)) - 1)
    if n < 10 or n <= k:
        return _refuse(spec, kind, n, f"too few cases: {n} complete cases for {k} parameters", reference, merged, notes)
    if len(np.unique(y)) < 2:
        return _refuse(spec, kind, n, "the outcome does not vary among the complete cases", reference, merged, notes)
    if kind == "logistic":
        events = int(min(y.sum(), n - y.sum()))
        if events < min_cell:
            return _refuse(
                spec, kind, n, f"too few cases: only {events} municipalities in the smaller outcome group",
                reference, merged, notes,
            )  # fmt: skip
        if events / max(k - 1, 1) < 10:
            notes.append(f"{events / max(k - 1, 1):.1f} events per covariate (fewer than 10): estimates are imprecise")
        separated = _separation(design, y)
        if separated:
            return _refuse(
                spec, kind, n,
                "separation: the outcome is predicted perfectly by " + ", ".join(separated)
                + "; merge categories or leave the covariate out",
                reference, merged, notes,
            )  # fmt: skip
    else:
        extreme = _extreme_categories(design, y)
        if extreme:
            return _refuse(
                spec, kind, n,
                "separation: every case of " + ", ".join(extreme) + " is at one end of the scale",
                reference, merged, notes,
            )  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _fit_logistic(design, y) if kind == "logistic" else _fit_ordinal(design, y)
    except (np.linalg.LinAlgError, ValueError) as error:
        return _refuse(spec, kind, n, f"the model could not be fitted: {error}", reference, merged, notes)
    params, bse, converged, fit, thresholds = result
    names = list(design.columns) if kind == "ordinal" else ["const", *design.columns]
    coefficients = params[: len(names)]
    errors = bse[: len(names)]
    scale = np.array([1.0 if name == "const" else float(design[name].std(ddof=0)) for name in names])
    if not converged or not np.all(np.isfinite(errors)) or np.any(np.abs(coefficients * scale) > RUNAWAY):
        return _refuse(
            spec, kind, n,
            "the estimates run away (quasi-separation, or too little information for these covariates)",
            reference, merged, notes,
        )  # fmt: skip
    z = z_value(level)
    terms = [
        Term(
            name=name,
            coef=float(b),
            se=float(s),
            odds_ratio=float(np.exp(b)),
            ci_low=float(np.exp(b - z * s)),
            ci_high=float(np.exp(b + z * s)),
            p_value=float(2 * stats.norm.sf(abs(b / s))) if s > 0 else float("nan"),
        )
        for name, b, s in zip(names, coefficients, errors, strict=True)
    ]
    return ModelResult(spec.outcome, kind, True, "", n, terms, thresholds, fit, reference, merged, notes)


def _refuse(
    spec: ModelSpec,
    kind: Literal["logistic", "ordinal"],
    n: int,
    message: str,
    reference: dict[str, str],
    merged: dict[str, list[str]],
    notes: list[str],
) -> ModelResult:
    return ModelResult(spec.outcome, kind, False, message, n, reference=reference, merged=merged, notes=notes)


def _data(wave: Wave, codebook: Codebook, outcome: str, covariates: Sequence[str]) -> pd.DataFrame:
    answers = wave.aligned
    if outcome not in answers.columns:
        raise ValueError(f"the outcome {outcome} was not asked in {wave.year}")
    values = pd.to_numeric(answers[outcome], errors="coerce")
    item = codebook[outcome]
    answered = values.dropna()
    if item.type == ItemType.YES_NO and not answered.isin([0.0, 1.0]).all():
        raise ValueError(f"the outcome {outcome} has answers other than 1 and 0")
    low, high = item.scale_min, item.scale_max
    if item.type == ItemType.SCALE and low is not None and high is not None and not answered.between(low, high).all():
        raise ValueError(f"the outcome {outcome} has answers outside its scale")
    columns: dict[str, pd.Series] = {"__outcome__": values}
    for name in covariates:
        if name in CATEGORICAL:
            columns[name] = wave.frame[name].astype(str)
        elif name in wave.frame.columns and pd.api.types.is_numeric_dtype(wave.frame[name]):
            columns[name] = wave.frame[name].astype(np.float64)
        elif name in answers.columns and name in codebook and codebook[name].type in (
            ItemType.NUMBER, ItemType.SCALE, ItemType.YES_NO,
        ):  # fmt: skip
            columns[name] = pd.to_numeric(answers[name], errors="coerce")
        else:
            raise ValueError(f"unknown or non-numeric covariate: {name}")
    return pd.DataFrame(columns, index=wave.frame.index)


def _merge_small(labels: pd.Series, order: list[str], min_cell: int, ordered: bool) -> tuple[pd.Series, list[str]]:
    """Merge categories with fewer than ``min_cell`` cases; returns the new labels and the merged ones."""
    counts = labels.value_counts()
    present = [c for c in order if counts.get(c, 0) > 0]
    merged: list[str] = []
    if ordered:
        groups = [[c] for c in present]
        while len(groups) > 1:
            sizes = [sum(int(counts[c]) for c in g) for g in groups]
            smallest = int(np.argmin(sizes))
            if sizes[smallest] >= min_cell:
                break
            if smallest == 0:
                neighbour = 1
            elif smallest == len(groups) - 1:
                neighbour = smallest - 1
            else:
                neighbour = smallest - 1 if sizes[smallest - 1] <= sizes[smallest + 1] else smallest + 1
            low, high = sorted((smallest, neighbour))
            groups[low : high + 1] = [groups[low] + groups[high]]
        mapping = {c: "+".join(g) for g in groups for c in g}
        merged = [c for g in groups if len(g) > 1 for c in g]
    else:
        small = [c for c in present if counts[c] < min_cell]
        mapping = {c: (OTHER_REGIONS if c in small else c) for c in present}
        if small and sum(int(counts[c]) for c in small) < min_cell:
            largest = str(counts.idxmax())
            mapping.update(dict.fromkeys(small, largest))
        merged = small
    return labels.map(mapping), merged


def _design(
    wave: Wave, data: pd.DataFrame, covariates: Sequence[str], min_cell: int
) -> tuple[pd.DataFrame, dict[str, str], dict[str, list[str]], list[str]]:
    parts: list[pd.DataFrame] = []
    reference: dict[str, str] = {}
    merged: dict[str, list[str]] = {}
    notes: list[str] = []
    for name in covariates:
        column = data[name]
        if name in CATEGORICAL:
            labels, small = _merge_small(
                column.astype(str), group_order(wave.frame, name), min_cell, ordered=name == "size_class"
            )
            if small:
                merged[name] = small
            levels = list(dict.fromkeys(labels.sort_values(key=_order_key(wave, name)).tolist()))
            if len(levels) < 2:
                notes.append(f"{name} left out: one category among the complete cases")
                continue
            # Size: the smallest class is the reference (the 2022 question was how larger ones differ);
            # region: the one with most cases, for the most precise contrasts.
            base = levels[0] if name == "size_class" else str(labels.value_counts().idxmax())
            reference[name] = base
            dummies = pd.DataFrame(
                {f"{name}[{level}]": (labels == level).astype(np.float64) for level in levels if level != base},
                index=data.index,
            )
            parts.append(dummies)
        else:
            if column.std(ddof=0) == 0:
                notes.append(f"{name} left out: it does not vary among the complete cases")
                continue
            parts.append(column.astype(np.float64).to_frame(name))
    design = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=data.index)
    return design, reference, merged, notes


def _order_key(wave: Wave, name: str) -> Any:
    order = {g: i for i, g in enumerate(group_order(wave.frame, name))}

    def key(values: pd.Series) -> pd.Series:
        return values.map(lambda label: min(order.get(part, len(order)) for part in str(label).split("+")))

    return key


def _separation(design: pd.DataFrame, y: np.ndarray) -> list[str]:
    """Terms involved in (quasi-)complete separation, by linear programming; empty when none."""
    x = np.column_stack([np.ones(len(y)), design.to_numpy(dtype=np.float64)])
    spread = x.std(axis=0)
    spread[0] = 1.0
    x = (x - np.r_[0.0, x[:, 1:].mean(axis=0)]) / np.where(spread > 0, spread, 1.0)
    signed = np.where(y > 0.5, 1.0, -1.0)[:, None] * x
    result = linprog(
        -signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(y)), bounds=[(-1.0, 1.0)] * x.shape[1], method="highs"
    )
    if result.status != 0 or -result.fun <= 1e-7 * len(y):
        return []
    names = ["the intercept", *design.columns]
    involved = [names[i] for i in np.nonzero(np.abs(result.x) > 1e-6)[0] if i > 0]
    return involved or ["the intercept"]


def _extreme_categories(design: pd.DataFrame, y: np.ndarray) -> list[str]:
    """Dummies whose cases all have the lowest, or all the highest, observed outcome."""
    found = []
    low, high = y.min(), y.max()
    for name in design.columns:
        column = design[name].to_numpy()
        if set(np.unique(column)) <= {0.0, 1.0} and column.sum() > 0:
            inside = y[column == 1.0]
            if np.all(inside == low) or np.all(inside == high):
                found.append(name)
    return found


class _LogitOrderedModel(OrderedModel):
    """The proportional-odds logit model with the logistic cdf as ``expit``.

    Same model as ``OrderedModel(distr="logit")``; scipy.stats' generic ``cdf`` costs ~0.1 ms per
    call in argument checks, and the numerical gradient calls it thousands of times.
    """

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(expit(x))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        p = expit(x)
        return np.asarray(p * (1 - p))


FitOutput = tuple[np.ndarray, np.ndarray, bool, Fit, list[tuple[str, float]]]


def _fit_logistic(design: pd.DataFrame, y: np.ndarray) -> FitOutput:
    exog = np.column_stack([np.ones(len(y)), design.to_numpy(dtype=np.float64)])
    result = Logit(y, exog).fit(disp=0, maxiter=200)
    fit = Fit(
        pseudo_r2=float(result.prsquared),
        aic=float(result.aic),
        llf=float(result.llf),
        llnull=float(result.llnull),
        lr_stat=float(result.llr),
        lr_df=int(result.df_model),
        lr_p_value=float(result.llr_pvalue),
    )
    converged = bool(result.mle_retvals.get("converged", False))
    return np.asarray(result.params), np.asarray(result.bse), converged, fit, []


def _fit_ordinal(design: pd.DataFrame, y: np.ndarray) -> FitOutput:
    levels = np.unique(y)
    outcome = pd.Series(pd.Categorical(y, categories=levels, ordered=True))
    model = _LogitOrderedModel(outcome, design.to_numpy(dtype=np.float64), distr="logit")
    result = model.fit(method="bfgs", disp=0, maxiter=1000)
    # The model without covariates: thresholds only, fitted exactly by the observed cumulative shares.
    counts = np.unique(y, return_counts=True)[1].astype(np.float64)
    llnull = float((counts * np.log(counts / counts.sum())).sum())
    llf = float(result.llf)
    k = design.shape[1]
    lr = 2 * (llf - llnull)
    fit = Fit(
        pseudo_r2=1 - llf / llnull,
        aic=float(result.aic),
        llf=llf,
        llnull=llnull,
        lr_stat=lr,
        lr_df=k,
        lr_p_value=float(stats.chi2.sf(lr, k)),
    )
    cuts = model.transform_threshold_params(np.asarray(result.params))[1:-1]
    thresholds = [(f"{_level(levels[i])}|{_level(levels[i + 1])}", float(c)) for i, c in enumerate(cuts)]
    converged = bool(result.mle_retvals.get("converged", False))
    return np.asarray(result.params), np.asarray(result.bse), converged, fit, thresholds


def _level(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
