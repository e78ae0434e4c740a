"""The regression of "one source of truth": the certification form is offered exactly where the
policy allows `certification.apply`, and the API refuses elsewhere with the policy's code.

Before, a general partner whose organisation is not legally registered, or a suspended partner,
saw the form; the upload then failed with 409 `legal_entity_required`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from devcenter.partners.services import partner_suspend
from devcenter.reviews.models import CertificationApplication
from tests.api.conftest import documents, error_code
from tests.api.factories import ApiCaller, api_key
from tests.partners.factories import corporate_general_partner
from tests.portal.conftest import url

pytestmark = pytest.mark.django_db

FORM = 'id="certification-form"'


@pytest.fixture
def unregistered(user: Any) -> Any:
    """A general partner of an organisation with no legal registration (任意団体)."""
    return corporate_general_partner(user=user, legal_entity_registered=False)


@pytest.fixture
def suspended(user: Any) -> Any:
    partner = corporate_general_partner(user=user)
    return partner_suspend(partner_id=partner.public_id, actor="system", reason="test")


def test_a_registered_general_partner_is_offered_the_form(client_in: Client, general: Any) -> None:
    assert FORM in client_in.get(url(general, "certification/")).content.decode()


@pytest.mark.parametrize(
    ("partner_fixture", "code", "reason_ja"),
    [
        ("unregistered", "legal_entity_required", "法人としての登記"),
        ("suspended", "partner_suspended", "停止中"),
    ],
)
def test_no_form_but_the_reason_where_the_policy_refuses(
    request: pytest.FixtureRequest,
    client_in: Client,
    user: Any,
    partner_fixture: str,
    code: str,
    reason_ja: str,
) -> None:
    partner = request.getfixturevalue(partner_fixture)

    body = client_in.get(url(partner, "certification/")).content.decode()

    assert FORM not in body
    assert 'id="certification-refused"' in body
    assert reason_ja in body
    api = ApiCaller(api_key(user, "developer"))
    response = api.post(f"/partners/{partner.public_id}/applications", multipart=documents())
    assert response.status_code == 409
    assert error_code(response) == code
    assert not CertificationApplication.objects.exists()
