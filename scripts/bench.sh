#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Install the benchmark extras and run bench/run.py (needs PostgreSQL on 127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e ".[bench]"
.venv/bin/python bench/run.py "$@"
