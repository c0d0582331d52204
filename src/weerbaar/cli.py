# SPDX-License-Identifier: EUPL-1.2
"""The ``weerbaar`` command: the same services as the web UI and API, for operators and batches.

Every command uses the demo's database (in WEERBAAR_DATA_DIR) unless DATABASE_URL names another;
without DATABASE_URL and WEERBAAR_PROFILE the demo profile applies, so ``weerbaar audit verify``
right after ``weerbaar demo`` checks the demo.
"""

from __future__ import annotations

import argparse
import os
import signal as os_signal

# subprocess starts our own gunicorn and worker with fixed arguments.
import subprocess  # nosec B404
import sys
import time
from pathlib import Path


def _setup() -> None:
    if "WEERBAAR_PROFILE" not in os.environ:
        os.environ["WEERBAAR_PROFILE"] = "production" if "DATABASE_URL" in os.environ else "demo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.base")
    import django

    django.setup()


def _cli_origin() -> str:
    return f"cli:{os.environ.get('USER', 'unknown')}"


def cmd_demo(args: argparse.Namespace) -> int:
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from weerbaar.signals.demo_data import DEMO_PASSWORD, USERS, load_demo_data

    print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    print("Loading demo data (first run takes a few seconds)…")
    counts = load_demo_data()
    from weerbaar.accounts.authz import system_actor
    from weerbaar.matching.services import build_all
    from weerbaar.sources.demo_data import load_demo_sources

    registries = load_demo_sources()
    if registries:
        print("Demo registries (fictitious city): " + ", ".join(f"{k} {v}" for k, v in registries.items()))
    build_all(acting=system_actor("matching-index", origin="demo"))
    from weerbaar.demo_cases import load_demo_cases

    cases = load_demo_cases()
    if cases["signals"]:
        print(
            f"Demo cases (steps 3-4): {cases['signals']} signals in every phase, {cases['cases']} cases, "
            f"{cases['destroyed']} destroyed signals in total."
        )
    from weerbaar.monitor.synthetic import load_synthetic_waves

    waves = load_synthetic_waves()
    print("Monitor (SYNTHETIC demo waves): " + ", ".join(f"{year} {what}" for year, what in sorted(waves.items())))
    url = f"http://{args.host}:{args.port}/"
    env = dict(os.environ)
    worker = subprocess.Popen([sys.executable, "-m", "weerbaar.cli", "worker"], env=env)  # nosec B603
    web = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "weerbaar.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    print()
    print(f"Weerbaar demo ({counts['signals']} fictitious signals) runs at {url}")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, name, roles, _dept in USERS:
        print(f"  {username:<14} {name:<24} {', '.join(roles)}")
    print("Press Ctrl+C to stop.")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    os_signal.signal(os_signal.SIGTERM, stop)  # stop the children on SIGTERM too
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (web, worker):
            if proc.poll() is None:
                proc.send_signal(os_signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.worker import run_worker

    run_worker()
    return 0


def cmd_signals_import(args: argparse.Namespace) -> int:
    _setup()
    from django.core.exceptions import PermissionDenied

    from weerbaar.accounts.authz import actor_by_username
    from weerbaar.accounts.permissions import Perm
    from weerbaar.signals.importing import ImportRefused, signals_import_csv

    try:
        acting = actor_by_username(args.user, Perm.SIGNAL_IMPORT, origin=_cli_origin())
    except PermissionDenied:
        print(f"error: {args.user!r} is not an active user holding {Perm.SIGNAL_IMPORT}", file=sys.stderr)
        return 2
    try:
        content = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        ids = signals_import_csv(acting=acting, content=content, department=args.department)
    except ImportRefused as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"Imported {len(ids)} signals (S-{min(ids):06d} … S-{max(ids):06d})." if ids else "Nothing to import.")
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.accounts.authz import system_actor
    from weerbaar.signals.keys import rotate_all

    count = rotate_all(acting=system_actor("key-rotation", origin=_cli_origin()))
    print(f"Re-encrypted {count} values with the first key of WEERBAAR_ENCRYPTION_KEYS.")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.accounts.authz import system_actor
    from weerbaar.governance import retention

    result = retention.retention_run(acting=system_actor("retention", origin=_cli_origin()), dry_run=args.dry_run)
    verb = "Would destroy" if args.dry_run else "Destroyed"
    signals = result.of(retention.SIGNAL)
    print(f"{verb} the content of {len(signals)} signal(s).")
    for item in signals:
        print(f"  {item.reference}  {item.detail:<10} due {item.due}")
    others = {
        retention.SNAPSHOT: "old source snapshot(s) with their records and index files",
        retention.INDEX_FILE: "index file(s) without a snapshot",
        retention.GENERATED_FILE: "generated file(s)",
        retention.REQUEST: "handled data-subject request(s)",
    }
    for category, label in others.items():
        items = result.of(category)
        if items:
            print(f"{verb} {len(items)} {label}.")
            for item in items:
                print(f"  {item.reference}  {item.detail:<10} due {item.due}")
    if result.failed:
        print(f"Failed: {len(result.failed)} item(s); they stay for the next run (see the log).", file=sys.stderr)
        for item in result.failed:
            print(f"  {item.category} {item.reference}", file=sys.stderr)
        return 1
    return 0


