"""Routes of the portal: the public landing page and the developer pages.

Each partner has screens (home, services, accounts, certification, card, members, history,
settings); a screen's own form POSTs to the screen's URL. An action on one thing (remove a card,
delete a test account, remove a member, withdraw an application) has its own URL: GET asks for
confirmation, POST does it.
"""

from __future__ import annotations

from django.urls import path

from devcenter.portal import (
    invitation_page,
    notice_views,
    partner_actions,
    partner_registration,
    partner_screens,
    registration_views,
    staff_registration_views,
    staff_review,
    views,
    webhook_views,
)
from devcenter.portal.partner_screens import screen_view

app_name = "portal"

PARTNER = "partners/<str:public_id>/"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("docs/", views.api_docs, name="api_docs"),
    path("account/", views.account, name="account"),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/read/", notice_views.notices_read_all, name="notices_read_all"),
    path("notices/<str:notice_id>/read/", notice_views.notice_read, name="notice_read"),
    path("partners/", partner_registration.partners, name="partners"),
    path(
        "partners/new/corporate/",
        partner_registration.register_corporate,
        name="register_corporate",
    ),
    path(
        "partners/new/individual/",
        partner_registration.register_individual,
        name="register_individual",
    ),
    path("partners/new/certification/", partner_registration.apply_new, name="apply_new"),
    path(
        "partners/new/certification/application-form.pdf",
        partner_registration.application_form_blank,
        name="application_form_blank",
    ),
    path(PARTNER, partner_screens.partner, name="partner"),
    path(f"{PARTNER}services/", registration_views.partner_services, name="partner_services"),
    path(
        f"{PARTNER}services/<str:service>/new/",
        registration_views.registration_new,
        name="registration_new",
    ),
    path(
        "registrations/<str:registration_id>/",
        registration_views.registration,
        name="registration",
    ),
    *(
        path(
            f"registrations/<str:registration_id>/{segment}/",
            registration_views.registration_action,
            {"action": action},
            name=f"registration_{action}",
        )
        for segment, action in (
            ("images", "image_add"),
            ("credentials", "credentials_issue"),
            ("credentials/rotate", "credentials_rotate"),
            ("listing-request", "listing_request"),
            ("contact-email/resend", "contact_email_resend"),
            ("operators", "operator_grant"),
            ("operators/<int:user_id>/revoke", "operator_revoke"),
            ("payment", "payment_enrol"),
            ("payout", "payout_set"),
            ("delete", "delete"),
        )
    ),
    path(
        "registrations/<str:registration_id>/images/<int:image_id>/",
        registration_views.registration_image,
        name="registration_image",
    ),
    path(
        "staff/registrations/<str:registration_id>/images/<int:image_id>/",
        staff_registration_views.listing_image,
        name="staff_listing_image",
    ),
    path(
        "registration-links/operator/<str:token>/",
        registration_views.operator_link,
        name="registration_operator_link",
    ),
    path(
        "registration-links/contact-email/<str:token>/",
        registration_views.contact_email_link,
        name="registration_contact_email_link",
    ),
    path(
        "staff/registrations/",
        staff_registration_views.listing_queue,
        name="staff_listing_queue",
    ),
    path(
        "staff/registrations/<str:registration_id>/",
        staff_registration_views.listing_review,
        name="staff_listing_review",
    ),
    path(
        "staff/registrations/<str:registration_id>/<str:decision>/",
        staff_registration_views.listing_decide,
        name="staff_listing_decide",
    ),
    path("staff/payments/", staff_registration_views.payment_queue, name="staff_payment_queue"),
    path(
        "staff/payments/<str:payment_id>/",
        staff_registration_views.payment_review,
        name="staff_payment_review",
    ),
    path(
        "staff/payments/<str:payment_id>/<str:decision>/",
        staff_registration_views.payment_decide,
        name="staff_payment_decide",
    ),
    path(
        f"{PARTNER}accounts/", screen_view("accounts", "test_account_add"), name="partner_accounts"
    ),
    path(
        f"{PARTNER}accounts/<str:account_id>/delete/",
        partner_actions.partner_action,
        {"action": "test_account_delete"},
        name="test_account_delete",
    ),
    path(
        f"{PARTNER}certification/",
        screen_view("certification", "apply_upgrade"),
        name="partner_certification",
    ),
    path(
        f"{PARTNER}certification/application-form.pdf",
        partner_screens.application_form_download,
        name="application_form_pdf",
    ),
    path(
        f"{PARTNER}certification/<str:application_id>/withdraw/",
        partner_actions.partner_action,
        {"action": "application_withdraw"},
        name="application_withdraw",
    ),
    path(
        f"{PARTNER}certification/<str:application_id>/resubmit/",
        partner_actions.partner_action,
        {"action": "application_resubmit"},
        name="application_resubmit",
    ),
    path(f"{PARTNER}card/", screen_view("card", "card_add"), name="partner_card"),
    path(
        f"{PARTNER}card/<str:card_id>/remove/",
        partner_actions.partner_action,
        {"action": "card_remove"},
        name="card_remove",
    ),
    path(f"{PARTNER}members/", screen_view("members", "member_add"), name="partner_members"),
    path(
        f"{PARTNER}members/<int:user_id>/remove/",
        partner_actions.partner_action,
        {"action": "member_remove"},
        name="member_remove",
    ),
    path(f"{PARTNER}api-keys/", partner_screens.partner_api_keys, name="partner_api_keys"),
    path(
        f"{PARTNER}api-keys/revoke/",
        partner_screens.partner_api_key_revoke,
        name="partner_api_key_revoke",
    ),
    path(
        f"{PARTNER}invitations/<str:invitation_id>/resend/",
        partner_actions.partner_action,
        {"action": "invitation_resend"},
        name="invitation_resend",
    ),
    path(
        f"{PARTNER}invitations/<str:invitation_id>/cancel/",
        partner_actions.partner_action,
        {"action": "invitation_cancel"},
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", invitation_page.invitation, name="invitation"),
    path("staff/reviews/", staff_review.review_queue, name="staff_reviews"),
    path(
        "staff/reviews/<str:application_id>/",
        staff_review.review_application,
        name="staff_review",
    ),
    path(f"{PARTNER}history/", screen_view("history"), name="partner_history"),
    path(f"{PARTNER}settings/", screen_view("settings"), name="partner_settings"),
    path(f"{PARTNER}webhooks/", webhook_views.partner_webhooks, name="partner_webhooks"),
    path(
        f"{PARTNER}webhooks/<str:endpoint_id>/",
        webhook_views.partner_webhook,
        name="partner_webhook",
    ),
    path(
        f"{PARTNER}webhooks/<str:endpoint_id>/<str:action>/",
        webhook_views.partner_webhook_action,
        name="partner_webhook_action",
    ),
]
