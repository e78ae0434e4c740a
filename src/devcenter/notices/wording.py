"""The words of a card expiry notice and of a scheduled change, in one language.

The inbox, the e-mail and the partner home say the same thing; each asks here. The notice's
`data` holds codes and ids; the labels are the policy file's, the sentences gettext's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.notices.impact import MoveImpact
from devcenter.policy import Policy, default_policy


@dataclass(frozen=True, slots=True)
class ChangeWords:
    """What a change takes away, in one language: the type the partner becomes, the labels
    of the services and accounts it loses, and the names of the registrations suspended."""

    to_type: str
    services: tuple[str, ...]
    accounts: tuple[str, ...]
    registrations: tuple[str, ...]

    @property
    def anything(self) -> bool:
        """Return whether the change takes anything away."""
        return bool(self.services or self.accounts or self.registrations)


@dataclass(frozen=True, slots=True)
class CardExpiryWords:
    """A card expiry notice in one language."""

    title: str
    summary: str
    becomes: str
    lead: str  # the summary and what the partner becomes, as one paragraph
    loses: ChangeWords
    services_heading: str
    accounts_heading: str
    registrations_heading: str
    action: str
    open_card: str


def _label(policy: Policy, group: str, code: str | None, lang: str) -> str:
    try:
        return policy.label(group, code).get(lang)
    except KeyError:  # a code a later policy no longer has: still say something
        return str(code or "")


def impact_data(impact: MoveImpact | None) -> dict[str, Any]:
    """Return what `impact` takes away as codes and ids (a notice's and an event's data)."""
    if impact is None:
        return {"to_type": None, "services": [], "accounts": [], "registrations": []}
    return {
        "to_type": impact.to_type,
        "services": list(impact.services_lost),
        "accounts": list(impact.accounts_lost),
        "registrations": [
            {"id": r.public_id, "name": r.name, "service": r.service}
            for r in impact.registrations_suspended
        ],
    }


def change_words(data: dict[str, Any], lang: str) -> ChangeWords:
    """Return the words of what a change takes away (`impact_data`'s shape) in `lang`."""
    policy = default_policy()
    to_type = data.get("to_type")
    return ChangeWords(
        to_type=_label(policy, "partner_type", to_type, lang) if to_type else "",
        services=tuple(_label(policy, "service", c, lang) for c in data.get("services", [])),
        accounts=tuple(_label(policy, "account", c, lang) for c in data.get("accounts", [])),
        registrations=tuple(str(r.get("name", "")) for r in data.get("registrations", [])),
    )


def card_expiry_words(data: dict[str, Any], *, partner_name: str, lang: str) -> CardExpiryWords:
    """Return the words of a card expiry notice (`data` as the sweep wrote it) in `lang`."""
    expires_on = date.fromisoformat(data["expires_on"])
    values = {
        "brand": data.get("brand", ""),
        "last4": data.get("last4", ""),
        "date": expires_on.isoformat(),
        "last_day": (expires_on - timedelta(days=1)).isoformat(),
        "partner": partner_name,
    }
    loses = change_words(data, lang)
    with translation.override(lang):
        summary = (
            _(
                "The credit card %(brand)s ending in %(last4)s of %(partner)s can be used "
                "until %(last_day)s. From %(date)s, unless a new card is registered:"
            )
            % values
        )
        becomes = (
            _("the partner becomes “%(type)s”.") % {"type": loses.to_type} if loses.to_type else ""
        )
        return CardExpiryWords(
            title=_("Your card ending in %(last4)s expires on %(date)s") % values,
            summary=summary,
            becomes=becomes,
            lead=(" " if lang == "en" else "").join(part for part in (summary, becomes) if part),
            loses=loses,
            services_heading=_("These services stop:"),
            accounts_heading=_("These accounts can no longer be held:"),
            registrations_heading=_("These registered services are suspended:"),
            action=_("Register a new card before then to keep them.")
            if loses.anything
            else _("Nothing else changes for the partner."),
            open_card=_("Open the card screen"),
        )
