"""``devcenter webhook add|list|enable|disable|remove|rotate``: platform webhook endpoints.

`add URL --events all|TYPE,TYPE…` prints the endpoint and, alone on the last line, its signing
secret (shown once).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devcenter.errors import DomainError, cli_message
from devcenter.events import services
from devcenter.events.selectors import endpoints_of


class Command(BaseCommand):
    help = "Manage platform webhook endpoints (every partner's events)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="add an endpoint; prints its secret last")
        add.add_argument("url")
        add.add_argument("--events", default=services.ALL_EVENTS, help="all or TYPE,TYPE…")
        add.add_argument("--description", default="")
        actions.add_parser("list", help="list the platform endpoints")
        for name in ("enable", "disable", "remove", "rotate"):
            actions.add_parser(name).add_argument("endpoint_id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {cli_message(error)}") from error

    def _add(self, options: dict[str, Any]) -> None:
        endpoint = services.webhook_endpoint_create(
            acting_user=None,
            partner_id=None,
            url=options["url"],
            event_types=options["events"],
            description=options["description"],
        )
        self.stdout.write(f"{endpoint.public_id} {endpoint.url}")
        self.stdout.write(endpoint.secret)

    def _list(self, options: dict[str, Any]) -> None:
        for endpoint in endpoints_of(partner_id=None):
            types = ",".join(endpoint.event_types) or services.ALL_EVENTS
            state = "enabled" if endpoint.enabled else "disabled"
            self.stdout.write(f"{endpoint.public_id}\t{state}\t{types}\t{endpoint.url}")

    def _toggle(self, endpoint_id: str, enabled: bool) -> None:
        services.webhook_endpoint_update(
            acting_user=None,
            partner_id=None,
            endpoint_id=endpoint_id,
            changes=services.EndpointChanges(enabled=enabled),
        )

    def _enable(self, options: dict[str, Any]) -> None:
        self._toggle(options["endpoint_id"], True)

    def _disable(self, options: dict[str, Any]) -> None:
        self._toggle(options["endpoint_id"], False)

    def _remove(self, options: dict[str, Any]) -> None:
        services.webhook_endpoint_delete(
            acting_user=None, partner_id=None, endpoint_id=options["endpoint_id"]
        )

    def _rotate(self, options: dict[str, Any]) -> None:
        endpoint = services.webhook_secret_rotate(
            acting_user=None, partner_id=None, endpoint_id=options["endpoint_id"]
        )
        self.stdout.write(endpoint.secret)
