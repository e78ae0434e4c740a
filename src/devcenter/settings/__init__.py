"""Settings with embedded defaults: a fresh machine needs nothing but this file.

Everything that differs between machines comes from the environment (see README.md):
``DATABASE_URL``, ``DEVCENTER_SECRET_KEY``, ``DEVCENTER_ALLOWED_HOSTS``, ``DEVCENTER_DEBUG``,
``DEVCENTER_VAR_DIR``. ``devcenter.settings.production`` tightens this for deployment.
"""

from __future__ import annotations

import os
import secrets
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/devcenter


def _project_root() -> Path:
    """Return the checkout root for an editable install, else the working directory."""
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def _dev_secret_key(var_dir: Path) -> str:
    """Return the per-machine development key, creating it (mode 0600) on first use.

    Several server workers may start at once, so creation is exclusive and a loser
    of the race simply reads the winner's key.
    """
    path = var_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


BASE_DIR = _project_root()
VAR_DIR = Path(os.environ.get("DEVCENTER_VAR_DIR") or BASE_DIR / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = _env_flag("DEVCENTER_DEBUG", default=False)
SECRET_KEY = os.environ.get("DEVCENTER_SECRET_KEY") or _dev_secret_key(VAR_DIR)
ALLOWED_HOSTS = _env_list("DEVCENTER_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "devcenter.front",  # the front door (ASGI) and the shared cache's table
    "devcenter.apikeys",
    "devcenter.server",
    "devcenter.audit",
    "devcenter.partners",
    "devcenter.accounts",
    "devcenter.reviews",
    "devcenter.registrations",
    "devcenter.notices",  # notices before a change: card expiry, the portal's inbox
    "devcenter.staff",
    "devcenter.demo",
    "devcenter.personas",  # `devcenter personas`: test partners for platform services
    "devcenter.policy_history",  # every policy version run, for point-in-time answers
    "devcenter.api_support",  # the registry JSON API: idempotency records, OpenAPI export
    "devcenter.events",  # the events feed and webhooks (the audit log is the outbox)
]
# The portal (landing page, `devcenter policy`/`decide`) is built in parallel; it joins
# as soon as the package exists.
if find_spec("devcenter.portal") is not None:
    INSTALLED_APPS.append("devcenter.portal")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every page
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "devcenter.operations.database.DatabaseUnavailableMiddleware",  # DB away: 503, logged once
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "devcenter.portal.language.PageLanguageMiddleware",  # ?lang=ja|en, remembered in a cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "devcenter.staff.middleware.StaffMfaMiddleware",  # the admin only after a TOTP log-in
    "devcenter.api_support.snapshot.SnapshotHeaderMiddleware",  # read-your-write for decisions
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "devcenter.urls"
WSGI_APPLICATION = "devcenter.wsgi.application"
ASGI_APPLICATION = "devcenter.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides (allauth's pages in the portal's layout) before the apps' own.
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "devcenter.portal.language.language_switcher",
            ],
        },
    },
]

# ---------------------------------------------------- sign-up, log-in, MFA (django-allauth)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # a verified user is a platform user
ACCOUNT_UNIQUE_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "devcenter"
LOGIN_REDIRECT_URL = "/"
EMAIL_BACKEND = os.environ.get(
    "DEVCENTER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEVCENTER_FROM_EMAIL", "devcenter@localhost")
DEVCENTER_BASE_URL = os.environ.get("DEVCENTER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mixi Developer Center] "  # the site's name, never the host
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}", "OPTIONS": options}
    for name, options in (
        ("UserAttributeSimilarityValidator", {}),
        ("MinimumLengthValidator", {"min_length": 12}),
        ("CommonPasswordValidator", {}),
        ("NumericPasswordValidator", {}),
    )
]

# ---------------------------------------------------------------- partner registry
DEVCENTER_TEST_ACCOUNT_LIMIT = int(os.environ.get("DEVCENTER_TEST_ACCOUNT_LIMIT", "10"))
# Registry certificates carry personal data: documents are deleted this long after the decision.
DEVCENTER_DOCUMENT_RETENTION_DAYS = int(os.environ.get("DEVCENTER_DOCUMENT_RETENTION_DAYS", "90"))
DEVCENTER_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DEVCENTER_CARD_VERIFIER = os.environ.get(
    "DEVCENTER_CARD_VERIFIER", "devcenter.partners.cards.SandboxCardVerifier"
)

