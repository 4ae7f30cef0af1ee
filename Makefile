# The README's commands. Everything installs into .venv from pyproject.toml + constraints.txt.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Set POSTGRES_URL (a server URL; tests create and drop their own database on it) to run the
# suite on PostgreSQL as well as SQLite.
POSTGRES_URL ?=

.PHONY: install run test lint lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	env -u TEST_DATABASE_URL $(BIN)/pytest
ifneq ($(POSTGRES_URL),)
	TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest
endif

# Re-pin every transitive dependency after changing pyproject.toml.
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet --disable-pip-version-check '.[test]'
	$(VENV)-lock/bin/pip freeze --exclude directory > constraints.txt
	rm -rf $(VENV)-lock build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance
