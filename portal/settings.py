"""Settings for the archive portal.

Every value an operator may change is read here from an environment variable, and
only here; README.md lists them all with their defaults. The defaults give the
embedded set-up (SQLite under var/, the local search engine).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A development key is only tolerated with DEBUG on; a public portal must never
# sign sessions with a key that is in the source code.
_INSECURE_KEY_PREFIX = "django-insecure-"
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = _INSECURE_KEY_PREFIX + "development-only-key-not-for-any-server"
elif not DEBUG and (
    SECRET_KEY.startswith(_INSECURE_KEY_PREFIX)
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for a portal with DEBUG off: use at least 50 "
        "random characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "home",
    "exhibitions",
    "catalogue",
    "search",
    "feeds",
    "pagecache",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS, preflight and 405 of the public JSON, before the cache and CSRF.
    "portal.api_edges.PublicApiMiddleware",
    # Before sessions, locale and authentication: a hit is answered without them.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Below /admin/: the editor's own language, not the browser's.
    "portal.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: a URL, as every host and platform hands it out.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: WAL lets readers go on while one
    # writes, and IMMEDIATE transactions avoid "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept, as with PostgreSQL: opening one (the pragmas, the
    # schema read) and closing it cost ~6 ms a request at a million records,
    # more than a page served from the page cache (docs/PERFORMANCE.md).

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Decided before the first migration: changing either later is painful.
AUTH_USER_MODEL = "home.User"
WAGTAILIMAGES_IMAGE_MODEL = "home.ArchiveImage"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: zh-Hans first and default; English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as "1 October 1949"; zh-Hans keeps Django's 1949年10月1日.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")

# Static files are collected and served by whitenoise, compressed and with
# far-future cache headers; the demo and production serve them the same way.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or VAR_DIR / "media")
# Catalogue scans and import uploads are private: served only through the
# public gate, or not at all (catalogue/storage.py).
CATALOGUE_FILES_ROOT = Path(env("CATALOGUE_FILES_ROOT") or VAR_DIR / "catalogue-files")
IMPORTS_ROOT = Path(env("IMPORTS_ROOT") or VAR_DIR / "imports")
# The largest file an import takes from its bundle, in MB (1 MB = 1,048,576
# bytes): page images, and PDFs, audio and video (catalogue/importers/files.py).
try:
    CATALOGUE_MAX_IMAGE_MB = int(env("CATALOGUE_MAX_IMAGE_MB", "50"))
    CATALOGUE_MAX_FILE_MB = int(env("CATALOGUE_MAX_FILE_MB", "200"))
except ValueError as error:
    raise ImproperlyConfigured(
        "CATALOGUE_MAX_IMAGE_MB and CATALOGUE_MAX_FILE_MB must be whole numbers."
    ) from error
if CATALOGUE_MAX_IMAGE_MB < 1 or CATALOGUE_MAX_FILE_MB < 1:
    raise ImproperlyConfigured(
        "CATALOGUE_MAX_IMAGE_MB and CATALOGUE_MAX_FILE_MB must be at least 1."
    )
# Background work (imports, later indexing): run at once unless a worker
# backend is configured.
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# The embedded set-up serves uploads itself; behind a web server or object
# storage this stays off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
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

# Security. HTTPS is on unless an operator says the portal is served over plain
# HTTP (the local demo); then `check --deploy` rightly warns.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a frame of the admin: same origin
# only. Django's deploy check asks for DENY, which would break the preview.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# Wagtail
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "档案信息公共服务平台")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin keeps Wagtail's own search; the public search is ours (search/).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xml", "zip", "odt", "docx", "xlsx"]
# Exhibitions' audio, video and captions are documents too.
WAGTAILDOCS_EXTENSIONS += ["mp3", "m4a", "ogg", "wav", "mp4", "webm", "vtt"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"

# Public search engine: Meilisearch when a URL is given, else the local engine.
MEILISEARCH_URL = env("MEILISEARCH_URL")
MEILISEARCH_API_KEY = env("MEILISEARCH_API_KEY")
MEILISEARCH_INDEX_PREFIX = env("MEILISEARCH_INDEX_PREFIX", "portal")
SEARCH_LOCAL_PATH = Path(env("SEARCH_LOCAL_PATH") or VAR_DIR / "search")

# The page cache for anonymous visitors (pagecache/, docs/operations.md). Each
# gunicorn process keeps its own in memory unless another backend is named
# (e.g. django.core.cache.backends.redis.RedisCache with a redis:// location);
# correctness never depends on it being shared.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
try:
    PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
    _page_cache_entries = int(env("PAGE_CACHE_MAX_ENTRIES", "2000"))
except ValueError as error:
    raise ImproperlyConfigured(
        "PAGE_CACHE_SECONDS and PAGE_CACHE_MAX_ENTRIES must be whole numbers."
    ) from error
PAGE_CACHE_KEY_PREFIX = env("PAGE_CACHE_KEY_PREFIX", "pages")
PAGE_CACHE_ALIAS = "pages"
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_page_cache = {
    "BACKEND": env("PAGE_CACHE_BACKEND", _LOCMEM),
    "LOCATION": env("PAGE_CACHE_LOCATION", "portal-pages"),
    "TIMEOUT": PAGE_CACHE_SECONDS,
}
if _page_cache["BACKEND"] == _LOCMEM:
    _page_cache["OPTIONS"] = {"MAX_ENTRIES": _page_cache_entries}
CACHES = {"default": {"BACKEND": _LOCMEM}, PAGE_CACHE_ALIAS: _page_cache}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.template": {"level": "INFO"},
        # One line per background task or page action drowns everything else.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# Shown in the language switcher in each language's own name.
LANGUAGE_NAMES = {"zh-hans": "中文", "en": "English"}
