# Two commands for a newcomer: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=true
# Where `make run` serves (`make run PORT=8080`, `HOST=0.0.0.0` for other machines, which then need ALLOWED_HOSTS);
# links in pages, feeds and e-mails follow it unless SITE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 8000
LINK_HOST := $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
RUN_ENV := $(DEV) SITE_URL=$${SITE_URL:-http://$(LINK_HOST):$(PORT)}

.PHONY: run test lint ci clean serve-prod

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime  ## Migrate, load demo content and serve on http://127.0.0.1:8000/ (PORT=, HOST=) with the e-mail worker
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py demo
	@echo "E-mails to readers are printed below by the background worker (manage.py worker)."
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(PY) manage.py worker --interval 1 & \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The e2e tests' page checkers (axe-core, vnu-jar) as package-lock.json pins them. No install scripts:
# vnu-jar's would download a Java runtime, and the machine's java runs vnu.jar.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(VENV)/.dev  ## Run the whole test suite (the browser tests say so, loudly, when they cannot run)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; fi
	$(PY) -m pytest

lint: $(VENV)/.dev  ## Lint, format check and migration check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r articles comments newsportal
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

serve-prod: $(VENV)/.runtime  ## The production topology on loopback: nginx (TLS) → Varnish (edge cache) → two app nodes, and the worker
	deploy/serve

ci:  ## What CI runs: the suite on SQLite and PostgreSQL
	.ci/run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules tests/e2e/artifacts .run
