"""Is the registration behind a client usable now? Asked of whoever registered a check.

The registrations app registers one check at start-up ("its partner is still entitled to the
service and the registration is not suspended"). The token endpoint (every grant), the
authorization endpoint and introspection refuse a client for which any check says no. With no
check registered every existing client is usable.
"""

from __future__ import annotations

from collections.abc import Callable

ClientUsableCheck = Callable[[str], bool]

_checks: list[ClientUsableCheck] = []


def register_client_usable(check: ClientUsableCheck) -> None:
    """Add `check(client_id) -> bool`; a client is usable only while every check says yes."""
    if check not in _checks:
        _checks.append(check)


def client_usable(client_id: str) -> bool:
    """Return whether every registered check lets the client with `client_id` work now."""
    return all(check(client_id) for check in _checks)


def unregister_client_usable(check: ClientUsableCheck) -> None:
    """Remove `check` (a no-op if it is not registered)."""
    if check in _checks:
        _checks.remove(check)


def client_usable_checks() -> tuple[ClientUsableCheck, ...]:
    """Return the registered checks, in the order they are asked."""
    return tuple(_checks)
