"""The reviews app's choice enums other apps need (values are stored; labels are shown).

They live here, not in `devcenter.reviews.models`, so other apps (the portal's staff review
screens) can use them without importing the models; `devcenter.reviews.models` re-exports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    NEW = "new", _("New corporation")  # a corporation with no type applies directly
    UPGRADE = "upgrade", _("Upgrade from general")  # a corporate general partner applies


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # waiting for staff (new or resubmitted)
    IN_REVIEW = "in_review", _("In review")  # a staff member is reviewing it
    NEEDS_INFO = (
        "needs_info",
        _("Needs information"),
    )  # staff asked for something; applicant resubmits
    APPROVED = "approved", _("Approved")  # final: the partner is certified
    REJECTED = "rejected", _("Rejected")  # final, with a reason
    WITHDRAWN = "withdrawn", _("Withdrawn")  # final: the applicant withdrew before a decision


class DocumentKind(models.TextChoices):
    REGISTRY_CERTIFICATE = (
        "registry_certificate",
        _("Commercial registry certificate"),
    )  # 登記簿謄本 / 履歴事項全部証明書
    APPLICATION_FORM = "application_form", _("Signed application form")  # 申込書
