"""The ``devcenter`` command: Django's management commands with devcenter's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``devcenter migrate``, ``devcenter serve``, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["devcenter", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
