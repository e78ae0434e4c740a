"""``devcenter serve``: the production ASGI server (uvicorn, one worker per core)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _pending_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.close()
    return bool(plan)


def _is_embedded_sqlite() -> bool:
    return settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] == "django.db.backends.sqlite3"


def _metrics_directory() -> Path:
    """Return a fresh directory for this server's Prometheus files (workers write there).

    One per server process under the var dir, so that two servers sharing a var dir never add
    up each other's values; the directories of servers that are gone are removed.
    """
    root = Path(settings.VAR_DIR) / "prometheus"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.name.isdigit() and not _alive(int(old.name)):
            shutil.rmtree(old, ignore_errors=True)
    path = root / str(os.getpid())
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
            "--no-worker",
            action="store_true",
            help="do not start the webhook worker beside the server (run `devcenter worker`)",
        )
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
        _record_policy_version()
        _link_pending_audit_events()
        for connection in connections.all():
            connection.close()  # the workers open their own
        # Set before any worker imports prometheus-client: it picks multiprocess mode then.
        # An operator's own directory is used as it is.
        own_metrics = METRICS_ENV not in os.environ
        if own_metrics:
            os.environ[METRICS_ENV] = str(_metrics_directory())
        worker = None if options["no_worker"] else _start_webhook_worker()
        try:
            self._run(options["host"], options["port"], max(1, options["workers"]))
        finally:
            if worker is not None:
                _stop_webhook_worker(worker)
            if own_metrics:
                shutil.rmtree(os.environ.pop(METRICS_ENV), ignore_errors=True)

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
            # X-Forwarded-* is trusted only when the operator says a proxy sets it (as Django's
            # SECURE_PROXY_SSL_HEADER); uvicorn would otherwise trust it from loopback.
            proxy_headers=os.environ.get("DEVCENTER_PROXY_SSL_HEADER", "0") == "1",
        )


def _start_webhook_worker() -> subprocess.Popen[bytes]:
    """Start `devcenter worker` beside the server (the embedded default: webhooks just work)."""
    script = Path(sys.executable).with_name("devcenter")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "devcenter.cli"]
    return subprocess.Popen([*command, "worker"])  # noqa: S603 (our own CLI)


def _stop_webhook_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def _record_policy_version() -> None:
    """Keep the policy this server runs, the first time any server starts with it (point-in-time
    answers read it); a database not reachable yet is no reason not to serve decisions, a
    changed file under a version already run is (CommandError: one line, exit 1)."""
    from django.db import DatabaseError

    from devcenter.policy_history.services import PolicyVersionReusedError, policy_version_record

    try:
        policy_version_record()
    except DatabaseError as error:
        logging.getLogger(__name__).warning("policy version not recorded: %s", error)
    except PolicyVersionReusedError as error:
        raise CommandError(str(error)) from None


def _link_pending_audit_events() -> None:
    """Append the events a crashed process committed but never linked (the plane would not see
    them until the next write)."""
    from django.db import DatabaseError

    from devcenter.audit.services import audit_link_pending

    try:
        audit_link_pending()
    except DatabaseError as error:
        logging.getLogger(__name__).warning("pending audit events not linked: %s", error)
