"""E-mails to the applicant after a review decision (sent on commit, in Japanese and English)."""

from __future__ import annotations

from django.urls import reverse

from devcenter.partners.mail import absolute_url, person_name, send_branded
from devcenter.reviews.models import ApplicationStatus, CertificationApplication

# status -> (subject ja, subject en, what ja, what en, next ja, next en)
_MESSAGES: dict[str, tuple[str, str, str, str, str, str]] = {
    ApplicationStatus.APPROVED: (
        "認定パートナー申請が承認されました",
        "Your certification application was approved",
        "承認されました。法人・認定パートナーとしてご利用いただけます。",
        "approved: the partner is now a certified corporate partner.",
        "利用できるサービスとパートナーアカウントは次のページで確認できます。",
        "See the services and the partner account it may now use here:",
    ),
    ApplicationStatus.REJECTED: (
        "認定パートナー申請が却下されました",
        "Your certification application was rejected",
        "却下されました。理由は次のとおりです。",
        "rejected, for this reason:",
        "書類をそろえて、いつでも申請し直すことができます。",
        "You may apply again at any time with the documents in order:",
    ),
    ApplicationStatus.NEEDS_INFO: (
        "認定パートナー申請について追加の情報が必要です",
        "More information is needed for your certification application",
        "スタッフが次の情報を求めています。",
        "staff ask for the following.",
        "次のページから書類をアップロードするか、そのまま送り返してください。審査が再開されます。",
        "Upload a document or send the application back on this page; the review then continues:",
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
    subject_ja, subject_en, what_ja, what_en, next_ja, next_en = template
    detail_ja, detail_en = _details(application)
    partner = application.partner
    send_branded(
        to=application.submitted_by.email,
        name=person_name(application.submitted_by),
        template="application_decided",
        subject=(subject_ja, subject_en),
        context={
            "partner": partner.registration_name,
            "application_id": application.public_id,
            "what_ja": what_ja,
            "what_en": what_en,
            "detail_ja": detail_ja,
            "detail_en": detail_en,
            "next_ja": next_ja,
            "next_en": next_en,
            "link": absolute_url(reverse("portal:partner_certification", args=[partner.public_id])),
        },
    )


def _details(application: CertificationApplication) -> tuple[str, str]:
    if application.status == ApplicationStatus.REJECTED:
        return application.decision_reason_ja, application.decision_reason_en
    if application.status == ApplicationStatus.NEEDS_INFO:
        return application.needs_info_note, application.needs_info_note
    return "", ""
