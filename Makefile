# Two commands for a newcomer: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=true

.PHONY: run test lint ci clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime  ## Migrate, load demo content and serve on http://127.0.0.1:8000/
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev  ## Run the whole test suite
	$(PY) -m pytest

lint: $(VENV)/.dev  ## Lint, format check and migration check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r articles comments newsportal
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

ci:  ## What CI runs: the suite on SQLite and PostgreSQL
	.ci/run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
