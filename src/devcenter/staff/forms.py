"""The small forms behind the console's state changes; each one feeds exactly one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NoteForm(forms.Form):
    """A note: the contact made (identity confirmation) or what is missing (needs info)."""

    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    """The reason for a rejection, in both languages the applicant may read."""

    reason_ja = forms.CharField(
        label=_("Reason (Japanese)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason_en = forms.CharField(
        label=_("Reason (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EmptyForm(forms.Form):
    """Start review and approve need nothing but the button."""


class PartnerStatusForm(forms.Form):
    """Why a partner is suspended or restored (kept in the audit log)."""

    reason = forms.CharField(label=_("Reason"), max_length=500)
