"""Settings: one module of documented defaults; every override is an environment variable.

Production (what an IT department sets; see docs/deploy.md):
DATABASE_URL                    database, e.g. postgres://doorbraak:…@db:5432/doorbraak
                                (default: SQLite file under DOORBRAAK_VAR_DIR; demo and development)
DOORBRAAK_SECRET_KEY            secret key, at least 50 random characters. Required: there is no
                                default. Only demo mode and DOORBRAAK_DEBUG generate a random one,
                                kept in DOORBRAAK_VAR_DIR/secret-key.
DOORBRAAK_ALLOWED_HOSTS         comma-separated host names the site answers to
                                (default 127.0.0.1,localhost)
DOORBRAAK_CSRF_TRUSTED_ORIGINS  comma-separated origins with scheme, e.g. https://doorbraak.utrecht.nl
                                (needed when a proxy changes host or scheme)
DOORBRAAK_BEHIND_PROXY          "1": a TLS-terminating reverse proxy sets X-Forwarded-Proto and
                                X-Forwarded-For; trust them (SECURE_PROXY_SSL_HEADER; client address
                                for the audit log and the login lock-out). Only set it when the proxy
                                overwrites them. Better: DOORBRAAK_TRUSTED_PROXIES.
DOORBRAAK_TRUSTED_PROXIES       comma-separated addresses or networks of the reverse proxies (e.g.
                                10.0.0.5,10.1.0.0/24); only their X-Forwarded-* headers are believed
                                and the client is the right-most X-Forwarded-For hop not in the list.
                                Setting it implies DOORBRAAK_BEHIND_PROXY.
DOORBRAAK_HTTPS                 "1" (default outside DEBUG and demo mode): secure cookies, redirect
                                to https, HSTS. "0" only for a plain-http test installation.
DOORBRAAK_SESSION_IDLE_MINUTES  minutes without a request after which a session ends (default 30);
                                every session ends 8 hours after login in any case
DOORBRAAK_SECOND_FACTOR_ALL_ROLES  "1": policy staff too log in with a second factor (default: every
                                role that sees personal data does; policy staff see aggregates only,
                                see docs/adr/0005-second-factor-for-policy-staff.md)
DOORBRAAK_HSTS_SECONDS          HSTS max-age (default 31536000, one year)
DOORBRAAK_HSTS_PRELOAD          "1" to ask browsers to preload HSTS (a commitment; default off)
DOORBRAAK_LOG_LEVEL             DEBUG, INFO (default), WARNING, ERROR
DOORBRAAK_LOG_FORMAT            json (one JSON object a line on stderr; the default) or text
                                (the default in DEBUG and demo mode)
DOORBRAAK_VAR_DIR               where the SQLite file, exports, analysis runs and collected static
                                files live (default var/ in the project); back it up (docs/deploy.md)
DOORBRAAK_API_RATE_USER         API calls allowed per logged-in user (default 600/minute; DRF rate:
                                N/second, N/minute, N/hour or N/day); over it: 429 with Retry-After
DOORBRAAK_API_RATE_TOKEN        API calls allowed per partner-system token (default 1200/minute)
DOORBRAAK_API_RATE_ANONYMOUS    API calls without a session or token, per address (default 120/minute)
Single sign-on with OpenID Connect (optional; on when DOORBRAAK_OIDC_CLIENT_ID is set):
DOORBRAAK_OIDC_CLIENT_ID        the client id registered at the identity provider
DOORBRAAK_OIDC_CLIENT_SECRET    its secret
DOORBRAAK_OIDC_ISSUER           the provider's issuer (checked against the ID token's iss)
DOORBRAAK_OIDC_AUTHORIZATION_ENDPOINT, DOORBRAAK_OIDC_TOKEN_ENDPOINT, DOORBRAAK_OIDC_USERINFO_ENDPOINT,
DOORBRAAK_OIDC_JWKS_ENDPOINT    the provider's endpoints (from its .well-known/openid-configuration)
DOORBRAAK_OIDC_SIGN_ALGORITHM   the ID token's signature algorithm (default RS256)
DOORBRAAK_OIDC_SCOPES           default "openid email profile" (add the scope that gives the groups)
DOORBRAAK_OIDC_PROVIDER_NAME    the name on the login button (default "de gemeentelijke inlog")
DOORBRAAK_OIDC_GROUPS_CLAIM     the claim with the user's groups (default groups), mapped to a role and
                                organisation by the administrator (SSO-groepskoppelingen)
DOORBRAAK_OIDC_TRUST_ROLE_CLAIMS  "1": without a matching group, take role and organisation code from
DOORBRAAK_OIDC_ROLE_CLAIM       this claim (default doorbraak_role) and
DOORBRAAK_OIDC_ORGANISATION_CLAIM  this one (default doorbraak_organisation)
DOORBRAAK_OIDC_MFA_AMR          amr values that count as the provider's multi-factor authentication
                                (default mfa,otp,hwk,swk,sc); without them the user's own TOTP is asked
DOORBRAAK_OIDC_MFA_ACR          acr values that count so as well (default none)
DOORBRAAK_RISK_SNAPSHOT_DAYS    days a risk run's snapshot of the registers is kept for reproducing
                                it (default 400); then retention removes it, results stay
DOORBRAAK_RISK_MIN_SCORE        the score from which the risk picture lists an object unless the
                                user chooses another (default 3: several signals together)
DOORBRAAK_MAP_TILES_URL         a tile URL for the risk map, e.g. PDOK's BRT achtergrondkaart
                                (default empty: outlines and points on a plain background, no network)
`doorbraak serve` (gunicorn) reads:
DOORBRAAK_BIND                  address:port (default 0.0.0.0:8000; `doorbraak demo`: 127.0.0.1:8000)
DOORBRAAK_WORKERS               worker processes (default 2 × CPU cores + 1, at most 9)
DOORBRAAK_THREADS               threads per worker (default 4)
DOORBRAAK_TIMEOUT               seconds before a stuck request's worker is restarted (default 120)

Audit (the privacy officer's home page flags unusual denial patterns):
DOORBRAAK_AUDIT_DENIAL_BURST_COUNT      a burst: at least so many denials of one user (20) ...
DOORBRAAK_AUDIT_DENIAL_BURST_MINUTES    ... within so many minutes (10)
DOORBRAAK_AUDIT_DENIAL_PROBE_OBJECTS    a probe: so many different objects refused to one user (10) ...
DOORBRAAK_AUDIT_DENIAL_PROBE_HOURS      ... within so many hours (24)
DOORBRAAK_AUDIT_DENIAL_LOOKBACK_DAYS    both over the last so many days (7)
DOORBRAAK_AUDIT_CHECKPOINT_DIR  where the daily job (and `doorbraak audit_checkpoint`) writes the signed
                                checkpoints of the audit chain's head (default DOORBRAAK_VAR_DIR/
                                audit-checkpoints); copy them where the DB administrator cannot write
DOORBRAAK_AUDIT_CHECKPOINT_KEY  HMAC key that signs the checkpoints (default: derived from the secret
                                key); give it to the privacy officer, not to the DB administrator

Development and demo only:
DOORBRAAK_DEBUG                 "1" for development (never in production)
DOORBRAAK_DEMO_MODE             "1" (set by `make demo` / `doorbraak demo`): synthetic-data banner,
                                demo accounts on the login page; demo accounts and `demo_city
                                --reset` refuse to run without it

Background work (`doorbraak worker`; see the README, "Achtergrondtaken"):
DOORBRAAK_TASK_BACKEND          "database" (default: jobs go to the queue in the database, run by
                                `doorbraak worker`) or "immediate" (run at once in the request; tests)
DOORBRAAK_WORKER_HEARTBEAT_SECONDS  how often a worker writes its heartbeat (default 5)
DOORBRAAK_WORKER_STALE_SECONDS  heartbeat age after which a worker on another machine counts as
                                gone: its running job is retried or marked failed (default 120)
DOORBRAAK_DAILY_AT              local time from which the worker queues the daily jobs (retention,
                                careers_daily) once a day (default 02:00; "off" to disable)
DOORBRAAK_JOB_RESULT_DAYS       days a job's result file (e.g. a subject-access export) is kept (7)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("DOORBRAAK_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_flag("DOORBRAAK_DEBUG", False)
DEMO_MODE = env_flag("DOORBRAAK_DEMO_MODE", False)


def generated_secret_key(path: Path) -> str:
    """A random key made once and kept beside the demo's data (never a key from the source)."""
    if not path.exists():
        # Written aside and linked into place: processes starting together all read one whole key.
        aside = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DOORBRAAK_SECRET_KEY", "").strip()
