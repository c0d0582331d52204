# SPDX-License-Identifier: EUPL-1.2
"""Command-line adapter (registered by :mod:`weerbaar.cli`); Django is set up only when a command runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, *, setup: Callable[[], None], origin: Callable[[], str]) -> None:
    """Add this app's sub-commands to the ``weerbaar`` parser."""
    del sub, setup, origin
