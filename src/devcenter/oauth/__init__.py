"""The OAuth 2.0 authorization server of Graph API clients, on django-oauth-toolkit.

`/oauth/authorize` (with the consent page), `/oauth/token`, `/oauth/introspect` (RFC 7662) and
`/oauth/revoke` (RFC 7009). Clients are created, updated, rotated and revoked only through
`devcenter.oauth.services`; whether a client's registration is usable right now is asked of
the check registered in `devcenter.oauth.hooks`.
"""