if not SECRET_KEY and (DEMO_MODE or DEBUG):
    SECRET_KEY = generated_secret_key(VAR_DIR / "secret-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set DOORBRAAK_SECRET_KEY (see docs/deploy.md); there is no default secret key."
    )
ALLOWED_HOSTS = env_list(
    "DOORBRAAK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "127.0.0.1,localhost"
)
CSRF_TRUSTED_ORIGINS = env_list("DOORBRAAK_CSRF_TRUSTED_ORIGINS")

# HTTPS: on in production. The demo and development serve plain http on the loopback interface.
HTTPS = env_flag("DOORBRAAK_HTTPS", not (DEBUG or DEMO_MODE))
# Behind a reverse proxy: the addresses (or networks) of the proxies whose X-Forwarded-For and
# X-Forwarded-Proto are believed (doorbraak.web.security.ClientAddressMiddleware puts the client's
# address in REMOTE_ADDR, for the audit log and the lock-out; everyone else's X-Forwarded-* headers
# are removed). DOORBRAAK_BEHIND_PROXY=1 without a list trusts whatever peer connects (only when
# nothing but the proxy can reach the application).
TRUSTED_PROXIES = env_list("DOORBRAAK_TRUSTED_PROXIES")
BEHIND_PROXY = env_flag("DOORBRAAK_BEHIND_PROXY", False) or bool(TRUSTED_PROXIES)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# django-axes takes the address from REMOTE_ADDR, which the middleware has already corrected.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
# Container and load-balancer probes ask the health endpoint over plain http.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$", r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DOORBRAAK_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_flag("DOORBRAAK_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # the API's session clients read it to send X-CSRFToken
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this application
# only; no inline script, no inline style, no style attribute (tests/test_security_headers.py scans
# every template). The API documentation (Redoc) is the one page that relaxes it (api/docs.py).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# `doorbraak serve` (gunicorn).
SERVE_BIND = os.environ.get("DOORBRAAK_BIND", "0.0.0.0:8000")
SERVE_WORKERS = int(os.environ.get("DOORBRAAK_WORKERS", "0")) or min(
    2 * (os.cpu_count() or 1) + 1, 9
)
SERVE_THREADS = int(os.environ.get("DOORBRAAK_THREADS", "4"))
SERVE_TIMEOUT = int(os.environ.get("DOORBRAAK_TIMEOUT", "120"))

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
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "doorbraak.partners",
    "doorbraak.audit",
    "doorbraak.privacy",
    "doorbraak.areas",
    "doorbraak.registers",
    "doorbraak.careers",
    "doorbraak.web",
    "doorbraak.api",
    "doorbraak.moneyflows",
    "doorbraak.entities",
    "doorbraak.risk",
    "doorbraak.enforcement",
    "doorbraak.monitoring",
    "doorbraak.demo",
    "django_tasks",
    "django_tasks_db",
    "doorbraak.jobs",
    "doorbraak.sso",
]

