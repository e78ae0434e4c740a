"""A partner's webhooks screen: its endpoints, one screen per endpoint with the delivery log,
and the actions on an endpoint (enable, disable, rotate the secret, delete, replay, test send).

Thin views in the portal's manner: a GET renders a page, a POST calls one events service and
redirects (post / redirect / get): on success to the screen with a message, on a refusal to the
same screen, which takes the refused form back (`form_state`) with the error at its field and
summed up at the top. Who may see and change webhooks is the policy's (`webhooks.read`,
`webhooks.manage`, through the partner page's capabilities); every rule is the events services'.
A new signing secret is shown once, on the next page, and never kept in a cache. Deleting and
rotating are asked for on a confirmation page that says what is lost. An endpoint of another
partner, or of no partner, is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from devcenter.errors import DomainError, NotFoundError
from devcenter.events import selectors, services
from devcenter.events.choices import TEST_EVENT_TYPE, EventType
from devcenter.portal.dashboard import PartnerPage
from devcenter.portal.form_state import keep_refused, refused_forms, restore
from devcenter.portal.forms import ConfirmForm, add_domain_error
from devcenter.portal.responses import load_partner, redirect, render_page, submit
from devcenter.users import acting_user

NEW_SECRET_SESSION = "portal.new_webhook_secret"  # noqa: S105 (a session key)
SCOPE_ALL, SCOPE_SELECTED = "all", "selected"
LOG_ROWS = 50


# ---------------------------------------------------------------- forms (parse only)


class WebhookForm(forms.Form):
    """An endpoint's URL, description and event types (every type, or the ones checked)."""

    url = forms.CharField(
        label=_("Endpoint URL"),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Where we POST each event, signed (Standard Webhooks). Use https."),
    )
    description = forms.CharField(label=_("Description"), required=False)
    scope = forms.ChoiceField(
        label=_("Events to send"),
        choices=[
            (SCOPE_ALL, _("Every event type")),
            (SCOPE_SELECTED, _("Only the types checked below")),
        ],
        initial=SCOPE_ALL,
        widget=forms.RadioSelect,
    )
    events = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == SCOPE_SELECTED and not data.get("events"):
            self.add_error("events", _("Check at least one event type, or choose every type."))
        return data

    def event_types(self) -> list[str]:
        """Return the filter as the services take it (`all` or the checked types)."""
        if self.cleaned_data["scope"] == SCOPE_ALL:
            return [services.ALL_EVENTS]
        return list(self.cleaned_data["events"])


class ReplayForm(forms.Form):
    """Send one event again (its id), or every event since a time."""

    event_id = forms.CharField(required=False, widget=forms.HiddenInput)
    since = forms.DateTimeField(
        label=_("Replay every event since"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )

    def since_time(self) -> datetime | None:
        """Return the time, in the page's time zone (the one the log's times are shown in)."""
        since: datetime | None = self.cleaned_data.get("since")
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since)
        return since


def _initial(endpoint: Any) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "scope": SCOPE_SELECTED if endpoint.event_types else SCOPE_ALL,
        "events": list(endpoint.event_types),
    }


# ---------------------------------------------------------------- what the screens show


@dataclass(frozen=True, slots=True)
class EndpointRow:
    endpoint: Any
    events_label: str  # "every event type" or the types, comma-separated
    last: Any  # the latest attempt, or None
    url: str  # the endpoint's screen


def _events_label(endpoint: Any) -> str:
    if not endpoint.event_types:
        return str(_("Every event type"))
    return ", ".join(endpoint.event_types)


def _row(page: PartnerPage, endpoint: Any) -> EndpointRow:
    last = next(iter(selectors.endpoint_log(endpoint=endpoint, limit=1)), None)
    return EndpointRow(
        endpoint=endpoint,
        events_label=_events_label(endpoint),
        last=last,
        url=reverse("portal:partner_webhook", args=[page.partner.public_id, endpoint.public_id]),
    )


def _new_secret(request: HttpRequest, endpoint_id: str) -> dict[str, Any] | None:
    shown = request.session.pop(NEW_SECRET_SESSION, None)
    if not shown or shown.get("endpoint") != endpoint_id:
        return None
    return dict(shown)


def _keep_secret(request: HttpRequest, endpoint: Any, *, rotated: bool) -> Any:
    until = endpoint.previous_secret_until if rotated else None
    request.session[NEW_SECRET_SESSION] = {
        "endpoint": endpoint.public_id,
        "secret": endpoint.secret,
        "rotated": rotated,
        "previous_until": until.isoformat() if until else None,
    }
    return endpoint


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # a new secret must not linger in a cache
    return response


def _list_url(public_id: str) -> str:
    return reverse("portal:partner_webhooks", args=[public_id])


