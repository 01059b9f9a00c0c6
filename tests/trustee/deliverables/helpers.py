"""Helpers of the deliverables workflow tests."""

from datetime import date, timedelta

from trustee.models import (
    ComplianceCertificate,
    WorkflowStep,
)
from trustee.obligations import materialize
from trustee.workflows import deliverables as flows

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ALL = {"read": True, "scope": True, "sufficient": True, "complied": True}


def states(case, workflow):
    return list(
        WorkflowStep.objects.filter(workflow=workflow, case_id=case.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )


def sweep_days(start, end):
    """The sweep on every day from start to end, as beat would; what it did each day."""
    done, day = {}, start
    while day <= end:
        done[day] = flows.sweep(today=day)
        day += timedelta(days=1)
    return done


def opened(agreement, start=date(2027, 1, 1)):
    materialize(today=start)
    assert flows.sweep(today=start)["certificates_opened"] == 1
    return ComplianceCertificate.objects.get(agreement=agreement)


# == compliance certificates ==================================================================
