"""ASGI entry point served by ``devcenter serve``.

``django_application`` is Django itself; ``application`` is what the server runs, so the
decision plane can be placed in front of Django without touching anything else.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")

django_application = get_asgi_application()
application = django_application
