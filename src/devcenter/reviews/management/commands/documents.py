"""``devcenter documents purge``: delete documents kept past their retention after a decision."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from devcenter.reviews.services import documents_purge


class Command(BaseCommand):
    help = (
        "Delete the files of documents whose application was decided more than "
        "DEVCENTER_DOCUMENT_RETENTION_DAYS ago (idempotent; safe to run every hour)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="purge")
        sub.add_parser("purge", help="delete documents past their retention")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = documents_purge(now=timezone.now())
        days = settings.DEVCENTER_DOCUMENT_RETENTION_DAYS
        self.stdout.write(f"Purged {purged} document(s) decided more than {days} days ago.")
