"""The registry JSON API: one NinjaAPI mounted at /api/v1/, one Router per app.

The decision plane answers /api/v1/health, /api/v1/policy and /api/v1/decisions before Django
(see `devcenter.asgi`); everything else under /api/v1/ is this API. Auth is a bearer API key
(scope developer or staff, bound to a user) or the portal session with CSRF; every POST
honours `Idempotency-Key`; every error is `{"code", "message", "field"?}`.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from devcenter.accounts.api import router as accounts_router
from devcenter.api_support.auth import developer_auth
from devcenter.api_support.errors import install_error_handlers
from devcenter.audit.api import router as audit_router
from devcenter.events.api import router as events_router
from devcenter.notices.api import router as notices_router
from devcenter.partners.api import router as partners_router
from devcenter.partners.api import staff_router as partners_staff_router
from devcenter.registrations.api import router as registrations_router
from devcenter.registrations.api import staff_router as registrations_staff_router
from devcenter.reviews.api import router as reviews_router
from devcenter.reviews.api import staff_router as reviews_staff_router


class RegistryApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """Name each operation after its handler (`partner_detail`, `staff_approve`, …)."""
        return str(operation.view_func.__name__)


api = RegistryApi(
    title="devcenter registry API",
    version="1",
    description="Partner registry of the developer platform: registration, certification "
    "review, cards, accounts, audit history, entitlements; and the decision plane. "
    "See docs/api.md.",
    auth=developer_auth(),
    urls_namespace="api-v1",
    openapi_url=None,
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", partners_router)
api.add_router("/", accounts_router)
api.add_router("/", reviews_router)
api.add_router("/", reviews_staff_router)
api.add_router("/", audit_router)
api.add_router("/", partners_staff_router)
api.add_router("/", registrations_router)
api.add_router("/", registrations_staff_router)
api.add_router("/", events_router)
api.add_router("/", notices_router)
