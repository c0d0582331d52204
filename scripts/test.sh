#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Install Weerbaar with its test tools in .venv and run the whole test suite:
# on SQLite, then on PostgreSQL when one answers (required when WEERBAAR_REQUIRE_POSTGRES=1).
# Browser tests use Debian's chromium, installed with apt when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the browser tests need Debian's chromium (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

export WEERBAAR_DATA_DIR="$(mktemp -d)"
trap 'rm -rf "$WEERBAAR_DATA_DIR"' EXIT

pytest_run() {
  local rc=0
  .venv/bin/pytest -q -p no:cacheprovider "$@" || rc=$?
  if [ "$rc" = 5 ]; then echo "error: no tests were collected" >&2; exit 1; fi
  return "$rc"
}

echo "== tests on SQLite"
pytest_run

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
if .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" pytest_run --create-db
elif [ "${WEERBAAR_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "error: PostgreSQL at $PG_URL does not answer" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at $PG_URL: the PostgreSQL run was skipped (CI requires it)"
fi
