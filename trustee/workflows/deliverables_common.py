"""What the three workflows of what the Guarantor owes share: the documents as delivered
(bytes and SHA-256), the escalation cadence, and the steps that open a case or escalate it."""

from __future__ import annotations

import hashlib
import os
from datetime import date

from django.conf import settings
from django.db import transaction

from trustee import deliverable_rules as rules
from trustee.models import (
    DeliverableDocument,
    WorkflowStep,
)
from trustee.obligations import TransitionRefused

C, OC, P = rules.CertificateState, rules.OfficersState, rules.PeriodicState
# A certificate or report is a few pages: kept in the database with its digest.
DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


def max_document_bytes() -> int:
    return getattr(settings, "TRUSTDESK_MAX_DELIVERABLE_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)


def escalate_every(workflow: str) -> int:
    """Days between escalations; the department's list-request cadence unless set apart."""
    every = settings.TRUSTDESK_ESCALATE_EVERY_DAYS
    return every.get(workflow, every["list_request"])


def refuse(case, refusal: rules.Refused):
    raise TransitionRefused(f"{case}: {refusal}") from None


def not_future(field: str, day: date, today: date):
    if day > today:
        raise TransitionRefused({field: "This date is in the future."})


# -- documents ---------------------------------------------------------------------------------


def document_store(*, file, file_name: str, by) -> DeliverableDocument:
    """Keep an uploaded certificate or report as delivered: its bytes and SHA-256. Refuses
    (on the field "file") an empty file, one too large, or one of a type not kept."""
    name = os.path.basename(str(file_name or "").replace("\\", "/")).strip()
    limit = max_document_bytes()
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    try:
        content_type = rules.document_type(name, data, limit)
    except rules.Refused as refusal:
        raise TransitionRefused({"file": str(refusal)}) from None
    return DeliverableDocument.objects.create(
        file_name=name[:255],
        content_type=content_type,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=by,
    )


def escalation_step(case, flow, *, on, comment):
    """A repeated escalation leaves the state as it is: recorded as a step to the same state,
    marked for the officers' e-mail."""
    step = WorkflowStep.objects.create(
        agreement_id=case.agreement_id,
        workflow=flow,
        case_id=case.pk,
        old_state=case.state,
        new_state=case.state,
        on=on,
        comment=comment,
        notify=True,
    )
    from trustee.tasks import send_escalation

    transaction.on_commit(lambda: send_escalation.delay(step.pk))
    return step


def opened_step(case, flow, *, by, on, comment):
    return WorkflowStep.objects.create(
        agreement_id=case.agreement_id,
        workflow=flow,
        case_id=case.pk,
        new_state=case.state,
        by=by,
        on=on,
        comment=comment,
    )
