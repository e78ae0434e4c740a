"""The apikeys app's choice enums other apps need (values are stored; labels are shown).

They live here, not in `devcenter.apikeys.models`, so other apps can use them without
importing the models (the import contracts in pyproject.toml forbid that);
`devcenter.apikeys.models` re-exports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyScope(models.TextChoices):
    DECISIONS = "decisions", _("Decisions")  # platform services calling POST /api/v1/decisions
    DEVELOPER = "developer", _("Developer")  # a partner's own API access, bound to a user
    STAFF = "staff", _("Staff")  # platform staff tooling, bound to a staff user
    METRICS = "metrics", _("Metrics")  # a Prometheus server scraping GET /metrics
