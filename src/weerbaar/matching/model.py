# SPDX-License-Identifier: EUPL-1.2
"""The Fellegi–Sunter model: m- and u-probabilities per level, term frequencies, and EM.

* **u** (how often two *different* people agree at a level) is estimated from random pairs of the
  registry, and for the exact levels computed from the value distribution itself (sampling would
  see too few agreements on a date of birth to be precise).
* **Term frequency**: agreeing on *de Jong* is weaker evidence than agreeing on a rare name, so
  an exact agreement on a name or place uses the frequency of *that value* instead of the average u.
* **m** (how often the *same* person agrees at a level: the error rates of the data) starts from
  documented priors and is re-estimated by expectation–maximisation on the candidate pairs of a
  linkage, in sessions as Splink does (see :data:`SESSIONS`); inside the blocks the non-match
  distribution is estimated too. The online index uses the priors.

Weights are in bits (log2 Bayes factors), so an explanation can show them as plain numbers.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from weerbaar.matching.compare import COMPARISONS, MISSING
from weerbaar.matching.records import Record

#: Prior m-probabilities: the share of true pairs at each level. They describe typical municipal
#: signal data (names mostly right, a fifth of addresses out of date) and are re-estimated by EM.
M_PRIORS: dict[str, dict[str, tuple[float, ...]]] = {
    "person": {
        "given_names": (0.78, 0.08, 0.06, 0.05, 0.03),
        "surname": (0.90, 0.05, 0.03, 0.02),
        "date_of_birth": (0.90, 0.02, 0.05, 0.03),
        "address": (0.70, 0.05, 0.03, 0.22),
        "city": (0.85, 0.05, 0.10),
        "national_id": (0.97, 0.02, 0.01),
    },
    "company": {
        "kvk_number": (0.97, 0.03),
        "trade_name": (0.80, 0.10, 0.05, 0.05),
        "address": (0.70, 0.05, 0.05, 0.20),
        "city": (0.85, 0.05, 0.10),
    },
    "address": {
        "address": (0.85, 0.10, 0.03, 0.02),
        "city": (0.95, 0.03, 0.02),
    },
}
_FLOOR = 1e-7

#: Population-level chance that two different records agree exactly, used as a prior with
#: ``U_PSEUDO_PAIRS`` pseudo-pairs: a registry of five people says little about how rare a shared
#: birth date is, a city of a million says nearly everything, and the estimate moves accordingly.
U_EXACT_PRIORS: dict[str, dict[str, float]] = {
    "person": {
        "given_names": 2e-3,
        "surname": 1e-3,
        "date_of_birth": 3.5e-5,
        "address": 2e-6,
        "city": 0.3,
        "national_id": 1e-8,
    },
    "company": {"kvk_number": 1e-8, "trade_name": 1e-5, "address": 2e-6, "city": 0.3},
    "address": {"address": 2e-6, "city": 0.3},
}
U_PSEUDO_PAIRS = 1000.0


@dataclass
class Model:
    """Everything needed to weigh a pair: m, u, the prior and the term-frequency tables."""

    kind: str
    m: list[list[float]]
    u: list[list[float]]
    #: Probability that two random records (one from each side) are the same entity.
    prior: float
    #: Per comparison with a term-frequency value: value → count on the reference side, and total.
    tf: dict[str, Counter[str]] = field(default_factory=dict)
    tf_total: int = 1
    trained_by: str = "priors"

    @property
    def names(self) -> list[str]:
        return [c.name for c in COMPARISONS[self.kind]]

    def bayes_bits(self) -> list[list[float]]:
        """Weights per level, made monotone: a weaker agreement never counts for more than a
        stronger one, and disagreement never counts for a match. Without this a field that is
        (nearly) constant in a registry — one city for everyone — turns "different" into strong
        positive evidence, because random pairs almost never disagree on it."""
        table: list[list[float]] = []
        for m_row, u_row in zip(self.m, self.u, strict=True):
            bits = [math.log2(max(mi, _FLOOR) / max(ui, _FLOOR)) for mi, ui in zip(m_row, u_row, strict=True)]
            for level in range(1, len(bits)):
                bits[level] = min(bits[level], bits[level - 1])
            bits[-1] = min(bits[-1], 0.0)
            table.append(bits)
        return table

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "trained_by": self.trained_by,
            "tf_total": self.tf_total,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], tf: dict[str, Counter[str]] | None = None) -> Model:
        return cls(
            kind=data["kind"],
            m=data["m"],
            u=data["u"],
            prior=float(data["prior"]),
            tf=tf or {},
            tf_total=int(data.get("tf_total", 1)),
            trained_by=data.get("trained_by", "priors"),
        )


class Scorer:
    """Weighs level vectors fast: the Bayes factors per level are computed once."""

    def __init__(self, model: Model, tf_lookup: Any | None = None) -> None:
        self.model = model
        self.bits = model.bayes_bits()
        self.prior_bits = math.log2(model.prior / (1 - model.prior))
        self.comparisons = COMPARISONS[model.kind]
        self.tf_index = [i for i, c in enumerate(self.comparisons) if c.tf_value is not None]
        # tf_lookup(comparison name, value) -> count; defaults to the model's tables.
        self._tf_lookup = tf_lookup or (lambda name, value: model.tf.get(name, Counter()).get(value, 0))
        self.tf_total = max(model.tf_total, 1)
        # A value's frequency in a small file is smoothed towards the field's overall exact u.
        self.tf_prior = [row[0] for row in model.u]

    def weight(self, levels: Sequence[int], reference: Record) -> tuple[float, list[float]]:
        """Total match weight in bits (prior included) and the contribution of each comparison."""
        parts: list[float] = []
        total = self.prior_bits
        for i, level in enumerate(levels):
            if level == MISSING:
                parts.append(0.0)
                continue
            bits = self.bits[i][level]
            if level == 0 and i in self.tf_index:
                getter = self.comparisons[i].tf_value
                value = getter(reference) if getter else ""
                if value:
                    count = self._tf_lookup(self.comparisons[i].name, value)
                    if count:
                        # The chance that a random other record shares this very value.
                        u_tf = (count + U_PSEUDO_PAIRS * self.tf_prior[i]) / (self.tf_total + U_PSEUDO_PAIRS)
                        bits = math.log2(max(self.model.m[i][0], _FLOOR) / u_tf)
            parts.append(bits)
            total += bits
        return total, parts


def probability(bits: float) -> float:
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    odds = 2.0**bits
    return odds / (1 + odds)


# Estimation ----------------------------------------------------------------------------------


def term_frequencies(kind: str, records: Sequence[Record]) -> dict[str, Counter[str]]:
    """Counts of each value for the comparisons that adjust by term frequency."""
    tables: dict[str, Counter[str]] = {}
    for comparison in COMPARISONS[kind]:
        if comparison.tf_value is None:
            continue
        getter = comparison.tf_value
        tables[comparison.name] = Counter(v for v in (getter(r) for r in records) if v)
    return tables


def estimate_u(
    kind: str, left: Sequence[Record], right: Sequence[Record], *, pairs: int = 100_000, seed: int = 7
) -> list[list[float]]:
    """u per level from random pairs, with the exact level of value-carrying fields from the distribution."""
    comparisons = COMPARISONS[kind]
    counts = [[0] * len(c.levels) for c in comparisons]
    seen = [0] * len(comparisons)
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - sampling, not security
    if left and right:
        for _ in range(pairs):
            a = left[rng.randrange(len(left))]
            b = right[rng.randrange(len(right))]
            if a is b:
                continue
            for i, comparison in enumerate(comparisons):
                level = comparison.compare(a, b)
                if level != MISSING:
                    counts[i][level] += 1
                    seen[i] += 1
    u: list[list[float]] = []
    for i, comparison in enumerate(comparisons):
        n_levels = len(comparison.levels)
        total = seen[i]
        # Half a pseudo-count per level keeps unseen levels from weighing infinitely.
        row = [(counts[i][level] + 0.5) / (total + 0.5 * n_levels) for level in range(n_levels)]
        u.append(row)
    for i, exact in _exact_u(kind, left, right).items():
        if exact > 0:
            rest = 1 - exact
            others = sum(u[i][1:]) or 1.0
            u[i] = [exact] + [value / others * rest for value in u[i][1:]]
    return u


def _exact_u(kind: str, left: Sequence[Record], right: Sequence[Record]) -> dict[int, float]:
    """P(two random records agree exactly) = Σ_v p_left(v)·p_right(v), for fields with a clear value."""
    getters: dict[str, Any] = {}
    if kind == "person":
        getters = {
            "surname": lambda r: r.surname_core,
            "date_of_birth": lambda r: r.dob,
            "national_id": lambda r: r.national_id,
            "given_names": lambda r: r.given if not r.initials_only else None,
            "address": lambda r: (
                (r.address.postcode, r.address.number, r.address.addition) if r.address.postcode else None
            ),
            "city": lambda r: r.address.city,
        }
    elif kind == "company":
        getters = {
            "kvk_number": lambda r: r.kvk,
            "trade_name": lambda r: r.name_core,
            "city": lambda r: r.address.city,
            "address": lambda r: (
                (r.address.postcode, r.address.number, r.address.addition) if r.address.postcode else None
            ),
        }
    else:
        getters = {
            "address": lambda r: (
                (r.address.postcode, r.address.number, r.address.addition) if r.address.postcode else None
            ),
            "city": lambda r: r.address.city,
        }
    out: dict[int, float] = {}
    names = [c.name for c in COMPARISONS[kind]]
    for name, getter in getters.items():
        lc = Counter(v for v in map(getter, left) if v)
        rc = lc if right is left else Counter(v for v in map(getter, right) if v)
        ln, rn = sum(lc.values()), sum(rc.values())
        if not ln or not rn:
            continue
        if right is left:
            # Within one file a record is no pair with itself: Σ c(c-1) over N(N-1). Counting
            # self-pairs would make a unique value (a BSN) look as common as 1/N and cancel it.
            shared = sum(count * (count - 1) for count in lc.values())
            pairs = ln * (ln - 1)
        else:
            shared = sum(count * rc[value] for value, count in lc.items() if value in rc)
            pairs = ln * rn
        prior = U_EXACT_PRIORS[kind][name]
        out[names.index(name)] = (shared + U_PSEUDO_PAIRS * prior) / (pairs + U_PSEUDO_PAIRS)
    return out


def em(
    kind: str,
    vectors: np.ndarray,
    u: list[list[float]],
    m_start: list[list[float]],
    *,
    prior_start: float = 0.1,
    iterations: int = 50,
    tolerance: float = 1e-5,
    strength: float = 0.0,
    active: Sequence[int] | None = None,
) -> tuple[list[list[float]], float]:
    """Expectation–maximisation of m and the in-block match share over candidate pairs.

    ``vectors`` holds one row of levels per candidate pair (``MISSING`` = -1). Inside the blocks
    non-matches agree far more often than random pairs do (that is what blocking selects), so the
    non-match distribution is estimated here as well, starting from the random-pair u; holding it
    fixed would let EM absorb look-alike non-matches into the match class. Scoring afterwards uses
    the learnt m with the random-pair u, because a query is compared with the whole registry.
    Only the ``active`` comparisons take part (the others are held by the pairs' selection and
    carry no information). Returns m and the share of candidate pairs that are matches.
    """
    del kind
    n_pairs, n_fields = vectors.shape
    if n_pairs == 0:
        return m_start, prior_start
    m = [np.array(row, dtype=float) for row in m_start]
    m_prior = [np.array(row, dtype=float) for row in m_start]
    ub = [np.array(row, dtype=float) for row in u]
    lam = prior_start
    fields = list(active) if active is not None else list(range(n_fields))
    masks = [[vectors[:, f] == level for level in range(len(m[f]))] for f in range(n_fields)]
    present = [vectors[:, f] != MISSING for f in range(n_fields)]
    for _ in range(iterations):
        log_ratio = np.full(n_pairs, math.log(lam / (1 - lam)))
        for f in fields:
            contrib = np.log(np.maximum(m[f], _FLOOR) / np.maximum(ub[f], _FLOOR))
            for level in range(len(m[f])):
                log_ratio[masks[f][level]] += contrib[level]
        post = 1 / (1 + np.exp(-np.clip(log_ratio, -700, 700)))
        anti = 1 - post
        new_m, new_u = list(m), list(ub)
        for f in fields:
            match_mass = float(post[present[f]].sum())
            other_mass = float(anti[present[f]].sum())
            if match_mass <= 0 or other_mass <= 0:
                continue
            counts = np.array([float(post[masks[f][level]].sum()) for level in range(len(m[f]))])
            # Maximum a posteriori: ``strength`` pseudo-matches at the prior m keep EM from taking
            # a crowd of look-alikes (namesakes) for matches with bad data.
            row_m = (counts + strength * m_prior[f]) / (match_mass + strength)
            row_u = np.array([float(anti[masks[f][level]].sum()) for level in range(len(m[f]))]) / other_mass
            new_m[f] = np.maximum(row_m, 1e-5) / np.maximum(row_m, 1e-5).sum()
            new_u[f] = np.maximum(row_u, 1e-6) / np.maximum(row_u, 1e-6).sum()
        new_lam = float(min(max(post.mean(), 1e-9), 1 - 1e-9))
        change = max(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))
        m, ub, lam = new_m, new_u, new_lam
        if change < tolerance:
            break
    return [list(map(float, row)) for row in m], lam


#: Training sessions (as Splink does): each selects the candidate pairs that agree exactly on some
#: fields and estimates m for the *other* fields only. Estimating everything at once lets a crowd of
#: namesakes (same name, other birth date) pass for matches with bad dates; among pairs that share
#: a birth date, by contrast, the name separates matches well, and vice versa.
SESSIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "person": (("date_of_birth",), ("given_names", "surname")),
    "company": (("kvk_number",), ("trade_name",)),
    "address": ((),),
}
MIN_SESSION_PAIRS = 50


def train_m(
    kind: str, vectors: np.ndarray, u: list[list[float]], m_start: list[list[float]]
) -> tuple[list[list[float]], float, str]:
    """m by EM in sessions; returns m, the estimated number of matching pairs, and how it was trained.

    The number of matches comes from the first session that can tell it: its matches divided by
    the share of matches that agree exactly on its selecting fields (a product of the learnt m).
    """
    names = [c.name for c in COMPARISONS[kind]]
    estimates: dict[int, list[list[float]]] = {}
    sessions_done: list[tuple[tuple[int, ...], float]] = []
    for fixed_names in SESSIONS[kind]:
        fixed = tuple(names.index(name) for name in fixed_names)
        selected = np.ones(vectors.shape[0], dtype=bool)
        for f in fixed:
            selected &= vectors[:, f] == 0
        subset = vectors[selected]
        if subset.shape[0] < MIN_SESSION_PAIRS:
            continue
        active = [f for f in range(len(names)) if f not in fixed]
        m, share = em(kind, subset, u, m_start, prior_start=0.3, active=active)
        for f in active:
            estimates.setdefault(f, []).append(m[f])
        sessions_done.append((fixed, share * subset.shape[0]))
    final = [
        list(np.mean(np.array(estimates[f]), axis=0)) if f in estimates else list(m_start[f]) for f in range(len(names))
    ]
    matches = 0.0
    for fixed, found in sessions_done:
        agree = float(np.prod([final[f][0] for f in fixed])) if fixed else 1.0
        matches = found / max(agree, 1e-6)
        break
    trained = f"em in {len(sessions_done)} session(s) on {vectors.shape[0]} candidate pairs"
    return [[float(x) for x in row] for row in final], matches, trained


def default_model(kind: str) -> list[list[float]]:
    priors = M_PRIORS[kind]
    return [list(priors[c.name]) for c in COMPARISONS[kind]]
