"""The staff powers rule, for the staff console: it lives in `devcenter.users` (the kernel)."""

from __future__ import annotations

from devcenter.users import StaffRefusal, has_active_totp, session_passed_mfa, staff_refusal

__all__ = ["StaffRefusal", "has_active_totp", "session_passed_mfa", "staff_refusal"]
