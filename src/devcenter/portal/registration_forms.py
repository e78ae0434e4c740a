"""The forms of the registration screens, built from the policy's registrable sections.

A registration form carries the name and the fields the policy lists for the service, each
with the policy's label; which ones are required is the policy's `required`. The forms only
parse input (a list field takes one entry a line); the registrations services check every rule
and their refusals come back at the field that caused them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from devcenter.policy import default_policy
from devcenter.portal.forms import NoEchoInput
from devcenter.registrations.choices import BankAccountType, ImageKind

LIST_TYPES = ("url_list", "redirect_uris")
NAME_MAX = 100
PLAN_MAX = 10000
REASON_MAX = 2000

# Words for the choices of the policy's `options` fields (the policy names them by code only).
OPTION_LABELS: dict[str, Any] = {
    "browser": _("Browser"),
    "android": _("Android"),
    "ios": _("iOS"),
    "check_button": _("mixi Check button"),
    "like_button": _("Like button (イイネ!)"),
    "pc": _("PC"),
    "mobile": _("Feature phone"),
    "smartphone": _("Smartphone"),
}


def option_label(code: str) -> str:
    """Return the words for an option's code (the code itself only if none are known)."""
    return str(OPTION_LABELS.get(code, code))


def _field(service: str, code: str, lang: str, pages: list[tuple[str, str]]) -> forms.Field:
    """Return the form field of policy field `code` for `service`."""
    rules = default_policy().registrations
    spec = rules.fields[code]
    label = spec.label.get(lang)
    required = code in rules.of(service).required
    if spec.type == "options":
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=[(c, option_label(c)) for c in rules.choices(service, code)],
            widget=forms.CheckboxSelectMultiple,
        )
    if spec.type == "registration":
        return forms.ChoiceField(
            label=label, required=required, choices=[("", "—"), *pages], widget=forms.Select
        )
    if spec.type in LIST_TYPES:
        return forms.CharField(
            label=label,
            required=required,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One URL a line."),
        )
    widgets: dict[str, forms.Widget] = {
        "long_text": forms.Textarea(attrs={"rows": 4}),
        "url": forms.URLInput(),
        "email": forms.EmailInput(),
    }
    return forms.CharField(
        label=label,
        required=required,
        max_length=spec.max_length,
        widget=widgets.get(spec.type, forms.TextInput()),
    )


class RegistrationForm(forms.Form):
    """The name and the service's fields (subclassed per service by `registration_form_class`)."""

    service: str = ""
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)

    def service_fields(self, *, partial: bool = False) -> dict[str, Any]:
        """Return the policy fields as the services take them (lists split into lines).

        `partial`: only the fields present in the POST (an edit changes what it shows)."""
        rules = default_policy().registrations
        given: dict[str, Any] = {}
        for code in rules.of(self.service).fields:
            if code not in self.cleaned_data:
                continue
            value = self.cleaned_data[code]
            if rules.fields[code].type in LIST_TYPES:
                value = [line.strip() for line in str(value).splitlines() if line.strip()]
            if partial or value not in ("", [], None):
                given[code] = value
        return given


def registration_form_class(
    service: str, lang: str, pages: list[tuple[str, str]]
) -> type[RegistrationForm]:
    """Return the form class of `service`: the name, then the policy's fields in its order.

    `pages`: (public id, name) of the partner's pages, the choices of a page app's page."""
    fields = {
        code: _field(service, code, lang, pages)
        for code in default_policy().registrations.of(service).fields
    }
    return type(f"{service.title()}Form", (RegistrationForm,), {"service": service, **fields})


def initial_of(registration: Any) -> dict[str, Any]:
    """Return the edit form's initial values from a registration."""
    from devcenter.registrations.selectors import listing_field_value

    rules = default_policy().registrations
    initial: dict[str, Any] = {"name": registration.name}
    for code in rules.of(registration.service).fields:
        value = listing_field_value(registration, code)
        if rules.fields[code].type == "registration":
            value = registration.parent.public_id if registration.parent else ""
        elif rules.fields[code].type in LIST_TYPES:
            value = "\n".join(value or [])
        initial[code] = value if value is not None else ""
    return initial


class ImageForm(forms.Form):
    """A logo, icon or screenshot: the registrations services check the file by its content."""

    kind = forms.ChoiceField(label=_("Image"), choices=ImageKind.choices)
    file = forms.FileField(label=_("File (PNG, JPEG or GIF)"))

    def __init__(self, *args: Any, kinds: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            field: Any = self.fields["kind"]
            field.choices = [(k, label) for k, label in ImageKind.choices if k in kinds]


class OperatorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_(
            "A platform user with this address may then edit this registration and see its "
            "credentials, nothing else of the partner, once they confirm the e-mailed link."
        ),
    )


class PaymentForm(forms.Form):
    business_plan = forms.CharField(
        label=_("Business plan"),
        max_length=PLAN_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the app sells, to whom, at what prices; staff review it."),
    )


class ReasonsForm(forms.Form):
    """A staff rejection's reason, in Japanese and English (the partner reads its language)."""

    reason_ja = forms.CharField(
        label=_("Reason (Japanese)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason_en = forms.CharField(
        label=_("Reason (English)"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class PayoutForm(forms.Form):
    """The bank account the payment program pays into (the services check the holder is the
    partner's registered name)."""

    bank_code = forms.CharField(label=_("Bank code (4 digits)"), max_length=4)
    branch_code = forms.CharField(label=_("Branch code (3 digits)"), max_length=3)
    account_type = forms.ChoiceField(label=_("Account type"), choices=BankAccountType.choices)
    account_number = forms.CharField(
        label=_("Account number (7 digits)"),
        max_length=7,
        widget=NoEchoInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    holder_name = forms.CharField(
        label=_("Account holder"),
        max_length=100,
        help_text=_("Payouts go only to an account in the partner's registered name."),
    )
