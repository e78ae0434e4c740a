"""``devcenter audit verify|link``: walk the hash chain; link committed events left unlinked."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from devcenter.audit.selectors import audit_verify_chain
from devcenter.audit.services import audit_link_pending


class Command(BaseCommand):
    help = (
        "verify: check the audit log's hash chain (exit 0 with the count, or 1 at the first"
        " broken link); link: append committed events still waiting for their place in it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify|link")
        sub.add_parser("verify", help="walk the chain and report the first broken link")
        sub.add_parser("link", help="append committed events still pending (after a crash)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "link":
            self.stdout.write(f"linked {audit_link_pending()} pending events")
            return
        check = audit_verify_chain()
        if not check.ok:
            self.stderr.write(f"broken at sequence {check.broken_at}: {check.problem}")
            raise SystemExit(1)
        waiting = f"; {check.pending} committed events not linked yet" if check.pending else ""
        self.stdout.write(f"verified {check.verified} events{waiting}")
