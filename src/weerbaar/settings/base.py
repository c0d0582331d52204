# SPDX-License-Identifier: EUPL-1.2
"""Django settings, driven by environment variables read through :mod:`weerbaar.config`.

Three profiles (``WEERBAAR_PROFILE``):

* ``production`` (the default for WSGI): secrets must be supplied, HTTPS-only cookies, HSTS,
  MFA enforced for every account.
* ``demo``: what ``weerbaar demo`` runs: SQLite in the data folder, generated keys, plain HTTP on
  localhost, demo accounts may skip MFA (a banner on every page says so).
* ``test``: like demo, but quick password hashing and an in-memory cache.

No profile changes a permission check: authorisation is code and data only.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

from weerbaar.config import (
    ConfigurationError,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent

PROFILE = env_str(
    "WEERBAAR_PROFILE",
    "production",
    "production, demo or test. The CLI uses demo when neither this nor DATABASE_URL is set.",
)
if PROFILE not in {"production", "demo", "test"}:
    raise ConfigurationError(f"WEERBAAR_PROFILE must be production, demo or test, not {PROFILE!r}")
IS_PRODUCTION = PROFILE == "production"
DATA_DIR = data_dir()


def _demo_secrets() -> dict[str, str]:
    """Keys generated once per machine for the demo, kept beside its database."""
    path = DATA_DIR / "demo-secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    values = {"secret_key": secrets.token_urlsafe(50), "encryption_key": Fernet.generate_key().decode()}
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


_demo = None if IS_PRODUCTION else _demo_secrets()

SECRET_KEY = env_required(
    "WEERBAAR_SECRET_KEY",
    "Django's secret key (50+ random characters).",
    demo_default=_demo["secret_key"] if _demo else None,
)
ENCRYPTION_KEYS = env_list(
    "WEERBAAR_ENCRYPTION_KEYS",
    _demo["encryption_key"] if _demo else "",
    "Comma-separated Fernet keys for signal content at rest. The first encrypts; all decrypt. "
    "Rotate by putting a new key first and running `weerbaar signals rotate-key`.",
)
if not ENCRYPTION_KEYS:
    raise ConfigurationError("WEERBAAR_ENCRYPTION_KEYS is required in production (a Fernet key).")

DEBUG = env_bool("WEERBAAR_DEBUG", False, "Django debug pages. Never in production.")
if DEBUG and IS_PRODUCTION:
    raise ConfigurationError("WEERBAAR_DEBUG cannot be on in the production profile.")

ALLOWED_HOSTS = env_list(
    "WEERBAAR_ALLOWED_HOSTS",
    "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver",
    "Host names this deployment answers to.",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "WEERBAAR_CSRF_TRUSTED_ORIGINS", "", "Origins (https://host) trusted for CSRF behind a proxy."
)

MUNICIPALITY_NAME = env_str(
    "WEERBAAR_MUNICIPALITY", "Gemeente Demodam (fictief)", "The municipality this deployment serves."
)

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "weerbaar.accounts",
    "weerbaar.audit",
    "weerbaar.sources",
    "weerbaar.matching",
    "weerbaar.signals",
    "weerbaar.research",
    "weerbaar.approach",
    "weerbaar.governance",
    "weerbaar.monitor",
    "weerbaar.admin_apps.WeerbaarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "weerbaar.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.middleware.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "weerbaar.accounts.middleware.SessionLifetimeMiddleware",
    "weerbaar.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "weerbaar.api.api_version_header",
]

ROOT_URLCONF = "weerbaar.urls"
WSGI_APPLICATION = "weerbaar.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "weerbaar.context_processors.weerbaar",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'weerbaar.sqlite3'}"
DATABASE_URL = env_str(
    "DATABASE_URL",
    _default_db,
    "Database URL. Unset: the embedded SQLite file in WEERBAAR_DATA_DIR. "
    "Production: postgres://user:password@host:5432/name.",
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker share the demo database without "database is locked";
    # IMMEDIATE makes a write transaction take the lock at its start, so row-locking code is safe.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Authentication and sessions ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
OIDC_ENABLED = env_bool(
    "WEERBAAR_OIDC_ENABLED", False, "Offer login through the municipality's OpenID Connect provider."
)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("weerbaar.accounts.oidc.WeerbaarOIDCBackend")
    INSTALLED_APPS.append("mozilla_django_oidc")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", None, "OIDC client id (when OIDC is enabled).")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", None, "OIDC client secret.")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", None, "OIDC authorize URL.")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", None, "OIDC token URL.")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", None, "OIDC userinfo URL.")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", None, "OIDC JWKS URL.")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256", "OIDC token signing algorithm.")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "signals:queue"
LOGOUT_REDIRECT_URL = "accounts:login"

# Demo accounts may skip the second factor only in the demo profile; production always asks.
MFA_DEMO_BYPASS = PROFILE == "demo"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_INACTIVITY_TIMEOUT = (
    env_int("WEERBAAR_SESSION_IDLE_MINUTES", 15, "Minutes of inactivity after which a session ends.") * 60
)
SESSION_COOKIE_AGE = (
    env_int("WEERBAAR_SESSION_MAX_HOURS", 10, "Absolute session lifetime in hours, activity or not.") * 3600
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = IS_PRODUCTION
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if IS_PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("WEERBAAR_SSL_REDIRECT", True, "Redirect HTTP to HTTPS.")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock the username+IP pair after repeated failures; the login form answers the
# same for unknown and known users (see accounts.views.LoginView).
AXES_FAILURE_LIMIT = env_int("WEERBAAR_LOGIN_FAILURE_LIMIT", 5, "Failed logins before a lockout.")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WEERBAAR_LOGIN_COOLOFF_MINUTES", 30, "Lockout minutes."))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "weerbaar.accounts.views.lockout_response"
AXES_VERBOSE = False
PROXY_HOPS = env_int(
    "WEERBAAR_PROXY_HOPS",
    0,
    "Number of trusted reverse proxies in front of Weerbaar; 0 trusts no X-Forwarded-For header.",
)
# The lockout counts per the same client address the audit log records.
AXES_CLIENT_IP_CALLABLE = "weerbaar.accounts.authz.client_address"

# --- Content Security Policy (django-csp 4) ---------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("WEERBAAR_STATIC_ROOT", str(DATA_DIR / "static"), "collectstatic target.") or "")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "attachments")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = False
ATTACHMENT_MAX_BYTES = (
    env_int("WEERBAAR_ATTACHMENT_MAX_MB", 10, "Largest attachment accepted, in megabytes.") * 1024 * 1024
)
ATTACHMENT_TYPES = env_list(
    "WEERBAAR_ATTACHMENT_TYPES",
    "application/pdf,image/jpeg,image/png,text/plain,text/csv",
    "Accepted attachment types (checked against the file's own bytes, not its name).",
)
ATTACHMENT_MAX_COUNT = 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads stay in memory until they are encrypted: never a plain copy in /tmp.
FILE_UPLOAD_HANDLERS = ["weerbaar.uploads.InMemoryOnlyUploadHandler"]

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["weerbaar.accounts.api_permissions.DeclaredPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "weerbaar.api.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "weerbaar.api.HeaderPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weerbaar API",
    "DESCRIPTION": (
        "The administrative approach (steps 1-4 of the model privacy protocol, governance) and the monitor. "
        "Errors are application/problem+json."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields named alike in several apps (state, status, kind, outcome) get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "SignalStateEnum": "weerbaar.signals.states.State",
        "DecisionOutcomeEnum": "weerbaar.research.models.Outcome",
        "DataSubjectRequestKindEnum": "weerbaar.governance.models.RequestKind",
        "DataSubjectRequestStatusEnum": "weerbaar.governance.models.RequestStatus",
    },
}

# --- Background tasks -------------------------------------------------------------------------
MATCHING_INDEX_DIR = env_str(
    "WEERBAAR_INDEX_DIR",
    str(DATA_DIR / "index"),
    "Directory of the hit/no-hit index files (derived from the sources; rebuilt by `weerbaar matching reindex`).",
)
MATCHING_MIN_RESPONSE_MS = env_int(
    "WEERBAAR_MATCHING_MIN_RESPONSE_MS",
    25,
    "Minimum time of a hit/no-hit API answer, so its timing does not tell a hit from a no-hit.",
)
PUBLICATION_MIN_COUNT = env_int(
    "WEERBAAR_PUBLICATION_MIN_COUNT",
    5,
    "Smallest count shown in publication exports; smaller counts are suppressed (with complements).",
)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Caches, e-mail, logging ---------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = env_str(
    "WEERBAAR_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not IS_PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
    "Django e-mail backend.",
)
EMAIL_HOST = env_str("WEERBAAR_EMAIL_HOST", "localhost", "SMTP host.")
DEFAULT_FROM_EMAIL = env_str("WEERBAAR_EMAIL_FROM", "weerbaar@localhost", "Sender address.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WEERBAAR_LOG_LEVEL", "INFO", "Log level.")},
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"level": "ERROR"}},
}
