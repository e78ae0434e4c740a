"""`devcenter openapi export [--output PATH] [--check]`: write or check docs/openapi.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devcenter.api_support.openapi import EXPORT_COMMAND, committed_path, openapi_text


class Command(BaseCommand):
    help = "Export the API's OpenAPI document (sorted keys, stable) to docs/openapi.json."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the OpenAPI document")
        export.add_argument("--output", type=Path, default=None, help="default: docs/openapi.json")
        export.add_argument(
            "--check", action="store_true", help="exit 1 if the file differs, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"] or committed_path()
        text = openapi_text()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `{EXPORT_COMMAND}`")
            self.stdout.write(f"{path} is up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
