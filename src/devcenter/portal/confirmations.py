"""The confirmation pages of destructive and downgrading actions: what each asks and what will be
lost (the card's loss asked of the policy core). A thing that is not there, or not removable by
this user, is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from devcenter.portal.dashboard import PartnerPage
from devcenter.portal.losses import loss_on_card_removal


def _confirm_card_remove(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    if page.card is None or page.card.public_id != ids["card_id"] or not page.can["card_remove"]:
        raise Http404
    loss = loss_on_card_removal(page.partner, lang)
    return {
        "title": _("Remove the card?"),
        "lead": _("The card %(brand)s ending in %(last4)s is removed from this partner.")
        % {"brand": page.card.brand, "last4": page.card.last4},
        "loss": loss,
        "button": _("Remove the card"),
        "danger": True,
    }


def _confirm_test_account_delete(
    page: PartnerPage, ids: dict[str, Any], lang: str
) -> dict[str, Any]:
    account = next((a for a in page.test_accounts if a.public_id == ids["account_id"]), None)
    if account is None:
        raise Http404
    return {
        "title": _("Delete the test account?"),
        "lead": _("The test account “%(name)s” is deleted and can no longer sign in.")
        % {"name": account.display_name},
        "lost": [_("The test account and its use in your apps' tests.")],
        "button": _("Delete the test account"),
        "danger": True,
    }


def _confirm_member_remove(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    member = next((m for m in page.members if m.user_id == ids["user_id"]), None)
    if member is None or not member.removable:
        raise Http404
    name = page.partner.registration_name
    if member.is_viewer:
        return {
            "title": _("Leave %(partner)s?") % {"partner": name},
            "lead": _("You will no longer see this partner or act for it."),
            "lost": [_("An owner has to add you again to undo this.")],
            "button": _("Leave the partner"),
            "danger": True,
        }
    return {
        "title": _("Remove %(email)s?") % {"email": member.email},
        "lead": _("%(email)s will no longer see %(partner)s or act for it.")
        % {"email": member.email, "partner": name},
        "lost": [_("Their role: %(role)s.") % {"role": member.role_label}],
        "button": _("Remove the member"),
        "danger": True,
    }


def _confirm_withdraw(page: PartnerPage, ids: dict[str, Any], lang: str) -> dict[str, Any]:
    view = page.latest_application
    if view is None or view.application.public_id != ids["application_id"]:
        raise Http404
    return {
        "title": _("Withdraw the application?"),
        "lead": _("Staff stop reviewing it; to be certified you apply again with both documents."),
        "lost": [_("The application and its place in the review queue.")],
        "button": _("Withdraw the application"),
        "danger": True,
    }


CONFIRMATIONS: dict[str, Callable[[PartnerPage, dict[str, Any], str], dict[str, Any]]] = {
    "card_remove": _confirm_card_remove,
    "test_account_delete": _confirm_test_account_delete,
    "member_remove": _confirm_member_remove,
    "application_withdraw": _confirm_withdraw,
}
