# SPDX-License-Identifier: EUPL-1.2
"""Precision, recall and F1 of a links file against a truth file.

Pure standard library on purpose: it runs in the peers' venv (Splink) and in the project's venv alike, so
both sides of a comparison are scored by the very same code.

links.csv: `left_id,right_id,score,status`; only rows with status `hit` count as claimed matches (a
`possible` is a question to a human, not an answer). A links file without a status column counts every row.
truth.csv: `left_id,right_id` (FEBRL) or `subject_id,registry_id[,…]` (Dutch benchmark); the first two
columns are used, and a row whose right side is empty (a subject not in the registry) is no true pair.

Usage: python bench/peers/metrics.py LINKS.csv TRUTH.csv   (prints one JSON line)
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def read_pairs(path: Path, *, hits_only: bool = False) -> set[tuple[str, str]]:
    """The (left, right) pairs of a CSV, by position of the first two columns, ignoring empty right sides."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        status = header.index("status") if hits_only and "status" in header else None
        pairs = set()
        for row in reader:
            if len(row) < 2 or not row[1].strip():
                continue
            if status is not None and row[status].strip() != "hit":
                continue
            pairs.add((row[0].strip(), row[1].strip()))
    return pairs


def score(links: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float | int]:
    """Pairwise precision/recall/F1; an empty links set has precision 1 by convention (it claimed nothing)."""
    true_positives = len(links & truth)
    precision = true_positives / len(links) if links else 1.0
    recall = true_positives / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "links": len(links),
        "truth": len(truth),
        "true_positives": true_positives,
        "false_positives": len(links) - true_positives,
        "false_negatives": len(truth) - true_positives,
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(f1, 6),
    }


def absent_left_ids(path: Path) -> set[str]:
    """Left ids whose truth row has an empty right side: subjects who are not in the registry."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return {row[0].strip() for row in reader if row and (len(row) < 2 or not row[1].strip())}


def evaluate(links_csv: Path, truth_csv: Path) -> dict[str, float | int]:
    """Score a links file (hit rows only) against a truth file.

    When the truth names subjects who are not in the registry, the false-hit rate is added: the share of
    them that got any hit at all. That is the figure that counts most for us (an innocent citizen drawn
    into a case), and pairwise precision hides it when such subjects are few.
    """
    links = read_pairs(links_csv, hits_only=True)
    result = score(links, read_pairs(truth_csv))
    absent = absent_left_ids(truth_csv)
    if absent:
        falsely_hit = {left for left, _ in links} & absent
        result["absent_subjects"] = len(absent)
        result["false_hits"] = len(falsely_hit)
        result["false_hit_rate"] = round(len(falsely_hit) / len(absent), 6)
    return result


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: metrics.py LINKS.csv TRUTH.csv")
    print(json.dumps(evaluate(Path(sys.argv[1]), Path(sys.argv[2]))))
