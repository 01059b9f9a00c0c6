from trustee.admin import (
    agreements,
    applications,
    deliverables,
    examiner_reports,
    intake,
    obligations,
    officers,
    standing,
    workflows,
)

__all__ = [
    "agreements",
    "applications",
    "deliverables",
    "examiner_reports",
    "intake",
    "obligations",
    "officers",
    "standing",
    "workflows",
]


def audit_trail_only_on_postgresql():
    """The audit trail's tables and triggers are PostgreSQL's: on the SQLite demo its admin
    page would fail, so it is not shown there."""
    from django.conf import settings
    from django.contrib import admin
    from pghistory.models import Events

    postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    if not postgres and admin.site.is_registered(Events):
        admin.site.unregister(Events)
