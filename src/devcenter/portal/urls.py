"""Routes of the portal: the public landing page and the developer pages."""

from __future__ import annotations

from django.urls import path

from devcenter.portal import partner_views, views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("partners/", partner_views.partners, name="partners"),
    path("partners/new/corporate/", partner_views.register_corporate, name="register_corporate"),
    path("partners/new/individual/", partner_views.register_individual, name="register_individual"),
    path("partners/new/certification/", partner_views.apply_new, name="apply_new"),
    path("partners/<str:public_id>/", partner_views.partner, name="partner"),
    path(
        "partners/<str:public_id>/card/",
        partner_views.partner_action,
        {"action": "card_add"},
        name="card_add",
    ),
    path(
        "partners/<str:public_id>/card/<str:card_id>/remove/",
        partner_views.partner_action,
        {"action": "card_remove"},
        name="card_remove",
    ),
    path(
        "partners/<str:public_id>/test-accounts/",
        partner_views.partner_action,
        {"action": "test_account_add"},
        name="test_account_add",
    ),
    path(
        "partners/<str:public_id>/test-accounts/<str:account_id>/delete/",
        partner_views.partner_action,
        {"action": "test_account_delete"},
        name="test_account_delete",
    ),
    path(
        "partners/<str:public_id>/certification/",
        partner_views.partner_action,
        {"action": "apply_upgrade"},
        name="apply_upgrade",
    ),
    path(
        "partners/<str:public_id>/certification/<str:application_id>/withdraw/",
        partner_views.partner_action,
        {"action": "application_withdraw"},
        name="application_withdraw",
    ),
    path(
        "partners/<str:public_id>/certification/<str:application_id>/resubmit/",
        partner_views.partner_action,
        {"action": "application_resubmit"},
        name="application_resubmit",
    ),
    path(
        "partners/<str:public_id>/members/",
        partner_views.partner_action,
        {"action": "member_add"},
        name="member_add",
    ),
    path(
        "partners/<str:public_id>/members/<int:user_id>/remove/",
        partner_views.member_remove_view,
        name="member_remove",
    ),
]