def _endpoint_url(public_id: str, endpoint_id: str) -> str:
    return reverse("portal:partner_webhook", args=[public_id, endpoint_id])


# ---------------------------------------------------------------- the list and the add form


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_webhooks(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: the partner's endpoints and the add form (or why the viewer may not).
    POST: add an endpoint, then show it with its secret once."""
    page = load_partner(request, public_id)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        created = submit(
            request,
            form,
            lambda f: _keep_secret(
                request,
                services.webhook_endpoint_create(
                    acting_user=acting_user(request),
                    partner_id=public_id,
                    url=f.cleaned_data["url"].strip(),
                    event_types=f.event_types(),
                    description=f.cleaned_data["description"],
                ),
                rotated=False,
            ),
            _("The endpoint is added. Copy its signing secret now."),
        )
        if created is None:
            keep_refused(request, "webhook_form", form)
            return redirect(_list_url(public_id))
        return redirect(_endpoint_url(public_id, created.public_id))
    form = restore(request, "webhook_form", WebhookForm)
    rows: list[EndpointRow] = []
    if page.can["webhooks_read"]:
        rows = [_row(page, e) for e in selectors.endpoints_of(partner_id=public_id)]
    context = {
        "page": page,
        "screen": "webhooks",
        "rows": rows,
        "webhook_form": form,
        "refused": refused_forms({"webhook_form": form}),
    }
    return render_page(request, "portal/webhooks/list.html", context)


# ---------------------------------------------------------------- one endpoint


def _endpoint(request: HttpRequest, public_id: str, endpoint_id: str) -> Any:
    """Return the partner's endpoint after the policy's read check; else a 404."""
    try:
        return services.webhook_endpoint_get(
            acting_user=acting_user(request), partner_id=public_id, endpoint_id=endpoint_id
        )
    except DomainError:  # none such, or the policy refuses `webhooks.read`: nothing to show
        raise Http404 from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_webhook(request: HttpRequest, public_id: str, endpoint_id: str) -> HttpResponse:
    """GET: one endpoint: its settings, a new secret once, the delivery log, replay and test.
    POST: save the edit form (URL, description, event types)."""
    page = load_partner(request, public_id)
    endpoint = _endpoint(request, public_id, endpoint_id)
    here = _endpoint_url(public_id, endpoint_id)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        done = submit(
            request,
            form,
            lambda f: services.webhook_endpoint_update(
                acting_user=acting_user(request),
                partner_id=public_id,
                endpoint_id=endpoint_id,
                changes=services.EndpointChanges(
                    url=f.cleaned_data["url"].strip(),
                    event_types=f.event_types(),
                    description=f.cleaned_data["description"],
                ),
            ),
            _("The changes are saved."),
        )
        if done is None:
            keep_refused(request, "edit_form", form)
        return redirect(here)
    bound: dict[str, forms.Form] = {
        "edit_form": restore(request, "edit_form", WebhookForm, initial=_initial(endpoint)),
        "replay_form": restore(request, "replay_form", ReplayForm),
        "confirm_form": restore(request, "confirm_form", ConfirmForm),
    }
    context = {
        "page": page,
        "screen": "webhooks",
        "endpoint": endpoint,
        "events_label": _events_label(endpoint),
        "log": list(selectors.endpoint_log(endpoint=endpoint, limit=LOG_ROWS)),
        "test_type": TEST_EVENT_TYPE,
        "new_secret": _new_secret(request, endpoint_id),
        "grace_hours": int(services.SECRET_GRACE.total_seconds() // 3600),
        "list_url": _list_url(public_id),
        "time_zone": timezone.get_current_timezone_name(),
        **bound,
        "refused": refused_forms(bound),
    }
    return _no_store(render_page(request, "portal/webhooks/detail.html", context))


# ---------------------------------------------------------------- actions on an endpoint

Action = Callable[[HttpRequest, str, str, Any], Any]


def _toggle(enabled: bool) -> Action:
    def call(request: HttpRequest, partner: str, endpoint: str, form: Any) -> Any:
        return services.webhook_endpoint_update(
            acting_user=acting_user(request),
            partner_id=partner,
            endpoint_id=endpoint,
            changes=services.EndpointChanges(enabled=enabled),
        )

    return call


def _rotate(request: HttpRequest, partner: str, endpoint: str, form: Any) -> Any:
    rotated = services.webhook_secret_rotate(
        acting_user=acting_user(request), partner_id=partner, endpoint_id=endpoint
    )
    return _keep_secret(request, rotated, rotated=True)


def _delete(request: HttpRequest, partner: str, endpoint: str, form: Any) -> Any:
    services.webhook_endpoint_delete(
        acting_user=acting_user(request), partner_id=partner, endpoint_id=endpoint
    )
    return True


def _test(request: HttpRequest, partner: str, endpoint: str, form: Any) -> Any:
    return services.webhook_test_send(
        acting_user=acting_user(request), partner_id=partner, endpoint_id=endpoint
    )


def _replay(request: HttpRequest, partner: str, endpoint: str, form: Any) -> Any:
    event_id = form.cleaned_data["event_id"] or None
    queued = services.webhook_replay(
        acting_user=acting_user(request),
        partner_id=partner,
        endpoint_id=endpoint,
        event_id=event_id,
        since=None if event_id else form.since_time(),
    )
    messages.success(
        request,
        _("Events queued to be sent again: %(count)s. Reload to see them in the delivery log.")
        % {"count": queued},
    )
    return queued


@dataclass(frozen=True)
class EndpointAction:
    call: Action
    form_class: type[forms.Form]
    form_name: str
    done: Any


ACTIONS: dict[str, EndpointAction] = {
    "enable": EndpointAction(
        _toggle(True), ConfirmForm, "confirm_form", _("The endpoint is enabled.")
    ),
    "disable": EndpointAction(
        _toggle(False),
        ConfirmForm,
        "confirm_form",
        _("The endpoint is disabled. Events are not sent to it until you enable it again."),
    ),
    "rotate": EndpointAction(
        _rotate, ConfirmForm, "confirm_form", _("A new signing secret is issued. Copy it now.")
    ),
    "delete": EndpointAction(_delete, ConfirmForm, "confirm_form", _("The endpoint is deleted.")),
    "test": EndpointAction(
        _test,
        ConfirmForm,
        "confirm_form",
        _("A test event is queued. Reload to see it in the delivery log."),
    ),
    "replay": EndpointAction(_replay, ReplayForm, "replay_form", None),  # says how many
}


def _submit(request: HttpRequest, form: forms.Form, call: Callable[[], Any]) -> Any:
    """Call the service with the valid form; return its result, or None with the refusal on
    the form (an endpoint gone meanwhile is a 404)."""
    if not form.is_valid():
        return None
    try:
        return call()
    except DomainError as error:
        if error.field is None and isinstance(error, NotFoundError):
            raise Http404 from None
        add_domain_error(form, error, translation.get_language())
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_webhook_action(
    request: HttpRequest, public_id: str, endpoint_id: str, action: str
) -> HttpResponse:
    """POST: run one action on the endpoint. GET: the confirmation of deleting or rotating, or
    the endpoint's screen (a reload or a shared link never meets a 405)."""
    page = load_partner(request, public_id)
    endpoint = _endpoint(request, public_id, endpoint_id)
    here = _endpoint_url(public_id, endpoint_id)
    if request.method == "POST":
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        form = spec.form_class(request.POST)
        result = _submit(request, form, lambda: spec.call(request, public_id, endpoint_id, form))
        if result is None:
            keep_refused(request, spec.form_name, form)
            return redirect(here)
        if spec.done is not None:
            messages.success(request, spec.done)
        return redirect(_list_url(public_id) if action == "delete" else here)
    confirm = CONFIRMATIONS.get(action)
    if confirm is None:
        return redirect(here)
    if not page.can["webhooks_manage"]:
        raise Http404
    context = confirm(endpoint) | {
        "page": page,
        "screen": "webhooks",
        "cancel_url": here,
        "confirm_form": ConfirmForm(),
    }
    return render_page(request, "portal/webhooks/confirm.html", context)


def _confirm_delete(endpoint: Any) -> dict[str, Any]:
    return {
        "title": _("Delete the endpoint?"),
        "lead": _("No more events are sent to %(url)s; this cannot be undone.")
        % {"url": endpoint.url},
        "lost": [
            _("The endpoint, its signing secret and its delivery log."),
            _("Deliveries still waiting to be sent to it."),
        ],
        "button": _("Delete the endpoint"),
        "danger": True,
    }


def _confirm_rotate(endpoint: Any) -> dict[str, Any]:
    hours = int(services.SECRET_GRACE.total_seconds() // 3600)
    return {
        "title": _("Issue a new signing secret?"),
        "lead": _(
            "A new secret is issued and shown once. For %(hours)s hours every delivery is "
            "signed with both the old and the new secret, so your receiver keeps verifying "
            "while you switch; then only the new one signs."
        )
        % {"hours": hours},
        "lost": [_("The old secret, after %(hours)s hours.") % {"hours": hours}],
        "button": _("Issue a new secret"),
        "danger": False,
    }


CONFIRMATIONS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "delete": _confirm_delete,
    "rotate": _confirm_rotate,
}
