# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter: ``weerbaar link`` (two files) and ``weerbaar screen`` (subjects × sources).

``link`` works on files only and needs no database; ``screen`` reads the sources through the
audited service layer and therefore needs a user and a purpose.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from weerbaar.matching.records import KINDS


def cmd_link(args: argparse.Namespace) -> int:
    from weerbaar.matching.decide import HIT, explain
    from weerbaar.matching.files import MapError, parse_map, read_rows
    from weerbaar.matching.linkage import link, normalise_rows

    started = time.perf_counter()
    try:
        mapping = parse_map(args.map)
        left = normalise_rows(args.kind, read_rows(Path(args.left), mapping))
        right = normalise_rows(args.kind, read_rows(Path(args.right), mapping))
    except MapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    results, model = link(args.kind, left, right, train=not args.no_train)
    hits = possibles = 0
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "score", "status", "explanation"])
        for result in results:
            decision = result.decision
            if decision.status == HIT and decision.best is not None:
                hits += 1
                best = decision.best
                writer.writerow([result.left_id, best.ext_id, f"{best.probability:.6f}", HIT, explain(args.kind, best)])
            elif decision.candidates:
                possibles += 1
                for candidate in decision.candidates:
                    writer.writerow(
                        [
                            result.left_id,
                            candidate.ext_id,
                            f"{candidate.probability:.6f}",
                            "possible",
                            f"{decision.reason}: {explain(args.kind, candidate)}",
                        ]
                    )
    elapsed = time.perf_counter() - started
    print(
        f"Linked {len(left)} × {len(right)} {args.kind} records in {elapsed:.1f} s: {hits} hit, "
        f"{possibles} possible, {len(left) - hits - possibles} no-hit ({model.trained_by}). Written to {args.out}.",
        file=sys.stderr,
    )
    return 0


def register(sub: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add ``link`` and ``screen`` to the ``weerbaar`` parser."""
    del setup, origin
    link = sub.add_parser("link", help="link two files (hit / possible per left record)")
    link.add_argument("left", help="CSV file whose records are looked up")
    link.add_argument("right", help="CSV file they are looked up in")
    link.add_argument("--kind", choices=KINDS, default="person")
    link.add_argument("--out", required=True, help="CSV to write: left_id,right_id,score,status,explanation")
    link.add_argument("--map", help="role=column,… for files with other column names (roles: see docs)")
    link.add_argument("--no-train", action="store_true", help="use the prior m-probabilities; skip EM")
    link.set_defaults(func=cmd_link)
