"""Settings: one module of documented defaults; every override is a DOORBRAAK_* env var.

DATABASE_URL     database (default: SQLite file under var/); PostgreSQL in production and CI
DOORBRAAK_SECRET_KEY   secret key (required when DOORBRAAK_DEBUG is off)
DOORBRAAK_DEBUG        "1" for development
DOORBRAAK_DEMO_MODE    "1" shows the synthetic-data banner and demo login help
DOORBRAAK_ALLOWED_HOSTS comma separated
DOORBRAAK_VAR_DIR      where the SQLite file, exports and analysis runs live
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(os.environ.get("DOORBRAAK_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_flag("DOORBRAAK_DEBUG", False)
DEMO_MODE = env_flag("DOORBRAAK_DEMO_MODE", False)
SECRET_KEY = os.environ.get("DOORBRAAK_SECRET_KEY") or (
    "insecure-development-key-only-for-local-use" if (DEBUG or DEMO_MODE or "PYTEST_VERSION" in os.environ) else None
)
if not SECRET_KEY:
    raise RuntimeError("Set DOORBRAAK_SECRET_KEY (or DOORBRAAK_DEBUG=1 for development).")
ALLOWED_HOSTS = [h for h in os.environ.get("DOORBRAAK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "doorbraak.partners",
    "doorbraak.audit",
    "doorbraak.privacy",
    "doorbraak.registers",
    "doorbraak.careers",
    "doorbraak.web",
    "doorbraak.api",
    "doorbraak.moneyflows",
    "doorbraak.entities",
    "doorbraak.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "doorbraak.audit.middleware.RequestContextMiddleware",
    "doorbraak.web.middleware.BadInputMiddleware",
    "doorbraak.web.auth.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doorbraak.urls"
WSGI_APPLICATION = "doorbraak.wsgi.application"

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
                "django.template.context_processors.i18n",
                "doorbraak.web.context.doorbraak",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'doorbraak.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent use: WAL lets readers go on while one writer writes; a writer waits up to 20 s
    # for the write lock (busy timeout) instead of failing with "database is locked"; and every
    # transaction takes that lock at BEGIN (IMMEDIATE), so it never has to upgrade a read lock
    # halfway, which fails at once whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock a username+address after 5 failures for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Doorbraak"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static"]
if NODE_MODULES.exists():
    # Utrecht NL Design System packages, installed by `make install` from npm, never from a CDN.
    STATICFILES_DIRS.append(("nlds", NODE_MODULES))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["doorbraak.api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["doorbraak.api.permissions.VerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doorbraak.api.problems.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorbraak API",
    "DESCRIPTION": "API of Doorbraak. Errors are application/problem+json (NL API design rules).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["doorbraak.api.permissions.VerifiedUser"],
    # Swagger UI and Redoc from the drf-spectacular-sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DataCategoryEnum": "doorbraak.partners.models.DataCategory"},
}

# The privacy officer's home page flags unusual denial patterns (doorbraak.audit.selectors.denial_patterns):
# a burst is at least BURST_COUNT denials of one user within BURST_MINUTES; a probe is at least
# PROBE_OBJECTS different objects refused to one user within PROBE_HOURS; both over the last LOOKBACK_DAYS.
AUDIT_DENIAL_BURST_COUNT = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_BURST_COUNT", "20"))
AUDIT_DENIAL_BURST_MINUTES = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_BURST_MINUTES", "10"))
AUDIT_DENIAL_PROBE_OBJECTS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_PROBE_OBJECTS", "10"))
AUDIT_DENIAL_PROBE_HOURS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_PROBE_HOURS", "24"))
AUDIT_DENIAL_LOOKBACK_DAYS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_LOOKBACK_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_one_line": {"()": "doorbraak.web.logging.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusal_one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SILENCED_SYSTEM_CHECKS = ["axes.W003"]
