# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter (registered by :mod:`weerbaar.cli`); Django is set up only when a command runs.

``weerbaar sources list`` prints the catalogue; ``weerbaar sources import SOURCE FILE --user NAME``
loads a snapshot through the same function the web UI will use. Exit codes: 0 done, 1 the file was
refused (every row error is printed), 2 the command cannot run (unknown source or user, no
permission, a source that may not be loaded).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Files larger than this get a progress bar even when stderr is not a terminal.
LARGE_FILE_BYTES = 50 * 1024 * 1024


def _local(moment: Any) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def cmd_list(args: argparse.Namespace, *, setup: Callable[[], None]) -> int:
    setup()
    from weerbaar.sources.selectors import source_list

    rows = [
        (
            s.slug,
            s.kind,
            s.mode,
            s.owner_department.code if s.owner_department else "—",
            _local(s.current_loaded_at),  # type: ignore[attr-defined]
            "—" if s.current_rows is None else f"{s.current_rows:,}",  # type: ignore[attr-defined]
        )
        for s in source_list().order_by("slug")
    ]
    header = ("source", "kind", "mode", "owner", "current snapshot", "rows")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i < 5 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return 0


def cmd_import(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    from django.core.exceptions import PermissionDenied

    from weerbaar.accounts.authz import actor_by_username
    from weerbaar.accounts.permissions import Perm
    from weerbaar.sources.importing import SnapshotRefused, SourceNotImportable, import_snapshot
    from weerbaar.sources.models import Source
    from weerbaar.sources.selectors import current_snapshot

    try:
        acting = actor_by_username(args.user, Perm.SOURCE_IMPORT, origin=origin())
    except PermissionDenied:
        print(f"error: {args.user!r} is not an active user holding {Perm.SOURCE_IMPORT}", file=sys.stderr)
        return 2
    source = Source.objects.filter(slug=args.source).first()
    if source is None:
        known = ", ".join(Source.objects.order_by("slug").values_list("slug", flat=True))
        print(f"error: no source {args.source!r} (known: {known})", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() or path.stat().st_size > LARGE_FILE_BYTES
    try:
        result = import_snapshot(acting=acting, source=source, path=path, progress=progress)
    except SourceNotImportable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SnapshotRefused as exc:
        print(f"Refused: {exc.count} error(s) in {path.name}.", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        if exc.count > len(exc.errors):
            print(f"  … and {exc.count - len(exc.errors)} more", file=sys.stderr)
        previous = current_snapshot(source)
        if previous is None:
            print(f"Nothing was imported; {source.slug} has no snapshot yet.", file=sys.stderr)
        else:
            print(
                f"Nothing was imported; the previous snapshot (loaded {_local(previous.loaded_at)}, "
                f"{previous.row_count:,} rows) is unchanged.",
                file=sys.stderr,
            )
        return 1
    print(
        f"Imported {result.rows:,} rows into {source.slug} in {result.seconds:.1f} s "
        f"(read as {result.read_as}); loaded {_local(result.snapshot.loaded_at)}."
    )
    if result.attributes:
        print(f"Kept as attributes, unchecked: {', '.join(result.attributes)}.")
    if result.replaced is not None:
        print(f"Replaced the snapshot loaded {_local(result.replaced.loaded_at)} ({result.replaced.row_count:,} rows).")
    return 0


def register(sub: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add this app's sub-commands to the ``weerbaar`` parser."""
    sources = sub.add_parser("sources", help="registries and departmental files").add_subparsers(
        dest="sub", required=True
    )
    listing = sources.add_parser("list", help="the sources, their modes and current snapshots")
    listing.set_defaults(func=lambda args: cmd_list(args, setup=setup))

    imp = sources.add_parser("import", help="load a snapshot of a source (CSV, Parquet, XLSX; all or nothing)")
    imp.add_argument("source", help="the source's code, e.g. brp (see `weerbaar sources list`)")
    imp.add_argument("file", help="the export: .csv (',' or ';'), .parquet or .xlsx with a header row")
    imp.add_argument("--user", required=True, help="the importing user (needs sources:snapshot:import)")
    imp.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when stderr is a terminal or the file is large)",
    )
    imp.set_defaults(func=lambda args: cmd_import(args, setup=setup, origin=origin))
