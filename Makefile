# Everyday tasks. `make run` and `make test` are the two set-up commands in README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install test-packages lint typecheck contracts unit coverage schema fuzz bench bench-catalogue bench-scale clean

$(STAMP): pyproject.toml
	@echo "Installing Guidebook and its dependencies into $(VENV) (the first time takes a minute or two)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Install, prepare the database, load the demo catalogue and serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/guidebook serve --port $(PORT)

## Install everything (Chromium and Varnish for the tests too) and run every gate and test
test: install test-packages lint typecheck contracts unit coverage

## Debian packages the tests drive: Chromium (browser tests), Varnish (front cache tests)
test-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v varnishd >/dev/null || test -x /usr/sbin/varnishd || missing="$$missing varnish"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing for the tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Typed everywhere; strict on the evidence core
typecheck:
	$(BIN)/mypy guidebook
	$(BIN)/mypy --strict guidebook/evidence

contracts:
	$(BIN)/lint-imports

unit:
	$(BIN)/pytest --cov=guidebook --cov-report= -p no:cacheprovider

## The evidence core must keep complete branch coverage
coverage:
	$(BIN)/coverage report --include='guidebook/evidence/*' --fail-under=100

## Long fuzzing: each of the 3 record properties FUZZ_EXAMPLES times (two of them mutate
## records: 20,000 mutated) on SQLite, then on PostgreSQL (FUZZ_DATABASE_URL), printing
## counts; then schemathesis against a live server
FUZZ_EXAMPLES ?= 10000
FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guidebook_fuzz
API_FUZZ_EXAMPLES ?= 500
fuzz: install
	GUIDEBOOK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q -s -p no:cacheprovider
	DATABASE_URL=$(FUZZ_DATABASE_URL) GUIDEBOOK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(BIN)/pytest tests/fuzz -q -s -p no:cacheprovider
	GUIDEBOOK_API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) $(BIN)/python tests/fuzz/api_fuzz.py

schema: install
	$(BIN)/guidebook schema --write guidebook/evidence/schema/programme.schema.json

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/pool_reml_vs_pymare.py

## Serve a 2,000-programme synthetic catalogue (gunicorn, then Varnish) beside Datasette and nginx
bench-catalogue: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	command -v wrk >/dev/null && command -v nginx >/dev/null && { command -v varnishd >/dev/null || test -x /usr/sbin/varnishd; } || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk nginx varnish >/dev/null; }
	$(BIN)/python benchmarks/catalogue_vs_peers.py

## Rate, re-rate, import and publish a 10,000-programme synthetic catalogue, each beside
## its target (SQLite and PostgreSQL; Varnish and Redis for the publication)
SCALE_OPTIONS ?=
bench-scale: install
	command -v varnishd >/dev/null || test -x /usr/sbin/varnishd || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq varnish >/dev/null; }
	$(BIN)/python benchmarks/scale.py $(SCALE_OPTIONS)

clean:
	rm -rf $(VENV) var .coverage .pytest_cache .mypy_cache .ruff_cache
