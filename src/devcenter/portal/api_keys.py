"""A member's own API keys on the portal: create with a name (the key is shown once), list with
when each was last used, revoke.

Keys are the apikeys app's, with scope `developer`, bound to the member: they act for the
member on every partner the member belongs to. Key names are unique across the platform, so
the portal stores a member's key as `<user id>/<name>` and shows the name alone; a member only
ever sees and revokes their own keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from devcenter.apikeys.choices import ApiKeyScope
from devcenter.apikeys.errors import ApiKeyError, ApiKeyErrorCode
from devcenter.apikeys.selectors import apikey_list
from devcenter.apikeys.services import apikey_create, apikey_revoke
from devcenter.users import ActingUser

NEW_KEY_SESSION = "portal.new_api_key"
MESSAGES = {
    ApiKeyErrorCode.NAME_TAKEN: _("You already have a key with this name (perhaps revoked)."),
    ApiKeyErrorCode.INVALID_NAME: _("Give the key a name of 1 to 80 characters."),
    ApiKeyErrorCode.NOT_FOUND: _("There is no such key."),
    ApiKeyErrorCode.ALREADY_REVOKED: _("This key is already revoked."),
}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=80,
        help_text=_("Where you use it, for example “CI” or “my laptop”."),
    )


@dataclass(frozen=True, slots=True)
class ApiKeyRow:
    """One of the member's keys as the screen lists it."""

    name: str
    prefix: str
    created_at: Any
    last_used_at: Any
    revoked_at: Any


def _stored(acting_user: ActingUser, name: str) -> str:
    return f"{acting_user.pk}/{name.strip()}"


def member_api_keys(*, acting_user: ActingUser) -> tuple[ApiKeyRow, ...]:
    """Return the member's own developer keys, newest first."""
    keys = (
        apikey_list().filter(user=acting_user, scope=ApiKeyScope.DEVELOPER).order_by("-created_at")
    )
    return tuple(
        ApiKeyRow(
            name=key.name.split("/", 1)[-1],
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )
        for key in keys
    )


def member_api_key_create(*, acting_user: ActingUser, name: str) -> str:
    """Create a developer key for the member; return the raw key (shown once)."""
    _key, raw = apikey_create(
        name=_stored(acting_user, name), scope=ApiKeyScope.DEVELOPER, user=acting_user
    )
    return raw


def member_api_key_revoke(*, acting_user: ActingUser, name: str) -> None:
    """Revoke the member's own key called `name`."""
    apikey_revoke(name=_stored(acting_user, name))


def refusal_text(error: ApiKeyError) -> str:
    """Return the refusal in words (the apikeys app's messages are for operators)."""
    if error.code in MESSAGES:
        return str(MESSAGES[ApiKeyErrorCode(error.code)])
    return error.message(translation.get_language())
