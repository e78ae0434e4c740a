"""Telling an endpoint's owner it was disabled after failing for the whole retry period."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from devcenter.events.models import WebhookEndpoint


def _text(endpoint: WebhookEndpoint) -> tuple[str, str]:
    """Return the subject and body, Japanese first, then English."""
    subjects, bodies = [], []
    for language in ("ja", "en"):
        with translation.override(language):
            subjects.append(_("Webhook endpoint disabled"))
            bodies.append(
                _(
                    "Deliveries to %(url)s have failed for 3 days, so the endpoint was "
                    "disabled. Fix the receiver, then enable the endpoint again: the waiting "
                    "events will be delivered. %(link)s"
                )
                % {"url": endpoint.url, "link": _link(endpoint)}
            )
    return " / ".join(subjects), "\n\n".join(bodies)


def _link(endpoint: WebhookEndpoint) -> str:
    base = settings.DEVCENTER_BASE_URL
    if endpoint.partner:
        return f"{base}/partners/{endpoint.partner}/"  # the webhooks screen is not built yet
    return f"{base}/admin/events/webhookendpoint/"


def endpoint_disabled_notify(endpoint_pk: int) -> None:
    """E-mail the owners of a partner's endpoint (the site's admins for a platform one)."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_pk).first()
    if endpoint is None:
        return
    subject, body = _text(endpoint)
    if not endpoint.partner:
        mail_admins(subject, body)
        return
    from devcenter.partners.selectors import partner_owner_emails

    recipients = partner_owner_emails(public_id=endpoint.partner)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
