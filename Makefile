# The two commands of the README: `make demo` runs the product, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_ENV := DEBUG=true

.PHONY: demo test lint serve

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(INSTALLED)

demo: $(INSTALLED)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) LOG_LEVEL=WARNING $(BIN)/python manage.py demo_setup
	@echo "Serving the leaderboards at http://127.0.0.1:8000/leaderboards/ (Ctrl-C stops)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver --noreload 127.0.0.1:8000

test: $(INSTALLED)
	bash scripts/run_tests.sh

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy seal_platform experts annotation leaderboards tests benchmarks manage.py
