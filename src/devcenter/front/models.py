"""The shared cache's table (Django's database cache backend), created by a migration.

`migrate` creates it, so `make run`, the tests and CI never need `createcachetable`. The
columns are exactly those `createcachetable` makes; Django's `DatabaseCache` reads and writes
it with its own SQL, never through this model.
"""

from __future__ import annotations

from django.db import models

CACHE_TABLE = "devcenter_cache"


class CacheEntry(models.Model):
    """One entry of the database cache (allauth's rate limits, lockouts)."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = CACHE_TABLE
        verbose_name = "cache entry"
        verbose_name_plural = "cache entries"

    def __str__(self) -> str:
        return self.cache_key
