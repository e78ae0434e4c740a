"""WSGI entry point (Django only; ``devcenter serve`` uses the ASGI app)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")

application = get_wsgi_application()
