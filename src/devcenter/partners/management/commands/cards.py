"""``devcenter cards expire|notify|sweep``: apply card expiries, send the expiry notices, or
both (idempotent, safe to run every hour and on several machines at once)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from devcenter.notices import clock
from devcenter.notices.card_expiry import card_expiry_notify
from devcenter.partners.services import cards_expire

ACTIONS = {
    "expire": "expire cards past their expiry month and move their partners back",
    "notify": "tell the partners of cards expiring within 30, 7 and 1 days (once each)",
    "sweep": "expire, then notify: what to run every hour",
}


class Command(BaseCommand):
    help = "Expire verified cards past their expiry month; send the card expiry notices."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="|".join(ACTIONS))
        for action, text in ACTIONS.items():
            command = sub.add_parser(action, help=text)
            command.add_argument(
                "--today",
                type=date.fromisoformat,
                default=None,
                metavar="YYYY-MM-DD",
                help="the date to act as of (default: today in TIME_ZONE)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or clock.today()
        action = options["action"]
        if action in ("expire", "sweep"):
            self.stdout.write(f"expired {cards_expire(today=today)} cards")
        if action in ("notify", "sweep"):
            self.stdout.write(f"notified {card_expiry_notify(today=today)} cards")
