"""Shared pieces of the staff console: read-only model admins and service calls with messages.

The console never writes a model itself: every admin is read-only, and state changes go
through small forms that call one service. A refused call (DomainError) becomes an admin error
message carrying its stable code, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import get_language

from devcenter.errors import DomainError


def _is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff)


class StaffReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff may look at everything; nobody adds, changes or deletes through the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StaffReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """A read-only table of related rows on a change page."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def domain_error_text(error: DomainError) -> str:
    """Return the message in the request's language (Japanese unless English), its code after it.

    Staff read the sentence first; the code is kept, in brackets, for a support ticket.
    """
    lang = (get_language() or "ja")[:2]
    return f"{error.message(lang)} ({error.code})"


def call_service(request: HttpRequest, call: Callable[[], Any], *, success: str) -> bool:
    """Run one service call; report success or the refusal (with its code) as a message."""
    try:
        call()
    except DomainError as error:
        messages.error(request, domain_error_text(error))
        return False
    messages.success(request, success)
    return True
