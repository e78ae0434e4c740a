"""``devcenter worker``: deliver webhooks (run as many as needed; they share the work)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from devcenter.events.delivery import Worker


class Command(BaseCommand):
    help = "Deliver webhook events: fan out new events, claim due deliveries, send them signed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--threads", type=int, default=None, help="concurrent sends")
        parser.add_argument("--batch", type=int, default=None, help="deliveries per claim")
        parser.add_argument(
            "--until-idle", action="store_true", help="stop once nothing is left to do"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(threads=options["threads"], batch=options["batch"])
        worker.stop_on_signals()
        self.stderr.write(f"devcenter worker {worker.name} delivering webhooks")
        worker.run(until_idle=options["until_idle"])
