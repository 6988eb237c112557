# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?=
APT_RUN := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
APT_TEST := chromium poppler-utils
# The production stack on one machine (make serve-prod, loadtest, faulttest and their tests):
# nginx in front, and private PostgreSQL and Redis servers the fault scenarios may restart.
APT_PROD := nginx redis-server postgresql openssl

.PHONY: run test install install-test sysdeps sysdeps-test sysdeps-prod lint bench clean \
	messages catalogue \
	serve-prod loadtest loadtest-short loadtest-compare faulttest

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (or set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# System libraries: WeasyPrint needs Pango and HarfBuzz's subsetter (without it PDFs
# render ~7x slower); gettext compiles the translations; the browser tests need Debian's Chromium.
sysdeps:
	@bash scripts/ensure-apt.sh $(APT_RUN)

sysdeps-test:
	@bash scripts/ensure-apt.sh $(APT_RUN) $(APT_TEST) $(APT_PROD)

sysdeps-prod:
	@bash scripts/ensure-apt.sh $(APT_RUN) $(APT_PROD)

# The interface's translations: locale/*/LC_MESSAGES/django.po is committed, the .mo files
# are built here (and ignored by git). `make catalogue` refreshes the .po files after
# strings change; tests/pdsite/test_catalogue.py fails while one lacks a translation.
messages: install sysdeps
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

catalogue: install sysdeps
	$(BIN)/python manage.py update_catalogue

run: install sysdeps messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a task worker (Ctrl-C stops both)."
	@trap 'kill 0' EXIT; \
	if [ -n "$$REDIS_URL" ]; then $(BIN)/python manage.py rqworker default & \
	else $(BIN)/python manage.py db_worker & fi; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test sysdeps-test messages
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports  # the layers of docs/architecture.md (.importlinter)

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -c constraints.txt ".[test,bench]"
	@touch $@

bench: $(VENV)/.installed-bench sysdeps
	$(BIN)/python -m bench $(if $(SIZE),--size $(SIZE),--size all)

# nginx (TLS) -> gunicorn -> PostgreSQL + Redis, RQ workers and the repair sweep; settings from
# the environment (docs/deploy.md). SEED_DEMO=1 loads the demo accounts.
serve-prod: install sysdeps-prod messages
	$(BIN)/python -m ops.stack

# The load-and-fault scenarios against that stack (docs/performance.md). SCENARIO=steady|
# pg-restart|rq-kill|redis-restart|all; PAGE=module to load one page type only.
loadtest: install-test sysdeps-prod
	$(BIN)/python -m ops.loadtest --scenario $(or $(SCENARIO),all) $(if $(PAGE),--page $(PAGE))

loadtest-short: install-test sysdeps-prod
	$(BIN)/python -m ops.loadtest --short

# The module page, saturated, on the code before a change and on this checkout in one run:
# req/s and p50/p95/p99 of each and after/before (ops/compare.py). BEFORE=rev (default:
# main before the speed merge), ROUNDS=2, RUN_SECONDS=60 per run, USERS=8. About 10 minutes.
loadtest-compare: install-test sysdeps-prod
	$(BIN)/python -m ops.loadtest --compare-before $(or $(BEFORE),eb94e94^1) --page module \
		--rounds $(or $(ROUNDS),2) --seconds $(or $(RUN_SECONDS),60) --users $(or $(USERS),8)

# Task workers SIGKILLed during a bulk approval of 1,000 completions (RQ, PostgreSQL).
faulttest: install sysdeps-prod
	$(BIN)/python -m ops.faults --count 1000 --kills 6 --queue rq --postgres

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
	find locale -name '*.mo' -delete
