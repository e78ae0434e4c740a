"""The small forms behind the console's state changes; each one feeds exactly one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PartnerStatusForm(forms.Form):
    """Why a partner is suspended or restored (kept in the audit log)."""

    reason = forms.CharField(label=_("Reason"), max_length=500)
