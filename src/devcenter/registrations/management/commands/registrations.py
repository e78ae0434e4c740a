"""``devcenter registrations list [--partner ID] [--json]``: the registered services."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from devcenter.registrations.selectors import registration_client_id, registrations_list


class Command(BaseCommand):
    help = "List registrations (apps, Graph API clients, plugins, pages, page apps)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="list")
        listing = sub.add_parser("list", help="list registrations, oldest first")
        listing.add_argument("--partner", metavar="ID", help="only this partner's (ptn_…)")
        listing.add_argument("--json", action="store_true", help="one JSON array")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            {
                "id": r.public_id,
                "partner": r.partner.public_id,
                "service": r.service,
                "name": r.name,
                "status": r.status,
                "suspended_reason": r.suspended_reason,
                "client_id": registration_client_id(registration=r),
                "created_at": r.created_at.isoformat(),
            }
            for r in registrations_list(partner_id=options.get("partner"))
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        columns = ("id", "partner", "service", "status", "name")
        table = [tuple(c.upper() for c in columns)]
        table += [tuple(str(r[c]) for c in columns) for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
