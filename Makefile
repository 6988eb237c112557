# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?=
APT_RUN := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
APT_TEST := chromium poppler-utils

.PHONY: run test install install-test sysdeps sysdeps-test lint bench clean

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
# render ~7x slower); the browser tests need Debian's Chromium.
sysdeps:
	@bash scripts/ensure-apt.sh $(APT_RUN)

sysdeps-test:
	@bash scripts/ensure-apt.sh $(APT_RUN) $(APT_TEST)

run: install sysdeps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a task worker (Ctrl-C stops both)."
	@trap 'kill 0' EXIT; \
	if [ -n "$$REDIS_URL" ]; then $(BIN)/python manage.py rqworker default & \
	else $(BIN)/python manage.py db_worker & fi; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test sysdeps-test
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

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
