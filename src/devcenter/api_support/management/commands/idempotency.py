"""``devcenter idempotency purge``: forget the Idempotency-Key records older than 24 hours."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from devcenter.api_support.idempotency import RETENTION, idempotency_purge


class Command(BaseCommand):
    help = (
        "Delete stored answers to Idempotency-Key requests older than 24 hours "
        "(idempotent; safe to run every hour)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="purge")
        sub.add_parser("purge", help="delete records past their 24 hours")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = idempotency_purge(now=timezone.now())
        hours = int(RETENTION.total_seconds() // 3600)
        self.stdout.write(f"Purged {purged} idempotency record(s) older than {hours} hours.")
