# SPDX-License-Identifier: EUPL-1.2
.PHONY: run test lint bench bench-city messages
run:  ## install and start the demo (SQLite, demo data; prints the URL and logins)
	python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/weerbaar demo
test:  ## install and run the tests (SQLite, then PostgreSQL when reachable; Chromium)
	bash scripts/test.sh
lint:  ## ruff, mypy, makemigrations --check, check --deploy
	bash scripts/lint.sh
bench:  ## quick benchmarks (foundation; matching with its peers), written to docs/benchmarks.md
	bash scripts/bench.sh
bench-city:  ## matching at city scale (1 M persons, 100 k subjects; ~15 min), written to docs/benchmarks.md
	bash scripts/bench.sh --city
messages:  ## refresh and compile the Dutch translations
	cd src/weerbaar && ../../.venv/bin/django-admin makemessages -l nl -l en --no-obsolete --no-wrap --ignore "migrations/*" --settings weerbaar.settings.test && ../../.venv/bin/django-admin compilemessages --settings weerbaar.settings.test
