"""E-mails to the applicant after a review decision (sent on commit, in Japanese and English)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from devcenter.reviews.models import ApplicationStatus, CertificationApplication

# status -> (subject ja, subject en, body ja, body en); bodies take {name}, {id} and {detail}.
_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    ApplicationStatus.APPROVED: (
        "認定パートナー申請が承認されました",
        "Your certification application was approved",
        "{name} の認定申請（{id}）が承認されました。法人・認定パートナーとしてご利用いただけます。",
        "The certification application {id} of {name} was approved: the partner is now "
        "corporate certified.",
    ),
    ApplicationStatus.REJECTED: (
        "認定パートナー申請が却下されました",
        "Your certification application was rejected",
        "{name} の認定申請（{id}）は却下されました。\n理由: {detail}",
        "The certification application {id} of {name} was rejected.\nReason: {detail}",
    ),
    ApplicationStatus.NEEDS_INFO: (
        "認定パートナー申請について追加の情報が必要です",
        "More information is needed for your certification application",
        "{name} の認定申請（{id}）について、次の情報をお送りください。\n{detail}",
        "Please send the following for the certification application {id} of {name}.\n{detail}",
    ),
}


def notify_applicant(application_pk: int) -> None:
    """Send the applicant an e-mail about the application's current (decided) status."""
    application = (
        CertificationApplication.objects.select_related("partner", "submitted_by")
        .filter(pk=application_pk)
        .first()
    )
    if application is None or not application.submitted_by.email:
        return
    template = _MESSAGES.get(application.status)
    if template is None:
        return
    subject_ja, subject_en, body_ja, body_en = template
    values = {
        "name": application.partner.registration_name,
        "id": application.public_id,
    }
    detail_ja, detail_en = _details(application)
    send_mail(
        subject=f"[devcenter] {subject_ja} / {subject_en}",
        message=(
            body_ja.format(**values, detail=detail_ja)
            + "\n\n----\n\n"
            + body_en.format(**values, detail=detail_en)
            + "\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[application.submitted_by.email],
    )


def _details(application: CertificationApplication) -> tuple[str, str]:
    if application.status == ApplicationStatus.REJECTED:
        return application.decision_reason_ja, application.decision_reason_en
    if application.status == ApplicationStatus.NEEDS_INFO:
        return application.needs_info_note, application.needs_info_note
    return "", ""
