"""The reports a supervisor or a bank examiner asks for, as of one date: the trusteeships in
default, and what the Guarantors owe the trustee and have not delivered.

Selectors: they read, never write, and return plain rows (frozen dataclasses) that the admin
pages and the exports (trustee/report_exports.py) lay out. Each reads in a fixed number of
queries however many rows there are, so an examiner's 10,000-row export costs what a
10-row page does.

"As of" a date:
- a default counts when it had occurred by that date and was not cured or waived by then
  (its `closed_on`); its status and the actions listed are its WorkflowSteps up to that date;
- a deliverable counts when the Guarantor owes it, its due date had passed by that date, and
  it is still open: an Obligation records when a delivery was *recorded* (`closed_at`), not
  the business day it arrived, so a delivery cannot be placed before or after a past date.
  Days late run from the due date to the as-of date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from trustee import obligation_rules
from trustee.calendar import DUTY_FACTS, DutyKind, Owner
from trustee.deliverable_rules import CertificateState, PeriodicState
from trustee.models import (
    AgreementParty,
    ComplianceCertificate,
    DefaultCase,
    Obligation,
    PeriodicReport,
    WorkflowStep,
)
from trustee.models.workflows import DEFAULT_LABELS, LIST_LABELS
from trustee.report_exports import long_date
from trustee.workflow_rules import DefaultState, ListState

# Security has no currency field: every agreement under administration is in US dollars. A
# `currency` attribute on the security, once there is one, is used instead.
DEFAULT_CURRENCY = "USD"

CLOSED_DEFAULT = (DefaultState.CURED, DefaultState.WAIVED)

# What the Guarantor owes that is not something it delivers to the trustee: a payment missed
# is a default (the other report), and the end of a cure period is a clock, not a document.
# Everything else it owes (lists, certificates, reports, and any kind added later) is listed.
NOT_DELIVERABLES = (DutyKind.PAYMENT, DutyKind.MATURITY, DutyKind.CURE_PERIOD_END)
# Not yet delivered in a form the trustee accepted: a certificate sent back is still owed.
CERTIFICATE_AWAITED = (
    CertificateState.EXPECTED,
    CertificateState.LATE,
    CertificateState.RETURNED,
)
REPORT_AWAITED = (PeriodicState.EXPECTED, PeriodicState.LATE)


def today() -> date:
    """The default as-of date: today in the agreements' time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Action:
    """One step of a default's workflow: what was done, by whom, on which business day."""

    on: date
    status: str
    by: str
    comment: str


@dataclass(frozen=True)
class DefaultRow:
    default_id: int
    agreement_id: int
    agreement: str
    guarantor: str
    occurred_on: date
    nature: str
    description: str
    known_on: date | None
    event_of_default_on: date | None
    notice_due_on: date | None
    status: str
    days_in_default: int
    actions: tuple[Action, ...]
    security: str
    amount_outstanding: Decimal | None
    currency: str
    amount_basis: str


@dataclass(frozen=True)
class LateDeliverableRow:
    obligation_id: int
    agreement_id: int
    agreement: str
    guarantor: str
    deliverable: str
    kind: str
    section: str
    due_on: date
    days_late: int
    status: str
    chased: str
    officer: str
    # The admin page of the row's record: the duty's, or the case's where the deliverable is
    # a case with no duty on the calendar (terms that state no date, e.g. "as TIA §314 says").
    link: str = "admin:trustee_obligation_change"
    record_id: int | None = None

    def __post_init__(self):
        if self.record_id is None:
            object.__setattr__(self, "record_id", self.obligation_id)


def trusteeships_in_default(as_of: date | None = None) -> list[DefaultRow]:
    """Every default that had occurred by `as_of` and was neither cured nor waived by then,
    by agreement and date of occurrence. Three queries."""
    as_of = as_of or today()
    closed_by_then = Q(state__in=CLOSED_DEFAULT) & (
        Q(closed_on__isnull=True) | Q(closed_on__lte=as_of)
    )
    cases = list(
        DefaultCase.objects.filter(event__occurred_on__lte=as_of)
        .exclude(closed_by_then)
        .select_related("agreement", "event", "security")
        .order_by("agreement__short_name", "event__occurred_on", "pk")
    )
    if not cases:
        return []
    steps = defaultdict(list)
    all_steps = WorkflowStep.objects.filter(
        workflow=WorkflowStep.Workflow.DEFAULT, case_id__in=[case.pk for case in cases]
    ).select_related("by")
    for step in all_steps.order_by("on", "at", "pk"):
        steps[step.case_id].append(step)
    guarantors = _guarantors({case.agreement_id for case in cases})
    return [
        _default_row(case, steps[case.pk], guarantors.get(case.agreement_id, ""), as_of)
        for case in cases
    ]


def _default_row(case, steps, guarantor, as_of) -> DefaultRow:
    event, security = case.event, case.security
    done = [step for step in steps if step.on <= as_of]
    return DefaultRow(
        default_id=case.pk,
        agreement_id=case.agreement_id,
        agreement=case.agreement.short_name,
        guarantor=guarantor,
        occurred_on=event.occurred_on,
        nature="Payment default" if case.is_payment_default else "Other default",
        description=event.description,
        known_on=event.known_on,
        event_of_default_on=case.event_of_default_on,
        notice_due_on=case.notice_due_on,
        status=_status_then(case, steps, done),
        days_in_default=(as_of - event.occurred_on).days,
        actions=tuple(
            Action(
                on=step.on,
                status=_default_label(step.new_state),
                by=_person(step.by),
                comment=step.comment,
            )
            for step in done
        ),
        security=security.title if security else "",
        amount_outstanding=security.amount_outstanding if security else None,
        currency=(getattr(security, "currency", "") or DEFAULT_CURRENCY) if security else "",
        amount_basis=security.get_unit_basis_display() if security else "",
    )


