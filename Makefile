# Portail des contrats locaux de santé — the two commands a newcomer needs: `make run`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell sha1sum requirements.txt 2>/dev/null | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQ_HASH)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: setup system-deps run migrate demo test worker bench lint clean-db

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ introuvable (variable PYTHON)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "Python 3.11 ou plus récent est requis."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Impossible de créer l'environnement virtuel : installez python3-venv."; exit 1; }
	@$(PY) -m pip install -q --upgrade pip >/dev/null
	@$(PY) -m pip install -q -r requirements.txt || { echo "Échec de pip install -r requirements.txt (accès à PyPI ?)."; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

system-deps:
	@bash .ci/system-deps.sh $(SYSTEM_DEPS_ARGS)

setup: system-deps $(STAMP)
	@mkdir -p var

migrate: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py import_territories
	$(PY) manage.py seed_demo

# make run: set-up, migrations, reference data, demo data, server on 127.0.0.1:8000. No Redis needed:
# without CELERY_BROKER_URL, report jobs run in-process.
run: SYSTEM_DEPS_ARGS = --runtime-only
run: demo
	@echo "Portail prêt : http://$(HOST):$(PORT)/ (comptes de démonstration : voir README, mot de passe « demo »)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# A real Celery worker and beat against Redis (CELERY_BROKER_URL, default redis://127.0.0.1:6379/0).
worker: setup
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(VENV)/bin/celery -A cls_portal worker -B -l info --concurrency=$${CONCURRENCY:-2}

# Benchmarks at national scale (seed_scale 100 and 1 255 contracts), results in bench/RESULTS.md.
# BENCH_ARGS="--postgres" runs them on PostgreSQL (needed for the Celery campaign and the load test).
bench: setup
	@test -f bench/requirements.txt && $(PY) -m pip install -q -r bench/requirements.txt || true
	$(PY) bench/run.py $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm
