# Caseledger: `make run` serves the demo at http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(shell scripts/find-python)

.PHONY: run test lint types check install install-dev assets bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or later is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets
assets: node_modules/.installed

run: install
	scripts/run

test: install-dev
	CASELEDGER_ENV=test $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-dev
	$(BIN)/mypy src

# Production settings must pass the deploy check and collect (hash) every static file.
check: install-dev
	$(BIN)/caseledger makemigrations --check --dry-run
	export CASELEDGER_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
		ALLOWED_HOSTS=caseledger.example VAR_DIR=$$(mktemp -d) && \
		$(BIN)/caseledger check --deploy --fail-level WARNING && \
		$(BIN)/caseledger collectstatic --no-input -v 0

bench: install
	$(BIN)/caseledger bench

clean:
	rm -rf $(VENV) node_modules