def _status_then(case, steps, done) -> str:
    if done:
        return _default_label(done[-1].new_state)
    if not steps:  # a case written without its steps (an import): only today's state is known
        return case.get_state_display()
    return f"Not yet recorded (recorded {long_date(steps[0].on)})"


def _default_label(state: str) -> str:
    try:
        return DEFAULT_LABELS[DefaultState(state)]
    except ValueError:
        return state


def guarantor_deliverables_late(as_of: date | None = None) -> list[LateDeliverableRow]:
    """Every list, certificate or report the Guarantor owes the trustee whose due date had
    passed by `as_of` and that is still open, by agreement and due date: the duties on the
    calendar, and the certificate and report cases an officer opened with a due date where the
    terms give none (those have no duty to list them). Four queries at most."""
    as_of = as_of or today()
    duties = list(
        Obligation.objects.filter(
            owed_by=Owner.GUARANTOR,
            status__in=obligation_rules.OPEN,
            due_date__lt=as_of,
        )
        .exclude(kind__in=NOT_DELIVERABLES)
        .select_related("agreement", "officer__user", "list_request")
        .order_by("agreement__short_name", "due_date", "pk")
    )
    certificates = list(
        ComplianceCertificate.objects.filter(
            obligation__isnull=True, state__in=CERTIFICATE_AWAITED, due_on__lt=as_of
        ).select_related("agreement", "chase_notice")
    )
    reports = list(
        PeriodicReport.objects.filter(
            state__in=REPORT_AWAITED, due_on__isnull=False, due_on__lt=as_of
        ).select_related("agreement")
    )
    if not (duties or certificates or reports):
        return []
    guarantors = _guarantors(
        {d.agreement_id for d in duties}
        | {c.agreement_id for c in certificates}
        | {r.agreement_id for r in reports}
    )
    rows = [
        LateDeliverableRow(
            obligation_id=duty.pk,
            agreement_id=duty.agreement_id,
            agreement=duty.agreement.short_name,
            guarantor=guarantors.get(duty.agreement_id, ""),
            deliverable=duty.title,
            kind=_kind_label(duty.kind),
            section=_section(duty.section),
            due_on=duty.due_date,
            days_late=(as_of - duty.due_date).days,
            status=duty.get_status_display(),
            chased=_chased(duty),
            officer=_person(duty.officer.user) if duty.officer else "",
        )
        for duty in duties
    ]
    rows += [
        LateDeliverableRow(
            obligation_id=None,
            agreement_id=case.agreement_id,
            agreement=case.agreement.short_name,
            guarantor=guarantors.get(case.agreement_id, ""),
            deliverable=f"Compliance certificate for the fiscal year ended "
            f"{long_date(case.period_end)}",
            kind="Compliance certificate",
            section="§2.4",
            due_on=case.due_on,
            days_late=(as_of - case.due_on).days,
            status=case.get_state_display(),
            chased=_chased_case(case, "chase letter drafted" if case.chase_notice_id else ""),
            officer="",
            link="admin:trustee_compliancecertificate_change",
            record_id=case.pk,
        )
        for case in certificates
    ]
    rows += [
        LateDeliverableRow(
            obligation_id=None,
            agreement_id=report.agreement_id,
            agreement=report.agreement.short_name,
            guarantor=guarantors.get(report.agreement_id, ""),
            deliverable=f"{report.get_kind_display()} for the period ended "
            f"{long_date(report.period_end)}",
            kind="Periodic report",
            section="§2.4",
            due_on=report.due_on,
            days_late=(as_of - report.due_on).days,
            status=report.get_state_display(),
            chased=_chased_case(report, ""),
            officer="",
            link="admin:trustee_periodicreport_change",
            record_id=report.pk,
        )
        for report in reports
    ]
    rows.sort(key=lambda row: (row.agreement, row.due_on, row.link, row.record_id))
    return rows


def _chased_case(case, said: str) -> str:
    if not case.escalations:
        return said
    count = f"{case.escalations} escalation{'s' if case.escalations > 1 else ''}"
    last = f", the last {long_date(case.last_escalated_on)}" if case.last_escalated_on else ""
    return f"{said}; {count}{last}" if said else f"{count}{last}"


def _kind_label(kind: str) -> str:
    try:
        return DUTY_FACTS[DutyKind(kind)][0]
    except (ValueError, KeyError):
        return kind.replace("_", " ").capitalize()


def _section(section: str) -> str:
    section = section.strip()
    return section if not section or section.startswith("§") else f"§{section}"


def _chased(duty) -> str:
    """What the trustee did to obtain it, where a workflow tracks that (a List of Holders)."""
    try:
        request = duty.list_request
    except Obligation.list_request.RelatedObjectDoesNotExist:
        return ""
    said = LIST_LABELS.get(ListState(request.state), request.state)
    if request.escalations:
        count = f"{request.escalations} escalation{'s' if request.escalations > 1 else ''}"
        last = (
            f", the last {long_date(request.last_escalated_on)}"
            if request.last_escalated_on
            else ""
        )
        said += f" ({count}{last})"
    return said


def _guarantors(agreement_ids) -> dict[int, str]:
    names = defaultdict(list)
    links = (
        AgreementParty.objects.filter(
            agreement_id__in=agreement_ids, role=AgreementParty.Role.GUARANTOR
        )
        .select_related("party")
        .order_by("party__name")
    )
    for link in links:
        names[link.agreement_id].append(link.party.name)
    return {pk: "; ".join(parties) for pk, parties in names.items()}


def _person(user) -> str:
    if user is None:
        return "Trustdesk (scheduler)"
    return user.get_full_name() or user.get_username()
