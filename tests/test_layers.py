# SPDX-License-Identifier: EUPL-1.2
"""The direction of dependencies (architecture.md): an app imports only from the apps above it.

Parsed from the source, so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import weerbaar

ORDER = [
    "accounts",
    "audit",
    "sources",
    "matching",
    "signals",
    "research",
    "approach",
    "governance",
    "insights",
    "monitor",
]
#: accounts and audit form the foundation together: each may name the other.
FOUNDATION = {"accounts", "audit"}
PACKAGE = Path(weerbaar.__file__).parent


def _imported_apps(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "weerbaar" and parts[1] in ORDER:
                found.add(parts[1])
    return found


def test_apps_import_only_from_apps_above_them() -> None:
    wrong = []
    for app in ORDER:
        folder = PACKAGE / app
        if not folder.is_dir():
            continue
        allowed = set(ORDER[: ORDER.index(app) + 1]) | (FOUNDATION if app in FOUNDATION else set())
        for path in sorted(folder.rglob("*.py")):
            for target in _imported_apps(path) - allowed:
                wrong.append(f"{path.relative_to(PACKAGE)} imports weerbaar.{target}")
    assert not wrong, "imports against the direction of dependencies:\n" + "\n".join(wrong)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from weerbaar.approach.models import Case\nimport weerbaar.research.services\n")
    assert _imported_apps(module) == {"approach", "research"}
