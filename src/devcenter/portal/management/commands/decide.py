"""``devcenter decide service|account|transition``: ask the policy one question from the shell."""

from __future__ import annotations

import json
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.errors import DomainError, cli_message
from devcenter.policy import Decision, Policy, PolicyInputError, default_policy
from devcenter.portal.selectors import NOT_REGISTERED, partner_type_or_none
from devcenter.portal.terminal import display_width, pad

LANGUAGES = [code for code, _name in settings.LANGUAGES]
BAD_INPUT = 2  # exit status for an unknown code or a malformed option, as argparse uses
TRUE_WORDS = {"true", "yes", "1", "on"}
FALSE_WORDS = {"false", "no", "0", "off"}

HELP = """\
Ask the partner-program policy one question and print the decision: allowed or denied, its
stable code, the reason, and the shortest ways to unlock it.

  devcenter decide service    --partner-type T --service S
  devcenter decide account    --partner-type T --account A
  devcenter decide transition --from T --to T [--fact legal_entity_registered=true ...]

A partner type of `none` (or no --partner-type / --from) means "not registered".
--json prints the decision exactly as the API returns it.
Exit status: 0 when a decision was made (allowed or denied; read `allowed` or the first
output line), 2 on bad input (an unknown code or fact: the field and the problem go to stderr).
"""


class Command(BaseCommand):
    help = HELP
    requires_system_checks: list[str] = []  # reads the policy file only

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        return super().create_parser(
            prog_name, subcommand, formatter_class=RawDescriptionHelpFormatter, **kwargs
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="kind", required=True, metavar="service|account|transition"
        )
        service = _question(sub, "service", "may a partner type use a service?")
        service.add_argument("--partner-type", default=NOT_REGISTERED, metavar="T")
        service.add_argument("--service", required=True, metavar="S")
        account = _question(sub, "account", "may a partner type hold an account?")
        account.add_argument("--partner-type", default=NOT_REGISTERED, metavar="T")
        account.add_argument("--account", required=True, metavar="A")
        for question in (service, account):
            question.add_argument(
                "--partner", metavar="ID", help="ask about a registered partner (ptn_…) instead"
            )
            question.add_argument(
                "--at",
                metavar="TIME",
                help="with --partner: at a past instant (ISO 8601, e.g. 2026-11-01T00:00:00Z)",
            )
        transition = _question(sub, "transition", "may a partner move to another type?")
        transition.add_argument("--from", dest="from_type", default=NOT_REGISTERED, metavar="T")
        transition.add_argument("--to", dest="to_type", required=True, metavar="T")
        transition.add_argument(
            "--fact",
            action="append",
            default=[],
            metavar="NAME=true|false",
            help="a fact the move needs (repeatable); a fact not given counts as false",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        policy = default_policy()
        ask: Callable[[Policy, dict[str, Any]], tuple[Decision, list[tuple[str, str]]]] = {
            "service": _ask_service,
            "account": _ask_account,
            "transition": _ask_transition,
        }[options["kind"]]
        with translation.override(options["lang"]):
            try:
                decision, question = ask(policy, options)
            except PolicyInputError as error:
                raise _bad_input(policy, error.field, error.problem) from None
            if options["json"]:
                self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(render_decision(policy, decision, question)))


def _question(sub: Any, name: str, summary: str) -> ArgumentParser:
    parser: ArgumentParser = sub.add_parser(name, help=summary, description=summary)
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help="language of the reason and labels (default: %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")
    return parser


def _ask_service(policy: Policy, options: dict[str, Any]) -> tuple[Decision, list[tuple[str, str]]]:
    if options.get("partner"):
        return _ask_partner(policy, options, "service")
    _refuse_at_without_partner(options)
    partner_type = partner_type_or_none(options["partner_type"])
    decision = policy.decide_service(partner_type, options["service"])
    return decision, [
        (_("Partner type"), _label(policy, "partner_type", partner_type)),
        (_("Service"), _label(policy, "service", options["service"])),
    ]


def _ask_account(policy: Policy, options: dict[str, Any]) -> tuple[Decision, list[tuple[str, str]]]:
    if options.get("partner"):
        return _ask_partner(policy, options, "account")
    _refuse_at_without_partner(options)
    partner_type = partner_type_or_none(options["partner_type"])
    decision = policy.decide_account(partner_type, options["account"])
    return decision, [
        (_("Partner type"), _label(policy, "partner_type", partner_type)),
        (_("Account"), _label(policy, "account", options["account"])),
    ]


def _refuse_at_without_partner(options: dict[str, Any]) -> None:
    """`--at` asks a partner's history: a partner type has none (and was silently ignored)."""
    if options.get("at"):
        raise PolicyInputError("at", "needs --partner ID (a partner type has no history)")


