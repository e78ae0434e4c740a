"""In-process hooks run when a partner's type or status changed, inside the transaction.

Apps above the partners app (registrations: its registrations follow the partner's services)
register here from their AppConfig.ready, so the partners app never imports them. A hook that
raises rolls the change back: what follows the partner stays consistent with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devcenter.partners.models import Partner

# Each hook gets the changed (locked) partner and the audit actor string.
on_partner_changed: list[Callable[[Partner, str], None]] = []


def partner_changed(partner: Partner, actor: str) -> None:
    """Call every hook with the partner whose type or status just changed."""
    for hook in list(on_partner_changed):
        hook(partner, actor)