# ---------------------------------------------------------------- request bodies
# The front door (devcenter.front) refuses a body over its route's limit while it streams,
# before any app reads it (413 payload_too_large); README.md, "Request size limits".
_MIB = 1024 * 1024
DEVCENTER_BODY_LIMITS = {
    "json_api": 1 * _MIB,  # /api/v1/ (the registry API)
    "decisions": 16 * _MIB,  # POST /api/v1/decisions (up to 10,000 questions)
    "upload": 2 * DEVCENTER_DOCUMENT_MAX_BYTES + 1 * _MIB,  # two documents and the form
    "default": 2_621_440,  # pages, log-in, the admin: Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    "policy_file": 0,  # set below: a policy file uploaded to the staff console's diff page
}
# The staff console's policy diff page takes one policy file (the shipped one is ~50 KB).
DEVCENTER_POLICY_FILE_MAX_BYTES = 256 * 1024
DEVCENTER_BODY_LIMITS["policy_file"] = DEVCENTER_POLICY_FILE_MAX_BYTES + 64 * 1024  # + the form

# ---------------------------------------------------------------- service registrations
# A rotated secret keeps working this long; deleting a registration revokes at once.
# Users an app needs (reported by the platform) before it may ask for listing.
DEVCENTER_LISTING_MIN_USERS = int(os.environ.get("DEVCENTER_LISTING_MIN_USERS", "10"))
# Operator and contact e-mail confirmation links stay valid this long.
DEVCENTER_REGISTRATION_LINK_HOURS = int(os.environ.get("DEVCENTER_REGISTRATION_LINK_HOURS", "24"))
DEVCENTER_IMAGE_MAX_BYTES = 5 * 1024 * 1024
# ---------------------------------------------------------------- OAuth 2.0 for Graph API clients
# django-oauth-toolkit runs the protocol (devcenter.oauth); scopes come from the policy file.
INSTALLED_APPS += ["oauth2_provider", "devcenter.oauth"]
DEVCENTER_OAUTH_CODE_SECONDS = int(os.environ.get("DEVCENTER_OAUTH_CODE_SECONDS", "180"))
DEVCENTER_OAUTH_TOKEN_SECONDS = int(os.environ.get("DEVCENTER_OAUTH_TOKEN_SECONDS", "900"))
# A rotated-out secret (OAuth clients, consumer keys) keeps working this long.
DEVCENTER_CREDENTIAL_GRACE_HOURS = float(os.environ.get("DEVCENTER_CREDENTIAL_GRACE_HOURS", "24"))

