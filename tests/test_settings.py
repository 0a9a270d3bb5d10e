"""Settings come from the environment: safe defaults, PostgreSQL on request, strict production.

Each case runs in a fresh interpreter, because settings are read once per process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import paths

ROOT = paths.ROOT

# Variables that switch parts of the configuration, plus one the browser tests set for
# themselves; each case starts without any of them.
SWITCHES = (
    "DJANGO_ENV",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DATABASE_URL",
    "DATABASE_WORK_MEM",
    "INGEST_WRITERS",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "EMAIL_HOST",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSP_REPORT_ONLY",
    "CSP_REPORT_URI",
)

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from tests import paths
out = {
    "engine": settings.DATABASES["default"]["ENGINE"],
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        out["journal_mode"] = cursor.fetchone()[0]
    out["transaction_mode"] = settings.DATABASES["default"]["OPTIONS"].get("transaction_mode")
print(json.dumps(out))
"""


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    clean |= {"DJANGO_SETTINGS_MODULE": "genai_jobs.settings", "GENAI_VAR_DIR": str(tmp_path)}
    clean |= env
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _probe(tmp_path: Path, **env: str) -> dict:
    result = _run(["-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _production(**overrides: str) -> dict[str, str]:
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "jobs.example.com,www.jobs.example.com",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_defaults_use_a_sqlite_file_in_wal_mode_and_the_filesystem_broker(tmp_path):
    out = _probe(tmp_path)

    assert out["engine"] == "django.db.backends.sqlite3"
    assert out["journal_mode"] == "wal"
    assert out["transaction_mode"] == "IMMEDIATE"
    assert out["broker"] == "filesystem://"
    assert out["debug"] is True
    assert (tmp_path / "genai_jobs.sqlite3").exists()
    assert (tmp_path / "celery-broker" / "queue").is_dir()


def test_database_url_switches_to_postgresql(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        tmp_path,
        DATABASE_URL="postgres://genai@db.example.com:5432/genai_jobs",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


def test_postgresql_connections_get_work_mem_beside_the_urls_own_options(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    url = "postgres://genai@db.example.com:5432/genai_jobs"

    default = _run(["-c", show], tmp_path, DATABASE_URL=url)
    chosen = _run(
        ["-c", show],
        tmp_path,
        DATABASE_URL=url + "?options=-c%20search_path%3Djobs",
        DATABASE_WORK_MEM="64MB",
    )

    assert default.stdout.strip().splitlines()[-1] == "-c work_mem=32MB"
    assert chosen.stdout.strip().splitlines()[-1] == "-c search_path=jobs -c work_mem=64MB"


def test_celery_broker_url_switches_the_broker(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BROKER_URL)",
        ],
        tmp_path,
        CELERY_BROKER_URL="amqp://guest@mq.example.com//",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "amqp://guest@mq.example.com//"


def test_production_check_deploy_reports_nothing(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **_production()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_debug_off_even_when_asked(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        tmp_path,
        **_production(DEBUG="1"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_secret_key_or_allowed_hosts(
    tmp_path, overrides, message
):
    result = _run(["manage.py", "check"], tmp_path, **_production(**overrides))

    assert result.returncode != 0
    assert message in result.stderr


def test_unknown_django_env_is_refused(tmp_path):
    result = _run(["manage.py", "check"], tmp_path, DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be" in result.stderr


HEADERS_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="jobs.example.com")
out = {}
for path in ("/robots.txt", "/no-such-page/"):
    response = client.get(path, secure=True)
    out[path] = {"status": response.status_code, **dict(response.headers)}
print(json.dumps(out))
"""

STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def _headers(tmp_path: Path, **env: str) -> dict:
    result = _run(["-c", HEADERS_PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_a_strict_csp_and_the_other_security_headers(tmp_path):
    pages = _headers(tmp_path, **_production())

    for path, headers in pages.items():
        assert headers["status"] in {200, 404}, path
        csp = _directives(headers["Content-Security-Policy"])
        for directive, value in STRICT_CSP.items():
            assert csp[directive] == value, (path, directive)
        assert "upgrade-insecure-requests" in csp
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
        assert "Content-Security-Policy-Report-Only" not in headers
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "geolocation=()" in headers["Permissions-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_csp_report_only_is_a_setting_and_not_the_default(tmp_path):
    pages = _headers(tmp_path, **_production(CSP_REPORT_ONLY="1", CSP_REPORT_URI="/csp-reports/"))

    headers = pages["/robots.txt"]
    assert "Content-Security-Policy" not in headers
    policy = _directives(headers["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == "'self'"
    assert policy["report-uri"] == "/csp-reports/"
