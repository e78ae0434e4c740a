"""``devcenter audit verify``: walk the hash chain of the audit log."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from devcenter.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain: exit 0 with the count, or 1 at the first broken link."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        sub.add_parser("verify", help="walk the chain and report the first broken link")

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_verify_chain()
        if check.ok:
            self.stdout.write(f"verified {check.verified} events")
            return
        self.stderr.write(f"broken at sequence {check.broken_at}: {check.problem}")
        raise SystemExit(1)
