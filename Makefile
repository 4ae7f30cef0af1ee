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

.PHONY: install run test lint bench lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed
	# The mail worker runs beside the API (mails land in instance/mail/ without SMTP_URL).
	$(BIN)/flask --app wsgi worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--access-logfile - wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	env -u TEST_DATABASE_URL $(BIN)/pytest
ifneq ($(POSTGRES_URL),)
	TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest
endif

# The benchmarks of bench/README.md, rewritten by this run. Needs a PostgreSQL server: the
# data sets (10,000 and 100,000 practitioners) are made once, in databases of their own.
BENCH_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
bench: install
	$(BIN)/python -m bench --postgres-url $(BENCH_POSTGRES_URL)

# Re-pin every transitive dependency after changing pyproject.toml.
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet --disable-pip-version-check '.[test]'
	$(VENV)-lock/bin/pip freeze --exclude directory > constraints.txt
	rm -rf $(VENV)-lock build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance
