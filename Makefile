# The README's two commands: `make run` serves the site, `make test` runs every check from nothing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SHARED_DATA := $(abspath ../shared/data/aclImdb_v1.tar.gz)
# The full-data tests run when the IMDB archive is beside the project (it is in CI).
export IMDB_DATA ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/sentisite

.PHONY: run test check install install-dev browser axe lint audit bench bench-scale loadtest explore models clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

# DEBUG is off unless set (production's default); local use, the tests and the benchmarks set it here.
run test check bench loadtest: export DJANGO_DEBUG ?= true

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "sentisite: http://127.0.0.1:8000"
	@# One job worker alongside the web server (the Procfile's worker line): bulk jobs run with no other service.
	BIND=127.0.0.1:8000 WEB_CONCURRENCY=$${WEB_CONCURRENCY:-1} bash -c "$$(sed -n 's/^worker: //p' Procfile) & worker=\$$!; trap 'kill \$$worker 2>/dev/null' EXIT; $$(sed -n 's/^web: //p' Procfile)"

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# axe-core for the accessibility tests (tests/browser/test_accessibility.py): from the npm registry, at the version and
# integrity hash that tests/browser/package-lock.json pins; npm itself from Debian when the machine lacks it.
AXE_STAMP := tests/browser/node_modules/.installed
axe: $(AXE_STAMP)
$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null)
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache

test: $(VENV)/.dev-installed browser axe lint
	$(PY) manage.py makemigrations --check --dry-run
	@echo "=== pass 1: the whole suite on SQLite ==="
	env -u DATABASE_URL $(PY) -m pytest
	@if [ -n "$$DATABASE_URL" ] || $(PY) -c "import psycopg; psycopg.connect('$(POSTGRES_URL:/sentisite=/postgres)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "=== pass 2: every database test again on PostgreSQL ==="; \
		DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} DB_TESTS_ONLY=1 $(PY) -m pytest -p no:cacheprovider; \
	else \
		echo "=== pass 2 SKIPPED: no PostgreSQL server answers at 127.0.0.1:5432 (set DATABASE_URL) ==="; \
	fi

# The loop while developing: lint, format, and on both cores (pytest-xdist) the tests that need no browser, gunicorn,
# PostgreSQL, IMDB archive or shipped model and are not slow; stops at the first failure. `make test` runs them all.
check: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	env -u DATABASE_URL $(PY) -m pytest -q -x -p no:cacheprovider -n 2 \
		-m "not browser and not live_server and not full_data and not shipped_model and not slow"

# pip-audit asks PyPI's JSON API about each pinned version. Where that API does not answer (offline, or a
# mirror without it) every package is skipped and pip-audit still prints "No known vulnerabilities found":
# then the target says the dependencies were not audited instead. Where it answers, --strict fails the
# target on a vulnerability and on any package it could not audit.
AUDIT_PROBE := https://pypi.org/pypi/django/$(shell sed -n 's/^[Dd]jango==//p' requirements.txt)/json
audit: $(VENV)/.dev-installed
	$(PY) -m bandit -q -r sentisite classifier reviews ml -x '*/tests/*' -c pyproject.toml
	@if $(PY) -c "import urllib.request; urllib.request.urlopen('$(AUDIT_PROBE)', timeout=10)" 2>/dev/null; then \
		$(PY) -m pip_audit --strict -r requirements.txt; \
	else \
		echo "pip-audit NOT RUN: $(AUDIT_PROBE) does not answer from here, so the dependencies are NOT audited (docs/security.md)"; \
	fi

bench: $(VENV)/.dev-installed
	$(PY) -m bench --markdown bench/RESULTS.md

# The pages as the tables grow (issue 27): 1k, 10k and 50k reviews for one user among 161k rows, on SQLite
# and PostgreSQL (POSTGRES at 127.0.0.1); the rows are built once in /tmp/sentisite-scale and reused.
bench-scale: $(VENV)/.dev-installed
	$(PY) -m bench.scale

loadtest: $(VENV)/.dev-installed
	$(PY) -m bench.loadtest --submissions 2000 --clients 16

explore: $(VENV)/.dev-installed
	$(PY) -m ml.exploration

# Retrain every shipped model, then evaluate on the test set and rebuild ml/results/RESULTS.md (how long: docs/models.md).
models: $(VENV)/.dev-installed
	bash ml/train_all.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts tests/browser/node_modules
