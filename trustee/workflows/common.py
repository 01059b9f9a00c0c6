"""What the three workflows share: the scheduler's account, applying and recording one
transition, and who may act."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trustee import workflow_rules as rules
from trustee.models import (
    Obligation,
    OfficerAssignment,
    WorkflowStep,
)
from trustee.obligations import (
    TransitionRefused,
)

SCHEDULER_USERNAME = "trustdesk-scheduler"
OPEN_OBLIGATION = [
    Obligation.Status.UPCOMING,
    Obligation.Status.DUE_SOON,
    Obligation.Status.OVERDUE,
]
Flow = WorkflowStep.Workflow


def today_or_now(today: date | None) -> date:
    return today or timezone.localdate()


def scheduler_user():
    """The account the scheduler prepares notices under: it cannot log in, and as the
    preparer it leaves the approval to an officer (maker-checker holds for machines too)."""
    user, created = get_user_model().objects.get_or_create(
        username=SCHEDULER_USERNAME,
        defaults={"first_name": "Trustdesk", "last_name": "scheduler", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def apply_transition(
    row, flow, labels, transitions, new, *, by, on, comment="", notify=False, fields=()
):
    """Check and apply one transition on a locked row, and record it."""
    old = row.state
    try:
        rules.check(transitions, labels, old, new)
    except rules.Refused as refusal:
        raise TransitionRefused(f"{row}: {refusal}") from None
    row.state = new
    row.save(update_fields=["state", "updated_at", *fields])
    step = WorkflowStep.objects.create(
        agreement_id=row.agreement_id,
        workflow=flow,
        case_id=row.pk,
        old_state=old,
        new_state=new,
        by=by,
        on=on,
        comment=comment,
        notify=notify,
    )
    if notify:
        from trustee.tasks import send_escalation

        transaction.on_commit(lambda: send_escalation.delay(step.pk))
    return step


def security_for(agreement, obligation=None):
    if obligation is not None and obligation.security_id:
        return obligation.security
    return agreement.securities.order_by("pk").first()


def escalation_recipients(agreement) -> list[str]:
    rows = OfficerAssignment.objects.filter(agreement=agreement).select_related("officer__user")
    return sorted(
        {a.officer.user.email for a in rows if a.officer.is_active and a.officer.user.email}
    )
