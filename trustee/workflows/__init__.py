"""Every change of state of the trustee's three workflows: List of Holders requests (§2.2),
the annual report to Holders (§2.3, TIA §313) and defaults with their notice clock (§2.6,
§2.7, §3.1).

Each function runs in one transaction, locks its row, refuses a transition the workflow does
not allow (trustee/workflow_rules.py) with a clear message, and writes a WorkflowStep: who,
when, from, to and why. The admin's buttons and the daily sweep call these and nothing else.
A `by` of None is the scheduler.
"""

from __future__ import annotations

from datetime import date

from trustee import workflow_rules as rules
from trustee.workflows import applications, deliverables, payments, resignations, standing
from trustee.workflows.common import (
    SCHEDULER_USERNAME,
    escalation_recipients,
    scheduler_user,
    today_or_now,
)
from trustee.workflows.defaults import (
    agreement_in_default,
    default_cure,
    default_notice_approve,
    default_notice_draft,
    default_record,
    default_waive,
    default_withhold,
    defaults_advance,
)
from trustee.workflows.list_requests import (
    list_request_accept,
    list_request_delivered,
    list_request_demand,
    list_request_excuse,
    list_request_received,
    list_request_reopen,
    list_request_send,
    list_requests_link_received,
    list_requests_open,
    list_requests_overdue,
)
from trustee.workflows.reports import (
    report_answer,
    report_approve,
    report_filed,
    report_mailed,
    reports_open,
    reports_overdue,
)


def workflows_sweep(*, today: date | None = None) -> dict[str, int]:
    """Everything the workflows do on their own, in order; safe to run twice or at once on
    two workers (each row is claimed under its lock), and it catches up after downtime."""
    today = today_or_now(today)
    return {
        "list_requests_opened": list_requests_open(today=today),
        "list_requests_received": list_requests_link_received(today=today),
        "list_requests_late": list_requests_overdue(today=today),
        "reports_opened": reports_open(today=today),
        "reports_late": reports_overdue(today=today),
        "defaults_advanced": defaults_advance(today=today),
        **deliverables.sweep(today=today),
        **payments.sweep(today=today),
        **standing.sweep(today=today),
        **resignations.sweep(today=today),
        **applications.sweep(today=today),
    }


# The workflows that seed demo rows of their own for an officer to walk (load_demo).
DEMO_SEEDS = (deliverables, payments, standing, resignations, applications)


__all__ = [
    "SCHEDULER_USERNAME",
    "agreement_in_default",
    "default_cure",
    "default_notice_approve",
    "default_notice_draft",
    "default_record",
    "default_waive",
    "default_withhold",
    "defaults_advance",
    "escalation_recipients",
    "list_request_accept",
    "list_request_delivered",
    "list_request_demand",
    "list_request_excuse",
    "list_request_received",
    "list_request_reopen",
    "list_request_send",
    "list_requests_link_received",
    "list_requests_open",
    "list_requests_overdue",
    "report_answer",
    "report_approve",
    "report_filed",
    "report_mailed",
    "reports_open",
    "reports_overdue",
    "rules",
    "scheduler_user",
    "workflows_sweep",
]
