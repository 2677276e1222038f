"""Django settings for Caseledger, built from the typed configuration in `config.py`.

One module for every environment: CASELEDGER_ENV=production turns on the HTTPS-only settings
that `manage.py check --deploy` asks for; `test` makes the suite fast and deterministic.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from caseledger.config import BASE_DIR, Environment, load_settings

CONFIG = load_settings()
ENVIRONMENT = CONFIG.caseledger_env
PRODUCTION = ENVIRONMENT is Environment.PRODUCTION
TESTING = ENVIRONMENT is Environment.TEST

DEBUG = ENVIRONMENT is Environment.DEVELOPMENT

SECRET_KEY = CONFIG.resolved_secret_key()
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) in production.")
    # Development and tests only: a fixed key is harmless because nothing signed here leaves
    # the developer's machine.
    SECRET_KEY = "caseledger-development-key-not-for-production-" + "x" * 20

ALLOWED_HOSTS = CONFIG.allowed_hosts
if TESTING:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "caseledger.ui",
    "caseledger.audit",
    "caseledger.accounts",
    "caseledger.people",
    "caseledger.cases",
    "caseledger.ledger",
    "caseledger.actions",
    "caseledger.workdays",
    "caseledger.vault",
    "caseledger.search",
    "caseledger.quality",
    "caseledger.compliance",
    "caseledger.case_audits",
    "caseledger.ehcp",
    "caseledger.sen",
    "caseledger.provision",
    "caseledger.passports",
    "caseledger.support_plans",
    "caseledger.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caseledger.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "caseledger.ui.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "caseledger.urls"
WSGI_APPLICATION = "caseledger.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "caseledger.ui.context_processors.service",
            ],
            "builtins": ["caseledger.ui.templatetags.govuk"],
        },
    }
]
# Our own templates emit GOV.UK Frontend markup for every form (label, hint, error message).
FORM_RENDERER = "caseledger.ui.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = CONFIG.var_dir / "caseledger.sqlite3"
# synchronous=FULL: a commit survives power loss, not only a crash (research/security-reliability.md
# §1.7); busy_timeout: wait for the single writer instead of failing at once.
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    f"PRAGMA busy_timeout={CONFIG.sqlite_busy_timeout_ms};"
    "PRAGMA foreign_keys=ON;"
    # REPLACE conflict resolution then fires DELETE triggers, so INSERT OR REPLACE cannot
    # remove a final entry or an audit event (the BEFORE INSERT triggers refuse it as well).
    "PRAGMA recursive_triggers=ON;"
)
if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so a read-then-write transaction waits (busy_timeout) instead
                # of failing at once with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "init_command": SQLITE_INIT_COMMAND,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "caseledger.accounts.backends.PasswordBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing with a million PBKDF2 rounds per test login would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Special category data about children: sessions end after a short idle period and when the
# browser closes (ASVS 7.3.1).
SESSION_COOKIE_AGE = CONFIG.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files (GOV.UK Frontend and MOJ Frontend from npm) --------------------------------
# GOV.UK Frontend's compiled CSS asks for its fonts and images under /assets/, so that is our
# static URL and its assets folder sits at the root of it.
STATIC_URL = "/assets/"
STATIC_ROOT = CONFIG.var_dir / "static"
_NODE = CONFIG.node_modules_dir
STATICFILES_DIRS = [
    str(_NODE / "govuk-frontend" / "dist" / "govuk" / "assets"),
    # MOJ Frontend's CSS also asks for /assets/images/…; its images have their own names.
    str(_NODE / "@ministryofjustice" / "frontend" / "moj" / "assets"),
    ("govuk", str(_NODE / "govuk-frontend" / "dist" / "govuk")),
    ("moj", str(_NODE / "@ministryofjustice" / "frontend" / "moj")),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise warns when STATIC_ROOT is missing; outside production it serves from finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_MANIFEST_STRICT = False

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Email ----------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": (
            "django.core.mail.backends.locmem.EmailBackend"
            if TESTING
            else CONFIG.email_backend
            or (
                "django.core.mail.backends.smtp.EmailBackend"
                if PRODUCTION
                else "django.core.mail.backends.console.EmailBackend"
            )
        )
    }
}
DEFAULT_FROM_EMAIL = CONFIG.default_from_email

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63_072_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins cookies to this exact host over HTTPS (ASVS 3.3.1).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging: never log request bodies or record content ------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIG.log_level},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Caseledger -----------------------------------------------------------------------------
CASELEDGER_SERVICE_NAME = "Caseledger"
CASELEDGER_PAGE_SIZE = 25
# Signs chain checkpoints (`caseledger checkpoint`, `caseledger verify --checkpoint`); None when
# unset. From the environment only, never the database (config.py says why).
try:
    CASELEDGER_CHECKPOINT_KEY = CONFIG.resolved_checkpoint_key()
except OSError as error:
    raise ImproperlyConfigured(f"CASELEDGER_CHECKPOINT_KEY_FILE cannot be read: {error}") from error
BASE_PROJECT_DIR = BASE_DIR
# The evidence vault (issue 5): files by content address, outside the web root.
VAULT_DIR = CONFIG.vault_dir or CONFIG.var_dir / "vault"
VAULT_MAX_UPLOAD_BYTES = CONFIG.vault_max_upload_mb * 1024 * 1024
# Uploads larger than this go to a temporary file, never into the web process's memory; the
# vault's own handler stops an upload past its limit (Django's has none for files).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "caseledger.vault.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CSRF_FAILURE_VIEW = "caseledger.ui.views.csrf_failure"
