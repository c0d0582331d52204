# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter of the monitor (registered by :mod:`weerbaar.cli`); Django is set up only
when a command runs.

``weerbaar monitor import-codebook FILE`` stores a codebook version; ``weerbaar monitor import-wave
YEAR FILE`` stores a wave's answers from a survey tool's export; ``weerbaar monitor demo-waves``
loads the synthetic waves 2009–2022; ``weerbaar monitor municipalities YEAR`` lists the lineage.
Exit codes: 0 done, 1 the file was refused (every error is printed), 2 the command cannot run.

``--user NAME`` acts as that user (who must hold ``monitor:wave:manage``); without it the command
acts as the system (role ``monitor-cli``), and the audit row records the operator's login as origin.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weerbaar.accounts.authz import Actor

#: Files larger than this get a progress bar even when stderr is not a terminal.
LARGE_FILE_BYTES = 1024 * 1024


def _acting(args: argparse.Namespace, origin: Callable[[], str]) -> Actor | None:
    from django.core.exceptions import PermissionDenied

    from weerbaar.accounts.authz import actor_by_username, system_actor
    from weerbaar.accounts.permissions import Perm

    if not getattr(args, "user", None):
        return system_actor("monitor-cli", origin=origin())
    try:
        return actor_by_username(args.user, Perm.MONITOR_MANAGE, origin=origin())
    except PermissionDenied:
        print(f"error: {args.user!r} is not an active user holding {Perm.MONITOR_MANAGE}", file=sys.stderr)
        return None


