"""Being staff gives no rights as a member: staff (with TOTP) get 404 on developer endpoints.

The finding: a staff user added itself as owner of another partner and created a test account
there (201). Now every developer operation on a partner, application or document answers a
staff user who is not a member exactly as it answers a stranger, and changes nothing.
"""

import pytest

from devcenter.accounts.models import PlatformAccount
from devcenter.audit.models import AuditEvent
from devcenter.partners.models import Membership
from tests.api.conftest import documents, error_code


def _endpoints(partner, application, document, account, owner):
    p, a = partner.public_id, application.public_id
    return [
        ("get", f"/partners/{p}", None, "partner_not_found"),
        ("get", f"/partners/{p}/entitlements", None, "partner_not_found"),
        ("get", f"/partners/{p}/history", None, "partner_not_found"),
        ("get", f"/partners/{p}/members", None, "partner_not_found"),
        ("get", f"/partners/{p}/accounts", None, "partner_not_found"),
        ("post", f"/partners/{p}/members", "self-as-owner", "partner_not_found"),
        ("delete", f"/partners/{p}/members/{owner.pk}", None, "partner_not_found"),
        ("post", f"/partners/{p}/test-accounts", {"display_name": "staff"}, "partner_not_found"),
        ("delete", f"/partners/{p}/test-accounts/{account.public_id}", None, "partner_not_found"),
        ("post", f"/partners/{p}/cards", {"token": "tok_visa"}, "partner_not_found"),
        ("delete", f"/partners/{p}/cards/card_x", None, "partner_not_found"),
        ("post", f"/partners/{p}/applications", "documents", "partner_not_found"),
        ("get", f"/applications/{a}", None, "application_not_found"),
        ("post", f"/applications/{a}/withdraw", {}, "application_not_found"),
        ("post", f"/applications/{a}/resubmit", "documents", "application_not_found"),
        ("get", f"/documents/{document.public_id}", None, "document_not_found"),
    ]


@pytest.fixture
def targets(certified_partner, developer, staff_user):
    """A certified partner of `developer` with a test account and an application."""
    from devcenter.partners.services import test_account_create
    from devcenter.reviews.services import application_submit_new

    account = test_account_create(
        partner_id=certified_partner.public_id, display_name="qa", acting_user=developer
    )
    from tests.partners.factories import corporate_details

    application = application_submit_new(
        acting_user=developer, details=corporate_details(), **documents()
    )
    document = application.documents.first()
    return _endpoints(certified_partner, application, document, account, developer)


def test_staff_with_totp_are_strangers_on_every_developer_endpoint(staff, staff_user, targets):
    events_before = AuditEvent.objects.count()
    members_before = Membership.objects.count()
    accounts_before = PlatformAccount.objects.count()

    for method, path, body, code in targets:
        if body == "self-as-owner":
            body = {"email": staff_user.email, "role": "owner"}
        if method == "get":
            response = staff.get(path)
        elif method == "delete":
            response = staff.delete(path)
        elif body == "documents":
            response = staff.post(path, multipart=documents())
        else:
            response = staff.post(path, body)

        assert (path, response.status_code, error_code(response)) == (path, 404, code)

    assert AuditEvent.objects.count() == events_before
    assert Membership.objects.count() == members_before
    assert PlatformAccount.objects.count() == accounts_before
