# SPDX-License-Identifier: EUPL-1.2
"""Every setting that comes from the environment, read through one documented helper.

Why one helper: an operator must be able to see every knob in one list (``weerbaar config``
prints it), and no knob may exist that is not documented. Nothing read here can switch a
permission check off: permissions are code and data, never settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Variable:
    """One documented environment variable."""

    name: str
    default: str | None
    help: str


REGISTRY: dict[str, Variable] = {}


class ConfigurationError(RuntimeError):
    """A required variable is missing or has a value that cannot be used."""


def _declare(name: str, default: str | None, help_text: str) -> str | None:
    REGISTRY[name] = Variable(name=name, default=default, help=help_text)
    return os.environ.get(name, default)


def env_str(name: str, default: str | None, help: str) -> str | None:  # noqa: A002 - mirrors Django's help_text
    """A string variable; ``None`` when unset and without default."""
    return _declare(name, default, help)


def env_required(name: str, help: str, *, demo_default: str | None = None) -> str:  # noqa: A002
    """A variable that production must set; the demo and test profiles may supply a default."""
    value = _declare(name, None, help + " Required in production.")
    if value:
        return value
    if demo_default is not None:
        return demo_default
    raise ConfigurationError(f"Environment variable {name} is required: {help}")


def env_bool(name: str, default: bool, help: str) -> bool:  # noqa: A002
    raw = _declare(name, "true" if default else "false", help)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, help: str) -> int:  # noqa: A002
    raw = _declare(name, str(default), help)
    try:
        return int(raw) if raw is not None else default
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str, help: str) -> list[str]:  # noqa: A002
    raw = _declare(name, default, help) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the demo keeps its database, keys and uploads (documented in the README)."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "weerbaar"
    raw = _declare(
        "WEERBAAR_DATA_DIR",
        str(default),
        "Folder for the embedded SQLite database, uploaded attachments and the demo's generated keys.",
    )
    path = Path(raw or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def describe() -> str:
    """Text listing every variable, its default and its meaning (for ``weerbaar config``)."""
    lines = []
    for var in sorted(REGISTRY.values(), key=lambda v: v.name):
        default = "(unset)" if var.default is None else repr(var.default)
        lines.append(f"{var.name}\n    default: {default}\n    {var.help}")
    return "\n".join(lines)