def _ask_transition(
    policy: Policy, options: dict[str, Any]
) -> tuple[Decision, list[tuple[str, str]]]:
    from_type = partner_type_or_none(options["from_type"])
    facts = parse_facts(policy, options["fact"])
    decision = policy.decide_move(from_type, options["to_type"], facts)
    yes, no = _("yes"), _("no")
    given = [
        f"{_label(policy, 'fact', name)}: {yes if value else no}" for name, value in facts.items()
    ]
    return decision, [
        (_("From"), _label(policy, "partner_type", from_type)),
        (_("To"), _label(policy, "partner_type", options["to_type"])),
        (_("Facts"), "; ".join(given) or _("none given")),
    ]


def _ask_partner(
    policy: Policy, options: dict[str, Any], question: str
) -> tuple[Decision, list[tuple[str, str]]]:
    """Answer for a registered partner: now (its type and status), or at `--at` (then)."""
    from devcenter.partners.history import partner_entitlements_at
    from devcenter.partners.selectors import partner_get

    code = options[question]
    if question not in ("service", "account") or code not in getattr(policy, question + "s"):
        raise PolicyInputError(question, f"unknown {question} {code!r}")
    try:
        if options.get("at"):
            then = partner_entitlements_at(public_id=options["partner"], at=_instant(options["at"]))
            partner_type, status, used = then.partner_type, then.status, then.policy
        else:
            partner = partner_get(public_id=options["partner"])
            partner_type, status, used = partner.partner_type, partner.status, policy
    except DomainError as error:
        raise CommandError(
            f"{error.field or 'partner'}: {error.code}: {cli_message(error)}", returncode=1
        ) from None
    decide = used.decide_partner_service if question == "service" else used.decide_partner_account
    decision = decide(partner_type, status, code)
    rows = [
        (_("Partner"), options["partner"]),
        (_("Partner type"), _label(used, "partner_type", partner_type)),
        (_("Status"), status),
        (_("Service") if question == "service" else _("Account"), _label(used, question, code)),
    ]
    if options.get("at"):
        rows.append((_("At"), f"{options['at']} (policy {used.version})"))
    return decision, rows


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PolicyInputError("at", f"{text!r} is not an ISO 8601 time") from None


def parse_facts(policy: Policy, items: list[str]) -> dict[str, bool]:
    """Return `--fact NAME=true|false` options as a dict; a bare NAME means true."""
    known = [fact["code"] for fact in policy.describe()["facts"]]
    facts: dict[str, bool] = {}
    for item in items:
        name, _sep, value = item.partition("=")
        name, value = name.strip(), (value.strip().lower() or "true")
        if name not in known:
            raise PolicyInputError("fact", f"unknown fact {name!r}")
        if value not in TRUE_WORDS | FALSE_WORDS:
            raise PolicyInputError("fact", f"{name}: {value!r} is not true or false")
        facts[name] = value in TRUE_WORDS
    return facts


def render_decision(
    policy: Policy, decision: Decision, question: list[tuple[str, str]]
) -> list[str]:
    """Return the decision as lines: the question, the verdict, the reason, the unlock paths."""
    lang = translation.get_language()
    verdict = _("allowed") if decision.allowed else _("denied")
    rows = [
        *question,
        (_("Decision"), f"{verdict} [{decision.code}]"),
        (_("Reason"), decision.reason.get(lang)),
    ]
    width = max(display_width(name) for name, _value in rows)
    lines = [f"{pad(name + ':', width + 1)}  {value}" for name, value in rows]
    if decision.allowed:
        return lines
    if not decision.unlockable:
        return [*lines, _("Unlock: not possible, no move can ever allow this.")]
    lines.append(_("Unlock (shortest first):"))
    then = _("then")
    for number, path in enumerate(decision.unlock, start=1):
        for index, step in enumerate(path):
            lead = f"{number}." if index == 0 else f"   {then}"
            target = policy.label("partner_type", step.to).get(lang)
            step_label = policy.label("step", step.step).get(lang)
            lines.append(f"  {lead} {step_label} → {target} [{step.to}]")
    return lines


def _label(policy: Policy, group: str, code: str | None) -> str:
    try:
        text = policy.label(group, code).get(translation.get_language())
    except KeyError:
        return str(code)  # unknown: the engine names the field in its error
    return f"{text} [{code or NOT_REGISTERED}]"


def _bad_input(policy: Policy, field: str, problem: str) -> CommandError:
    choices = {
        "partner_type": [*policy.partner_types, NOT_REGISTERED],
        "from": [*policy.partner_types, NOT_REGISTERED],
        "to": list(policy.partner_types),
        "service": list(policy.services),
        "account": list(policy.accounts),
        "fact": [fact["code"] for fact in policy.describe()["facts"]],
    }.get(field)
    hint = ""
    if choices and problem.startswith("unknown"):
        hint = f" (expected one of: {', '.join(choices)})"
    return CommandError(f"{field}: {problem}{hint}", returncode=BAD_INPUT)