def _write_out(content: bytes, out: str | None) -> None:
    if out:
        Path(out).write_bytes(content)
        print(f"Written to {out} ({len(content)} bytes).", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


def cmd_register(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.accounts.authz import system_actor
    from weerbaar.governance.register import register_generate

    _data, content = register_generate(acting=system_actor("register", origin=_cli_origin()), file_format=args.format)
    _write_out(content, args.out)
    return 0


def cmd_publication(args: argparse.Namespace) -> int:
    _setup()
    from datetime import date

    from django.core.exceptions import ValidationError

    from weerbaar.accounts.authz import system_actor
    from weerbaar.governance.publication import publication_export

    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError:
        print("error: --from and --to are dates (YYYY-MM-DD)", file=sys.stderr)
        return 2
    try:
        _data, content = publication_export(
            acting=system_actor("publication", origin=_cli_origin()), start=start, end=end, file_format=args.format
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            print(f"error: {field}: {'; '.join(messages)}", file=sys.stderr)
        return 2
    _write_out(content, args.out)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.audit.selectors import audit_verify

    result = audit_verify()
    print(result.message)
    return 0 if result.ok else 1


def cmd_config(args: argparse.Namespace) -> int:
    _setup()
    from weerbaar.config import describe

    print(describe())
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["weerbaar manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="weerbaar", description=__doc__.splitlines()[0] if __doc__ else "")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, load demo data, serve; prints the URL and the logins")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("worker", help="run background jobs (retention daily)").set_defaults(func=cmd_worker)

    signals = sub.add_parser("signals", help="signal intake and keys").add_subparsers(dest="sub", required=True)
    imp = signals.add_parser("import", help="import a department's CSV export (all or nothing)")
    imp.add_argument("file")
    imp.add_argument("--user", required=True, help="the importing user (needs signals:signal:import)")
    imp.add_argument("--department", help="code of the department the export comes from")
    imp.set_defaults(func=cmd_signals_import)
    signals.add_parser("rotate-key", help="re-encrypt content with the first key").set_defaults(func=cmd_rotate_key)

    retention = sub.add_parser("retention", help="retention").add_subparsers(dest="sub", required=True)
    run = retention.add_parser("run", help="destroy whatever has passed its term, in every category")
    run.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    run.set_defaults(func=cmd_retention)

    register = sub.add_parser("register", help="the processing register (AVG art. 30), generated")
    register.add_argument("--format", choices=["json", "html"], default="json")
    register.add_argument("--out", help="file to write (default: standard output)")
    register.set_defaults(func=cmd_register)

    publication = sub.add_parser("publication", help="council and Woo figures for a period, small counts suppressed")
    publication.add_argument("--from", dest="start", required=True, help="first day (YYYY-MM-DD)")
    publication.add_argument("--to", dest="end", required=True, help="last day (YYYY-MM-DD)")
    publication.add_argument("--format", choices=["csv", "json"], default="csv")
    publication.add_argument("--out", help="file to write (default: standard output)")
    publication.set_defaults(func=cmd_publication)

    audit = sub.add_parser("audit", help="audit log").add_subparsers(dest="sub", required=True)
    audit.add_parser("verify", help="recompute the hash chain; name the first broken row").set_defaults(
        func=cmd_audit_verify
    )

    from weerbaar.matching.cli import register as register_matching
    from weerbaar.sources.cli import register as register_sources

    register_sources(sub, setup=_setup, origin=_cli_origin)
    register_matching(sub, setup=_setup, origin=_cli_origin)
    from weerbaar.monitor.cli import register as register_monitor

    register_monitor(sub, setup=_setup, origin=_cli_origin)
    from weerbaar.backup import register as register_backup

    register_backup(sub, setup=_setup, origin=_cli_origin)

    sub.add_parser("config", help="list every environment variable").set_defaults(func=cmd_config)
    manage = sub.add_parser("manage", help="Django's manage.py commands", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
