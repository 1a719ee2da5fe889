"""Settings shared by every environment. Everything that differs between machines comes from
environment variables (documented in README.md, "Configuration")."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTOLAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("PORTOLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` serves static files through WhiteNoise as production
    # does, not through Django's static handler, which answers a 500 to `/static/../x`.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    "ninja",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "portolan.core",
    "portolan.jobs",
    "portolan.accounts",
    "portolan.places",
    "portolan.notifications",
    "portolan.catalogue",
    "portolan.search",
    "portolan.api",
    "portolan.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-cors-headers, kept to reads; high up so that its preflight answer and headers
    # also reach responses made by the middleware below (redirects, 404s).
    "portolan.api.cors.ReadOnlyCorsMiddleware",
    "portolan.core.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole-page cache of anonymous GET pages (portolan/core/pagecache.py): outside the session,
    # CSRF and messages middleware, so that it sees every cookie they set.
    "portolan.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portolan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portolan.core.context_processors.site",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "portolan.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer commits; the pragmas run per connection.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (django-tasks with django-tasks-db): tasks are rows in the database, run by
# `manage.py worker` processes (`make run` starts one). "immediate" runs each task at once in the
# process that enqueued it (the tests' default; no worker needed).
TASKS_BACKEND = os.environ.get("PORTOLAN_TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "immediate"):
    raise ValueError("PORTOLAN_TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@portolan.invalid")
# Seconds before a silent mail server is given up on; well under PORTOLAN_OUTBOX_LEASE_SECONDS, so
# no second worker sends a message the first is still waiting to hand over.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "60"))

# Search: "tantivy" answers from the embedded search library's index in SEARCH_INDEX_DIR (kept
# beside the database's own full-text index, which answers whenever the library's is missing);
# "database" uses only the database (several web machines without a shared disk).
SEARCH_ENGINE = os.environ.get("PORTOLAN_SEARCH_ENGINE", "tantivy")
if SEARCH_ENGINE not in ("tantivy", "database"):
    raise ValueError("PORTOLAN_SEARCH_ENGINE must be 'tantivy' or 'database'.")
SEARCH_INDEX_DIR = Path(os.environ.get("PORTOLAN_SEARCH_INDEX_DIR", VAR_DIR / "search-index"))

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "portolan.core.cache.ReusingRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portolan",
        },
        # Whole pages (portolan/core/pagecache.py) apart, so that they never push the default
        # cache's values out (local memory keeps 300 entries by default).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portolan-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }

# Whole-page cache of anonymous pages (portolan/core/pagecache.py): on/off, how long the server
# keeps a page (a write moves the content generation on at once; this bounds memory, and the lag
# of other processes when the cache is not shared), and the max-age browsers and proxies get.
PORTOLAN_PAGE_CACHE = env_bool("PORTOLAN_PAGE_CACHE", True)
PORTOLAN_PAGE_CACHE_SECONDS = int(os.environ.get("PORTOLAN_PAGE_CACHE_SECONDS", "300"))
PORTOLAN_PAGE_MAX_AGE = int(os.environ.get("PORTOLAN_PAGE_MAX_AGE", "30"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalogue:dashboard"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Lock the (account, address) pair: behind a proxy many visitors share one address, and locking
# by address alone would let one attacker lock everybody out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PORTOLAN_NUM_PROXIES", "0"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "portolan" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
FORMAT_MODULE_PATH = ["portolan.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"


def _package_static(package: str) -> list[Path]:
    """Static folder of an installed package, found without importing it (django-leaflet's
    module pulls in GDAL-dependent code, so it is not an installed app: we only ship its files)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(next(iter(spec.submodule_search_locations))) / "static"]


STATICFILES_DIRS = [BASE_DIR / "portolan" / "static", *_package_static("leaflet")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads live outside the static tree and are served through a view that checks visibility.
MEDIA_ROOT = Path(os.environ.get("PORTOLAN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PORTOLAN_MAX_IMAGE_BYTES = 5 * 1024 * 1024
PORTOLAN_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# A record not reviewed for this many days is flagged to its owners as stale.
PORTOLAN_STALE_AFTER_DAYS = 365

# How long a worker may take to send one e-mail before another worker may send it instead.
PORTOLAN_OUTBOX_LEASE_SECONDS = int(os.environ.get("PORTOLAN_OUTBOX_LEASE_SECONDS", "600"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://*.tile.openstreetmap.org"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The API counts client hops in X-Forwarded-For only behind a known number of proxies.
NINJA_NUM_PROXIES = int(os.environ.get("PORTOLAN_NUM_PROXIES", "0"))
API_RATE_LIMITS = {
    "anon": os.environ.get("PORTOLAN_API_RATE_ANON", "120/m"),
    "token": os.environ.get("PORTOLAN_API_RATE_TOKEN", "600/m"),
}

# CORS (django-cors-headers): the API and the open-data reads (exports, feeds) may be read by
# any site's scripts, without credentials; the rest of the site is not CORS-open.
_LANGUAGE_PREFIX = "|".join(code for code, _label in LANGUAGES)
CORS_URLS_REGEX = (
    rf"^/(?:api/|(?:(?:{_LANGUAGE_PREFIX})/)?feeds/|(?:(?:{_LANGUAGE_PREFIX})/)?open-data/export\.)"
)
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# No Authorization: browsers on other sites cannot use a token.
CORS_ALLOW_HEADERS = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "If-None-Match",
    "If-Modified-Since",
)
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
)
CORS_PREFLIGHT_MAX_AGE = 86400

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORTOLAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}
