"""Embedded defaults and the production settings' deploy check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

from devcenter.settings import _dev_secret_key

PRODUCTION_SECRET = "k3Y-" + "x7Qp9vZr2Lm8Tn4Wc6Hb1Jd5Fg0Ks3Ae" * 2


def test_embedded_defaults_are_japanese_tokyo_and_safe() -> None:
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.MEDIA_ROOT.name == "media"


def test_dev_secret_key_is_created_once_with_mode_0600(tmp_path) -> None:
    first = _dev_secret_key(tmp_path)
    second = _dev_secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def _check_production(tmp_path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVCENTER_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "devcenter.settings.production",
        "DEVCENTER_VAR_DIR": str(tmp_path),
        **extra,
    }
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy_without_any_issue(tmp_path) -> None:
    result = _check_production(
        tmp_path,
        DEVCENTER_SECRET_KEY=PRODUCTION_SECRET,
        DEVCENTER_ALLOWED_HOSTS="devcenter.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["DEVCENTER_SECRET_KEY", "DEVCENTER_ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(tmp_path, missing: str) -> None:
    given = {
        "DEVCENTER_SECRET_KEY": PRODUCTION_SECRET,
        "DEVCENTER_ALLOWED_HOSTS": "devcenter.example.com",
    }
    del given[missing]

    result = _check_production(tmp_path, **given)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "weak_key",
    [
        "short-but-random-Qx7",  # under 50 characters
        "a" * 60,  # long, but five distinct characters are not random
        "django-insecure-" + "x7Qp9vZr2Lm8Tn4Wc6Hb1Jd5Fg0Ks3Ae" * 2,  # Django's template key
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, weak_key: str) -> None:
    result = _check_production(
        tmp_path, DEVCENTER_SECRET_KEY=weak_key, DEVCENTER_ALLOWED_HOSTS="devcenter.example.com"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "at least 50 random characters" in result.stderr


# ---------------------------------------------------------------- the shared cache


def test_the_embedded_default_cache_is_the_database_table() -> None:
    cache = settings.CACHES["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "devcenter_cache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 100_000  # counters are not culled at 300


@pytest.mark.django_db
def test_the_cache_table_exists_after_migrate_and_holds_entries() -> None:
    """The `front` migration creates the table: no `createcachetable` step anywhere."""
    from django.core.cache import cache
    from django.db import connection

    cache.set("front-test", {"count": 3}, 60)

    assert cache.get("front-test") == {"count": 3}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM devcenter_cache")
        assert cursor.fetchone()[0] == 1


def _cache_round_trip(tmp_path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVCENTER_")}
    env |= {"DJANGO_SETTINGS_MODULE": "devcenter.settings", "DEVCENTER_VAR_DIR": str(tmp_path)}
    env |= extra
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('round-trip', 'ok', 30); from django.core.cache import caches; "
        "print(type(caches['default']).__name__, cache.get('round-trip'));"
        "cache.delete('round-trip')"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_devcenter_redis_url_selects_redis_and_it_answers(tmp_path) -> None:
    result = _cache_round_trip(
        tmp_path,
        DEVCENTER_REDIS_URL="redis://127.0.0.1:6379/1",
        DEVCENTER_CACHE_KEY_PREFIX=f"front-settings-test-{os.getpid()}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "ok"]


@pytest.mark.slow
def test_production_reads_the_redirect_exemptions(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVCENTER_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "devcenter.settings.production",
        "DEVCENTER_VAR_DIR": str(tmp_path),
        "DEVCENTER_SECRET_KEY": PRODUCTION_SECRET,
        "DEVCENTER_ALLOWED_HOSTS": "devcenter.example.com",
        "DEVCENTER_SSL_REDIRECT_EXEMPT": "^api/v1/ready$, ^api/v1/health$",
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SECURE_REDIRECT_EXEMPT)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['^api/v1/ready$', '^api/v1/health$']"
