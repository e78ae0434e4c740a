"""Read the partner-program policy into the tables the landing page and the CLI show.

Every answer comes from the policy core; this module only picks the labels of one language
and arranges the decisions into rows and columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from devcenter.partners.choices import PartnerKind
from devcenter.policy import Decision, Policy

NOT_REGISTERED = "none"  # the CLI's and the matrices' code for "no partner type"

# The policy file names these sub-codes without labels; the page needs words for them.
PLATFORM_LABELS = {
    "browser": _("browser-based"),
    "android": _("Android app"),
    "ios": _("iOS app"),
}
PLUGIN_KIND_LABELS = {
    "check_button": _("mixi Check button"),
    "like_button": _("“イイネ!” (like) button"),
}


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    """One partner type (or "not registered") as a column of a matrix."""

    code: str
    label: str
    group: str  # the kind ("Corporate", "Individual"); empty for "not registered"


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Whether the partner type of column `column` may have the row's service or account."""

    column: str
    allowed: bool


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One service or account: whether each column's partner type may have it."""

    code: str
    label: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """A service or account table, rows and columns in the policy file's order."""

    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def header_groups(self) -> list[tuple[str, tuple[MatrixColumn, ...]]]:
        """Return the columns in runs of one group; a run without a group spans both rows."""
        return [(group, tuple(run)) for group, run in groupby(self.columns, lambda c: c.group)]

    def allowed(self, row_code: str, column_code: str) -> bool:
        """Return the cell of `row_code` under `column_code`."""
        row = next(r for r in self.rows if r.code == row_code)
        return next(cell.allowed for cell in row.cells if cell.column == column_code)


@dataclass(frozen=True, slots=True)
class PartnerTypeInfo:
    """A partner type with its label and how one gets it."""

    code: str
    label: str
    group: str
    how: str


@dataclass(frozen=True, slots=True)
class MoveInfo:
    """A move between partner types and how (or why not) it happens."""

    from_code: str
    from_label: str
    to_code: str
    to_label: str
    allowed: bool
    automatic: bool
    explanation: str  # the step to take, or the reason the move never happens
    conditions: tuple[str, ...]  # facts the move needs, as labels


@dataclass(frozen=True, slots=True)
class ServiceNote:
    """What a service's platforms or kinds are, and whether an agency may register it."""

    code: str
    label: str
    platforms: tuple[str, ...]
    kinds: tuple[str, ...]
    agency_registration: bool


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the landing page shows, in one language."""

    lang: str
    policy_name: str
    policy_version: str
    partner_types: tuple[PartnerTypeInfo, ...]
    services: Matrix
    accounts: Matrix
    allowed_moves: tuple[MoveInfo, ...]
    forbidden_moves: tuple[MoveInfo, ...]
    service_notes: tuple[ServiceNote, ...]
    open_services: tuple[str, ...]  # labels of services usable without registration


def partner_type_or_none(code: str | None) -> str | None:
    """Return the policy's partner type for a CLI/matrix code (`none` or empty: None)."""
    return None if code in (None, "", NOT_REGISTERED) else code


def service_matrix(policy: Policy, lang: str) -> Matrix:
    """Return who may use each service, with a last column for "not registered"."""
    codes = [*policy.partner_types, NOT_REGISTERED]
    return _matrix(policy, lang, "service", policy.services, codes, policy.decide_service)


def account_matrix(policy: Policy, lang: str) -> Matrix:
    """Return which partner type may hold each account."""
    codes = list(policy.partner_types)
    return _matrix(policy, lang, "account", policy.accounts, codes, policy.decide_account)


def landing_overview(policy: Policy, lang: str) -> Overview:
    """Return the partner types, both matrices, the moves and the service notes in `lang`."""
    with translation.override(lang):
        description = policy.describe()
        moves = [_move(policy, lang, move) for move in description["moves"]]
        services = service_matrix(policy, lang)
        return Overview(
            lang=lang,
            policy_name=policy.name,
            policy_version=policy.version,
            partner_types=tuple(
                _partner_type(policy, lang, t) for t in description["partner_types"]
            ),
            services=services,
            accounts=account_matrix(policy, lang),
            allowed_moves=tuple(m for m in moves if m.allowed),
            forbidden_moves=tuple(m for m in moves if not m.allowed),
            service_notes=tuple(_service_notes(policy, lang, description["services"])),
            open_services=tuple(
                r.label for r in services.rows if services.allowed(r.code, NOT_REGISTERED)
            ),
        )


def _matrix(
    policy: Policy,
    lang: str,
    group: str,
    row_codes: Iterable[str],
    column_codes: list[str],
    decide: Callable[[str | None, str], Decision],
) -> Matrix:
    with translation.override(lang):
        columns = tuple(_column(policy, lang, code) for code in column_codes)
    rows = tuple(
        MatrixRow(
            code=code,
            label=policy.label(group, code).get(lang),
            cells=tuple(
                MatrixCell(column=c, allowed=decide(partner_type_or_none(c), code).allowed)
                for c in column_codes
            ),
        )
        for code in row_codes
    )
    return Matrix(columns=columns, rows=rows)


def _column(policy: Policy, lang: str, code: str) -> MatrixColumn:
    partner_type = partner_type_or_none(code)
    group = "" if partner_type is None else str(PartnerKind(policy.kind_of(partner_type)).label)
    label = policy.label("partner_type", partner_type).get(lang)
    return MatrixColumn(code=code, label=label, group=group)


def _partner_type(policy: Policy, lang: str, partner_type: dict[str, Any]) -> PartnerTypeInfo:
    code = partner_type["code"]
    return PartnerTypeInfo(
        code=code,
        label=policy.label("partner_type", code).get(lang),
        group=str(PartnerKind(policy.kind_of(code)).label),
        how=partner_type["how"][lang],
    )


def _move(policy: Policy, lang: str, move: dict[str, Any]) -> MoveInfo:
    from_type = partner_type_or_none(move["from"])
    if move["allowed"] and not move["automatic"]:
        explanation = policy.label("step", move["step"]).get(lang)
    else:
        # The engine's reason says why the move never happens, or when it happens by itself.
        explanation = policy.decide_move(from_type, move["to"]).reason.get(lang)
    return MoveInfo(
        from_code=move["from"],
        from_label=policy.label("partner_type", from_type).get(lang),
        to_code=move["to"],
        to_label=policy.label("partner_type", move["to"]).get(lang),
        allowed=move["allowed"],
        automatic=move["automatic"],
        explanation=explanation,
        conditions=tuple(policy.label("fact", fact).get(lang) for fact in move["requires"]),
    )


def _service_notes(
    policy: Policy, lang: str, services: list[dict[str, Any]]
) -> Iterable[ServiceNote]:
    for service in services:
        if not (service["platforms"] or service["kinds"] or service["agency_registration"]):
            continue
        yield ServiceNote(
            code=service["code"],
            label=policy.label("service", service["code"]).get(lang),
            platforms=tuple(str(PLATFORM_LABELS.get(p, p)) for p in service["platforms"]),
            kinds=tuple(str(PLUGIN_KIND_LABELS.get(k, k)) for k in service["kinds"]),
            agency_registration=service["agency_registration"],
        )
