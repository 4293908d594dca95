# Hospital Ops — `make run` serves the suite with demo data; `make test` runs the tests.
# `make run PORT=8001 HOST=0.0.0.0` serves on another port or address.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint bench bench-load bench-pages bench-nrp worker beat clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale small --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/run.py

bench-nrp: $(STAMP)
	$(PY) bench/nrp.py

bench-load: $(STAMP)
	$(PY) bench/run.py --reuse --load

bench-pages: $(STAMP)
	$(PY) bench/pages.py

worker: $(STAMP)
	$(VENV)/bin/celery -A hospital_ops worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A hospital_ops beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles media .pytest_cache
