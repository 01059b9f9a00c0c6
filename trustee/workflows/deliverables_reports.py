"""Periodic reports (§2.4, TIA §314(a)(1)): expected (late, escalated) or received, then
filed against the agreement by an officer."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from trustee import deliverable_rules as rules
from trustee.models import (
    PeriodicReport,
)
from trustee.models.deliverables import PERIODIC_LABELS
from trustee.obligations import TransitionRefused
from trustee.roles import require_preparer
from trustee.workflows.common import (
    Flow,
    apply_transition,
    today_or_now,
)
from trustee.workflows.deliverables_common import (
    P,
    document_store,
    escalate_every,
    not_future,
    opened_step,
)

# == 3. Periodic reports (§2.4, TIA §314(a)(1)) ===============================================


def _periodic_move(case, new, **kwargs):
    return apply_transition(
        case, Flow.PERIODIC_REPORT, PERIODIC_LABELS, rules.PERIODIC_TRANSITIONS, new, **kwargs
    )


def _periodic_create(**values):
    try:
        with transaction.atomic():
            return PeriodicReport.objects.create(**values)
    except IntegrityError:
        raise TransitionRefused(
            {"period_end": "This report for this period is already recorded."}
        ) from None


def periodic_report_expect(
    *, agreement, kind, period_end: date, due_on: date, basis: str, by, today=None
):
    """An officer records a report the Guarantor owes (e.g. a 10-K it filed with the SEC):
    neither demo guarantee gives a number of days (§2.4 refers to TIA §314), so the due date
    and its basis are the officer's."""
    require_preparer(by, "Recording a periodic report expected")
    today = today_or_now(today)
    if not basis.strip():
        raise TransitionRefused({"basis": "Say where the due date comes from."})
    if due_on < period_end:
        raise TransitionRefused({"due_on": "A report falls due after the period it covers."})
    with transaction.atomic():
        case = _periodic_create(
            agreement=agreement,
            kind=kind,
            period_end=period_end,
            due_on=due_on,
            basis=basis.strip(),
        )
        opened_step(
            case,
            Flow.PERIODIC_REPORT,
            by=by,
            on=today,
            comment=f"{case.get_kind_display()} for {period_end:%Y-%m-%d} expected on or "
            f"before {due_on:%Y-%m-%d}: {case.basis}",
        )
    return case


def periodic_report_record(
    *, agreement, kind, period_end: date, received_on: date, file, file_name, by, today=None
):
    """A report that came without being expected: received and kept, to be filed."""
    require_preparer(by, "Recording a periodic report received")
    today = today_or_now(today)
    not_future("received_on", received_on, today)
    with transaction.atomic():
        document = document_store(file=file, file_name=file_name, by=by)
        case = _periodic_create(
            agreement=agreement,
            kind=kind,
            period_end=period_end,
            state=P.RECEIVED,
            document=document,
            received_on=received_on,
            received_by=by,
        )
        opened_step(
            case,
            Flow.PERIODIC_REPORT,
            by=by,
            on=today,
            comment=f"Received {received_on:%Y-%m-%d}: {document}.",
        )
    return case


def periodic_report_receive(*, case_id, file, file_name, received_on: date, by, today=None):
    require_preparer(by, "Recording a periodic report received")
    today = today_or_now(today)
    not_future("received_on", received_on, today)
    with transaction.atomic():
        case = PeriodicReport.objects.select_for_update().get(pk=case_id)
        case.document = document_store(file=file, file_name=file_name, by=by)
        case.received_on, case.received_by = received_on, by
        late = (received_on - case.due_on).days if case.due_on else 0
        when = f", {late} days after it was due" if late > 0 else ""
        _periodic_move(
            case,
            P.RECEIVED,
            by=by,
            on=today,
            comment=f"Received {received_on:%Y-%m-%d}{when}: {case.document}.",
            fields=["document", "received_on", "received_by"],
        )
    return case


def periodic_report_file(*, case_id, by, note: str = "", today: date | None = None):
    """An officer has read the report and files it against the agreement."""
    require_preparer(by, "Filing a periodic report")
    today = today_or_now(today)
    with transaction.atomic():
        case = PeriodicReport.objects.select_for_update().get(pk=case_id)
        case.filed_on, case.filed_by, case.note = today, by, note.strip()
        _periodic_move(
            case,
            P.FILED,
            by=by,
            on=today,
            comment="Filed against the agreement." + (f" {case.note}" if case.note else ""),
            fields=["filed_on", "filed_by", "note"],
        )
    return case


def periodic_reports_late(*, today: date | None = None) -> int:
    """A report expected and not received by its day is late: the officers are e-mailed, and
    again every few days."""
    today = today_or_now(today)
    every = escalate_every("periodic_report")
    moved = 0
    late = PeriodicReport.objects.filter(
        state__in=[P.EXPECTED, P.LATE], due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            case = PeriodicReport.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if case is None or case.state not in (P.EXPECTED, P.LATE):
                continue
            if case.overdue_since is None:
                case.overdue_since = rules.late_since(case.due_on)
            if case.state == P.LATE and not rules.escalation_due(
                overdue_since=case.overdue_since,
                last_escalated=case.last_escalated_on,
                every_days=every,
                today=today,
            ):
                continue
            case.escalations += 1
            case.last_escalated_on = today
            _periodic_move(
                case,
                P.LATE,
                by=None,
                on=today,
                comment=f"Escalation {case.escalations}: the {case.get_kind_display()} for "
                f"{case.period_end:%Y-%m-%d}, due {case.due_on:%Y-%m-%d}, is "
                f"{(today - case.due_on).days} days late.",
                notify=True,
                fields=["overdue_since", "escalations", "last_escalated_on"],
            )
            moved += 1
    return moved
