"""``devcenter cards expire``: apply card expiries (idempotent, safe to run every hour)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from devcenter.partners.services import cards_expire


class Command(BaseCommand):
    help = "Expire verified cards past their expiry month and move their partners back."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="expire")
        expire = sub.add_parser("expire", help="expire cards past their expiry month")
        expire.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the date to expire as of (default: today in TIME_ZONE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        expired = cards_expire(today=today)
        self.stdout.write(f"expired {expired} cards")
