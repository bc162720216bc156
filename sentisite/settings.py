"""Django settings, read from the environment with local-development defaults (see .env.example)."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sentisite.env import env_bool, env_int, env_list, env_rate

BASE_DIR = Path(__file__).resolve().parent.parent


# Safe by default: DEBUG is off unless DJANGO_DEBUG=true (`make run` and the tests set it), and with DEBUG
# off DJANGO_SECRET_KEY is required. With DJANGO_DEBUG=true alone the site runs locally: SQLite, a development key.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DEBUG off (the default) the site needs a long random "
            "secret key, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'; for local "
            "development set DJANGO_DEBUG=true instead (make run does)."
        )
    SECRET_KEY = "django-insecure-local-development-key-only-never-use-in-production"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sentisite.accounts",
    "classifier",
    "reviews",
    "django_tasks",
    "django_tasks_db",
    "reviews.jobs",
]

MIDDLEWARE = [
    "sentisite.metrics.RequestMetricsMiddleware",  # first: it times and counts every answer, 429s included
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below; a view may set its own (the Swagger UI page)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sentisite.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "sentisite.urls"

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
]

WSGI_APPLICATION = "sentisite.wsgi.application"

# DATABASE_URL switches to PostgreSQL (postgres://user:pass@host:5432/name); SQLite otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and WAL let several gunicorn threads write without "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# No request-wide transaction: services open their own (a submission is one transaction), so no
# database lock is held while the model runs, and cache counters survive an error response.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every process (API throttling counts across gunicorn workers): Redis when
# REDIS_URL is set, otherwise a table in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sentisite_cache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews:home"
LOGOUT_REDIRECT_URL = "reviews:home"
# Failed logins of one username (or from one address) before it is locked out, and how long (seconds) a
# failure counts: the login form, /admin/login/ and the token endpoint alike (sentisite/accounts/lockout.py).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "sentisite <noreply@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Requests larger than this are refused before parsing (413 in the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
REVIEW_MAX_CHARS = 20_000

# Uploaded files and results (bulk jobs) go through Django's storage API: FileSystemStorage under
# MEDIA_ROOT here; on several machines, a shared storage such as S3 via django-storages (STORAGES).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"  # never served by the site: results are downloaded through the owner-only API

# Bulk jobs (reviews/jobs): the task engine is Django's Tasks API (the django-tasks backport) on its
# database backend, so `make run` needs no other service; run `manage.py db_worker` on any number of
# machines to scale out (docs/decisions.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_MAX_FILE_BYTES = env_int("JOBS_MAX_FILE_BYTES", 50 * 1024 * 1024)
JOBS_MAX_ROWS = env_int("JOBS_MAX_ROWS", 1_000_000)
# Columns (CSV) or fields (JSONL) one job takes: every results row repeats them, so a wide header multiplies work.
JOBS_MAX_COLUMNS = env_int("JOBS_MAX_COLUMNS", 100)
JOBS_MAX_RUNNING_PER_USER = env_int("JOBS_MAX_RUNNING_PER_USER", 2)
JOBS_DAILY_ROW_QUOTA = env_int("JOBS_DAILY_ROW_QUOTA", 2_000_000)  # rows a user may submit in 24 hours
JOBS_CHUNK_ROWS = env_int("JOBS_CHUNK_ROWS", 1000)  # rows per chunk: one model call each
# A chunk whose worker has not finished it this long after claiming it is given to another worker.
JOBS_CHUNK_LEASE_SECONDS = env_int("JOBS_CHUNK_LEASE_SECONDS", 120)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)  # claims of one chunk before the job fails

# The model artifact the site serves (see ml/artifacts/ and DESIGN.md decision 3).
SENTIMENT_MODEL_DIR = Path(os.environ.get("SENTIMENT_MODEL_DIR", BASE_DIR / "ml" / "artifacts" / "default"))
# Models besides the default that a process keeps loaded, least recently used dropped first. 0 (another
# model is loaded for the request that asks for it, then dropped) keeps a worker lowest, about 1 GB however
# many models are asked for; 1 answers a second model without reloading it, ~15 MB more (docs/reliability.md).
SENTIMENT_MODEL_CACHE_SIZE = env_int("SENTIMENT_MODEL_CACHE_SIZE", 0)
# Explanations on the catalogue's slow models (classifier/catalog.py) are given up to this many characters.
SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = env_int("SENTIMENT_SLOW_EXPLAIN_MAX_CHARS", 1000)
# One CPU budget per client for classification, whatever the door (classifier/budget.py): estimated CPU
# seconds a minute per address (visitors) and per signed-in user ("off" for none); the most one request may
# take (a 400 beyond: split it); and the most sentence verdicts one request gets.
CLASSIFY_CPU_SECONDS_PER_MINUTE_ANON = (
    None if os.environ.get("CLASSIFY_CPU_BUDGET_ANON", "").lower() == "off" else env_int("CLASSIFY_CPU_BUDGET_ANON", 10)
)
CLASSIFY_CPU_SECONDS_PER_MINUTE_USER = (
    None if os.environ.get("CLASSIFY_CPU_BUDGET_USER", "").lower() == "off" else env_int("CLASSIFY_CPU_BUDGET_USER", 60)
)
SENTIMENT_MAX_REQUEST_CPU_SECONDS = 3.0
SENTIMENT_MAX_SENTENCES = env_int("SENTIMENT_MAX_SENTENCES", 1000)

# Security headers; the HTTPS-only ones switch on in production.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The Content-Security-Policy of every response (django-csp): no inline script or style, nothing from
# another origin. A view may send its own (the Swagger UI page allows inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if not DEBUG:
    # Trusted-proxy assumption: the site is reachable only through a proxy (load balancer) that sets
    # X-Forwarded-Proto itself, overwriting any value a client sent. Exposed directly, a client could
    # claim https; then serve over HTTPS end to end, or drop this line. See docs/security.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Health probes and Prometheus's scrapes are plain HTTP to each instance, inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# GET /metrics (sentisite/metrics.py) answers 404 unless one of these is set; with both, both must pass.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")  # the scraper sends "Authorization: Bearer <token>"
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured(
        "METRICS_TOKEN must be at least 32 characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'."
    )
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])  # addresses or networks, e.g. 10.0.0.0/8,::1
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {_network!r} is not an address or network.") from exc

# The API's defaults; a view states only what differs (who may call it, its rates, its parsers).
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate challenge makes "no credentials" a 401 (session first would give 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON (hardened against deep nesting) and HTML forms; anything else, multipart included, is 415.
    "DEFAULT_PARSER_CLASSES": [
        "sentisite.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "sentisite.api.renderers.BrowsableAPIRenderer",
    ],
    # Per user, or per address for anonymous callers; the schema and Swagger UI included.
    "DEFAULT_THROTTLE_CLASSES": ["sentisite.api.throttling.UserRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "classifier.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # How many proxies in front of the site append to X-Forwarded-For: 0 trusts only REMOTE_ADDR,
    # so a forged header cannot dodge the per-address rates. Behind one load balancer, set 1. Never more
    # than the proxies really there: the extra entries are the client's own, so it could pick its address.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        "login": os.environ.get("API_THROTTLE_LOGIN", "10/minute"),
        # Expensive or abusable work, on the pages and in the API alike (docs/security.md); "off" lifts one.
        "classify": env_rate("THROTTLE_CLASSIFY", "20/minute"),  # a visitor's classify form, per address
        "review_create": env_rate("THROTTLE_REVIEW_CREATE", "30/minute"),  # stored reviews, per user
        "history": env_rate("THROTTLE_HISTORY", "60/minute"),  # views of /history/, per user
        "signup": env_rate("THROTTLE_SIGNUP", "5/hour"),  # per address
        "password_reset": env_rate("THROTTLE_PASSWORD_RESET", "5/hour"),  # per address and per email
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "sentisite API",
    "DESCRIPTION": "Movie-review sentiment: predict, store and browse your reviews.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # drf-spectacular marks no body required when no serializer field is; every POST here needs its body.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "classifier.api.schema.bodies_required"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # A bad Host header is the client's mistake: one WARNING line, a few a minute (sentisite/logfilters.py).
    "filters": {"disallowed_host": {"()": "sentisite.logfilters.DisallowedHostFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security.DisallowedHost": {"filters": ["disallowed_host"]},
    },
}
