"""Post / redirect / get for refused forms: a refused form survives the redirect in the session.

A POST never renders a page: when a form is refused, its input (never a secret or a file) and
its errors are kept in the session under the form's name, and the browser is sent to the screen
the form lives on. That screen takes the form back once (`restore`), shows each error at its
field and sums them up at the top. Reloading is then a plain GET: nothing is resubmitted and no
POST-only URL answers 405.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, QueryDict

SESSION_KEY = "portal.refused_forms"
NEVER_KEPT = (forms.PasswordInput, forms.FileInput)


def _secret(field: forms.Field) -> bool:
    """Return whether a field's input must not be stored (a password, a file, a card token)."""
    return isinstance(field.widget, NEVER_KEPT) or getattr(field.widget, "never_echoed", False)


def keep_refused(request: HttpRequest, name: str, form: forms.Form) -> None:
    """Keep the refused `form`'s input and errors for the next page under `name`."""
    data = {
        key: values
        for key, values in request.POST.lists()
        if key in form.fields and not _secret(form.fields[key])
    }
    kept = request.session.get(SESSION_KEY, {})
    kept[name] = {"data": data, "errors": form.errors.get_json_data()}
    request.session[SESSION_KEY] = kept


def restore(request: HttpRequest, name: str, form_class: type[forms.Form], **kwargs: Any) -> Any:
    """Return the form refused under `name` (once), bound to its input with its errors, or a
    fresh form."""
    kept = request.session.get(SESSION_KEY)
    if not kept or name not in kept:
        return form_class(**kwargs)
    state = kept.pop(name)
    request.session[SESSION_KEY] = kept
    data = QueryDict(mutable=True)
    for key, values in state["data"].items():
        data.setlist(key, values)
    form = form_class(data, **kwargs)
    form._errors = ErrorDict(  # type: ignore[attr-defined]  # the POST's errors, not new ones
        {
            field: ErrorList(
                [ValidationError(e["message"], code=e["code"]) for e in errors],
                error_class="nonfield" if field == NON_FIELD_ERRORS else None,
            )
            for field, errors in state["errors"].items()
        }
    )
    return form


def refused_forms(forms_by_name: dict[str, forms.Form]) -> list[tuple[str, forms.Form]]:
    """Return the forms of a page that carry errors (for the summary at the top)."""
    return [(name, form) for name, form in forms_by_name.items() if form.is_bound and form.errors]
