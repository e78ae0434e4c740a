"""ASGI entry point served by ``devcenter serve``.

``django_application`` is Django itself; ``application`` puts the decision plane in front of
it, in the same process and port: `/api/v1/health`, `/api/v1/policy` and `/api/v1/decisions`
are answered from memory, everything else goes to Django.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

# WhiteNoise answers static files with a synchronous file iterator; Django's ASGI handler
# consumes it in a worker thread (correct, just not zero-copy) and warns on every file.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators", category=Warning
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")

django_application = get_asgi_application()

from devcenter.apikeys.signals import on_keys_changed  # noqa: E402 (after Django is set up)
from devcenter.decision_plane.app import DecisionPlane, bare_endpoint_enabled  # noqa: E402

application = DecisionPlane(
    django_application,  # type: ignore[arg-type]  # Django's stubs type `scope` as dict
    bare_endpoint=bare_endpoint_enabled(),
)
on_keys_changed.append(application.keyring.mark_stale)

from devcenter.audit.hooks import on_audit_appended  # noqa: E402

on_audit_appended.append(application.snapshot.mark_stale)

from devcenter.front.app import FrontDoor  # noqa: E402

# The front door sees every request first (body limits, hosts, HTTPS); the plane's attributes
# (`application.keyring`, `.snapshot`) stay reachable through it.
application = FrontDoor.from_settings(application)  # type: ignore[assignment]
