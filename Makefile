# `make run`  : set everything up, ingest the sample corpus and open it.
# `make test` : set everything up and run the checks and the tests (what .ci/run calls).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= $(CURDIR)/.eventmap/seeds.sqlite

.PHONY: setup run test lint system-packages clean
.DEFAULT_GOAL := run

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: setup
	$(VENV)/bin/eventmap ingest seeds/ --db $(DB)
	$(VENV)/bin/eventmap gui --db $(DB)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Debian packages some tests need (gdal-bin), installed where missing and allowed
system-packages:
	.ci/system-packages

test: lint system-packages
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .eventmap .pytest_cache
