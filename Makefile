# `make run`  : set everything up, ingest the sample corpus and open it.
# `make test` : set everything up and run the checks and the tests (what .ci/run calls).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= $(CURDIR)/.eventmap/seeds.sqlite
# The English vector basemap, cut by tippecanoe from data in the tree (about a minute)
BASEMAP := resources/basemap/english.pmtiles
# The country borders as the map draws them, made from the TopoJSON (geo/borders.py, seconds)
BORDERS := resources/borders/.lines-built
# The desktop map page, built by folium (geo/page_file.py; its first start need not build it)
PAGE := resources/prebuilt/.page-built

.PHONY: setup run test lint system-packages clean
.DEFAULT_GOAL := run

setup: $(VENV)/.installed $(BASEMAP) $(BORDERS) $(PAGE)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(BASEMAP): $(VENV)/.installed resources/basemap/countries-10m.json geo/vector_basemap_build.py
	$(PY) -m geo.vector_basemap_build --out $@

$(BORDERS): $(VENV)/.installed resources/borders/countries-50m.json \
		resources/borders/countries-110m.json geo/borders.py
	$(PY) -m geo.borders
	touch $@

$(PAGE): $(VENV)/.installed $(BASEMAP) geo/folium_page.py geo/page_config.py geo/page_file.py
	$(PY) -m geo.page_file
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
	rm -rf $(VENV) .eventmap .pytest_cache resources/borders/*-lines-*.json $(BORDERS) \
		resources/prebuilt
