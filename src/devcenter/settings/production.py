"""Deployment settings: ``DJANGO_SETTINGS_MODULE=devcenter.settings.production``.

Requires ``DEVCENTER_SECRET_KEY`` and ``DEVCENTER_ALLOWED_HOSTS``; assumes TLS is terminated
in front of the server (set ``DEVCENTER_PROXY_SSL_HEADER=1`` when the proxy sends
``X-Forwarded-Proto``).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from devcenter.settings import *  # noqa: F403
from devcenter.settings import _env_flag, _env_list


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set for devcenter.settings.production")
    return value


def _strong_secret_key(name: str) -> str:
    """Return the secret key, refusing one Django's deploy check would only warn about."""
    key = _required(name)
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"{name} must be at least 50 random characters for devcenter.settings.production"
            " (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    return key


DEBUG = False
SECRET_KEY = _strong_secret_key("DEVCENTER_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("DEVCENTER_ALLOWED_HOSTS").split(",") if h.strip()]

SECURE_SSL_REDIRECT = _env_flag("DEVCENTER_SSL_REDIRECT", default=True)
# Paths (regular expressions, without the leading slash) answered over plain HTTP too, e.g.
# `^api/v1/ready$` for a balancer's health check sent straight to the instance.
SECURE_REDIRECT_EXEMPT = _env_list("DEVCENTER_SSL_REDIRECT_EXEMPT", [])
if _env_flag("DEVCENTER_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [
    f"https://*{host}" if host.startswith(".") else f"https://{host}"
    for host in ALLOWED_HOSTS
    if host != "*"
]

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Webhooks: https to public addresses only (server-side request forgery).
DEVCENTER_WEBHOOK_ALLOW_LOOPBACK = _env_flag("DEVCENTER_WEBHOOK_ALLOW_LOOPBACK", default=False)
DEVCENTER_PRODUCTION = True  # refuses test personas unless asked (`devcenter personas`)
