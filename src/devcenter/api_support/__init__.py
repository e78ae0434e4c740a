"""What the registry JSON API needs besides its routers: auth, error bodies, idempotency, OpenAPI."""
