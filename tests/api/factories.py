"""Factories for the API tests: API keys bound to users, and callers that send them.

Users, partners and files come from the apps' own factories (`tests.partners.factories`,
`tests.reviews.factories`); this adds what only the API needs.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client

from devcenter.apikeys.services import apikey_create

_names = itertools.count(1)


def api_key(user: Any, scope: str = "developer") -> str:
    """Create an API key of `scope` bound to `user`; return the raw key."""
    _key, raw = apikey_create(name=f"api-test-{next(_names)}", scope=scope, user=user)
    return raw


class ApiCaller:
    """A Django test client that calls /api/v1/ with a bearer key (or a session)."""

    def __init__(self, raw_key: str | None = None, *, lang: str | None = None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers: dict[str, str] = {}
        if raw_key is not None:
            self.headers["Authorization"] = f"Bearer {raw_key}"
        if lang is not None:
            self.headers["Accept-Language"] = lang

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        multipart: dict[str, Any] | None = None,
    ) -> Any:
        extra = self._headers(headers)
        if key is not None:
            extra["Idempotency-Key"] = key
        if multipart is not None:
            return self.client.post(f"/api/v1{path}", multipart, headers=extra)
        return self.client.post(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=extra,
        )

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))


def lapsed_staff_key(user: Any, *, staff: bool = True, totp: bool = True) -> str:
    """Return a staff key made while `user` was staff with TOTP, after it lost what is False.

    A staff key can only be created for a staff user with TOTP; this is how a key whose user
    later stopped being staff, or removed the authenticator, comes about.
    """
    from allauth.mfa.models import Authenticator

    was_staff = user.is_staff
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    authenticator = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    raw = api_key(user, "staff")
    user.is_staff = was_staff and staff
    user.save(update_fields=["is_staff"])
    if not totp:
        authenticator.delete()
    return raw
