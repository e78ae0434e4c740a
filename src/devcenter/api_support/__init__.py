"""What the registry JSON API needs besides its routers: auth, errors, idempotency, OpenAPI."""
