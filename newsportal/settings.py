"""Settings for Newsportal, read from the environment (and `.env` when present; `NEWSPORTAL_ENV_FILE` names another
file, or none when empty).

With nothing set the site runs on SQLite, local-memory cache, console e-mail and local media files.
Production sets at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; `.env.example` lists every variable.
"""

import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = os.environ.get("NEWSPORTAL_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

# --- Core -----------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
# No production default: without DEBUG the key must come from the environment. A local debug run gets a
# throwaway key (sessions end when the server restarts).
SECRET_KEY = env.str("SECRET_KEY", default="") or (secrets.token_urlsafe(50) if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=true for a local run).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # the form widgets' own templates, for the project's widget templates beside them
    "django_prose_editor",  # the story editor's build (static files only: articles/forms.py StoryEditor)
    "axes",
    "csp",
    "simple_history",
    "newsportal",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsportal.middleware.PrivateByDefaultMiddleware",  # outside the page cache: it sees every final answer
    "newsportal.middleware.CSPMiddleware",  # django-csp's, with the fixed policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.popularity.ReadCounterMiddleware",  # counts story views, cache hits included (Most read)
    "newsportal.pagecache.PageCacheMiddleware",  # before sessions and CSRF: a hit skips them
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsportal.middleware.PrivateForStaffMiddleware",  # nothing a logged-in user is sent is stored anywhere
    "simple_history.middleware.HistoryRequestMiddleware",  # revisions and deletions record who made them
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "newsportal.middleware.DatabaseUnavailableMiddleware",
    "newsportal.middleware.SiteNotFoundPageMiddleware",  # `make run` shows the site's 404, as readers see it
]

# Widgets render with the site's templates too (the media library's picture chooser).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "newsportal.urls"
WSGI_APPLICATION = "newsportal.wsgi.application"

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
                "articles.context_processors.site",
            ],
            # {% site_name %} and {% site_language %} everywhere, also on pages rendered without a request.
            "builtins": ["newsportal.templatetags.site"],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A sick database fails fast: new connections give up after DB_CONNECT_TIMEOUT, and a web request's queries after
# DB_QUERY_TIMEOUT, even when the server answers nothing at all (newsportal/db/deadline.py). 503, not a hung worker.
DB_QUERY_TIMEOUT = env.float("DB_QUERY_TIMEOUT", default=2.5)  # seconds; 0 switches the deadline off
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "newsportal.db.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=2)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a comment is written; IMMEDIATE makes concurrent writers queue
    # instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process of the site: pages, locks and rate-limit counters must agree across gunicorn
# workers, commands and nodes. Redis in production; otherwise a table in the site's own database
# (newsportal/cache.py), never a per-process memory cache.
CACHES = {
    "default": (
        {"BACKEND": "newsportal.cache.RedisCache", "LOCATION": env.str("REDIS_URL")}
        if env.str("REDIS_URL", default="")
        else {
            "BACKEND": "newsportal.cache.DatabaseCache",
            "LOCATION": "newsportal_cache",  # newsportal.models.CACHE_TABLE, created by `migrate`
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=20000)},
        }
    )
}
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="newsportal")

# --- Auth -----------------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users and addresses
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out a (username, address) pair, and separately an address, after repeated failed logins; never a username
# alone, or anyone could lock a colleague out by guessing from elsewhere (newsportal/logins.py tells them instead).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsportal.http.client_ip"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Time and language ----------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["newsportal.formats"]  # a 24-hour clock in the admin too
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")  # collectstatic writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media (the picture library) goes through Django's storage API only: local files by default; an S3-compatible
# object store when several nodes must share them (docs/deploy.md: MEDIA_STORAGE and MEDIA_STORAGE_OPTIONS).
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------------

globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds; the background worker waits this long at most
# How often the worker tries an e-mail before giving it up (1, 4, 16, 64 minutes apart), shown in the admin.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)

# --- Background tasks (e-mail) -------------------------------------------------------------------

# Django's task framework (the django-tasks backport). The queue lives in the site's database and
# `manage.py worker` runs it; at scale the RQ backend (django-tasks-rq) with Redis does the same job.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# --- The site's address ----------------------------------------------------------------------------

# Every absolute link (e-mails first of all) is built from this, never from a request's Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("Set SITE_URL to the site's public address, e.g. https://news.example.com")

# --- Security -------------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only our own origin: no inline scripts or styles, no third parties. The admin gets the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Newsportal -----------------------------------------------------------------------------------

SITE_NAME = env.str("SITE_NAME", default="Newsportal")
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket's address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Lead images and author photos (articles/images.py): larger uploads get a form error, nothing is stored.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=15 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env.int("IMAGE_UPLOAD_MAX_PIXELS", default=50_000_000)  # decoded size, about 150 MB
# What decoding one upload may take, estimated per format before decoding (articles/images.py): with the process's
# own ~110 MB it keeps a worker under 400 MB. A 50-megapixel JPEG or PNG fits; a WebP up to about 15 megapixels.
IMAGE_DECODE_MAX_BYTES = env.int("IMAGE_DECODE_MAX_BYTES", default=260 * 1024 * 1024)

# Whole-page cache of anonymous pages (newsportal/pagecache.py); 0 switches it off.
# Off by default with DEBUG, so template and code changes show at once during development. The lifetime is also
# how late a scheduled story may appear.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)  # what browsers and CDNs may keep
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=300)  # stale-while-revalidate
# While one request renders a page that went stale, other readers get the previous copy for at most this long.
PAGE_CACHE_GRACE_SECONDS = env.int("PAGE_CACHE_GRACE_SECONDS", default=5)
# An edge cache in front of the app nodes (newsportal/edge.py, deploy/varnish.vcl.in): public pages carry their
# surrogate keys and each change purges them there. "varnish" (EDGE_PURGE_URLS: each node's purge listener),
# "fastly" (FASTLY_*), "cloudflare" (CLOUDFLARE_*), or a backend class's dotted path; empty: no edge.
EDGE_BACKEND = env.str("EDGE_BACKEND", default="")
EDGE_PURGE_URLS = env.list("EDGE_PURGE_URLS", default=[])
EDGE_PURGE_TIMEOUT = env.float("EDGE_PURGE_TIMEOUT", default=1.0)  # seconds; a purge not taken is retried by the worker
# How long the edge keeps a page without a purge: by default as long as the page cache, so Most read and scheduled
# stories move on at the same pace there.
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=PAGE_CACHE_SECONDS or 60)
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
CLOUDFLARE_ZONE_ID = env.str("CLOUDFLARE_ZONE_ID", default="")
CLOUDFLARE_API_TOKEN = env.str("CLOUDFLARE_API_TOKEN", default="")
# bench/run's reference views (newsportal/bench_views.py); never set in production.
BENCH_REFERENCE_VIEWS = env.bool("BENCH_REFERENCE_VIEWS", default=False)
BENCH_REFERENCE_BYTES = env.int("BENCH_REFERENCE_BYTES", default=20000)

# --- Newsroom policy ------------------------------------------------------------------------------
# Comment moderation, abuse limits, list sizes, the live poll interval: site settings that Site managers edit in the
# admin (newsportal.models.SiteSettings, read through newsportal.sitesettings.site_settings()), not variables here.
