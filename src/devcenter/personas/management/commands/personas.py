"""``devcenter personas create|delete --prefix NAME``: test personas for platform services."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from contextlib import redirect_stdout
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devcenter.errors import DomainError, cli_message
from devcenter.personas.services import personas_create, personas_delete


class Command(BaseCommand):
    help = (
        "Create (idempotently) or delete the test personas of a prefix: one partner of each "
        "type and a suspended one, with accounts, test accounts, a registration of each service "
        "its type may use (contact e-mail confirmed, credentials issued) and a developer API "
        "key each. "
        "Refused with production settings unless --allow-production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create", "delete"])
        parser.add_argument("--prefix", required=True, help="lowercase name of the set")
        parser.add_argument("--json", action="store_true", help="print the personas as JSON")
        parser.add_argument(
            "--allow-production", action="store_true", help="run with production settings"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "DEVCENTER_PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                f"refused: production settings (pass --allow-production to {options['action']} "
                "personas there)",
                returncode=1,
            )
        try:
            if options["action"] == "delete":
                deleted = personas_delete(prefix=options["prefix"])
                if options["json"]:
                    self.stdout.write(json.dumps({"prefix": options["prefix"], "deleted": deleted}))
                else:
                    self.stdout.write(f"deleted {deleted} personas")
                return
            # E-mails the services send (a contact e-mail's link) go to the console backend's
            # stdout in development: keep the command's own output clean for --json.
            with redirect_stdout(sys.stderr):
                personas = personas_create(prefix=options["prefix"])
        except DomainError as error:
            raise CommandError(f"{error.code}: {cli_message(error)}", returncode=1) from error
        if options["json"]:
            self.stdout.write(json.dumps([p.as_dict() for p in personas], indent=2))
            return
        for p in personas:
            key = p.api_key or "(issued before; shown once)"
            self.stdout.write(
                f"{p.name}: {p.partner} {p.partner_type or '-'} {p.status} {p.email} "
                f"key {p.api_key_name}: {key}"
            )
            for r in p.registrations:
                secret = r.client_secret or (
                    "(no secret)" if r.issued_now else "(issued before; shown once)"
                )
                secret = secret if r.client_id else ""
                self.stdout.write(
                    f"  {r.registration} {r.service} {r.status} {r.client_id or '-'} {secret}"
                )
