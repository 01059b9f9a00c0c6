"""What the trustee's standing workflows share: who the timeline names, and a step that records
without a transition."""

from __future__ import annotations

from django.db import transaction

from trustee.models import WorkflowStep


def actor(by):
    """Who the timeline names: None for the scheduler's own account."""
    return by if by is not None and by.is_active else None


def step(row, flow, *, old, new, by, on, comment, notify=False):
    row_step = WorkflowStep.objects.create(
        agreement_id=row.agreement_id,
        workflow=flow,
        case_id=row.pk,
        old_state=old,
        new_state=new,
        by=actor(by),
        on=on,
        comment=comment,
        notify=notify,
    )
    if notify:
        from trustee.tasks import send_escalation

        transaction.on_commit(lambda: send_escalation.delay(row_step.pk))
    return row_step
