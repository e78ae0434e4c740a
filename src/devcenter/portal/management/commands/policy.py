"""``devcenter policy show``: the service and account tables of the active policy."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.policy import default_policy
from devcenter.portal.selectors import account_matrix, service_matrix
from devcenter.portal.terminal import NO_MARK, YES_MARK, render_matrix

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = (
        "Show the partner-program policy. `policy show` prints the service and account tables "
        f"({YES_MARK} yes, {NO_MARK} no) and the policy version; --json prints the whole policy "
        "as JSON. Exit status 0."
    )
    requires_system_checks: list[str] = []  # reads the policy file only

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="show")
        show = sub.add_parser("show", help="print the service and account tables")
        show.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=settings.LANGUAGE_CODE,
            help="language of labels and text (default: %(default)s)",
        )
        show.add_argument("--json", action="store_true", help="print the whole policy as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        policy = default_policy()
        if options["json"]:
            self.stdout.write(json.dumps(policy.describe(), ensure_ascii=False, indent=2))
            return
        lang = options["lang"]
        with translation.override(lang):
            heading = _("Policy %(name)s, version %(version)s") % {
                "name": policy.name,
                "version": policy.version,
            }
            sections = [
                (_("Services (%(yes)s available, %(no)s not available)"), _("Service"),
                 service_matrix(policy, lang)),
                (_("Accounts (%(yes)s can hold, %(no)s cannot hold)"), _("Account"),
                 account_matrix(policy, lang)),
            ]  # fmt: skip
            self.stdout.write(heading)
            for title, corner, matrix in sections:
                self.stdout.write("\n" + title % {"yes": YES_MARK, "no": NO_MARK} + "\n")
                self.stdout.write("\n".join(render_matrix(matrix, corner)))
