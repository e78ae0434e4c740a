"""DOT's scopes backend, read from the policy file's Graph API scope catalogue.

No scope is listed in the settings: the policy file is the one source of truth. A request that
names no scope gets none by default, which the validator refuses as `invalid_scope`
(RFC 6749 §3.3 lets the server fail a request that omits the scope).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from oauth2_provider.scopes import BaseScopes

from devcenter.policy import default_policy


def scope_labels(codes: list[str], lang: str | None = None) -> list[tuple[str, str]]:
    """Return `(code, label)` of each known scope in `codes`, in the language `lang`."""
    catalogue = default_policy().graph_api_scopes
    lang = lang or get_language() or "ja"
    return [(code, catalogue[code].get(lang)) for code in codes if code in catalogue]


class PolicyScopes(BaseScopes):  # type: ignore[misc]  # DOT ships no type hints
    """Every scope of the policy's catalogue is available to every client; none is a default."""

    def get_all_scopes(self) -> dict[str, str]:
        lang = get_language() or "ja"
        return {code: label.get(lang) for code, label in default_policy().graph_api_scopes.items()}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(default_policy().graph_api_scopes)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return []
