"""Settings built from BROADSHEET_* environment variables with safe embedded defaults.

The embedded default is SQLite in WAL mode inside the data folder; PostgreSQL and
Redis switch on only when their URLs are set, so domain code never has to ask.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}.")
    return int(value)


def load_secret_key(data_dir: Path) -> str:
    """Keep a generated key in the data folder so sessions survive restarts."""
    if key := os.environ.get("BROADSHEET_SECRET_KEY"):
        return key
    key_file = data_dir / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BROADSHEET_DATA_DIR", "broadsheet-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = load_secret_key(DATA_DIR)
DEBUG = env_bool("BROADSHEET_DEBUG")

SITE_URL = os.environ.get("BROADSHEET_SITE_URL", "").rstrip("/")
ALLOWED_HOSTS = env_list("BROADSHEET_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BROADSHEET_CSRF_TRUSTED_ORIGINS")
if SITE_URL:
    ALLOWED_HOSTS.append(urlsplit(SITE_URL).hostname or "")
    CSRF_TRUSTED_ORIGINS.append(SITE_URL)
BROADSHEET_BEHIND_PROXY = env_bool("BROADSHEET_BEHIND_PROXY")
# How many proxies in front of the site append to X-Forwarded-For (core/addresses.py).
BROADSHEET_TRUSTED_PROXIES = env_int("BROADSHEET_TRUSTED_PROXIES", 1)
BROADSHEET_REDIS_URL = os.environ.get("BROADSHEET_REDIS_URL", "")
# Counted views wait in memory this long before they are written (0: only when asked).
BROADSHEET_VIEW_FLUSH_SECONDS = float(os.environ.get("BROADSHEET_VIEW_FLUSH_SECONDS", "1"))
if BROADSHEET_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
if SITE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # Browsers then refuse plain http for the site's host for this long (answers sent
    # over https only; 0 turns it off). A year is what browsers' preload lists ask for;
    # not for subdomains, which may be someone else's.
    SECURE_HSTS_SECONDS = env_int("BROADSHEET_HSTS_SECONDS", 365 * 24 * 3600)

INSTALLED_APPS = [
    "broadsheet.core",
    "broadsheet.accounts",
    "broadsheet.content",
    "broadsheet.comments",
    "broadsheet.analytics",
    "broadsheet.feeds",
    "broadsheet.fastpath",
    "broadsheet.media",
    "broadsheet.studio",
    "broadsheet.members",
    "broadsheet.newsletter",
    "broadsheet.likes",
    "broadsheet.redirects",
    "broadsheet.search",
    "broadsheet.predictions",
    "broadsheet.importers",
    "broadsheet.integrations",
    "broadsheet.api",  # the Ghost-compatible APIs; no tables
    "broadsheet.exporters",  # the `export` command and restoring an archive; no tables
    "broadsheet.demo",  # the `demo` and `generate` commands; no tables
    "django_tasks_db",
    "axes",
    "broadsheet.core.admin_site.BroadsheetAdminConfig",  # Django's admin, for administrators
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF's, which reads forms: a file or an oversized body is refused unread.
    "broadsheet.core.uploads.FilesOnlyWhereTakenMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "broadsheet.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "broadsheet.core.middleware.SiteLocaleMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: sees every 404 first, before CommonMiddleware tries a trailing slash.
    "broadsheet.redirects.middleware.OldAddressMiddleware",
]

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.core.context_processors.site",
            ],
        },
    },
]

if database_url := os.environ.get("BROADSHEET_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    from broadsheet.conf import sqlite

    sqlite.install()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "broadsheet.sqlite3",  # type: ignore[typeddict-item]  # Django takes a Path; the stubs say str
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000"
                ),
                "transaction_mode": "IMMEDIATE",
                "factory": sqlite.Connection,
            },
        }
    }

if BROADSHEET_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": BROADSHEET_REDIS_URL,
            "KEY_PREFIX": "broadsheet",
        }
    }
else:
    # Shared by every process on the box (SQLite files in the data folder), so rate limits
    # and anything else kept in the cache hold however many server processes answer.
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.SharedDiskCache",
            "LOCATION": str(DATA_DIR / "cache" / "shared"),
            "OPTIONS": {"size_limit": 256 * 1024 * 1024},  # type: ignore[dict-item]  # backend-specific options; the stubs allow only str values
        }
    }

AUTH_USER_MODEL = "broadsheet_accounts.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed logins per account and per address (in the database, so every
    # worker process shares the count) and refuses more than AXES_FAILURE_LIMIT.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "studio:home"
LOGOUT_REDIRECT_URL = "content:home"
AXES_FAILURE_LIMIT = int(os.environ.get("BROADSHEET_LOGIN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Lockouts by address use the same rule as every other limit.
AXES_CLIENT_IP_CALLABLE = "broadsheet.core.addresses.request_address"
PASSWORD_RESET_TIMEOUT = 3600
INVITATION_DAYS = 7
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("BROADSHEET_LANGUAGE", "en-us")
TIME_ZONE = os.environ.get("BROADSHEET_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "broadsheet.media.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads larger than this are refused with a message (bytes).
BROADSHEET_MAX_UPLOAD_BYTES = int(os.environ.get("BROADSHEET_MAX_UPLOAD_MB", "10")) * 1_048_576
# The studio's import form takes a whole site's export: far larger (a temp file, not memory).
BROADSHEET_IMPORT_MAX_UPLOAD_BYTES = env_int("BROADSHEET_IMPORT_MAX_UPLOAD_MB", 1024) * 1_048_576

# `broadsheet import`: what it may download. Each download stops at its time limit (whole
# seconds, for the whole answer) and its size limit (bytes): an image, or a whole source.
BROADSHEET_IMPORT_FETCH_TIMEOUT = env_int("BROADSHEET_IMPORT_FETCH_TIMEOUT", 20, minimum=1)
BROADSHEET_IMPORT_MAX_MEDIA_BYTES = env_int(
    "BROADSHEET_IMPORT_MAX_MEDIA_BYTES", BROADSHEET_MAX_UPLOAD_BYTES, minimum=1
)
BROADSHEET_IMPORT_MAX_SOURCE_BYTES = env_int(
    "BROADSHEET_IMPORT_MAX_SOURCE_BYTES", 4 * 1024**3, minimum=1
)
# Off: a source's links can never make the server fetch from its own network (the cloud's
# metadata address, an admin page on localhost). On only for a blog served inside it.
BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = env_bool("BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES")

# The Ghost-compatible APIs: requests a minute per integration key (reads: the Content API
# and the Admin API's GETs; writes: the Admin API's other methods).
BROADSHEET_API_READS_PER_MINUTE = env_int("BROADSHEET_API_READS_PER_MINUTE", 600, minimum=1)
BROADSHEET_API_WRITES_PER_MINUTE = env_int("BROADSHEET_API_WRITES_PER_MINUTE", 60, minimum=1)
# Searches from one address a minute on the search page (the API counts per key).
BROADSHEET_SEARCHES_PER_MINUTE = env_int("BROADSHEET_SEARCHES_PER_MINUTE", 30, minimum=1)
# Off: a webhook's target can never be the server's own network (as for imports above).
BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool(
    "BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"
)

# Mail goes to the console until an SMTP host is configured.
DEFAULT_FROM_EMAIL = os.environ.get("BROADSHEET_MAIL_FROM", "Broadsheet <broadsheet@localhost>")
if smtp_host := os.environ.get("BROADSHEET_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(os.environ.get("BROADSHEET_SMTP_PORT", "587")),
                "username": os.environ.get("BROADSHEET_SMTP_USER", ""),
                "password": os.environ.get("BROADSHEET_SMTP_PASSWORD", ""),
                "use_tls": env_bool("BROADSHEET_SMTP_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# An Akismet-compatible spam check for comments: off unless a key is set.
BROADSHEET_AKISMET_KEY = os.environ.get("BROADSHEET_AKISMET_KEY", "")
BROADSHEET_AKISMET_URL = os.environ.get(
    "BROADSHEET_AKISMET_URL", "https://{key}.rest.akismet.com/1.1/comment-check"
)

# A newsletter delivery that fails is tried again after this many seconds times its attempts.
BROADSHEET_NEWSLETTER_RETRY_SECONDS = int(
    os.environ.get("BROADSHEET_NEWSLETTER_RETRY_SECONDS", "60")
)

# Background work (scheduled publishing, and later mail): a queue in the database,
# run by `broadsheet worker`, or by `broadsheet serve` itself on a one-box site.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What `broadsheet worker` runs beside the queue, every so many seconds.
BROADSHEET_PERIODIC_JOBS = {
    # Each look costs a few ms; an ANALYZE runs only when the tables grew enough.
    "broadsheet.core.db.keep_statistics_fresh": 300,
    # Each scheduled post has a task for its time; this catches any whose task is lost.
    "broadsheet.content.services.publish_due_posts": 60,
    # A prediction's date is a day: its author hears within minutes of the next one starting.
    "broadsheet.predictions.notifications.queue_reminders": 300,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BROADSHEET_LOG_LEVEL", "WARNING")},
}
