# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter: ``weerbaar link`` (two files) and ``weerbaar screen`` (subjects × sources).

``link`` works on files only and needs no database; ``screen`` reads the sources through the
audited service layer and therefore needs a user, a purpose and the signal (``--signal S-…``)
whose current privacy check 1 approves every source asked.
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


def _acting(username: str, origin: str) -> Any:
    from django.core.exceptions import PermissionDenied

    from weerbaar.accounts.authz import actor_by_username
    from weerbaar.accounts.permissions import Perm

    try:
        return actor_by_username(username, Perm.MATCH_SCREEN, origin=origin)
    except PermissionDenied:
        print(f"error: {username!r} is not an active user holding {Perm.MATCH_SCREEN}", file=sys.stderr)
        return None


def cmd_screen(args: argparse.Namespace, origin: str) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError

    from weerbaar.matching.files import MapError, parse_map, read_rows
    from weerbaar.matching.services import screen, searchable_sources

    acting = _acting(args.user, origin)
    if acting is None:
        return 2
    started = time.perf_counter()
    try:
        sources = searchable_sources([s.strip() for s in args.sources.split(",") if s.strip()])
        subjects = list(read_rows(Path(args.subjects), parse_map(args.map)))
        results = screen(
            acting=acting,
            subjects=subjects,
            kind=args.kind,
            sources=sources,
            purpose=args.purpose,
            reference=args.signal,
        )
    except PermissionDenied as exc:  # privacy check 1 of the signal does not approve a source
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except (MapError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        print(f"error: {message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    tally: dict[str, int] = {}
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["subject_id", "source", "status"])
        for subject_id, answers in results:
            for answer in answers:
                writer.writerow([subject_id, answer.source, answer.status])
                tally[answer.status] = tally.get(answer.status, 0) + 1
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{count} {status}" for status, count in sorted(tally.items()))
    print(
        f"Screened {len(subjects)} subjects against {len(sources)} sources in {elapsed:.1f} s: {summary}.",
        file=sys.stderr,
    )
    return 0


def cmd_reindex(args: argparse.Namespace, origin: str) -> int:
    from django.core.exceptions import ValidationError

    from weerbaar.accounts.authz import system_actor
    from weerbaar.matching.services import build_all, build_source_index, searchable_sources

    acting = system_actor("matching-index", origin=origin)
    started = time.perf_counter()
    if args.source:
        reports = []
        try:
            sources = searchable_sources([args.source])
        except ValidationError as exc:
            print(f"error: {'; '.join(exc.messages)}", file=sys.stderr)
            return 2
        for source in sources:
            reports.extend(build_source_index(source, acting=acting, force=args.force))
    else:
        reports = build_all(acting=acting, force=args.force)
    for report in reports:
        print(f"  {report.path.parent.name:<16} {report.kind:<8} {report.records:>9} records {report.seconds:6.1f} s")
    print(f"Index: {len(reports)} file(s) built in {time.perf_counter() - started:.1f} s.")
    return 0


def register(sub: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add ``link``, ``screen`` and ``matching reindex`` to the ``weerbaar`` parser."""

    def with_django(command: Callable[[argparse.Namespace, str], int]) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            setup()
            return command(args, origin())

        return run

    scr = sub.add_parser("screen", help="hit/no-hit of many subjects against the permitted sources")
    scr.add_argument("subjects", help="CSV of subjects (person columns, or --map)")
    scr.add_argument("--out", required=True, help="CSV to write: subject_id,source,status")
    scr.add_argument("--user", required=True, help="the screening user (needs matching:screen:run)")
    scr.add_argument("--purpose", required=True, help="why: the case or signal this screening serves")
    scr.add_argument(
        "--signal",
        required=True,
        metavar="S-…",
        help="the signal this screening belongs to; its privacy check 1 must approve every source (audited)",
    )
    scr.add_argument(
        "--sources", required=True, help="comma-separated source codes, each approved by the signal's privacy check 1"
    )
    scr.add_argument("--kind", choices=KINDS, default="person")
    scr.add_argument("--map", help="role=column,… for files with other column names")
    scr.set_defaults(func=with_django(cmd_screen))

    matching = sub.add_parser("matching", help="the hit/no-hit index").add_subparsers(dest="sub", required=True)
    reindex = matching.add_parser("reindex", help="build the index files of the current snapshots")
    reindex.add_argument("--source", help="only this source")
    reindex.add_argument("--force", action="store_true", help="rebuild even when the files exist")
    reindex.set_defaults(func=with_django(cmd_reindex))
    link = sub.add_parser("link", help="link two files (hit / possible per left record)")
    link.add_argument("left", help="CSV file whose records are looked up")
    link.add_argument("right", help="CSV file they are looked up in")
    link.add_argument("--kind", choices=KINDS, default="person")
    link.add_argument("--out", required=True, help="CSV to write: left_id,right_id,score,status,explanation")
    link.add_argument("--map", help="role=column,… for files with other column names (roles: see docs)")
    link.add_argument("--no-train", action="store_true", help="use the prior m-probabilities; skip EM")
    link.set_defaults(func=cmd_link)
