"""``devcenter apikey create|revoke|list``: manage the decision API's bearer keys."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devcenter.apikeys.errors import ApiKeyError
from devcenter.apikeys.models import ApiKey, ApiKeyScope
from devcenter.apikeys.selectors import apikey_list
from devcenter.apikeys.services import apikey_create, apikey_revoke, apikey_user_by_email


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Create, revoke or list API keys. The raw key is printed once, on the last line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
        create = sub.add_parser("create", help="create a key and print it once")
        create.add_argument("name")
        create.add_argument("--scope", required=True, choices=ApiKeyScope.values)
        create.add_argument("--user", metavar="EMAIL", help="bind the key to this user")
        revoke = sub.add_parser("revoke", help="revoke a key for good")
        revoke.add_argument("name")
        sub.add_parser("list", help="list keys (never their secrets)")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"create": self._create, "revoke": self._revoke, "list": self._list}
        try:
            handler[options["action"]](options)
        except ApiKeyError as error:
            raise CommandError(f"{error.code}: {error.message('en')}") from None

    def _create(self, options: dict[str, Any]) -> None:
        user = apikey_user_by_email(email=options["user"]) if options.get("user") else None
        key, raw = apikey_create(name=options["name"], scope=options["scope"], user=user)
        self.stderr.write(
            f"Created API key {key.name!r} (scope {key.scope}). "
            "Store it now: it is shown only once."
        )
        self.stdout.write(raw)

    def _revoke(self, options: dict[str, Any]) -> None:
        key = apikey_revoke(name=options["name"])
        self.stdout.write(f"Revoked API key {key.name!r} at {_when(key.revoked_at)}.")

    def _list(self, options: dict[str, Any]) -> None:
        rows = [("NAME", "SCOPE", "PREFIX", "CREATED", "LAST USED", "REVOKED")]
        rows += [_row(key) for key in apikey_list()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )


def _row(key: ApiKey) -> tuple[str, str, str, str, str, str]:
    return (
        key.name,
        key.scope,
        key.prefix,
        _when(key.created_at),
        _when(key.last_used_at),
        _when(key.revoked_at),
    )
