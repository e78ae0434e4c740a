from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from devcenter.apikeys.errors import ApiKeyErrorCode, apikey_error
from devcenter.apikeys.models import ApiKey, ApiKeyScope
from devcenter.apikeys.selectors import hash_key
from devcenter.apikeys.signals import keys_changed
from devcenter.audit.choices import AuditEventType, AuditTarget
from devcenter.audit.services import SYSTEM, audit_record
from devcenter.users import StaffRefusal, staff_refusal

RAW_KEY_PREFIX = "dc_"
NAME_MAX_LENGTH = 100


def _new_raw_key() -> str:
    return RAW_KEY_PREFIX + secrets.token_urlsafe(32)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise apikey_error(ApiKeyErrorCode.INVALID_NAME)
    return name


def _check_scope(scope: str) -> ApiKeyScope:
    try:
        return ApiKeyScope(scope)
    except ValueError:
        raise apikey_error(
            ApiKeyErrorCode.INVALID_SCOPE, scopes=", ".join(ApiKeyScope.values)
        ) from None


_STAFF_REFUSALS = {
    StaffRefusal.STAFF_ONLY: ApiKeyErrorCode.STAFF_USER_REQUIRED,
    StaffRefusal.MFA_REQUIRED: ApiKeyErrorCode.MFA_REQUIRED,
}


def _check_staff_user(user: User | None) -> None:
    """Refuse a staff key for anyone but an active staff user with activated TOTP."""
    refusal = staff_refusal(user)
    if refusal is not None:
        raise apikey_error(_STAFF_REFUSALS[refusal])


@transaction.atomic
def apikey_create(
    *, name: str, scope: str, user: User | None = None, actor: str = SYSTEM
) -> tuple[ApiKey, str]:
    """Create a key and return it with its raw secret, which is never available again.

    A staff key is for an active staff user with TOTP. Audited (`apikey.created`: name, scope,
    prefix and user; never the secret). Raises ``ApiKeyError`` ``invalid_name``,
    ``invalid_scope``, ``name_taken``, ``staff_user_required`` or ``mfa_required``.
    """
    name = _check_name(name)
    checked_scope = _check_scope(scope)
    if ApiKey.objects.filter(name=name).exists():
        raise apikey_error(ApiKeyErrorCode.NAME_TAKEN, name=name)
    if checked_scope == ApiKeyScope.STAFF:
        _check_staff_user(user)
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
        raise apikey_error(ApiKeyErrorCode.NAME_TAKEN, name=name) from None
    _audit(key, AuditEventType.APIKEY_CREATED, actor, new=_key_snapshot(key))
    transaction.on_commit(keys_changed)
    return key, raw


@transaction.atomic
def apikey_revoke(*, name: str, actor: str = SYSTEM) -> ApiKey:
    """Revoke the key named ``name`` for good (audited: `apikey.revoked`).

    Raises ``ApiKeyError`` ``not_found`` or ``already_revoked``.
    """
    key = ApiKey.objects.select_for_update().filter(name=name).first()
    if key is None:
        raise apikey_error(ApiKeyErrorCode.NOT_FOUND, name=name)
    if key.revoked_at is not None:
        raise apikey_error(ApiKeyErrorCode.ALREADY_REVOKED, name=name)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    _audit(
        key,
        AuditEventType.APIKEY_REVOKED,
        actor,
        old=_key_snapshot(key),
        new={"revoked_at": key.revoked_at.isoformat()},
    )
    transaction.on_commit(keys_changed)
    return key


def _key_snapshot(key: ApiKey) -> dict[str, Any]:
    """Return what the audit log keeps of a key: never its secret or its hash."""
    return {"name": key.name, "scope": key.scope, "prefix": key.prefix, "user": key.user_id}


def _audit(
    key: ApiKey,
    event: str,
    actor: str,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> None:
    audit_record(
        event_type=event,
        actor=actor,
        target_type=AuditTarget.APIKEY,
        target_id=str(key.pk),
        partner=None,  # a key concerns no partner
        old=old,
        new=new,
    )


def apikey_user_by_email(*, email: str) -> User:
    """Return the user with this e-mail (case-insensitive) for binding a key."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        raise apikey_error(ApiKeyErrorCode.USER_NOT_FOUND, email=email)
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
