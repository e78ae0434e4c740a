"""Every staff action: refused (403) for non-staff and for staff without TOTP; nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from devcenter.errors import ForbiddenError
from devcenter.reviews import services
from tests.reviews.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIONS: dict[str, tuple[str, Callable[..., Any], dict[str, str]]] = {
    "start_review": ("submitted", services.application_start_review, {}),
    "confirm_identity": ("in_review", services.application_confirm_identity, {"note": "Called."}),
    "approve": ("in_review", services.application_approve, {}),
    "reject": ("in_review", services.application_reject, {"reason_ja": "理由", "reason_en": "Why"}),
    "request_info": ("in_review", services.application_request_info, {"note": "Send page 2."}),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("developer", "staff_only"),
        ("inactive_staff", "staff_only"),
        ("staff_without_totp", "mfa_required"),
    ],
)
def test_staff_actions_need_staff_with_totp(
    action: str,
    who: str,
    code: str,
    make_application: Callable[..., Any],
    owner: Any,
    registry_state: Callable[[], dict[str, Any]],
) -> None:
    status, service, arguments = ACTIONS[action]
    application = make_application(status)
    reviewer = {
        "developer": lambda: owner,
        "inactive_staff": lambda: StaffFactory(is_active=False),
        "staff_without_totp": lambda: StaffFactory(totp=False),
    }[who]()
    before = registry_state()

    with pytest.raises(ForbiddenError) as refused:
        service(application_id=application.public_id, acting_user=reviewer, **arguments)

    assert refused.value.code == code
    assert refused.value.status == 403
    assert registry_state() == before


def test_a_plain_user_is_refused_before_the_input_is_checked(
    make_application: Callable[..., Any],
) -> None:
    """A non-staff caller learns nothing about the input rules: 403, not 422."""
    application = make_application("in_review")

    with pytest.raises(ForbiddenError):
        services.application_reject(
            application_id=application.public_id,
            acting_user=UserFactory(),
            reason_ja="",
            reason_en="",
        )
