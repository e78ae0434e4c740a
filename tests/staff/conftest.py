from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """allauth marks used TOTP codes and counts failed log-ins in the cache: start empty."""
    cache.clear()
