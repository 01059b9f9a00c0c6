"""E-mail to the agreement's officers (primary and backup) when a workflow escalates: a list
of holders overdue, a report late, a default that became an Event of Default, a withholding
that lapsed. One message per WorkflowStep marked `notify`, recorded when the server took it."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trustee.models import WorkflowStep

log = logging.getLogger(__name__)


def escalation_send(*, step_id) -> bool:
    """Send the step's e-mail unless it was sent. The row stays locked while sending, so two
    tasks for one step (a redelivered message) send it once; a crash after the server took it
    and before the commit sends it again, with the same Message-ID."""
    from trustee.workflows import escalation_recipients

    with transaction.atomic():
        step = (
            # Only the step's own row: locking the agreement too would make a second
            # escalation of the same agreement skip its step while this one is sending.
            WorkflowStep.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("agreement")
            .filter(pk=step_id, notify=True, notified_at__isnull=True)
            .first()
        )
        if step is None:
            return False
        recipients = escalation_recipients(step.agreement)
        if not recipients:
            log.warning("No officer with an e-mail address on %s", step.agreement)
            return False
        context = {
            "step": step,
            "agreement": step.agreement,
            "admin_url": settings.TRUSTDESK_BASE_URL.rstrip("/")
            + reverse("admin:trustee_agreement_change", args=[step.agreement_id]),
        }
        EmailMessage(
            subject=" ".join(render_to_string("emails/escalation-subject.txt", context).split()),
            body=render_to_string("emails/escalation-body.txt", context),
            to=recipients,
            headers={
                "Message-ID": f"<escalation-{step.pk}@{settings.TRUSTDESK_MESSAGE_ID_DOMAIN}>"
            },
        ).send()
        step.notified_at = timezone.now()
        step.save(update_fields=["notified_at"])
    return True


def escalations_unsent(*, older_than_minutes: int = 10) -> list[int]:
    """Escalations whose e-mail never went (the task was lost, the mail server was down):
    handed to the mail tasks again by the sweep."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    return list(
        WorkflowStep.objects.filter(notify=True, notified_at__isnull=True, at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
