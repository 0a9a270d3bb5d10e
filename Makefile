# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate seed lint format bench-search bench-ingest bench-matching clean

# A development or CI environment: the runtime (requirements.txt) plus the test, lint and type
# tools (requirements-dev.txt, which includes the first). A production install needs only
# `pip install -r requirements.txt`.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_taxonomy
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_sources

# Web server, Celery worker and beat on the embedded defaults (SQLite, file-system broker).
run: seed
	@echo ""
	@echo "  GenAI Jobs is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: genai-demo-2026):"
	@echo "    developer  dev@example.com      recruiter  recruiter@example.com"
	@echo "    curator    curator@example.com  admin      admin@example.com"
	@echo "  Curation and admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Press Ctrl-C to stop all three processes."
	@echo ""
	@trap 'trap - INT TERM EXIT; kill 0 2>/dev/null' INT TERM EXIT; \
	$(VENV)/bin/celery -A genai_jobs worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A genai_jobs beat --loglevel=INFO & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest

# Exactly what CI runs (.ci/run calls this target): lint, formatting, and mypy over the
# modules listed in pyproject.toml's [tool.mypy] files.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Ingest benchmark: needs PostgreSQL; loads 1M roles into genai_bench_ingest first (slow, once).
BENCH_INGEST_DB ?= postgres://postgres@127.0.0.1:5432/genai_bench_ingest
BENCH_INGEST_BASE ?= 1000000
bench-ingest: venv
	-createdb -h 127.0.0.1 -U postgres genai_bench_ingest
	DATABASE_URL=$(BENCH_INGEST_DB) $(PY) manage.py migrate -v0
	@test "$$(psql "$(BENCH_INGEST_DB)" -Atc 'select count(*) from opportunities_role where source_id is null')" -ge "$(BENCH_INGEST_BASE)" \
		|| DATABASE_URL=$(BENCH_INGEST_DB) $(PY) -m bench.search.generate --roles $(BENCH_INGEST_BASE) --skip-migrate
	DATABASE_URL=$(BENCH_INGEST_DB) $(PY) -m bench.ingest.run --roles 100000

clean:
	rm -rf var staticfiles

# Search benchmark: loads 1,000,000 roles into genai_bench_search (PostgreSQL), then runs the mix.
BENCH_SEARCH_DB ?= postgres://postgres@127.0.0.1:5432/genai_bench_search
bench-search: venv
	createdb -h 127.0.0.1 -U postgres genai_bench_search 2>/dev/null || true
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000
	DATABASE_URL=$(BENCH_SEARCH_DB) DEBUG=0 $(PY) -m bench.search.run --write

# Matching benchmark: 100,000 profiles and 200,000 open roles in genai_bench_match (PostgreSQL),
# then one role vs all profiles, one profile vs all roles and a full rematch, beside exhaustive scans.
BENCH_MATCH_DB ?= postgres://postgres@127.0.0.1:5432/genai_bench_match
bench-matching: venv
	createdb -h 127.0.0.1 -U postgres genai_bench_match 2>/dev/null || true
	DATABASE_URL=$(BENCH_MATCH_DB) $(PY) -m bench.matching.generate --profiles 100000 --roles 200000
	DATABASE_URL=$(BENCH_MATCH_DB) DEBUG=0 $(PY) -m bench.matching.run --full
