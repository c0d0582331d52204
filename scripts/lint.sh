#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Static checks: ruff, mypy, missing migrations, and Django's deploy check on production settings.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "run scripts/test.sh first (it creates .venv)" >&2; exit 1; }
export WEERBAAR_DATA_DIR="$(mktemp -d)"
trap 'rm -rf "$WEERBAAR_DATA_DIR"' EXIT
echo "== ruff"; .venv/bin/ruff check src tests bench
echo "== mypy"; .venv/bin/mypy
echo "== bandit"; .venv/bin/bandit -q -r src -x "*/migrations/*"
echo "== OpenAPI schema validates"
WEERBAAR_PROFILE=test .venv/bin/weerbaar manage spectacular --validate --fail-on-warn --file "$WEERBAAR_DATA_DIR/openapi.yaml"
echo "== makemigrations --check"
WEERBAAR_PROFILE=test .venv/bin/weerbaar manage makemigrations --check --dry-run
echo "== check --deploy (production settings)"
WEERBAAR_PROFILE=production \
WEERBAAR_SECRET_KEY="ci-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
WEERBAAR_ENCRYPTION_KEYS="$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
WEERBAAR_ALLOWED_HOSTS=weerbaar.gemeente.example \
DATABASE_URL=${TEST_DATABASE_URL:-sqlite:///$WEERBAAR_DATA_DIR/deploy.sqlite3} \
  .venv/bin/weerbaar manage check --deploy --fail-level WARNING
