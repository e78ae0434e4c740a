"""E-mails of the notices (sent on commit): in the recipient's language when known, else in
Japanese then English, like every e-mail of the site."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from devcenter.notices.models import Notice
from devcenter.notices.selectors import notice_language
from devcenter.notices.wording import card_expiry_words
from devcenter.partners.mail import absolute_url, person_name, send_branded


def send_card_expiring(notice_pks: Iterable[int]) -> None:
    """E-mail each recipient of these card expiry notices, with a link to the card screen."""
    notices = Notice.objects.select_related("recipient", "partner").filter(pk__in=list(notice_pks))
    for notice in notices.order_by("pk"):
        recipient = notice.recipient
        if not recipient.email:
            continue
        partner = notice.partner
        ja, en = (
            card_expiry_words(notice.data, partner_name=partner.registration_name, lang=lang)
            for lang in ("ja", "en")
        )
        send_branded(
            to=recipient.email,
            name=person_name(recipient),
            template="card_expiring",
            subject=(ja.title, en.title),
            context={
                "ja": ja,
                "en": en,
                "link": absolute_url(reverse("portal:partner_card", args=[partner.public_id])),
            },
            language=notice_language(user=recipient),
        )
