# SPDX-License-Identifier: EUPL-1.2
"""Batch linkage of two files: block, compare, estimate the model from the data, decide.

The same comparisons and decision rule serve the online index; here the model is estimated on
the two files at hand (u from random pairs, m by EM over the candidate pairs), which is what a
linkage of two foreign files such as FEBRL needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from weerbaar.matching.compare import COMPARISONS, index_keys, query_keys
from weerbaar.matching.decide import Candidate, Decision, decide
from weerbaar.matching.model import Model, Scorer, default_model, estimate_u, probability, term_frequencies, train_m
from weerbaar.matching.records import Company, Person, Record, has_identity, normalise_row

#: Blocks larger than this are skipped for name-only keys: "de Jong, J." in a city says nothing.
MAX_NAME_BLOCK = 1000
MAX_BLOCK = 5000


@dataclass
class LinkResult:
    left_id: str
    decision: Decision


class MemoryIndex:
    """Blocks of a reference file in memory: key → positions."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        blocks: dict[str, list[int]] = defaultdict(list)
        for position, record in enumerate(records):
            for key in index_keys(record):
                blocks[key].append(position)
        self.blocks = dict(blocks)

    def candidates(self, record: Record) -> set[int]:
        specific, fallback = query_keys(record)
        found: set[int] = set()
        for key in specific:
            block = self.blocks.get(key)
            if block and len(block) <= MAX_BLOCK:
                found.update(block)
        for key in fallback:
            block = self.blocks.get(key)
            if block and len(block) <= MAX_NAME_BLOCK:
                found.update(block)
        return found


def normalise_rows(kind: str, rows: Iterable[Mapping[str, Any]]) -> list[Record]:
    return [normalise_row(kind, row) for row in rows]


def group_of(record: Record) -> object:
    """Records that describe the same entity (several permits of one holder, several inspections
    at one address) form one group, so that they do not compete with each other for a hit."""
    if isinstance(record, Person):
        return ("p", record.surname_core, record.given[:1], record.dob, record.national_id)
    address = (record.address.postcode, record.address.number, record.address.addition, record.address.street)
    if isinstance(record, Company):
        return ("c", record.kvk or record.name_core, address)
    return ("a", address)


def link(
    kind: str,
    left: Sequence[Record],
    right: Sequence[Record],
    *,
    train: bool = True,
) -> tuple[list[LinkResult], Model]:
    """Link every left record to the right file; at most one ``hit`` per left record."""
    index = MemoryIndex(right)
    comparisons = COMPARISONS[kind]
    pairs: list[tuple[int, int]] = []
    vectors: list[tuple[int, ...]] = []
    for li, record in enumerate(left):
        if not has_identity(kind, record):
            continue
        for ri in index.candidates(record):
            pairs.append((li, ri))
            vectors.append(tuple(c.compare(record, right[ri]) for c in comparisons))
    u = estimate_u(kind, left, right)
    m = default_model(kind)
    prior = 1 / max(len(right), 1)
    trained_by = "priors"
    if train and vectors:
        m, matches, trained_by = train_m(kind, np.array(vectors, dtype=np.int8), u, m)
        if matches > 0:
            # The share of matches among *all* pairs is the posterior's prior (Splink's λ).
            prior = min(max(matches / max(len(left) * len(right), 1), 1e-12), 0.5)
    model = Model(
        kind=kind, m=m, u=u, prior=prior, tf=term_frequencies(kind, right), tf_total=len(right), trained_by=trained_by
    )
    scorer = Scorer(model)
    per_left: dict[int, list[Candidate]] = defaultdict(list)
    for (li, ri), levels in zip(pairs, vectors, strict=True):
        bits, parts = scorer.weight(levels, right[ri])
        per_left[li].append(
            Candidate(ri, right[ri].ext_id, bits, probability(bits), levels, parts, group_of(right[ri]))
        )
    results = [LinkResult(record.ext_id, decide(kind, per_left.get(li, []))) for li, record in enumerate(left)]
    return results, model
