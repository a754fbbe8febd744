# Parallax: `make demo` sets up and runs the offline demo; `make test` sets up and runs the tests;
# `make check` runs tests, ruff and mypy. Each target creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= parallax.db

.PHONY: demo test check lint typecheck bench actors clean

$(BIN)/parallax: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/parallax
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/parallax
	$(BIN)/parallax demo --db $(DB)

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy

check: test lint typecheck

# Rebuild the shipped actor dictionary and event lexicon from dictionary/ and ../shared.
actors: $(VENV)/.dev
	$(BIN)/python -m newsparallax.annotate.actors.build
	$(BIN)/python -m newsparallax.annotate.events.build

bench: $(VENV)/.dev
	$(BIN)/python bench/extraction_f1.py
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/language_eval.py
	$(BIN)/python bench/actors_throughput.py
	$(BIN)/python bench/actors_eval.py --limit 150
	$(BIN)/python bench/events_eval.py
	$(BIN)/python bench/petrarch_unit.py
	$(BIN)/python bench/stories_eval.py
	$(BIN)/python bench/events_throughput.py
	$(BIN)/python bench/monitor_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
