from __future__ import annotations

import hashlib

from django.db.models import Count, Max, QuerySet

from devcenter.apikeys.models import ApiKey


def hash_key(raw: str) -> str:
    """Return the SHA-256 hex digest stored for the raw key ``raw``."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def apikey_active_hashes() -> dict[str, tuple[str, str]]:
    """Return ``{secret_hash: (name, scope)}`` for every key that is not revoked."""
    rows = ApiKey.objects.filter(revoked_at__isnull=True).values_list(
        "secret_hash", "name", "scope"
    )
    return {secret_hash: (name, scope) for secret_hash, name, scope in rows}


def apikey_list() -> QuerySet[ApiKey]:
    """Return all keys, revoked ones included, ordered by name."""
    return ApiKey.objects.select_related("user").order_by("name")


def apikey_by_raw_key(raw: str) -> ApiKey | None:
    """Return the key that is not revoked whose secret is ``raw``, with its user, or None."""
    return (
        ApiKey.objects.select_related("user")
        .filter(secret_hash=hash_key(raw), revoked_at__isnull=True)
        .first()
    )


def apikey_get(*, name: str) -> ApiKey | None:
    return ApiKey.objects.filter(name=name).first()


def apikey_generation() -> str:
    """Return a value that changes whenever a key is created or revoked (one query).

    Keys are never deleted by the services, so count plus the latest creation and
    revocation times identify the keyring's state.
    """
    agg = ApiKey.objects.aggregate(
        count=Count("id"), created=Max("created_at"), revoked=Max("revoked_at")
    )
    created = agg["created"].isoformat() if agg["created"] else "-"
    revoked = agg["revoked"].isoformat() if agg["revoked"] else "-"
    return f"{agg['count']}:{created}:{revoked}"
