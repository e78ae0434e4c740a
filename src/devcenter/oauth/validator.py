"""DOT's request validator with devcenter's three additions; DOT does everything else.

- A client authenticates with its current secret or, during the grace period after a
  rotation, with its previous one.
- A client whose registration is not usable now (`devcenter.oauth.hooks`) does not exist for
  the authorization endpoint and fails authentication at the token and revocation endpoints.
- One client does both authorization code (every client) and client credentials (confidential
  clients only); DOT's model holds a single grant type, the authorization code.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator

from devcenter.oauth.hooks import client_usable
from devcenter.oauth.selectors import previous_secret_matches

CLIENT_CREDENTIALS = "client_credentials"


def presented_credentials(request: Any) -> tuple[str, str] | None:
    """Return the `(client_id, client_secret)` a token request presents (Basic, else body)."""
    header = request.headers.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme == "Basic" and encoded:
        try:
            decoded = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        return (unquote_plus(client_id), unquote_plus(secret)) if sep else None
    body_id = getattr(request, "client_id", None)
    body_secret = getattr(request, "client_secret", None)
    return (str(body_id), str(body_secret)) if body_id and body_secret else None


class GraphApiValidator(OAuth2Validator):  # type: ignore[misc]  # DOT ships no type hints
    """The validator of `devcenter.oauth.server.GraphApiServer`."""

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        authenticated = super().authenticate_client(request, *args, **kwargs)
        if not authenticated:
            authenticated = self._authenticate_previous_secret(request)
        return bool(authenticated) and client_usable(request.client.client_id)

    def authenticate_client_id(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return bool(super().authenticate_client_id(client_id, request, *args, **kwargs)) and (
            client_usable(client_id)
        )

    def validate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        return bool(super().validate_client_id(client_id, request, *args, **kwargs)) and (
            client_usable(client_id)
        )

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if grant_type == CLIENT_CREDENTIALS:
            return bool(client.client_type == AbstractApplication.CLIENT_CONFIDENTIAL)
        return bool(
            super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
        )

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        """Refuse an empty scope (no default) and any scope outside the policy's catalogue."""
        return bool(scopes) and bool(
            super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)
        )

    def _authenticate_previous_secret(self, request: Any) -> bool:
        credentials = presented_credentials(request)
        if credentials is None or not previous_secret_matches(*credentials):
            return False
        return bool(self.validate_client_id(credentials[0], request))
