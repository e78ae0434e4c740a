"""The oauthlib server devcenter runs: authorization code (PKCE S256 only), client credentials
and refresh tokens; revocation and introspection. No implicit, password or device grant.

A grant type the server does not know is `unsupported_grant_type`, a response type other than
`code` is `unsupported_response_type` (oauthlib's answers).
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc6749.endpoints import TokenEndpoint, WebApplicationServer
from oauthlib.oauth2.rfc6749.grant_types import ClientCredentialsGrant

S256 = "S256"


def require_s256(request: Request) -> dict[str, Any]:
    """Refuse a code challenge sent with any method but S256 (oauthlib would default to plain)."""
    if request.code_challenge is not None and request.code_challenge_method != S256:
        raise errors.UnsupportedCodeChallengeMethodError(request=request)
    return {}


class GraphApiServer(WebApplicationServer):  # type: ignore[misc]  # oauthlib has no type hints
    """oauthlib's web application server (authorization code + PKCE, refresh tokens,
    introspection, revocation) with the client credentials grant added."""

    def __init__(
        self,
        request_validator: Any,
        token_expires_in: Any = None,
        token_generator: Any = None,
        refresh_token_generator: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            request_validator,
            token_generator=token_generator,
            token_expires_in=token_expires_in,
            refresh_token_generator=refresh_token_generator,
            **kwargs,
        )
        self.auth_grant.custom_validators.pre_auth.append(require_s256)
        self.credentials_grant = ClientCredentialsGrant(request_validator)
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": self.auth_grant,
                "client_credentials": self.credentials_grant,
                "refresh_token": self.refresh_grant,
            },
            default_token_type=self.bearer,
        )
