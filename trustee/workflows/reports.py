"""The annual report to Holders (§2.3, TIA §313): opened on the anchor date, the §313(a)
checklist, no report or a draft approved by a second officer, mailed, filed (§313(d))."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trustee import workflow_rules as rules
from trustee.calendar import DutyKind
from trustee.models import (
    AnnualReport,
    Obligation,
    WorkflowStep,
)
from trustee.models.workflows import REPORT_LABELS
from trustee.obligations import (
    TransitionRefused,
    obligation_complete,
    obligation_waive,
)
from trustee.roles import require_preparer
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    security_for,
    today_or_now,
)

# == 2. The annual report to Holders (§2.3, TIA §313) ========================================


def _report_move(report, new, **kwargs):
    return apply_transition(
        report, Flow.ANNUAL_REPORT, REPORT_LABELS, rules.REPORT_TRANSITIONS, new, **kwargs
    )


def reports_open(*, today: date | None = None) -> int:
    """Open the year's report on its anchor date (Hartford July 1, HSB May 15)."""
    today = today_or_now(today)
    opened = 0
    due = Obligation.objects.filter(
        kind=DutyKind.REPORT_TO_HOLDERS,
        status__in=OPEN_OBLIGATION,
        annual_report__isnull=True,
    ).select_related("agreement__terms")
    for obligation in due.iterator():
        anchor = _report_anchor(obligation)
        if anchor > today:
            continue
        with transaction.atomic():
            locked = Obligation.objects.select_for_update(skip_locked=True).filter(pk=obligation.pk)
            if not locked.exists() or AnnualReport.objects.filter(obligation=obligation).exists():
                continue
            report = AnnualReport.objects.create(
                agreement=obligation.agreement,
                obligation=obligation,
                security=security_for(obligation.agreement, obligation),
                anchor_on=anchor,
                due_on=obligation.due_date,
            )
            WorkflowStep.objects.create(
                agreement_id=report.agreement_id,
                workflow=Flow.ANNUAL_REPORT,
                case_id=report.pk,
                new_state=report.state,
                on=today,
                comment=f"Report dated {anchor:%B %d, %Y} opened; due by "
                f"{report.due_on:%Y-%m-%d}. Answer the TIA §313(a) checklist for the twelve "
                "months before it.",
            )
            opened += 1
    return opened


def _report_anchor(obligation) -> date:
    terms = obligation.agreement.terms
    if terms.report_window_days:
        return obligation.nominal_date - timedelta(days=terms.report_window_days)
    return obligation.nominal_date


def report_answer(*, report_id, by, answers, today: date | None = None):
    """The officer's answers to the §313(a) checklist. Nothing to report closes the year as
    "no report required"; anything to report starts a draft for a second officer to approve."""
    from notices.workflows import notice_create

    require_preparer(by, "Answering the §313(a) checklist")
    problems = rules.checklist_problems(answers)
    if problems:
        raise TransitionRefused({"answers": problems})
    today = today_or_now(today)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        report.answers = answers
        report.answered_by, report.answered_at = by, timezone.now()
        fields = ["answers", "answered_by", "answered_at"]
        if not rules.anything_to_report(answers):
            _report_move(
                report,
                rules.ReportState.NO_REPORT,
                by=by,
                on=today,
                comment="Nothing to report under TIA §313(a) for the preceding twelve months.",
                fields=fields,
            )
            obligation_waive(
                obligation_id=report.obligation_id,
                by=by,
                reason=f"No report required: nothing under TIA §313(a) for the twelve months "
                f"to {report.anchor_on:%Y-%m-%d}; answered by {by.get_full_name() or by}.",
            )
            return report
        report.notice = notice_create(
            kind="annual_report",
            agreement=report.agreement,
            security=report.security,
            title=f"Report to Holders dated {report.anchor_on:%B %d, %Y}",
            details=_report_text(answers),
            by=by,
        )
        _report_move(
            report,
            rules.ReportState.DRAFT,
            by=by,
            on=today,
            comment=f"Draft {report.notice.reference} prepared from the checklist.",
            fields=[*fields, "notice"],
        )
    return report


def _report_text(answers) -> str:
    lines = []
    for item in rules.TIA_313_CHECKLIST:
        answer = answers[item.code]
        if answer["yes"]:
            lines.append(f"{item.question} ({item.clause}): {answer['facts'].strip()}")
    return "\n\n".join(lines)


