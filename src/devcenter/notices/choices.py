"""The notices app's choice enums and fixed numbers (values are stored; labels are shown).

They live here, not in `devcenter.notices.models`, so other apps can use them without
importing the models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    CARD_EXPIRING = "card_expiring", _("Card expiring")  # 30, 7 or 1 days before its expiry


# Days before a card's expiry at which its partner is told, the widest first. A sweep sends
# only the most urgent one a card has reached: one that was missed is not sent late.
CARD_EXPIRY_THRESHOLDS: tuple[int, ...] = (30, 7, 1)
