"""The certification application's facts, derived for the policy core (see partners.facts)."""

from __future__ import annotations

from devcenter.partners.facts import FactSubject, register_fact_deriver
from devcenter.reviews.models import ApplicationStatus, CertificationApplication
from devcenter.reviews.workflow import OPEN_STATUSES


def _open_status(subject: FactSubject) -> str | None:
    return (
        CertificationApplication.objects.filter(partner=subject.partner, status__in=OPEN_STATUSES)
        .values_list("status", flat=True)
        .first()
    )


def _application_open(subject: FactSubject) -> bool:
    return _open_status(subject) is not None


def _no_open_application(subject: FactSubject) -> bool:
    return _open_status(subject) is None


def _application_needs_info(subject: FactSubject) -> bool:
    return _open_status(subject) == ApplicationStatus.NEEDS_INFO


def register() -> None:
    """Register the derivers of the application facts (from ReviewsConfig.ready)."""
    register_fact_deriver("application_open", _application_open)
    register_fact_deriver("no_open_application", _no_open_application)
    register_fact_deriver("application_needs_info", _application_needs_info)
