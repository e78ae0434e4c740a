"""The developer pages' forms: they only parse input; the services check every rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from devcenter.errors import DomainError
from devcenter.partners.choices import MemberRole
from devcenter.partners.services import CorporateDetails

SANDBOX_TOKENS = (
    "tok_visa",
    "tok_mastercard",
    "tok_jcb",
    "tok_amex",
    "tok_expired",
    "tok_declined",
    "tok_incorrect_cvc",
)


class CorporateDetailsForm(forms.Form):
    """What a corporation gives: registration and legal names, corporate number, contact."""

    registration_name = forms.CharField(label=_("Registration name"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        max_length=20,
        help_text=_("The 13-digit number from the National Tax Agency (法人番号)."),
    )
    legal_entity_registered = forms.BooleanField(
        label=_("The corporation is registered in the commercial registry"), required=False
    )
    representative_name = forms.CharField(label=_("Representative"), max_length=200, required=False)
    head_office_address = forms.CharField(
        label=_("Head-office address"), max_length=500, required=False
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), max_length=254)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)

    def details(self) -> CorporateDetails:
        """Return the cleaned input as the services' `CorporateDetails`."""
        data = self.cleaned_data
        return CorporateDetails(**{name: data[name] for name in CorporateDetailsForm.base_fields})


class IndividualForm(forms.Form):
    registration_name = forms.CharField(
        label=_("Registration name"),
        max_length=200,
        help_text=_("The name you provide your services under."),
    )


class DocumentsForm(forms.Form):
    registry_certificate = forms.FileField(
        label=_("Commercial registry certificate (PDF, PNG or JPEG)")
    )
    application_form = forms.FileField(
        label=_("Application form (申込書), signed and sealed (PDF, PNG or JPEG)")
    )


class NewCertificationForm(CorporateDetailsForm, DocumentsForm):
    """A new corporation's certification application: its details and the two documents."""


class NoEchoInput(forms.TextInput):
    """A text input that never renders the value back: a card number typed by mistake must not
    reappear in the page (nor in its caches), nor be kept in the session for a refused form."""

    never_echoed = True

    def format_value(self, value: Any) -> str | None:
        return None


class CardForm(forms.Form):
    token = forms.CharField(
        label=_("Card token"),
        max_length=200,
        widget=NoEchoInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The token the payment provider returned; never the card number."),
    )


class TestAccountForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100)


class MemberForm(forms.Form):
    """A person to invite to the partner, by e-mail (with an account or not yet)."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_(
            "We send an invitation to this address; the person accepts it with an account "
            "verified for it (signing up first if they have none)."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MemberRole.choices, initial=MemberRole.DEVELOPER
    )


class ResubmitForm(forms.Form):
    """An answer to staff's request for information: new documents are optional."""

    registry_certificate = forms.FileField(
        label=_("New commercial registry certificate (optional)"), required=False
    )
    application_form = forms.FileField(
        label=_("New application form (申込書) (optional)"), required=False
    )


class ConfirmForm(forms.Form):
    """A button with nothing to fill in (remove, delete): only the CSRF token is checked."""


def add_domain_error(form: forms.Form, error: DomainError, lang: str) -> None:
    """Show a service's refusal on its field (or above the form) in words; its stable code is
    kept with the error (for the page's `data-code`), never shown."""
    field: Any = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message(lang), code=error.code))
