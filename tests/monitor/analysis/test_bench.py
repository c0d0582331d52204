# SPDX-License-Identifier: EUPL-1.2
"""The benchmark script keeps working (a small size here; the real figure comes from ``make bench``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "monitor_analysis.py"


def test_the_benchmark_runs_and_reports_a_median() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1", "--items", "30", "--municipalities", "60", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(result.stdout)
    assert figures["waves"] == 5 and figures["municipalities"] == 60
    assert figures["median_s"] > 0
    assert figures["models_ok"] >= 1
