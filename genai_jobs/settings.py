"""The one settings module: everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state for the embedded defaults (SQLite file, file-system broker) lives here.
VAR_DIR = Path(os.environ.get("GENAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the site's host names (comma-separated) in production."
        )
    DEBUG = False
else:
    # A fixed key is fine for a laptop; production refuses to start without its own.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]", "testserver"]
    DEBUG = env_bool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "opportunities",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "genai_jobs.middleware.PermissionsPolicyMiddleware",
    # Before anything reads request.GET, so no view, template or feed sees a control character.
    "genai_jobs.middleware.QueryStringHygieneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, so a preflight is answered before any redirect; it acts only on
    # the API's public reads (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it turns a refused login (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
]
if PRODUCTION:
    # Serves collected static files from the app server; locally runserver does it.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "genai_jobs.urls"
WSGI_APPLICATION = "genai_jobs.wsgi.application"
ASGI_APPLICATION = "genai_jobs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # The role cards only (templates/jinja2/search/_role_cards.html): 20 cards through Django's
    # engine cost more than the page's SQL. Every printed value is escaped the Django way (see
    # opportunities/templatetags/jinja.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "opportunities.templatetags.jinja.environment"},
    },
]

# Database: SQLite on one machine, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A text search ANDs bitmaps of its text and date indexes; at the default 4MB a
        # common term's bitmap (~170,000 roles) turns lossy and every role on its pages is
        # re-read and re-tested (145 ms instead of 45). Per sort or bitmap, not per server.
        WORK_MEM = os.environ.get("DATABASE_WORK_MEM", "32MB")
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        # Added to any server options the URL gives (?options=-c%20search_path%3D...).
        _options["options"] = f"{_options.get('options', '')} -c work_mem={WORK_MEM}".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "genai_jobs.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Axes checks first and refuses a locked-out login before the password is even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Caches: local memory by default; Redis when CACHE_URL points at one.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GenAI Jobs <jobs@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: a file-system broker needs no server; CELERY_BROKER_URL switches to Redis or RabbitMQ.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # A task that runs longer than this is redelivered; keep it above the hard time limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
    }
    if os.environ.get("CELERY_VISIBILITY_TIMEOUT"):
        # A short timeout (the worker-kill test) needs abandoned messages looked for as often.
        CELERY_BROKER_TRANSPORT_OPTIONS |= {
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One entry per job, keyed by name, so each area adds its own without touching the others.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
CELERY_BEAT_SCHEDULE["alerts-digest-instant"] = {
    "task": "opportunities.alerts.send_digests",
    "schedule": crontab(minute="*/5"),
    "args": ("instant",),
}
CELERY_BEAT_SCHEDULE["alerts-digest-daily"] = {
    "task": "opportunities.alerts.send_digests",
    "schedule": crontab(minute=0, hour=7),
    "args": ("daily",),
}
CELERY_BEAT_SCHEDULE["alerts-digest-weekly"] = {
    "task": "opportunities.alerts.send_digests",
    "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    "args": ("weekly",),
}
# Ingest: every minute, enqueue a run for each enabled Source whose own interval has passed.
CELERY_BEAT_SCHEDULE["ingest-due-sources"] = {
    "task": "opportunities.ingest.due_sources",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["posting-expire-roles"] = {
    "task": "opportunities.posting.expire_roles",
    "schedule": 15 * 60.0,
}
# Insights: fold the previous day's changes into the history and rollups, after midnight UTC.
CELERY_BEAT_SCHEDULE["insights-daily"] = {
    "task": "opportunities.insights.daily",
    "schedule": crontab(minute=20, hour=0),
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Posting: submissions allowed per recruiter and per company, as (most, window in seconds).
POSTING_RATE_LIMITS = {
    "recruiter": (int(os.environ.get("POSTING_RATE_RECRUITER", "20")), 24 * 3600),
    "company": (int(os.environ.get("POSTING_RATE_COMPANY", "60")), 24 * 3600),
}
# How long a published role stays up unless its recruiter asks for another span (days).
POSTING_DAYS_DEFAULT = 30
POSTING_DAYS_MAX = 90
POSTING_INVITE_MAX_AGE = 7 * 24 * 3600

# The API (/api/v1/, opportunities/api/): personal access tokens only (no session, so no CSRF),
# problem details for every error, throttles on the cache per token and per address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opportunities.api.authentication.BearerTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["opportunities.api.permissions.PublicRead"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "opportunities.api.throttles.TokenRateThrottle",
        "opportunities.api.throttles.AddressRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_RATE_TOKEN", "1200/hour"),
        "address": os.environ.get("API_RATE_ADDRESS", "600/hour"),
    },
    "EXCEPTION_HANDLER": "opportunities.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "opportunities.api.schema.ApiSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GenAI Jobs API",
    "DESCRIPTION": (
        "Search the board's generative-AI roles, and with a personal access token read your "
        "profile and matches and keep your tracker. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "opportunities.models.tracker.Stage",
        "TokenScopeEnum": "opportunities.models.api_tokens.ApiToken.Scope",
    },
}
# Cross-origin reads of the public endpoints only: no credentials, no writes.
CORS_URLS_REGEX = r"^/api/v1/(roles|companies|industries|skills|insights)(/.*)?$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")

# Search: "auto" uses PostgreSQL full-text search on PostgreSQL and a portable fallback
# elsewhere; a dotted path picks another opportunities.search.backends.SearchBackend.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "auto")

# Ingest: the fetcher refuses loopback addresses; only tests and the local demo allow them.
INGEST_ALLOW_LOOPBACK = env_bool("INGEST_ALLOW_LOOPBACK", False)
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(50 * 1024 * 1024)))
# Database connections that write one ingest run's batches at once (PostgreSQL only).
INGEST_WRITERS = int(os.environ.get("INGEST_WRITERS", "2"))

# Role statistics (views, search appearances, apply clicks, tracker saves): one upserted counter
# per role, day and kind. Off only to measure what counting costs (bench/stats).
ROLE_STATS_ENABLED = env_bool("ROLE_STATS_ENABLED", True)
# Search appearances are gathered in each process and written together at most this often
# (seconds; 0 writes every results page's roles at once). See opportunities/posting/stats.py.
ROLE_STATS_BUFFER_SECONDS = float(os.environ.get("ROLE_STATS_BUFFER_SECONDS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host[0] != "."]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: every script, style, image and font comes from our own static files;
# nothing inline runs, nothing is eval'd, nothing frames us, no form posts elsewhere. The JSON-LD
# block on role pages is data (type="application/ld+json"), which CSP does not block.
# CSP_REPORT_ONLY=1 in the environment sends the same policy as Content-Security-Policy-Report-
# Only instead, to try a change on a live site first; CSP_REPORT_URI says where browsers report.
# (No setting here is named CSP_*: django-csp 4 takes any such name for its old format.)
_CSP_DIRECTIVES: dict[str, list[str] | bool | str] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if PRODUCTION:
    _CSP_DIRECTIVES["upgrade-insecure-requests"] = True
if os.environ.get("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = os.environ["CSP_REPORT_URI"]
_CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
if _CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Powerful browser features no page of ours uses, switched off for us and anything we embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
