"""The ``devcenter`` command: Django's management commands with devcenter's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``devcenter migrate``, ``devcenter serve``, ...).

    A database without the project's tables (a new var dir, say) is one line and exit 1, not a
    traceback: the operator is told to migrate.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["devcenter", *(sys.argv[1:] if argv is None else argv)])
    except (OperationalError, ProgrammingError) as error:
        if not _missing_table(error):
            raise
        sys.stderr.write(
            f"devcenter: the database is not migrated ({str(error).splitlines()[0]}):"
            " run `devcenter migrate` first\n"
        )
        raise SystemExit(1) from None


def _missing_table(error: Exception) -> bool:
    """Return whether `error` says a table is missing (SQLite's or PostgreSQL's words)."""
    text = str(error)
    return text.startswith("no such table") or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":
    main()