def cmd_import_codebook(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    from weerbaar.monitor.codebook import CodebookInvalid, import_codebook

    acting = _acting(args, origin)
    if acting is None:
        return 2
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        result = import_codebook(acting=acting, content=content, name=path.name)
    except CodebookInvalid as exc:
        print(f"Refused: {len(exc.errors)} error(s) in {path.name}; nothing was stored.", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    if not result.created:
        print(
            f"This file is identical to codebook version {result.codebook.version} "
            f"(imported {result.codebook.imported_at:%Y-%m-%d %H:%M}); nothing new was stored."
        )
        return 0
    print(f"Imported codebook version {result.codebook.version}: {result.items} items from {path.name}.")
    return 0


def cmd_import_wave(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    from weerbaar.monitor.answers_import import WaveImportRefused, import_wave

    acting = _acting(args, origin)
    if acting is None:
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() or path.stat().st_size > LARGE_FILE_BYTES
    try:
        result = import_wave(
            acting=acting,
            year=args.year,
            path=path,
            codebook_version=args.codebook,
            replace=args.replace,
            progress=progress,
        )
    except WaveImportRefused as exc:
        print(f"Refused: {exc.count} error(s) in {path.name}; nothing was imported.", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        if exc.count > len(exc.errors):
            print(f"  … and {exc.count - len(exc.errors)} more", file=sys.stderr)
        return 1
    made = " (wave created, closed)" if result.wave_created else ""
    print(
        f"Imported {result.responses} responses into wave {result.wave.year}{made}: {result.complete} complete, "
        f"{result.responses - result.complete} partial; codebook v{result.wave.codebook.version}; "
        f"read as {result.read_as}; {result.seconds:.1f} s."
    )
    if result.replaced:
        print(f"Replaced {result.replaced} earlier response(s).")
    return 0


def cmd_demo_waves(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    from weerbaar.monitor.synthetic import YEARS, load_synthetic_waves

    acting = _acting(args, origin)
    if acting is None:
        return 2
    years = tuple(args.years) if args.years else YEARS
    outcome = load_synthetic_waves(acting=acting, seed=args.seed, years=years, replace=args.replace)
    print("Synthetic monitor waves (demo data, not real answers):")
    for year, text in outcome.items():
        print(f"  {year}: {text}")
    return 0


def cmd_municipalities(args: argparse.Namespace, *, setup: Callable[[], None]) -> int:
    setup()
    from weerbaar.monitor.lineage import municipalities

    rows = list(municipalities(args.year))
    if not rows:
        print(f"error: no municipal lineage for {args.year}", file=sys.stderr)
        return 2
    for m in rows:
        estimate = "~" if m.population_is_estimate else " "
        moved = "" if m.current_code == m.cbs_code else f"  → {m.current_code}"
        print(
            f"{m.cbs_code}  {m.name:<32} {m.province:<14} {estimate}{m.population:>8,}  "
            f"{m.size_class:<10} {m.riec_region}{moved}"
        )
    print(f"{len(rows)} municipalities on 1 January {args.year} (~ = estimated population).")
    return 0


def cmd_benchmark_sheets(args: argparse.Namespace, *, setup: Callable[[], None]) -> int:
    """Every responding municipality's private benchmark sheet as one HTML file each, to send
    through the municipality's own channel (the same content as the page behind its link)."""
    setup()
    from pathlib import Path

    from weerbaar.monitor.benchmark import render_sheet
    from weerbaar.monitor.models import Response, Wave, WaveState

    wave = Wave.objects.filter(year=args.wave).first()
    if wave is None:
        print(f"error: there is no wave {args.wave}", file=sys.stderr)
        return 2
    if wave.state != WaveState.CLOSED:
        print(f"error: wave {args.wave} is still {wave.state}; sheets are made after closing", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    codes = sorted(Response.objects.filter(wave=wave).values_list("municipality_code", flat=True))
    for code in codes:
        (out / f"{code}.html").write_text(render_sheet(wave, code, language=args.lang), encoding="utf-8")
    print(f"{len(codes)} benchmark sheets of wave {args.wave} written to {out}.")
    return 0


def register(sub: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add the monitor's sub-commands to the ``weerbaar`` parser."""
    monitor = sub.add_parser("monitor", help="the national monitor: codebook, waves, lineage").add_subparsers(
        dest="sub", required=True
    )

    codebook = monitor.add_parser("import-codebook", help="store a codebook (YAML) as a new version")
    codebook.add_argument("file", help="the codebook, see docs/monitor-codebook.md")
    codebook.add_argument("--user", help="act as this user (needs monitor:wave:manage)")
    codebook.set_defaults(func=lambda args: cmd_import_codebook(args, setup=setup, origin=origin))

    wave = monitor.add_parser("import-wave", help="import a wave's answers from CSV or XLSX (all or nothing)")
    wave.add_argument("year", type=int, help="the wave's year, e.g. 2022 (codes must be that year's)")
    wave.add_argument("file", help="municipality_code then one column per item id (.csv with , or ; or .xlsx)")
    wave.add_argument("--codebook", type=int, metavar="VERSION", help="codebook version (default: the latest)")
    wave.add_argument("--replace", action="store_true", help="overwrite responses the wave already has")
    wave.add_argument("--user", help="act as this user (needs monitor:wave:manage)")
    wave.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when stderr is a terminal or the file is large)",
    )
    wave.set_defaults(func=lambda args: cmd_import_wave(args, setup=setup, origin=origin))

    demo = monitor.add_parser("demo-waves", help="load the synthetic waves 2009, 2012, 2016 and 2022 (demo data)")
    demo.add_argument("--seed", type=int, default=20221222)
    demo.add_argument("--years", type=int, nargs="*", help="only these years")
    demo.add_argument("--replace", action="store_true", help="regenerate synthetic waves already loaded")
    demo.add_argument("--user", help="act as this user (needs monitor:wave:manage)")
    demo.set_defaults(func=lambda args: cmd_demo_waves(args, setup=setup, origin=origin))

    sheets = monitor.add_parser(
        "benchmark-sheets", help="every responding municipality's private benchmark sheet (HTML)"
    )
    sheets.add_argument("--wave", type=int, required=True)
    sheets.add_argument("--out", required=True, help="a folder; one file per municipality, named by CBS code")
    sheets.add_argument("--lang", choices=["nl", "en"], default="nl")
    sheets.set_defaults(func=lambda args: cmd_benchmark_sheets(args, setup=setup))

    listing = monitor.add_parser("municipalities", help="the municipalities of 1 January of a year")
    listing.add_argument("year", type=int)
    listing.set_defaults(func=lambda args: cmd_municipalities(args, setup=setup))

    from weerbaar.monitor.report_cli import register_report

    register_report(monitor, setup=setup, origin=origin)
