# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate seed lint format bench-search bench-ingest bench-matching clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_taxonomy
	$(PY) manage.py seed_demo

# Web server, Celery worker and beat on the embedded defaults (SQLite, file-system broker).
run: seed
	@echo ""
	@echo "  GenAI Jobs is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: genai-demo-2026):"
	@echo "    developer  dev@example.com      recruiter  recruiter@example.com"
	@echo "    curator    curator@example.com  (admin at http://$(HOST):$(PORT)/admin/)"
	@echo "  Press Ctrl-C to stop all three processes."
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A genai_jobs worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A genai_jobs beat --loglevel=INFO & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var staticfiles
