from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from devcenter.apikeys.errors import ApiKeyError, ApiKeyErrorCode
from devcenter.apikeys.models import ApiKey, ApiKeyScope
from devcenter.apikeys.selectors import hash_key
from devcenter.apikeys.signals import keys_changed

RAW_KEY_PREFIX = "dc_"
NAME_MAX_LENGTH = 100


def _new_raw_key() -> str:
    return RAW_KEY_PREFIX + secrets.token_urlsafe(32)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ApiKeyError(
            ApiKeyErrorCode.INVALID_NAME, f"name must be 1 to {NAME_MAX_LENGTH} characters"
        )
    return name


def _check_scope(scope: str) -> ApiKeyScope:
    try:
        return ApiKeyScope(scope)
    except ValueError:
        allowed = ", ".join(ApiKeyScope.values)
        raise ApiKeyError(
            ApiKeyErrorCode.INVALID_SCOPE, f"unknown scope {scope!r}; use one of: {allowed}"
        ) from None


@transaction.atomic
def apikey_create(*, name: str, scope: str, user: User | None = None) -> tuple[ApiKey, str]:
    """Create a key and return it with its raw secret, which is never available again.

    Raises ``ApiKeyError`` ``invalid_name``, ``invalid_scope`` or ``name_taken``.
    """
    name = _check_name(name)
    checked_scope = _check_scope(scope)
    if ApiKey.objects.filter(name=name).exists():
        raise ApiKeyError(ApiKeyErrorCode.NAME_TAKEN, f"an API key named {name!r} already exists")
    raw = _new_raw_key()
    try:
        with transaction.atomic():  # savepoint: a concurrent insert of the same name
            key = ApiKey.objects.create(
                name=name,
                scope=checked_scope,
                user=user,
                prefix=raw[:8],
                secret_hash=hash_key(raw),
            )
    except IntegrityError:
        raise ApiKeyError(
            ApiKeyErrorCode.NAME_TAKEN, f"an API key named {name!r} already exists"
        ) from None
    transaction.on_commit(keys_changed)
    return key, raw


@transaction.atomic
def apikey_revoke(*, name: str) -> ApiKey:
    """Revoke the key named ``name`` for good.

    Raises ``ApiKeyError`` ``not_found`` or ``already_revoked``.
    """
    key = ApiKey.objects.select_for_update().filter(name=name).first()
    if key is None:
        raise ApiKeyError(ApiKeyErrorCode.NOT_FOUND, f"no API key named {name!r}")
    if key.revoked_at is not None:
        raise ApiKeyError(
            ApiKeyErrorCode.ALREADY_REVOKED, f"API key {name!r} was revoked at {key.revoked_at}"
        )
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    transaction.on_commit(keys_changed)
    return key


def apikey_user_by_email(*, email: str) -> User:
    """Return the user with this e-mail (case-insensitive) for binding a key."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        raise ApiKeyError(ApiKeyErrorCode.USER_NOT_FOUND, f"no user with e-mail {email!r}")
    return user


def apikey_touch(*, secret_hash: str) -> None:
    """Record that the key with this hash was just used (best effort, no hooks)."""
    ApiKey.objects.filter(secret_hash=secret_hash).update(last_used_at=timezone.now())


@transaction.atomic
def apikey_delete(*, name: str) -> bool:
    """Delete the key `name` outright (test personas only); return whether one existed."""
    deleted, _rows = ApiKey.objects.filter(name=name).delete()
    if deleted:
        transaction.on_commit(keys_changed)
    return bool(deleted)
