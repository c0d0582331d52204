# SPDX-License-Identifier: EUPL-1.2
"""The analysis package is Django-free: plain typed functions that Django only calls (style.md, habit 6)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import weerbaar.monitor.analysis as analysis

PACKAGE = Path(analysis.__file__).parent


def test_no_module_of_the_package_names_django() -> None:
    """Parsed from the source, so a lazy import inside a function counts too."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in ("django", "rest_framework")]
            # Nor anything of Weerbaar outside this package (every app imports Django).
            found += [
                f"{path.name}: {name}"
                for name in names
                if name.startswith("weerbaar.") and not name.startswith("weerbaar.monitor.analysis")
            ]
    assert not found, found


def test_importing_and_running_the_package_loads_no_django() -> None:
    """In a fresh interpreter (pytest-django has loaded Django in this one): import every module,
    run a small analysis, and look at what was imported."""
    code = """
import sys, pkgutil, importlib
import pandas as pd
import weerbaar.monitor.analysis as a
for module in pkgutil.walk_packages(a.__path__, a.__name__ + "."):
    importlib.import_module(module.name)
frame = pd.DataFrame({"municipality_code": ["GM1", "GM2"], "size_class": ["s", "s"],
                      "riec_region": ["R", "R"], "population": [1, 2]})
wave = a.Wave(2022, pd.DataFrame({"q": [1.0]}, index=["GM1"]), frame)
a.report([wave], a.codebook_of([a.Item("q", a.ItemType.YES_NO)]), 2022)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "rest_framework"))
print(",".join(loaded))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == ""
