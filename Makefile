# Portolan — everyday commands. Everything runs inside .venv, created on demand.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= 300

.PHONY: install run demo lint imports format typecheck migrations-check pytest test bench bench-quick bench-scale lock messages clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var/media var/static

run: install var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference
	$(MANAGE) generate_demo --size $(DEMO_SIZE) --keep-existing
	$(MANAGE) demo_accounts
	$(MANAGE) rebuild_search_index --if-missing
	$(MANAGE) serve $(HOST):$(PORT)  # the web server and one background worker; Ctrl-C stops both

demo: install var
	$(MANAGE) migrate --noinput
	$(MANAGE) generate_demo --size $(DEMO_SIZE) --keep-existing

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The layer contracts in pyproject.toml: base apps never import feature apps, no cycles.
imports: install
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy portolan config

migrations-check: install var
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: install var
	$(VENV)/bin/pytest -n 2

test: lint imports typecheck migrations-check pytest

bench: install var
	$(PY) bench/run.py

# A quick look while working: 10,000 initiatives, SQLite, short warm runs.
bench-quick: install var
	$(PY) bench/run.py --db sqlite --size 10000 --duration 5 --warmup 1 --uncached-pages 50 --signed-requests 20

# Cold-search p95, index size and worker memory at 10k, 100k and 1M initiatives (1M: PostgreSQL).
bench-scale: install var
	$(PY) bench/scale.py

# Re-resolve the lock from pyproject.toml (maintainers only).
lock:
	rm -rf /tmp/portolan-lock && $(PYTHON) -m venv /tmp/portolan-lock
	/tmp/portolan-lock/bin/pip install --quiet ".[dev]"
	/tmp/portolan-lock/bin/pip freeze --exclude portolan > requirements.lock

# Extract the UI strings into the FR/ES .po files (the source of truth for translations, edited by
# hand; msgctxt kept, file names without line numbers so merges stay quiet) and compile the .mo
# files, which are committed. Then `$(PY) tools/i18n.py missing` lists what still needs a msgstr.
messages: install
	$(MANAGE) makemessages -l fr -l es --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=tools --no-obsolete --add-location=file
	$(MANAGE) compilemessages -l fr -l es --ignore=.venv --ignore=var

clean:
	rm -rf var/static .pytest_cache .mypy_cache .ruff_cache
