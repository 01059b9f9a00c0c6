"""Services for trust officers."""

import secrets

from django.db import transaction

from trustee.models import TrustOfficer


@transaction.atomic
def officer_calendar_reset(*, officer_id):
    """Give the officer a new secret calendar URL; the old one stops working at once."""
    officer = TrustOfficer.objects.select_for_update().get(pk=officer_id)
    officer.calendar_token = secrets.token_urlsafe(32)
    officer.save(update_fields=["calendar_token"])
    return officer
