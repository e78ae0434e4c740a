"""``devcenter policy show``: the service and account tables of the active policy."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.policy import PolicyFileError, default_policy, load_policy, load_policy_file
from devcenter.policy.checks import check_policy
from devcenter.portal.selectors import account_matrix, service_matrix
from devcenter.portal.terminal import NO_MARK, YES_MARK, render_matrix
from devcenter.registrations.what_if import policy_what_if

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = (
        "Show the partner-program policy. `policy show` prints the service and account tables "
        f"({YES_MARK} yes, {NO_MARK} no) and the policy version; --json prints the whole policy "
        "as JSON. `policy check [FILE]` asks every request of the file's finite space and "
        "evaluates its invariants and tests: exit 1 on any failure, with the counterexample. "
        "`policy diff NEW` prints what changes, who gains or loses what and which registrations "
        "would be suspended or restored (exit 0: nothing changes, 3: something does)."
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
        check = sub.add_parser(
            "check",
            help="ask every request of a policy file's space; evaluate its invariants and tests",
        )
        check.add_argument("file", nargs="?", help="a policy file (default: the shipped one)")
        check.add_argument("--json", action="store_true", help="print the report as JSON")
        diff = sub.add_parser(
            "diff",
            help="what changes from the active policy to NEW, and which partners gain or lose",
        )
        diff.add_argument("file", help="the new policy file")
        diff.add_argument("--json", action="store_true", help="print the diff as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options)
            return
        if options["action"] == "diff":
            self._diff(options)
            return
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

    def _check(self, options: dict[str, Any]) -> None:
        """Print the check report; exit 1 on any failure (or a file that does not load)."""
        try:
            if options["file"]:
                policy = load_policy_file(options["file"])
            else:
                policy = load_policy(_shipped_text())
            report = check_policy(policy)
        except (OSError, PolicyFileError) as error:
            raise CommandError(str(error), returncode=1) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for failure in report.failures:
                self.stdout.write(failure.line())
            self.stdout.write(
                f"policy {report.version}: {report.requests} requests, "
                f"{report.invariants} invariants, {report.tests} tests, "
                f"{len(report.failures)} failures in {report.seconds * 1000:.0f} ms"
            )
        if not report.ok:
            raise SystemExit(1)

    def _diff(self, options: dict[str, Any]) -> None:
        """Print what changes; exit 0 when nothing does, 3 when something does. Writes nothing."""
        try:
            new = load_policy_file(options["file"])
        except (OSError, PolicyFileError) as error:
            raise CommandError(str(error), returncode=1) from error
        shown = policy_what_if(new)
        # As the staff page does: a file that fails its own checks would be refused at start-up.
        report = check_policy(new)
        if options["json"]:
            shown = {**shown, "check_failures": [f.as_dict() for f in report.failures]}
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(diff_lines(shown)))
            if report.failures:
                self.stdout.write(
                    f"the new file fails its own checks ({len(report.failures)}): "
                    "the service would refuse to start with it"
                )
                for failure in report.failures:
                    self.stdout.write(failure.line())
        if shown["changed"]:
            raise SystemExit(3)


def diff_lines(shown: dict[str, Any]) -> list[str]:
    """Return the diff as text lines for the terminal."""
    lines = [f"policy {shown['old_version']} -> {shown['new_version']}", *_version_note(shown)]
    for kind, changes in shown["requests"].items():
        lines.append(f"{kind}: {len(changes)} requests change")
        for change in changes[:50]:
            old, new = change["old"] or {}, change["new"] or {}
            request = {k: v for k, v in change["request"].items() if k != "kind"}
            same = old.get("code") == new.get("code")
            note = " (unlock paths change)" if same else ""
            lines.append(f"  {request}: {old.get('code')} -> {new.get('code')}{note}")
    for row in shown["partners"]:
        code = row.get("service") or row.get("account")
        for verb in ("gain", "lose"):
            side = row[verb]
            if side["partners"]:
                ids = ", ".join(side["first_ids"])
                lines.append(f"{code}: {side['partners']} partners {verb} it ({ids})")
    for row in shown["registrations"]:
        for key, words in (("suspend", "would be suspended"), ("restore", "would be restored")):
            side = row[key]
            if side["registrations"]:
                ids = ", ".join(side["first_ids"])
                lines.append(
                    f"{row['service']}: {side['registrations']} registrations {words} ({ids})"
                )
    if not shown["changed"]:
        lines.append("nothing changes")
    return lines


def _version_note(shown: dict[str, Any]) -> list[str]:
    """Return the warning for changed rules under the running version (or nothing)."""
    if not shown["needs_new_version"]:
        return []
    return [
        f"note: the new file changes decisions but keeps version {shown['new_version']};"
        " give it a new version (a server refuses changed rules under a version it has run)"
    ]


def _shipped_text() -> str:
    from importlib.resources import files

    return files("devcenter.policy").joinpath("mixi_platform.toml").read_text(encoding="utf-8")
