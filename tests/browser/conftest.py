# SPDX-License-Identifier: EUPL-1.2
"""Headless Chromium (Debian's package) driven by Playwright against Django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("WEERBAAR_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Live-server tests flush the database between tests; put the migrations' seed data back."""
    import importlib

    from django.apps import apps

    for module in (
        "weerbaar.accounts.migrations.0002_default_roles",
        "weerbaar.signals.migrations.0002_defaults",
        "weerbaar.sources.migrations.0002_default_sources",
        "weerbaar.approach.migrations.0002_defaults",
        "weerbaar.monitor.migrations.0002_lineage",
    ):
        importlib.import_module(module).load(apps, None)
