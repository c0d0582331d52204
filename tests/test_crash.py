# SPDX-License-Identifier: EUPL-1.2
"""Crash mid-write: kill -9 a gunicorn worker while signals pour in; no acknowledged write is lost,
nothing is half-written, and the audit chain still verifies.

Runs against PostgreSQL only (a real server process with its own database), when the suite runs
on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from typing import Any

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

BODY = json.dumps(
    {
        "channel": "department",
        "received_on": "2026-01-10",
        "description": "crash test",
        "phenomena": ["cannabis"],
        "subjects": [
            {"kind": "address", "data": {"postcode": "9999ZZ"}},
            {"kind": "vehicle", "data": {"licence_plate": "XX-1"}},
        ],
    }
).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def crash_env(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import psycopg

    base = connection.settings_dict
    name = "weerbaar_crash_test"
    admin = psycopg.connect(
        host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    url = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WEERBAAR_PROFILE": "demo",
        "WEERBAAR_DATA_DIR": str(tmp_path_factory.mktemp("crash")),
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings.base",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    _run(
        env,
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from weerbaar.accounts.models import User, Role;"
        "u = User.objects.create_user('crash', password='crash-password-123', is_demo=True);"
        "u.roles.set(Role.objects.filter(code='department_officer'))",
    )
    yield env
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def _opener() -> tuple[Any, CookieJar]:
    jar = CookieJar()
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)), jar


def test_kill_9_of_a_worker_loses_no_acknowledged_write(crash_env: dict[str, str]) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "weerbaar.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "critical",
        ],
        env=crash_env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        opener, jar = _opener()
        opener.open(f"{base}/accounts/login", timeout=10)
        token = next(c.value for c in jar if c.name == "csrftoken")
        login = urllib.request.Request(
            f"{base}/accounts/login",
            data=f"username=crash&password=crash-password-123&csrfmiddlewaretoken={token}".encode(),
            headers={"Referer": base, "Content-Type": "application/x-www-form-urlencoded"},
        )
        opener.open(login, timeout=10)
        token = next(c.value for c in jar if c.name == "csrftoken")
        acknowledged: list[int] = []
        failures = 0
        lock = threading.Lock()

        def post_many(n: int) -> None:
            nonlocal failures
            for _ in range(n):
                request = urllib.request.Request(
                    f"{base}/api/v1/signals",
                    data=BODY,
                    headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": base},
                )
                try:
                    with opener.open(request, timeout=10) as response:
                        signal_id = json.loads(response.read())["id"]
                        with lock:
                            acknowledged.append(signal_id)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    with lock:
                        failures += 1

        threads = [threading.Thread(target=post_many, args=(60,)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        children = f"/proc/{server.pid}/task/{server.pid}/children"
        workers = [int(p) for p in open(children).read().split()]  # noqa: SIM115 - a one-shot read of /proc
        assert workers, "no gunicorn workers found"
        os.kill(workers[0], signal.SIGKILL)  # mid-write, with requests in flight
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=15)

    print(f"acknowledged {len(acknowledged)}, failed in flight {failures}")
    assert acknowledged and len(set(acknowledged)) == len(acknowledged)
    report = json.loads(
        _run(
            crash_env,
            """
import json
from django.db.models import Count
from weerbaar.signals.models import Signal
from weerbaar.audit.models import AuditEvent
from weerbaar.audit.selectors import audit_verify
signals = Signal.objects.annotate(
    n_subjects=Count("subjects", distinct=True), n_history=Count("history", distinct=True))
created = set(AuditEvent.objects.filter(action="signals:signal:create").values_list("object_id", flat=True))
print(json.dumps({
    "ids": list(signals.values_list("id", flat=True)),
    "incomplete": [s.pk for s in signals if s.n_subjects != 2 or s.n_history != 1 or str(s.pk) not in created],
    "verify": audit_verify().ok,
}))
""",
        )
    )
    assert set(acknowledged) <= set(report["ids"]), "an acknowledged signal was lost"
    assert report["incomplete"] == [], "half-written signals"
    assert report["verify"] is True