MIDDLEWARE = [
    "doorbraak.web.security.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "doorbraak.web.security.PermissionsPolicyMiddleware",
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
    "doorbraak.web.auth.SessionTimeoutMiddleware",
    "doorbraak.web.auth.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "doorbraak.api.middleware.ApiVersionMiddleware",
]

ROOT_URLCONF = "doorbraak.site.urls"
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
                "doorbraak.site.navigation.doorbraak",
            ]
            # The demo's login help (accounts and codes), only in demo mode.
            + (["doorbraak.demo.context.login_help"] if DEMO_MODE else []),
        },
    }
]

# Every form renders with the Utrecht (NL Design System) components: see doorbraak/web/forms.py.
FORM_RENDERER = "doorbraak.web.forms.UtrechtFormRenderer"

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

# Background work: django-tasks with its database backend (the queue is a table in the same
# database); `doorbraak worker` runs the jobs. See doorbraak/jobs/ and the README.
TASK_BACKEND = os.environ.get("DOORBRAAK_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASK_BACKEND == "immediate"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("DOORBRAAK_WORKER_HEARTBEAT_SECONDS", "5"))
JOBS_WORKER_STALE_SECONDS = float(os.environ.get("DOORBRAAK_WORKER_STALE_SECONDS", "120"))
JOBS_DAILY_AT = os.environ.get("DOORBRAAK_DAILY_AT", "02:00")
JOBS_FILES_DIR = VAR_DIR / "jobs"
JOBS_RESULT_DAYS = int(os.environ.get("DOORBRAAK_JOB_RESULT_DAYS", "7"))

# The area risk picture (doorbraak/risk/): how long a run's snapshot stays, and the map's tiles.
RISK_SNAPSHOT_RETENTION_DAYS = int(os.environ.get("DOORBRAAK_RISK_SNAPSHOT_DAYS", "400"))
MAP_TILES_URL = os.environ.get("DOORBRAAK_MAP_TILES_URL", "")
RISK_PICTURE_MIN_SCORE = float(os.environ.get("DOORBRAAK_RISK_MIN_SCORE", "3"))

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# All of Django's password validators (ASVS 2.1): at least 12 characters, not like the user's
# own name or e-mail, not a known common password, not digits only.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # a session ends 8 hours after login, however active
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and after so many minutes without a request (doorbraak.web.auth.SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("DOORBRAAK_SESSION_IDLE_MINUTES", "30"))

# Single sign-on with OpenID Connect (mozilla-django-oidc; doorbraak.sso): on when a client id is
# set. Local accounts keep working beside it. Roles and organisations come from the
# administrator's group mapping (SSO-groepskoppelingen) or, if trusted, from two claims.
OIDC_RP_CLIENT_ID = os.environ.get("DOORBRAAK_OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("DOORBRAAK_OIDC_CLIENT_SECRET", "")
OIDC_ISSUER = os.environ.get("DOORBRAAK_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("DOORBRAAK_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("DOORBRAAK_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("DOORBRAAK_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("DOORBRAAK_OIDC_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = os.environ.get("DOORBRAAK_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = os.environ.get("DOORBRAAK_OIDC_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = os.environ.get("DOORBRAAK_OIDC_PROVIDER_NAME", "de gemeentelijke inlog")
OIDC_GROUPS_CLAIM = os.environ.get("DOORBRAAK_OIDC_GROUPS_CLAIM", "groups")
OIDC_TRUST_ROLE_CLAIMS = env_flag("DOORBRAAK_OIDC_TRUST_ROLE_CLAIMS", False)
OIDC_ROLE_CLAIM = os.environ.get("DOORBRAAK_OIDC_ROLE_CLAIM", "doorbraak_role")
OIDC_ORGANISATION_CLAIM = os.environ.get(
    "DOORBRAAK_OIDC_ORGANISATION_CLAIM", "doorbraak_organisation"
)
# What counts as the provider's multi-factor authentication (the second factor of the session).
OIDC_MFA_AMR = env_list("DOORBRAAK_OIDC_MFA_AMR", "mfa,otp,hwk,swk,sc")
OIDC_MFA_ACR = env_list("DOORBRAAK_OIDC_MFA_ACR")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_TIMEOUT = 10
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("doorbraak.sso.backends.DoorbraakOIDCBackend")

# Policy staff see aggregates only and log in with a password (ADR 0005); "1" makes every role
# use the second factor.
SECOND_FACTOR_ALL_ROLES = env_flag("DOORBRAAK_SECOND_FACTOR_ALL_ROLES", False)

# django-axes: lock after 5 failures for one hour, counted per account (so guessing one account's
# password from many addresses is stopped too) as well as per account and address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
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
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "doorbraak.web.staticfiles.NodeModulesFinder",  # the Utrecht stylesheets, as nlds/...
]
# Outside DEBUG the static files are collected (`doorbraak serve` does it at start) with hashed
# names and gzip copies (whitenoise's manifest storage, see web/staticfiles.py), and whitenoise
# serves them with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "doorbraak.web.staticfiles.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The API: browser sessions, and tokens for partner systems (`doorbraak api_token`); each user and
# each token throttled; JSON only outside DEBUG (no browsable API in production).
API_VERSION = "1.0.0"
API_RATE_USER = os.environ.get("DOORBRAAK_API_RATE_USER", "600/minute")
API_RATE_TOKEN = os.environ.get("DOORBRAAK_API_RATE_TOKEN", "1200/minute")
API_RATE_ANONYMOUS = os.environ.get("DOORBRAAK_API_RATE_ANONYMOUS", "120/minute")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Throttle counts shared by the server's worker processes (one machine): a file cache.
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    if DEBUG
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "throttle"),
    },
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "doorbraak.api.authentication.SessionAuthentication",
        "doorbraak.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "doorbraak.api.throttling.TokenRateThrottle",
        "doorbraak.api.throttling.UserRateThrottle",
        "doorbraak.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": API_RATE_TOKEN,
        "user": API_RATE_USER,
        "anon": API_RATE_ANONYMOUS,
    },
    # The client address is REMOTE_ADDR, corrected by ClientAddressMiddleware for trusted proxies
    # (never a client's own X-Forwarded-For).
    "NUM_PROXIES": 0,
    "DEFAULT_PERMISSION_CLASSES": ["doorbraak.api.permissions.VerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doorbraak.api.problems.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorbraak API",
    "DESCRIPTION": "API of Doorbraak. Errors are application/problem+json (NL API design rules).",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["doorbraak.api.permissions.VerifiedUser"],
    # Swagger UI and Redoc from the drf-spectacular-sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # problem+json error responses on every operation (doorbraak.api.schema)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "doorbraak.api.schema.document_problems",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DataCategoryEnum": "doorbraak.partners.models.DataCategory",
        "JobStatusEnum": "doorbraak.jobs.models.JobStatus",
        "FindingOutcomeEnum": "doorbraak.enforcement.models.Outcome",
        "ObjectionOutcomeEnum": "doorbraak.enforcement.models.ObjectionOutcome",
        "RiskRunStatusEnum": "doorbraak.risk.models.RunStatus",
    },
}

# The privacy officer's home page flags unusual denial patterns (doorbraak.audit.selectors.denial_patterns):
# a burst is at least BURST_COUNT denials of one user within BURST_MINUTES; a probe is at least
# PROBE_OBJECTS different objects refused to one user within PROBE_HOURS; both over the last LOOKBACK_DAYS.
AUDIT_DENIAL_BURST_COUNT = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_BURST_COUNT", "20"))
AUDIT_DENIAL_BURST_MINUTES = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_BURST_MINUTES", "10"))
AUDIT_DENIAL_PROBE_OBJECTS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_PROBE_OBJECTS", "10"))
AUDIT_DENIAL_PROBE_HOURS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_PROBE_HOURS", "24"))
AUDIT_DENIAL_LOOKBACK_DAYS = int(os.environ.get("DOORBRAAK_AUDIT_DENIAL_LOOKBACK_DAYS", "7"))
# Checkpoints of the audit chain's head outside the database (doorbraak.audit.checkpoint): where
# the daily job writes them, and the HMAC key that signs them (keep it out of the database's
# reach; without it a key derived from the secret key is used).
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("DOORBRAAK_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)
AUDIT_CHECKPOINT_KEY = os.environ.get("DOORBRAAK_AUDIT_CHECKPOINT_KEY", "")

# Structured logs: one JSON object a line on stderr (the container runtime collects them);
# gunicorn's access and error logs use the same format (doorbraak/logs.py).
LOG_LEVEL = os.environ.get("DOORBRAAK_LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("DOORBRAAK_LOG_FORMAT", "text" if (DEBUG or DEMO_MODE) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_one_line": {"()": "doorbraak.web.logging.RefusalWithoutTraceback"}},
    "formatters": {
        "json": {"()": "doorbraak.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    # Libraries at WARNING (splink, duckdb and py4j are chatty at INFO); our own code and
    # Django at the chosen level.
    "root": {"handlers": ["console"], "level": "DEBUG" if LOG_LEVEL == "DEBUG" else "WARNING"},
    "loggers": {
        **{name: {"level": LOG_LEVEL} for name in ("doorbraak", "doorbraak_analysis", "django")},
        "django.request": {"level": LOG_LEVEL, "filters": ["refusal_one_line"]},
    },
}


# security.W021 (HSTS preload off): being on the browsers' preload list is a commitment for the
# whole domain that the municipality makes (DOORBRAAK_HSTS_PRELOAD=1), not a default of the software.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
