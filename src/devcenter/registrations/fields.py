"""Check a registration's service fields against the policy (types from `[[registration_fields]]`).

`clean_fields` takes what the client sent and returns the values to store, or raises
InvalidError naming the field. Rules that need the database (a community's capacity, the page a
page app belongs to) are the services' business.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from devcenter.policy import default_policy
from devcenter.policy.registrable import Registrable, RegistrationField
from devcenter.registrations.errors import RegistrationErrorCode as Code
from devcenter.registrations.errors import invalid

URL_MAX = 2000
LIST_MAX = 100
REDIRECT_URIS_MAX = 10
LOOPBACK_NAMES = frozenset({"localhost"})
_COMMUNITY_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")

Cleaner = Callable[[RegistrationField, Any], Any]


def clean_fields(entry: Registrable, given: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Return the checked values of `given` for the service `entry` describes.

    Creating: every `required` field must be given and not blank. Updating: only the fields
    given are checked, and a required one may not be blanked. `None` clears an optional field.
    """
    rules = default_policy().registrations
    for code in given:
        if code not in entry.fields:
            raise invalid(Code.UNKNOWN_FIELD, code)
    cleaned: dict[str, Any] = {}
    for code in entry.fields:
        if code not in given:
            if creating and code in entry.required:
                raise invalid(Code.INVALID_FIELD, code)
            continue
        field = rules.fields[code]
        value = given[code]
        if _blank(value):
            if code in entry.required:
                raise invalid(Code.INVALID_FIELD, code)
            cleaned[code] = [] if field.type in _LIST_TYPES else ""
            continue
        cleaned[code] = _CLEANERS[field.type](field, value)
        if field.type == "options":
            _check_choices(entry.service, field, cleaned[code])
    return cleaned


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(field: RegistrationField, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(Code.INVALID_FIELD, field.code)
    text = str(value).strip()
    if field.max_length is not None and len(text) > field.max_length:
        raise invalid(Code.INVALID_FIELD, field.code)
    return text


def _url(field: RegistrationField, value: Any) -> str:
    if not isinstance(value, str) or not is_web_url(value.strip()):
        raise invalid(Code.INVALID_FIELD, field.code)
    return str(value).strip()


def is_web_url(value: str) -> bool:
    """Return whether `value` is an absolute http(s) URL with a host, of reasonable length."""
    if len(value) > URL_MAX or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _email(field: RegistrationField, value: Any) -> str:
    if not isinstance(value, str):
        raise invalid(Code.INVALID_FIELD, field.code)
    try:
        validate_email(value.strip())
    except ValidationError:
        raise invalid(Code.INVALID_FIELD, field.code) from None
    return value.strip()


def _strings(field: RegistrationField, value: Any, limit: int) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise invalid(Code.INVALID_FIELD, field.code)
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise invalid(Code.INVALID_FIELD, field.code)
    return list(dict.fromkeys(item.strip() for item in value))


def _url_list(field: RegistrationField, value: Any) -> list[str]:
    urls = _strings(field, value, LIST_MAX)
    if not all(is_web_url(url) for url in urls):
        raise invalid(Code.INVALID_FIELD, field.code)
    return urls


def _redirect_uris(field: RegistrationField, value: Any) -> list[str]:
    uris = _strings(field, value, REDIRECT_URIS_MAX)
    for uri in uris:
        check_redirect_uri(uri, field=field.code)
    return uris


def check_redirect_uri(uri: str, *, field: str = "redirect_uris") -> None:
    """Refuse a redirect URI that is not absolute, has a fragment, or is http off loopback.

    Redirect URIs are matched exactly at authorization (RFC 6749 §3.1.2), so they are stored
    as given.
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise invalid(Code.REDIRECT_URI_INVALID, field) from None
    if "#" in uri:
        raise invalid(Code.REDIRECT_URI_FRAGMENT, field)
    if len(uri) > URL_MAX or any(c.isspace() for c in uri) or not parts.hostname:
        raise invalid(Code.REDIRECT_URI_INVALID, field)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise invalid(Code.REDIRECT_URI_NOT_HTTPS, field)
    raise invalid(Code.REDIRECT_URI_INVALID, field)


def is_loopback(host: str) -> bool:
    """Return whether `host` is a loopback address (or `localhost`)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _options(field: RegistrationField, value: Any) -> list[str]:
    chosen = _strings(field, value, LIST_MAX)
    if not chosen:
        raise invalid(Code.INVALID_FIELD, field.code)
    return chosen


def _check_choices(service: str, field: RegistrationField, chosen: list[str]) -> None:
    allowed = default_policy().registrations.choices(service, field.code)
    if any(choice not in allowed for choice in chosen):
        raise invalid(Code.INVALID_FIELD, field.code)


def _community(field: RegistrationField, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _COMMUNITY_ID.fullmatch(value.strip()):
        raise invalid(Code.INVALID_FIELD, field.code)
    return value.strip()


def _registration(field: RegistrationField, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 32:
        raise invalid(Code.INVALID_FIELD, field.code)
    return value.strip()


_LIST_TYPES = frozenset({"url_list", "redirect_uris", "options"})
_CLEANERS: dict[str, Cleaner] = {
    "text": _text,
    "long_text": _text,
    "url": _url,
    "email": _email,
    "url_list": _url_list,
    "redirect_uris": _redirect_uris,
    "options": _options,
    "community": _community,
    "registration": _registration,
}