# The decision plane's decision log (issue 12 §5, devcenter.decision_plane.decision_log): the
# share of decisions logged (0: off; 1.0: all), where (a JSON-lines file rotated at MAX_BYTES,
# BACKUPS old files kept; or an HTTP endpoint taking newline-delimited JSON when URL is set),
# and how many sampled decisions may wait in a worker's memory before more are dropped.
DEVCENTER_DECISION_LOG_RATE = float(os.environ.get("DEVCENTER_DECISION_LOG_RATE", "0"))
DEVCENTER_DECISION_LOG_PATH = Path(
    os.environ.get("DEVCENTER_DECISION_LOG_PATH") or VAR_DIR / "decisions.jsonl"
)
DEVCENTER_DECISION_LOG_MAX_BYTES = int(
    os.environ.get("DEVCENTER_DECISION_LOG_MAX_BYTES", str(64 * 1024 * 1024))
)
DEVCENTER_DECISION_LOG_BACKUPS = int(os.environ.get("DEVCENTER_DECISION_LOG_BACKUPS", "5"))
DEVCENTER_DECISION_LOG_URL = os.environ.get("DEVCENTER_DECISION_LOG_URL", "")
DEVCENTER_DECISION_LOG_BUFFER = int(os.environ.get("DEVCENTER_DECISION_LOG_BUFFER", "100000"))
# Webhooks (devcenter.events): loopback and plain-http endpoints are allowed in development and
# tests only (production.py turns this off: https to public addresses only).
DEVCENTER_WEBHOOK_ALLOW_LOOPBACK = _env_flag("DEVCENTER_WEBHOOK_ALLOW_LOOPBACK", default=True)
DEVCENTER_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("DEVCENTER_WEBHOOK_TIMEOUT_SECONDS", "10"))
DEVCENTER_WEBHOOK_LEASE_SECONDS = float(os.environ.get("DEVCENTER_WEBHOOK_LEASE_SECONDS", "60"))
DEVCENTER_WEBHOOK_THREADS = int(os.environ.get("DEVCENTER_WEBHOOK_THREADS", "32"))
DEVCENTER_WEBHOOK_POLL_SECONDS = float(os.environ.get("DEVCENTER_WEBHOOK_POLL_SECONDS", "0.05"))
# On PostgreSQL the worker wakes on the audit NOTIFY; it re-checks for due retries, test sends
# and replays this often. A chain: deliveries of one queue claimed behind its head and sent in
# order by one thread. A checked DNS answer is reused this long (then resolved and checked again).
DEVCENTER_WEBHOOK_IDLE_SECONDS = float(os.environ.get("DEVCENTER_WEBHOOK_IDLE_SECONDS", "0.5"))
DEVCENTER_WEBHOOK_CHAIN = int(os.environ.get("DEVCENTER_WEBHOOK_CHAIN", "8"))
DEVCENTER_WEBHOOK_RESOLVE_TTL_SECONDS = float(
    os.environ.get("DEVCENTER_WEBHOOK_RESOLVE_TTL_SECONDS", "1")
)
DEVCENTER_EVENTS_POLL_SECONDS = float(os.environ.get("DEVCENTER_EVENTS_POLL_SECONDS", "0.5"))
# A long-poll re-checks this often while the process LISTENs (PostgreSQL: a NOTIFY wakes it).
DEVCENTER_EVENTS_LISTEN_RECHECK_SECONDS = float(
    os.environ.get("DEVCENTER_EVENTS_LISTEN_RECHECK_SECONDS", "5")
)
# The longest a feed long-poll holds a server thread (the API accepts `wait` up to 30 s).
DEVCENTER_EVENTS_WAIT_CAP_SECONDS = float(os.environ.get("DEVCENTER_EVENTS_WAIT_CAP_SECONDS", "30"))
# DOT's own client model, named because its models are swappable (migrations refer to it).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "devcenter.oauth.server.GraphApiServer",
    "OAUTH2_VALIDATOR_CLASS": "devcenter.oauth.validator.GraphApiValidator",
    "SCOPES_BACKEND_CLASS": "devcenter.oauth.scopes.PolicyScopes",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": DEVCENTER_OAUTH_CODE_SECONDS,
    "ACCESS_TOKEN_EXPIRE_SECONDS": DEVCENTER_OAUTH_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a replayed refresh token revokes its family
    "PKCE_REQUIRED": True,  # S256 only: devcenter.oauth.server refuses any other method
    "CLIENT_SECRET_HASHER": "client_secret_sha256",  # devcenter.oauth.hashers: why not PBKDF2
    # https only; the consent view also lets http through to a loopback host (RFC 8252 §7.3),
    # the only http URI the services register.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REQUEST_APPROVAL_PROMPT": "force",  # the user sees the consent page every time
    # RFC 9700 (OAuth 2.0 Security BCP): every recommendation enforced.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only tokens' SHA-256 is stored
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "devcenter.oauth.hashers.ClientSecretHasher"]

# ---------------------------------------------------------------- database
# The embedded default is a SQLite file under var/; DATABASE_URL selects PostgreSQL.
SQLITE_PATH = VAR_DIR / "devcenter.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=0,
        conn_health_checks=True,
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
        # BEGIN so concurrent workers wait (up to timeout) instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- shared cache
# Counters every worker and every instance must share (allauth's log-in and sign-up rate
# limits): Django's database cache on the embedded default (its table is created by the
# `front` app's migration), Redis when DEVCENTER_REDIS_URL is set.
REDIS_URL = os.environ.get("DEVCENTER_REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DEVCENTER_CACHE_KEY_PREFIX", "devcenter"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "devcenter_cache",  # devcenter.front.models.CACHE_TABLE
            "KEY_PREFIX": os.environ.get("DEVCENTER_CACHE_KEY_PREFIX", "devcenter"),
            # Django culls a third of the table past 300 entries: a flood of log-in attempts
            # for many addresses would wipe the counters that hold the limits.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"

# ---------------------------------------------------------------- files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root at start-up
# Uploaded documents (registry certificates, ...) are private: never served by URL.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static/ folders too, so a missing collectstatic never
# breaks the embedded server; production.py switches to the hashed, compressed manifest.
WHITENOISE_USE_FINDERS = True

# ---------------------------------------------------------------- security (sane everywhere)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Pages load nothing but their own static files: no inline script or style, no other origin.
# (A document preview or download replaces this with `sandbox`: reviews.documents.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # the TOTP QR code is a data: image
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEVCENTER_LOG_LEVEL", "WARNING")},
}

# Translated here once so makemessages sees the language names.
LANGUAGE_NAMES = {"ja": _("Japanese"), "en": _("English")}
