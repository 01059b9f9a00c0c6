"""What the Guarantor owes the trustee: the annual compliance certificate (§2.4, TIA
§314(a)(4)), Officers' Certificates and Opinions of Counsel for conditions precedent (§2.5,
TIA §314(c)) and periodic reports (§2.4, TIA §314(a)(1)).

Each function runs in one transaction, locks its row, refuses a move the workflow does not
allow (trustee/deliverable_rules.py) and writes a WorkflowStep: the agreement's timeline.
The trustee must examine the certificates the agreement requires "to determine whether or
not they conform" (§3.1(d)(i)(B)): one officer examines and records the findings, a second
(a Responsible Officer) accepts, which closes the duty on the calendar. `by=None` is the
scheduler; `today=` is the business date (time travel in tests).
"""

from __future__ import annotations

from datetime import date

from trustee.workflows.deliverables_certificates import (
    certificate_accept,
    certificate_chase_send,
    certificate_examine,
    certificate_excuse,
    certificate_expect,
    certificate_receive,
    certificate_return,
    certificates_late,
    certificates_open,
)
from trustee.workflows.deliverables_common import document_store, escalate_every
from trustee.workflows.deliverables_officers import (
    allowed_titles,
    officers_certificate_accept,
    officers_certificate_examine,
    officers_certificate_receive,
    officers_certificate_resubmit,
    officers_certificate_return,
    officers_certificates_late,
    officers_problems,
)
from trustee.workflows.deliverables_reports import (
    periodic_report_expect,
    periodic_report_file,
    periodic_report_receive,
    periodic_report_record,
    periodic_reports_late,
)

# == the sweep and the demo ===================================================================


def sweep(*, today: date) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {
        "certificates_opened": certificates_open(today=today),
        "certificates_late": certificates_late(today=today),
        "officers_certificates_late": officers_certificates_late(today=today),
        "periodic_reports_late": periodic_reports_late(today=today),
    }


def demo_seed(*, today: date) -> None:
    """Demo rows an officer can walk in the admin (called by load_demo)."""
    from trustee.workflows.deliverables_demo import seed

    seed(today=today)


__all__ = [
    "allowed_titles",
    "certificate_accept",
    "certificate_chase_send",
    "certificate_examine",
    "certificate_excuse",
    "certificate_expect",
    "certificate_receive",
    "certificate_return",
    "certificates_late",
    "certificates_open",
    "demo_seed",
    "document_store",
    "escalate_every",
    "officers_certificate_accept",
    "officers_certificate_examine",
    "officers_certificate_receive",
    "officers_certificate_resubmit",
    "officers_certificate_return",
    "officers_certificates_late",
    "officers_problems",
    "periodic_report_expect",
    "periodic_report_file",
    "periodic_report_receive",
    "periodic_report_record",
    "periodic_reports_late",
    "sweep",
]
