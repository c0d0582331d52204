#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Install the benchmark extras and run bench/run.py, bench/matching.py and bench/monitor.py (needs PostgreSQL on
# 127.0.0.1:5432); with --city the matching benchmark at city scale instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e ".[bench]"
bash bench/peers/setup.sh  # Splink 5 and DuckDB in their own venv (bench/.peers-venv)
if [ "${1:-}" = "--city" ]; then
  shift
  [ -x /usr/bin/time ] || { echo "error: the city benchmark needs GNU time (sudo apt-get install time)" >&2; exit 1; }
  exec .venv/bin/python bench/matching.py --city "$@"
fi
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else echo "error: the intake benchmark needs wrk (sudo apt-get install wrk)" >&2; exit 1; fi
fi
.venv/bin/python bench/run.py "$@"
.venv/bin/python bench/matching.py
.venv/bin/python bench/monitor.py --write
