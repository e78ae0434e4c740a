"""Who acts: the one type every service names its acting user with.

Services take `acting_user: ActingUser | None` (None: the system, e.g. a sweep) and never
`Any`. The platform uses Django's own user model.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

ActingUser: TypeAlias = User


def acting_user(request: HttpRequest) -> ActingUser:
    """Return the request's signed-in user (for views behind `login_required`)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
