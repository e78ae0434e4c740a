"""``devcenter serve``: the production ASGI server (uvicorn, one worker per core)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def _pending_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.close()
    return bool(plan)


def _is_embedded_sqlite() -> bool:
    return settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] == "django.db.backends.sqlite3"


def _static_root_empty() -> bool:
    root = Path(settings.STATIC_ROOT)
    return not root.is_dir() or not any(root.iterdir())


class Command(BaseCommand):
    help = "Serve devcenter with uvicorn worker processes (not the development server)."
    requires_system_checks = []  # checked once below, not per worker

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="do not apply pending migrations to the embedded SQLite database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.check()
        if not options["no_migrate"] and _is_embedded_sqlite() and _pending_migrations():
            self.stderr.write("Applying pending migrations to the embedded SQLite database…")
            call_command("migrate", interactive=False, verbosity=0)
        if _static_root_empty():
            call_command("collectstatic", interactive=False, verbosity=0)
        for connection in connections.all():
            connection.close()  # the workers open their own
        self._run(options["host"], options["port"], max(1, options["workers"]))

    def _run(self, host: str, port: int, workers: int) -> None:
        import uvicorn

        from devcenter import asgi

        # Django's own ASGI handler rejects lifespan events; a front app (the decision
        # plane) takes them and must start cleanly, so then lifespan is mandatory.
        served: object = asgi.application
        lifespan: Literal["on", "off"] = "off" if served is asgi.django_application else "on"
        self.stderr.write(f"devcenter serving on http://{host}:{port}/ with {workers} worker(s)")
        uvicorn.run(
            "devcenter.asgi:application",
            host=host,
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            lifespan=lifespan,
            access_log=False,
            log_level="warning",
        )
