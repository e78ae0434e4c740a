"""Derive the policy's facts from the registry.

The policy file names each fact and says where it comes from (`derived_from`); this module holds
one deriver per fact. Apps above the partners app (reviews, for the certification application)
register theirs when Django starts (`register_fact_deriver` in their AppConfig.ready), so the
partners app never imports them. A test keeps the derivers and the policy's facts equal.

Facts are derived lazily: a question reads only the facts it needs, so a check costs only the
queries of those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from allauth.account.models import EmailAddress

from devcenter.partners.choices import MemberRole, PartnerKind
from devcenter.partners.models import Membership, Partner
from devcenter.users import ActingUser


@dataclass(frozen=True, slots=True)
class FactSubject:
    """What a fact is about: the partner, the person acting, and the member acted upon."""

    partner: Partner | None
    user: ActingUser | None
    member_id: int | None = None  # for other_owner_remains: the member who would go


FactDeriver = Callable[[FactSubject], bool]
_DERIVERS: dict[str, FactDeriver] = {}


def register_fact_deriver(code: str, deriver: FactDeriver) -> None:
    """Make `deriver` the way to derive policy fact `code` (once per code)."""
    if _DERIVERS.get(code, deriver) is not deriver:
        raise ValueError(f"fact {code!r} already has a deriver")
    _DERIVERS[code] = deriver


def fact_derivers() -> Mapping[str, FactDeriver]:
    """Return the registered derivers, by fact code."""
    return dict(_DERIVERS)


class DerivedFacts(Mapping[str, bool]):
    """The facts of one subject, each derived on first read and kept."""

    def __init__(self, subject: FactSubject, **given: bool) -> None:
        self.subject = subject
        self._known: dict[str, bool] = dict(given)

    def overridden(self, **given: bool) -> DerivedFacts:
        """Return these facts with `given` in place of the derived ones."""
        return DerivedFacts(self.subject, **{**self._known, **given})

    def __getitem__(self, code: str) -> bool:
        if code not in self._known:
            self._known[code] = bool(_DERIVERS[code](self.subject))
        return self._known[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_DERIVERS)

    def __len__(self) -> int:
        return len(_DERIVERS)


def is_platform_user(user: ActingUser | None) -> bool:
    """Return whether `user` is a platform user: active, with a verified primary e-mail."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(EmailAddress.objects.filter(user=user, verified=True, primary=True).exists())


def _legal_entity_registered(subject: FactSubject) -> bool:
    return subject.partner is not None and subject.partner.legal_entity_registered


def _platform_user(subject: FactSubject) -> bool:
    return is_platform_user(subject.user)


def _team_partner(subject: FactSubject) -> bool:
    return subject.partner is not None and subject.partner.kind == PartnerKind.CORPORATE


def _other_owner_remains(subject: FactSubject) -> bool:
    leaving = subject.member_id if subject.member_id is not None else _user_id(subject.user)
    owners = Membership.objects.filter(partner=subject.partner, role=MemberRole.OWNER)
    if leaving is not None:
        owners = owners.exclude(user_id=leaving)
    return owners.exists()


def _user_id(user: ActingUser | None) -> int | None:
    return None if user is None else user.pk


register_fact_deriver("legal_entity_registered", _legal_entity_registered)
register_fact_deriver("platform_user", _platform_user)
register_fact_deriver("team_partner", _team_partner)
register_fact_deriver("other_owner_remains", _other_owner_remains)
