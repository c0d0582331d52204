#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Create bench/.peers-venv with Splink 5 on DuckDB, isolated from the project's own venv.
#
# Why a separate venv: Splink brings its own versions of DuckDB, pyarrow and sqlglot; the product's venv
# (/work/venv or whatever runs the product) must not be bent to fit a peer we only measure.
# Idempotent: a stamp file records what was installed; when it matches, this returns at once.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${PEERS_VENV:-$HERE/../.peers-venv}"
PYTHON="${PYTHON:-python3}"
# Splink 5 needs no pandas; pyarrow is named because the FEBRL reader uses it directly. Pinned to the
# versions these scripts were checked with: DuckDB 2 changed its Python API, and figures must be comparable.
REQUIREMENTS=("splink==5.0.0" "duckdb==2.0.1" "pyarrow==26.0.1")
STAMP="$VENV/.weerbaar-peers-stamp"
WANT="$(printf '%s\n' "${REQUIREMENTS[@]}")"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet "${REQUIREMENTS[@]}"
"$VENV/bin/python" -c "import splink, duckdb; assert splink.__version__ == '5.0.0', splink.__version__"
printf '%s' "$WANT" >"$STAMP"
