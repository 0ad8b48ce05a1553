# Doorbraak — all set-up goes through these targets. `make demo` and `make test` are the two
# commands a newcomer needs; both install what is missing first.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
DEMO_VAR ?= var/demo
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help check-tools install install-demo install-test demo demo-smoke test test-sqlite test-fast lint lock screenshot clean

help:
	@echo "make demo    install everything, build the demo city, serve it at http://127.0.0.1:8000"
	@echo "make test    install everything and run the whole test suite"
	@echo "make lint    ruff (format, imports, complexity, Django, security, bugbear) and mypy"
	@echo "make lock    re-pin requirements/*.txt from requirements/*.in"

check-tools:
	@missing=""; \
	[ -n "$(PYTHON)" ] || missing="$$missing\n  - Python 3.11 or newer (python3)"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing\n  - Node.js with npm (for the Utrecht design-system packages)"; \
	if ! { [ -x $(BIN)/python ] && $(BIN)/python -c 'import icu' 2>/dev/null; } && ! pkg-config --exists icu-uc 2>/dev/null; then \
	  echo "Note: PyICU (needed by followthemoney) may have to be built; that needs ICU headers and pkg-config (Debian: apt-get install libicu-dev pkg-config g++)."; \
	fi; \
	if [ -n "$$missing" ]; then echo -e "Cannot install Doorbraak; missing:$$missing"; exit 1; fi

# uv (from PyPI) installs the pinned requirements in seconds; pip would take minutes.
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv

UV_INSTALL = $(BIN)/uv pip install --quiet --python $(BIN)/python

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -r requirements/base.txt
	$(UV_INSTALL) --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.base-installed
	$(UV_INSTALL) -r requirements/test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# install: what production and the demo run (requirements/base.txt: every runtime import).
install: check-tools $(VENV)/.base-installed node_modules/.installed

install-demo: install

install-test: install-demo $(VENV)/.test-installed

demo: install-demo
	DOORBRAAK_DEMO_MODE=1 DOORBRAAK_VAR_DIR=$(DEMO_VAR) $(BIN)/doorbraak demo

# The first run in a FRESH virtualenv from the runtime requirements alone (test ones absent):
# production imports and check --deploy, then the demo built, served by gunicorn, and every
# role's home page, the login page and the OpenAPI schema checked (scripts/demo_smoke.py).
demo-smoke: check-tools node_modules/.installed | $(BIN)/uv
	$(PYTHON) scripts/demo_smoke.py --uv $(BIN)/uv --python $(PYTHON)

# The whole suite against DATABASE_URL (PostgreSQL in CI) or SQLite when it is not set.
test: install-test
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile

# The database-backed tests once more on SQLite (CI runs the suite on PostgreSQL first).
test-sqlite: install-test
	env -u DATABASE_URL $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile --ignore=tests/analysis

# Static checks, as CI runs them: formatting, ruff's rules (pyproject.toml [tool.ruff]) and mypy
# (strict on doorbraak_analysis; pyproject.toml [tool.mypy]). `ruff format . && ruff check --fix .`
# repairs most of what this reports.
# All three run; it fails if any of them found something.
lint: $(VENV)/.test-installed
	@status=0; \
	$(BIN)/ruff format --check --quiet . || status=1; \
	$(BIN)/ruff check --quiet . || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

# Re-pin: runtime (base.txt: production and `make demo`); + tests (test.txt), with the same pins.
lock: | $(BIN)/uv
	$(BIN)/uv pip compile -q --python-version 3.11 requirements/base.in -o requirements/base.txt
	$(BIN)/uv pip compile -q --python-version 3.11 requirements/base.in requirements/test.in \
	  -c requirements/base.txt -o requirements/test.txt

clean:
	rm -rf $(VENV) node_modules var
