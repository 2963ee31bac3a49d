# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit integration e2e bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Koroena needs Python 3.11 or newer")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Run the app: install, migrate, load the demo on first run, serve on http://localhost:8000
run: $(STAMP)
	$(BIN)/koroena migrate
	$(BIN)/koroena demo --first-run
	$(BIN)/koroena serve

## Run the whole test suite: lint, format check, types, unit, integration (SQLite and
## PostgreSQL) and end-to-end tests in headless Chromium.
test: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/ruff check backend frontend tests benchmarks scripts
	$(BIN)/ruff format --check backend frontend tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/health_rps.py
	$(BIN)/python benchmarks/statements.py
	$(BIN)/python benchmarks/sync_ingest.py
	$(BIN)/python benchmarks/pos_page.py
	$(BIN)/python benchmarks/push_fanout.py
	$(BIN)/python benchmarks/dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
