"""Django settings, read from the environment through helpers that fail loudly.

SQLite is the default (a file in the working directory, WAL mode); set DATABASE_URL
for PostgreSQL. REDIS_URL turns on a shared cache.
"""

from __future__ import annotations

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value such as 1 or 0, found {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, found {raw!r}") from None


def env_choice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    if raw.upper() not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, found {raw!r}")
    return raw.upper()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _is_base_url(url: str) -> bool:
    """An http(s) URL of a host (and port), with no path beyond "/", query or fragment."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return False
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and parts.path in {"", "/"}
        and not (parts.query or parts.fragment)
    )


DEBUG = env_bool("GUIDEBOOK_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("GUIDEBOOK_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Local use only: a fixed key keeps sessions valid across restarts of the demo.
    SECRET_KEY = "guidebook-local-development-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# A site served only over HTTPS (TLS ending at a proxy in front, which says so with
# X-Forwarded-Proto; gunicorn believes it from a proxy on the same machine). Plain
# HTTP is redirected, cookies are sent over HTTPS only, and browsers are told to keep
# to HTTPS (HSTS) for GUIDEBOOK_HSTS_SECONDS, a year unless set.
HTTPS_ONLY = env_bool("GUIDEBOOK_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
# Django's database sessions, read with one plain query (guidebook.lib.sessions).
SESSION_ENGINE = "guidebook.lib.sessions"
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int("GUIDEBOOK_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS_ONLY else 0)
# Subdomains may be other people's sites, and joining the browsers' preload list is
# hard to undo: both are the site owner's decision, so neither is on unless asked.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GUIDEBOOK_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("GUIDEBOOK_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
DATA_DIR = Path(os.environ.get("GUIDEBOOK_DATA_DIR", Path.cwd() / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "guidebook.catalogue",
    "guidebook.editorial",
    "guidebook.public",
    "guidebook.interchange",
    # The API's docs page (/api/docs) serves Swagger UI from ninja's own static files.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but for security, so pages served from the page cache carry it too.
    "guidebook.lib.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Every HTML page says where scripts, styles and images may come from: this site
# only (guidebook.lib.content_security). No page has inline script or style, and none
# may gain any; the admin's and the API docs' scripts are files served from here.
# Images may also be data: URLs, which Swagger UI's stylesheet uses for its icons.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ROOT_URLCONF = "guidebook.urls"
WSGI_APPLICATION = "guidebook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Site-wide pages that belong to no app: the "busy, try again" page.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guidebook.public.site_links.site_links",
            ],
            "libraries": {
                "web_links": "guidebook.lib.web_links",
                # {% static %} with addresses kept per process (guidebook/lib/static_urls.py)
                "static_urls": "guidebook.lib.static_urls",
            },
        },
    },
]

# docs/operations.md, "SQLite and concurrent writers"; the server's worker timeout is longer.
SQLITE_BUSY_SECONDS = env_int("GUIDEBOOK_SQLITE_BUSY_SECONDS", 30)
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("GUIDEBOOK_SQLITE_PATH", str(DATA_DIR / "guidebook.sqlite3")),
            # Each worker keeps its connection: opening one (and setting its pragmas) on
            # every request cost more than the queries of a page served to a visitor
            # with a session (benchmarks/README.md).
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                # How long a writer waits for another's write lock before giving up: far
                # longer than the longest write (an import of 2,000 records holds it ~1 s).
                "timeout": SQLITE_BUSY_SECONDS,
            },
        }
    }

CACHES: dict[str, dict[str, object]]
_redis_url = os.environ.get("REDIS_URL", "")
# "fragments" keeps the parts of public pages rendered once per published snapshot or
# per catalogue version (guidebook.public.fragments). Without Redis each process keeps
# its own, bounded by entry counts so a worker stays small (docs/caching.md).
FRAGMENT_CACHE_SECONDS = env_int("GUIDEBOOK_FRAGMENT_CACHE_SECONDS", 24 * 3600)
if _redis_url:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        for alias in ("default", "fragments")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("GUIDEBOOK_PAGE_CACHE_ENTRIES", 1000)},
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "OPTIONS": {"MAX_ENTRIES": env_int("GUIDEBOOK_FRAGMENT_CACHE_ENTRIES", 1000)},
        },
    }
# Public pages are cached whole (guidebook.public.caching) for at most this long; a
# publication retires them at once, this bounds how long other workers' caches lag.
PAGE_CACHE_SECONDS = env_int("GUIDEBOOK_PAGE_CACHE_SECONDS", 300)


def front_cache_urls(name: str) -> list[str]:
    """The shared front caches (Varnish) to clear on publication: http(s) base URLs."""
    urls = env_list(name, [])
    for url in urls:
        if not _is_base_url(url):
            raise ImproperlyConfigured(
                f"{name} must list base URLs such as http://127.0.0.1:6081, found {url!r}"
            )
    return [url.rstrip("/") for url in urls]


# With front caches listed, public pages say that shared caches may keep them
# (Cache-Control: s-maxage) and every publication clears those caches at once
# (guidebook.catalogue.front_caches). Without, pages say nothing to shared caches.
FRONT_CACHES = front_cache_urls("GUIDEBOOK_FRONT_CACHES")
FRONT_CACHE_SECONDS = env_int("GUIDEBOOK_FRONT_CACHE_SECONDS", 300)
# Addresses of the proxies directly in front (Varnish, a TLS proxy) whose
# X-Forwarded-For is believed, so login throttling counts by the visitor's address.
TRUSTED_PROXIES = env_list("GUIDEBOOK_TRUSTED_PROXIES", [])

# --- Logging ---------------------------------------------------------------------------
# Everything logged at GUIDEBOOK_LOG_LEVEL (INFO unless set) or above goes to stderr,
# where gunicorn's and the service manager's logs collect it. Django's own settings
# write errors only with DEBUG on (or by email to ADMINS), so without these a 500 left
# no trace: now every unhandled exception is written by "django.request" with its
# traceback, and the app's loggers (guidebook.*) are written the same way.
LOG_LEVEL = env_choice(
    "GUIDEBOOK_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{process}] {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's handlers for its loggers (console with DEBUG only, mail to
        # ADMINS) with the root's; runserver's request lines keep their own.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # WeasyPrint reports each step of every PDF at INFO, fontTools each font subset.
        # WeasyPrint warns of every screen-only CSS rule it skips when printing.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "editorial:login"
LOGIN_REDIRECT_URL = "editorial:home"
# The first backend refuses sign-in while a username is locked out from an address.
AUTHENTICATION_BACKENDS = ["guidebook.editorial.throttle.ThrottledModelBackend"]
# Django's four standard checks, applied wherever a password is chosen: the provider
# account request, the admin's user forms, createsuperuser and changepassword.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = env_int("GUIDEBOOK_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("GUIDEBOOK_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Demo logins have published passwords: only where no real SECRET_KEY is configured.
DEMO_LOGINS = env_bool("GUIDEBOOK_DEMO_LOGINS", not os.environ.get("SECRET_KEY"))


# --- Email -----------------------------------------------------------------------------
# The editorial workflow writes to people when something waits for them
# (guidebook.editorial.notifications). With EMAIL_HOST set, mail goes out through that
# SMTP server; without it, every message is written as a file under
# $GUIDEBOOK_DATA_DIR/mail/, so a local demo shows what would have been sent.


def env_port(name: str, default: int) -> int:
    port = env_int(name, default)
    if not 1 <= port <= 65535:
        raise ImproperlyConfigured(f"{name} must be a port number from 1 to 65535, found {port}")
    return port


def env_from_address(name: str, default: str) -> str:
    """A sender such as ``Guidebook <guidebook@example.org>`` or a bare address."""
    raw = os.environ.get(name, "").strip() or default
    _, address = parseaddr(raw)
    if "@" not in address or "\n" in raw or "\r" in raw:
        raise ImproperlyConfigured(
            f"{name} must be an email address such as 'Guidebook <guidebook@example.org>', "
            f"found {raw!r}"
        )
    return raw


def env_site_url(name: str, default: str) -> str:
    """The site's own http(s) base URL, from which messages build their links."""
    raw = os.environ.get(name, "").strip() or default
    if not _is_base_url(raw):
        raise ImproperlyConfigured(
            f"{name} must be a base URL such as https://guidebook.example.org, found {raw!r}"
        )
    return raw.rstrip("/")


EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
# Read whether or not EMAIL_HOST is set, so a mistake shows before the day it matters.
EMAIL_PORT = env_port("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Messages are sent while the request that caused them is answered: a mail server
# that does not answer holds that request up for at most this many seconds.
EMAIL_TIMEOUT = 10
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env_from_address("GUIDEBOOK_FROM_EMAIL", "Guidebook <guidebook@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
GUIDEBOOK_SITE_URL = env_site_url("GUIDEBOOK_SITE_URL", "http://127.0.0.1:8000")

# Releases of the published catalogue (docs/releases.md): where their files are kept,
# and who is named as their creator and publisher in CITATION.cff and datacite.json.
RELEASES_DIR = Path(os.environ.get("GUIDEBOOK_RELEASES_DIR", "").strip() or DATA_DIR / "releases")
GUIDEBOOK_PUBLISHER = os.environ.get("GUIDEBOOK_PUBLISHER", "").strip() or "Guidebook"
