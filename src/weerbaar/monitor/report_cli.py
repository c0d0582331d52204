# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter of the monitor's reporting side, added to ``weerbaar monitor`` by
:func:`register_report` (monitor/cli.py calls it with its sub-parsers):

``weerbaar monitor report --wave YEAR --format json|html|pdf --out FILE [--lang nl|en] [--generated-at ISO]``
``weerbaar monitor import-figures FILE [--user NAME]`` (JSON as the API takes, or CSV; all or nothing)
``weerbaar monitor export-figures --municipality GM0363 --from DATE --to DATE [--out FILE]``

Exit codes as the other monitor commands: 0 done, 1 the input was refused (every error printed),
2 the command cannot run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def _write(content: bytes, out: str | None) -> None:
    if out:
        Path(out).write_bytes(content)
        print(f"Written to {out} ({len(content):,} bytes).", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


def cmd_report(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    import time

    from django.core.exceptions import ValidationError

    from weerbaar.accounts.authz import system_actor
    from weerbaar.audit.services import audit
    from weerbaar.monitor import report, report_render
    from weerbaar.monitor.models import Wave

    try:
        generated = report_render.generation_time(args.generated_at)
    except ValueError:
        print("error: --generated-at is an ISO 8601 time, e.g. 2026-01-31T12:00:00+00:00", file=sys.stderr)
        return 2
    try:
        wave = report.wave_for_report(args.wave)
    except Wave.DoesNotExist:
        print(f"error: there is no wave {args.wave}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        document = report.build_document(wave, use_cache=False)
    except ValidationError as exc:
        print(f"error: {'; '.join(exc.messages)}", file=sys.stderr)
        return 2
    content = report_render.render(document, args.format, english=args.lang == "en", generated_at=generated)
    audit(
        system_actor("monitor-cli", origin=origin()),
        "monitor.report.generate",
        obj=wave,
        detail={"year": wave.year, "format": args.format, "bytes": len(content)},
    )
    _write(content, args.out)
    if wave.synthetic:
        print(f"Note: wave {wave.year} holds synthetic (demo) data; the report says so.", file=sys.stderr)
    print(f"Report of wave {wave.year} ({args.format}) made in {time.monotonic() - started:.1f} s.", file=sys.stderr)
    return 0


def cmd_import_figures(args: argparse.Namespace, *, setup: Callable[[], None], origin: Callable[[], str]) -> int:
    setup()
    from django.core.exceptions import PermissionDenied

    from weerbaar.accounts.authz import actor_by_username, system_actor
    from weerbaar.accounts.permissions import Perm
    from weerbaar.monitor.figures import FiguresFileRefused, import_figures

    if args.user:
        try:
            acting = actor_by_username(args.user, Perm.MONITOR_MANAGE, origin=origin())
        except PermissionDenied:
            print(f"error: {args.user!r} is not an active user holding {Perm.MONITOR_MANAGE}", file=sys.stderr)
            return 2
    else:
        acting = system_actor("monitor-cli", origin=origin())
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        rows = import_figures(acting=acting, content=content, name=path.name)
    except FiguresFileRefused as exc:
        print(f"Refused: {len(exc.errors)} error(s) in {path.name}; nothing was stored.", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    corrected = sum(1 for r in rows if r.supersedes_id)
    print(f"Stored {len(rows)} submission(s) of operational figures from {path.name} ({corrected} correction(s)).")
    return 0


def cmd_export_figures(args: argparse.Namespace, *, setup: Callable[[], None]) -> int:
    setup()
    import json

    from django.core.exceptions import ValidationError

    from weerbaar.monitor.figures import export_figures

    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError:
        print("error: --from and --to are dates (YYYY-MM-DD)", file=sys.stderr)
        return 2
    try:
        data = export_figures(municipality_code=args.municipality, start=start, end=end)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            print(f"error: {field}: {'; '.join(messages)}", file=sys.stderr)
        return 2
    _write((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), args.out)
    return 0


def register_report(monitor: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add ``report``, ``import-figures`` and ``export-figures`` to the ``weerbaar monitor`` parsers."""
    rep = monitor.add_parser("report", help="the report of a wave as JSON, HTML or PDF (reproducible)")
    rep.add_argument("--wave", type=int, required=True, metavar="YEAR", help="the wave's year")
    rep.add_argument("--format", choices=["json", "html", "pdf"], default="json")
    rep.add_argument("--out", help="file to write (default: standard output)")
    rep.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the HTML and PDF (default nl)")
    rep.add_argument(
        "--generated-at",
        metavar="ISO",
        help="the generation time printed in HTML/PDF (default: SOURCE_DATE_EPOCH, else now); "
        "fix it for byte-identical files",
    )
    rep.set_defaults(func=lambda args: cmd_report(args, setup=setup, origin=origin))

    imp = monitor.add_parser(
        "import-figures", help="store operational figures from a file (JSON or CSV; all or nothing)"
    )
    imp.add_argument("file", help="see docs/monitor-report.md for the format")
    imp.add_argument("--user", help="act as this user (needs monitor:wave:manage)")
    imp.set_defaults(func=lambda args: cmd_import_figures(args, setup=setup, origin=origin))

    exp = monitor.add_parser(
        "export-figures", help="count this deployment's signals, research and approach for a period (for the monitor)"
    )
    exp.add_argument("--municipality", required=True, help="this municipality's CBS code, e.g. GM0363")
    exp.add_argument("--from", dest="start", required=True, help="first day (YYYY-MM-DD)")
    exp.add_argument("--to", dest="end", required=True, help="last day (YYYY-MM-DD)")
    exp.add_argument("--out", help="file to write (default: standard output)")
    exp.set_defaults(func=lambda args: cmd_export_figures(args, setup=setup))
