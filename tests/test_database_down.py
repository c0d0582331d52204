# SPDX-License-Identifier: EUPL-1.2
"""A real server whose database is unreachable answers 503 clearly, never with a trace.

No mock: gunicorn runs Weerbaar against a PostgreSQL address where nothing listens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory: pytest.TempPathFactory) -> object:
    port, dead = _free_port(), _free_port()  # nothing listens on `dead`
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead}/weerbaar",
        "WEERBAAR_PROFILE": "demo",
        "WEERBAAR_DATA_DIR": str(tmp_path_factory.mktemp("down")),
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings.base",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "weerbaar.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        # Never through a proxy from the environment: the server is on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_pages_and_api_answer_503_without_a_trace(server_without_database: str) -> None:
    status, headers, body = _get(f"{server_without_database}/health")
    assert status == 503 and headers.get("Retry-After") == "30"
    assert "niet beschikbaar" in body and "Traceback" not in body and "OperationalError" not in body
    status, headers, body = _get(
        f"{server_without_database}/api/v1/signals", cookie="sessionid=" + "a" * 32
    )  # a well-formed key: the session is looked up
    assert status == 503 and headers.get("Content-Type") == "application/problem+json"
    assert "Traceback" not in body and Path(__file__).name not in body
