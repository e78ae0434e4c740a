"""``devcenter decisions tail [-n N] [--follow] [--path FILE]``: read the decision log."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devcenter.decision_plane.decision_log import follow, tail

HELP = """\
Print the last lines of the decision plane's decision log (JSON lines, one sampled decision
each: decision_id, time, request, allowed, code, policy_version, snapshot) and, with --follow,
every line written after them until interrupted, across rotations. The log is written only
when DEVCENTER_DECISION_LOG_RATE is above 0 (see docs/api.md, "Decision log").
"""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        reading = actions.add_parser("tail", help="print the last lines of the decision log")
        reading.add_argument("-n", "--lines", type=int, default=10, help="how many (default 10)")
        reading.add_argument(
            "--follow", "-f", action="store_true", help="keep printing new lines as they come"
        )
        reading.add_argument(
            "--path", type=Path, default=None, help="the log file (default: the setting)"
        )
        reading.add_argument("--pretty", action="store_true", help="indent each decision")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"] or Path(settings.DEVCENTER_DECISION_LOG_PATH)
        count = options["lines"]
        if count < 0:
            raise CommandError(_("--lines must not be negative"))
        if not options["follow"] and not path.exists():
            missing = _("No decision log at %(path)s") % {"path": path}
            if not settings.DEVCENTER_DECISION_LOG_RATE and options["path"] is None:
                missing += " " + _("(DEVCENTER_DECISION_LOG_RATE is 0: no decision is logged)")
            raise CommandError(missing)
        try:
            for line in tail(path, count) if count else []:
                self._print(line, options["pretty"])
            if options["follow"]:
                for line in follow(path, stop=self._stopped):
                    self._print(line, options["pretty"])
        except KeyboardInterrupt:
            return
        except (OSError, UnicodeDecodeError) as error:  # a directory, no permission, not text
            problem = error.strerror if isinstance(error, OSError) else str(error)
            raise CommandError(
                _("Cannot read the decision log %(path)s: %(problem)s")
                % {"path": path, "problem": problem}
            ) from None

    def _stopped(self) -> bool:
        """Follow forever (until interrupted); a test replaces it."""
        return False

    def _print(self, line: str, pretty: bool) -> None:
        if pretty:
            try:
                line = json.dumps(json.loads(line), ensure_ascii=False, indent=2)
            except ValueError:
                pass  # not a decision (a line cut short, another file): shown as it is
        self.stdout.write(line)
        self.stdout.flush()
