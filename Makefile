# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv vendor migrate seed lint format bench-search bench-ingest bench-matching bench-stats bench-tracker bench-load bench-insights bench-api clean

# A development or CI environment: the runtime (requirements.txt) plus the test, lint and type
# tools (requirements-dev.txt, which includes the first). A production install needs only
# `pip install -r requirements.txt`.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed vendor

# Browser libraries come from the npm registry, pinned by package-lock.json, and are copied
# into static/vendor/ (ignored by git) so that they are served from our own static files.
VENDOR := static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.umd.min.js
	# The minified file names its source map; production's collectstatic refuses a missing one.
	cp node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chart.umd.min.js.map
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/Sortable.min.js
	@touch $@

vendor: $(VENDOR)/.installed

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

clean:
	rm -rf var staticfiles static/vendor node_modules

# Benchmarks (PostgreSQL on this machine; bench/RESULTS.md shows these very commands).
# Each generator keeps a database that already holds its data (--if-stale); each run takes
# /tmp/bench.lock so two benchmarks never share the machine, and --write replaces only its own
# block of bench/RESULTS.md.
PG_ARGS := -h 127.0.0.1 -U postgres
BENCH_URL := postgres://postgres@127.0.0.1:5432
BENCH_LOCK := flock /tmp/bench.lock

# Search: 1,000,000 roles in genai_bench_search, then the mix of 25 searches.
BENCH_SEARCH_DB := $(BENCH_URL)/genai_bench_search
bench-search: venv
	createdb $(PG_ARGS) genai_bench_search 2>/dev/null || true
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000 --if-stale
	DATABASE_URL=$(BENCH_SEARCH_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.search.run --repeat 20 --write

# Ingest: 100,000 new roles into a fresh template copy of the search database (1,000,000 roles),
# so every run starts from the same table; refuses if that database is missing or stale.
BENCH_INGEST_DB := $(BENCH_URL)/genai_bench_ingest
bench-ingest: venv
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000 --check
	dropdb $(PG_ARGS) --if-exists genai_bench_ingest
	createdb $(PG_ARGS) -T genai_bench_search genai_bench_ingest
	DATABASE_URL=$(BENCH_INGEST_DB) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_INGEST_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.ingest.run --roles 100000 --write

# Tracker: one developer with 5,000 tracked opportunities among 1,000,000, board and table.
BENCH_TRACKER_DB := $(BENCH_URL)/genai_bench_tracker
bench-tracker: venv
	createdb $(PG_ARGS) genai_bench_tracker 2>/dev/null || true
	DATABASE_URL=$(BENCH_TRACKER_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.tracker.run --samples 50 --write

# Matching: 100,000 profiles and 200,000 open roles in genai_bench_match, then one role vs all
# profiles, one profile vs all roles and a full rematch, beside exhaustive scans.
# A quick before/after comparison (never written to RESULTS.md): bench.matching.run --quick.
BENCH_MATCH_DB := $(BENCH_URL)/genai_bench_match
bench-matching: venv
	createdb $(PG_ARGS) genai_bench_match 2>/dev/null || true
	DATABASE_URL=$(BENCH_MATCH_DB) $(PY) -m bench.matching.generate --profiles 100000 --roles 200000 --if-stale
	DATABASE_URL=$(BENCH_MATCH_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.matching.run --samples 50 --checks 10 --workers 2 --full --write

# Role statistics: the role page and the search page with counting on and off, on the demo
# data (migrate and seed_demo are both safe to rerun).
BENCH_STATS_DB := $(BENCH_URL)/genai_bench_stats
bench-stats: venv
	createdb $(PG_ARGS) genai_bench_stats 2>/dev/null || true
	DATABASE_URL=$(BENCH_STATS_DB) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_STATS_DB) $(PY) manage.py seed_demo
	DATABASE_URL=$(BENCH_STATS_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.stats.run --samples 100 --write

# Load: the app under gunicorn (4 sync workers, production settings, plain HTTP on 127.0.0.1)
# against the search database, read only, driven by a bounded client at concurrency 1, 4, 8, 16.
bench-load: venv
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000 --check
	DATABASE_URL=$(BENCH_SEARCH_DB) $(BENCH_LOCK) $(PY) -m bench.load.run --concurrency 1,4,8,16 --rounds 8 --write

# Insights: a full rebuild of the 1,000,000-role search board's history, one simulated day's
# incremental run and each insights page; the day's changes are rolled back afterwards.
bench-insights: venv
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000 --check
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_SEARCH_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.insights.run --samples 50

# API: the role search through /api/v1/roles/ against the same searches on /jobs/, p50 and p95,
# on the search database (1,000,000 roles), read only.
bench-api: venv
	DATABASE_URL=$(BENCH_SEARCH_DB) $(PY) -m bench.search.generate --roles 1000000 --check
	DATABASE_URL=$(BENCH_SEARCH_DB) DEBUG=0 $(BENCH_LOCK) $(PY) -m bench.api.run --repeat 60 --write