def report_approve(*, report_id, by, today: date | None = None):
    """A second officer approves the draft: the report goes to every Holder on the list."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        if report.state != rules.ReportState.DRAFT:
            rules_refusal = f"{report}: only a draft can be approved."
            raise TransitionRefused(rules_refusal)
        try:
            notice = notice_approve(notice_id=report.notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        _report_move(
            report,
            rules.ReportState.APPROVED,
            by=by,
            on=today,
            comment=f"{notice.reference} approved: mailing to the Holders on the list of "
            f"{notice.holder_list.as_of:%Y-%m-%d}.",
        )
    return report


def report_mailed(*, report_id, by, mailed_on, today: date | None = None):
    require_preparer(by, "Recording the report's mailing")
    today = today_or_now(today)
    if mailed_on > today:
        raise TransitionRefused({"mailed_on": "This date is in the future."})
    from notices.mailing import letters_mailed
    from notices.models import Notice
    from notices.workflows import NoticeRefused

    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("notice")
            .get(pk=report_id)
        )
        if report.state != rules.ReportState.APPROVED:
            raise TransitionRefused(f"{report}: only an approved report can be mailed.")
        # The letters' mailing is recorded on the notice, which writes the certificate of
        # mailing: the report's proof. Recorded there already, it is not recorded twice.
        if report.notice.letters_status != Notice.Letters.MAILED:
            try:
                letters_mailed(notice_id=report.notice_id, by=by, mailed_on=mailed_on)
            except NoticeRefused as refusal:
                raise TransitionRefused(refusal.messages) from None
        report.mailed_on = mailed_on
        _report_move(
            report,
            rules.ReportState.MAILED,
            by=by,
            on=today,
            comment=f"Mailed to the Holders on {mailed_on:%Y-%m-%d}.",
            fields=["mailed_on"],
        )
        obligation_complete(
            obligation_id=report.obligation_id,
            by=by,
            evidence=f"Report {report.notice.reference} mailed to the Holders; certificate of "
            "mailing on the notice.",
            completed_on=mailed_on,
        )
    return report


def report_filed(*, report_id, by, filed_on, filed_with, today: date | None = None):
    """TIA §313(d): a copy filed with the SEC and each exchange the securities are listed on."""
    require_preparer(by, "Recording the report's filing")
    if not filed_with.strip():
        raise TransitionRefused({"filed_with": "Name where it was filed, with the references."})
    today = today_or_now(today)
    if filed_on > today:
        raise TransitionRefused({"filed_on": "This date is in the future."})
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        report.filed_on, report.filed_with = filed_on, filed_with.strip()
        _report_move(
            report,
            rules.ReportState.FILED,
            by=by,
            on=today,
            comment=f"Filed {filed_on:%Y-%m-%d} with {filed_with.strip()} (TIA §313(d)).",
            fields=["filed_on", "filed_with"],
        )
    return report


def reports_overdue(*, today: date | None = None) -> int:
    """Escalate a report still open after its window's end, and again every few days."""
    today = today_or_now(today)
    every = settings.TRUSTDESK_ESCALATE_EVERY_DAYS["annual_report"]
    count = 0
    late = AnnualReport.objects.filter(
        state__in=[rules.ReportState.OPEN, rules.ReportState.DRAFT, rules.ReportState.APPROVED],
        due_on__lt=today,
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            report = AnnualReport.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if report is None or report.state not in rules.REPORT_OPEN:
                continue
            if report.overdue_since is None:
                report.overdue_since = report.due_on + timedelta(days=1)
            if not rules.escalation_due(
                overdue_since=report.overdue_since,
                last_escalated=report.last_escalated_on,
                every_days=every,
                today=today,
            ):
                continue
            report.escalations += 1
            report.last_escalated_on = today
            report.save(update_fields=["overdue_since", "escalations", "last_escalated_on"])
            step = WorkflowStep.objects.create(
                agreement_id=report.agreement_id,
                workflow=Flow.ANNUAL_REPORT,
                case_id=report.pk,
                old_state=report.state,
                new_state=report.state,
                on=today,
                comment=f"Escalation {report.escalations}: the report due "
                f"{report.due_on:%Y-%m-%d} is {(today - report.due_on).days} days late "
                f"({REPORT_LABELS[report.state].lower()}).",
                notify=True,
            )
            from trustee.tasks import send_escalation

            transaction.on_commit(lambda step=step: send_escalation.delay(step.pk))
            count += 1
    return count
