"""Webhook endpoints, their deliveries and the log of attempts; the fan-out's position.

Events themselves are not stored here: they are the audit log's rows (`projection`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from devcenter.events.choices import DeliveryState


class WebhookEndpoint(models.Model):
    """A URL that receives signed events: a platform endpoint (every partner's events,
    `partner` empty) or a partner's endpoint (its own events only).

    Invariants: `secret` is a `whsec_` Standard Webhooks secret; `previous_secret` signs
    alongside until `previous_secret_until` (24 h after a rotation); `event_types` empty
    means every event type; a disabled endpoint gets no new deliveries and none are sent.
    """

    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    partner = models.CharField(_("partner"), max_length=64, blank=True, db_index=True)
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=500, blank=True)
    event_types = models.JSONField(_("event types"), default=list, blank=True)  # [] = all
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("disabled reason"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100)
    previous_secret = models.CharField(_("previous signing secret"), max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(_("previous secret valid until"), null=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    # Events up to this audit sequence (the newest when it was created) are not sent to it.
    from_sequence = models.BigIntegerField(_("from sequence"), default=0)
    created_by = models.CharField(_("created by"), max_length=200)  # audit actor string
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.url}"


class WebhookDelivery(models.Model):
    """One event (or test send) to one endpoint, until a 2xx answer or the retry period ends.

    Invariants: `body` is the exact JSON sent on every attempt; deliveries of one endpoint
    with the same `ordering_key` (the partner) are sent one at a time in `id` order; a worker
    owns a delivery while `lease_until` is in the future (a killed worker's lease runs out and
    another takes it: at least once).
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(_("event id"), max_length=40)
    event_type = models.CharField(_("event type"), max_length=60)
    sequence = models.BigIntegerField(_("sequence"), null=True)  # None for a test send
    ordering_key = models.CharField(_("ordering key"), max_length=80)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.SCHEDULED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    lease_until = models.DateTimeField(_("lease until"), null=True)
    leased_by = models.CharField(_("leased by"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="events_delivery_due",
                condition=models.Q(state=DeliveryState.SCHEDULED),
            ),
            models.Index(
                fields=["endpoint", "ordering_key", "id"],
                name="events_delivery_queue",
                condition=models.Q(state=DeliveryState.SCHEDULED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery: the endpoint's delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveIntegerField(_("status code"), null=True)  # None: no answer
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    response_excerpt = models.CharField(_("response excerpt"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)  # timeout, refused, …
    succeeded = models.BooleanField(_("succeeded"))

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["endpoint", "-id"], name="events_attempt_log")]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"


class EventFanOut(models.Model):
    """The one row saying up to which audit sequence events were turned into deliveries."""

    sequence = models.BigIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("event fan-out position")
        verbose_name_plural = _("event fan-out position")

    def __str__(self) -> str:
        return f"fan-out at {self.sequence}"
