"""Shared test set-up: optional-resource markers and API-key fixtures.

Markers (declared in pyproject.toml):
- ``postgres``: skipped unless the default database is PostgreSQL;
- ``browser``: skipped unless Chromium is at ``/usr/bin/chromium`` (or ``$DEVCENTER_CHROMIUM``).
When ``DEVCENTER_REQUIRE`` names the resource (``postgres``, ``browser``, comma-separated),
such a test fails instead of being skipped: CI uses this so nothing is silently left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

POSTGRES_REASON = "needs PostgreSQL: set DATABASE_URL=postgres://…"
BROWSER_REASON = "needs Chromium at /usr/bin/chromium"

CHROMIUM_PATH = Path(os.environ.get("DEVCENTER_CHROMIUM", "/usr/bin/chromium"))


def _required() -> set[str]:
    value = os.environ.get("DEVCENTER_REQUIRE", "")
    return {part.strip() for part in value.replace(" ", ",").split(",") if part.strip()}


def _database_is_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _missing_resources(item: pytest.Item) -> list[tuple[str, str]]:
    missing = []
    if item.get_closest_marker("postgres") and not _database_is_postgres():
        missing.append(("postgres", POSTGRES_REASON))
    if item.get_closest_marker("browser") and not CHROMIUM_PATH.exists():
        missing.append(("browser", BROWSER_REASON))
    return missing


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test whose resource is missing, before its fixtures run (unless required)."""
    required = _required()
    for resource, reason in _missing_resources(item):
        if resource not in required:
            pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """Fail (not error, not skip) a test whose required resource is missing."""
    required = _required()
    for resource, reason in _missing_resources(item):
        if resource in required:
            pytest.fail(f"{reason} (required by DEVCENTER_REQUIRE)", pytrace=False)


@pytest.fixture
def chromium_path() -> Path:
    """Path of the system Chromium for Playwright (``executable_path=``)."""
    return CHROMIUM_PATH


@pytest.fixture
def decisions_key(db: None) -> tuple[object, str]:
    """An active API key with scope ``decisions``: ``(ApiKey, raw_key)``."""
    from devcenter.apikeys.services import apikey_create

    return apikey_create(name="test-decisions", scope="decisions")


@pytest.fixture
def revoked_decisions_key(db: None) -> tuple[object, str]:
    """A revoked API key with scope ``decisions``: ``(ApiKey, raw_key)``."""
    from devcenter.apikeys.services import apikey_create, apikey_revoke

    key, raw = apikey_create(name="test-decisions-revoked", scope="decisions")
    return apikey_revoke(name=key.name), raw


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the test database is a file, as the embedded default is: WAL and the busy
    timeout then apply between threads (a worker thread beside a request). Django's in-memory
    test database uses a shared cache, whose table locks fail at once (`database table is
    locked`) instead of waiting."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test-devcenter.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
