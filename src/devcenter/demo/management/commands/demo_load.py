"""`devcenter demo_load`: load the demo data once, and say how to log in as each demo user."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devcenter.demo.services import demo_exists, demo_load, demo_logins_path, format_logins


def _embedded_default_database() -> bool:
    """Return whether the database is the embedded SQLite default (no DATABASE_URL)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    return engine == "django.db.backends.sqlite3" and not os.environ.get("DATABASE_URL")


class Command(BaseCommand):
    help = (
        "Load demo partners, users and a staff user with TOTP, once (does nothing when they "
        "exist). Refuses any database but the embedded SQLite default unless --force or "
        "DEVCENTER_DEMO=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even into a database other than the embedded SQLite default",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        asked = force or os.environ.get("DEVCENTER_DEMO", "") == "1"
        if not (asked or _embedded_default_database()):
            raise CommandError(
                "demo_load only loads into the embedded SQLite database; "
                "use --force or DEVCENTER_DEMO=1 to load into this one"
            )
        if demo_exists():
            self.stdout.write("Demo data already loaded: nothing done.")
            self._show_saved_logins()
            return
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in at /accounts/login/ as:"))
        self.stdout.write(format_logins(logins))
        self.stdout.write(f"(kept in {demo_logins_path()}; demo passwords only)")

    def _show_saved_logins(self) -> None:
        path = demo_logins_path()
        if path.is_file():
            self.stdout.write(f"Log-ins (from {path}):")
            self.stdout.write(path.read_text(encoding="utf-8"))
