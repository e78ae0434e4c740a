"""What the portal's browser tests share: logging in on allauth's form."""

from __future__ import annotations

from typing import Any


def log_in(page: Any, email: str, password: str) -> None:
    """Fill the login form the page shows and submit it."""
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.locator('form button[type="submit"]').first.click()
