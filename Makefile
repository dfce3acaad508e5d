# The two commands of the README: `make demo` and `make test`. Both create .venv when missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
LINT_DIR := tools/cypher-lint
LINT_STAMP := $(LINT_DIR)/node_modules/.installed

.PHONY: demo test install browser lint-deps clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(RUNTIME_STAMP) $@

install: $(RUNTIME_STAMP)

# Neo4j's own Cypher linter, pinned in package-lock.json, installed into an ignored folder.
$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint-deps: $(LINT_STAMP)

# Debian's chromium and chromedriver for the real-browser tests of the network view.
browser:
	@bash tools/install-chromium.sh

demo: $(RUNTIME_STAMP)
	$(BIN)/newsgraph demo

test: $(TEST_STAMP) lint-deps browser
	$(BIN)/python -m pytest

clean-venv:
	rm -rf $(VENV)
