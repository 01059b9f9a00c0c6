"""Holders' applications to communicate with other Holders (TIA §312(b), through §2.2(b)):
the application received and checked, the trustee's election within N New York banking days
(access to the List of Holders, or the number of Holders and the cost of a mailing), the cost
tendered, and the mailing sent as a notice approved by a second officer.

Every function runs in one transaction, locks its row, refuses a move the workflow does not
allow (trustee/application_rules.py) naming both states, and writes a WorkflowStep. A `by` of
None is the scheduler.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from trustee import application_rules as rules
from trustee.calendar import BusinessCalendar
from trustee.models import (
    AgreementEvent,
    HolderApplicant,
    HolderApplication,
    WorkflowStep,
)
from trustee.obligations import TransitionRefused, event_record, obligation_complete
from trustee.roles import require_preparer
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    security_for,
    today_or_now,
)

State = rules.State
ESCALATE_EVERY_DEFAULT = 2


def _move(application, new, **kwargs):
    return apply_transition(
        application, Flow.HOLDER_APPLICATION, rules.LABELS, rules.TRANSITIONS, new, **kwargs
    )


def latest_holder_list(security):
    from holders.models import HolderList

    if security is None:
        return None
    return (
        HolderList.objects.filter(security=security, status=HolderList.Status.IMPORTED)
        .order_by("-as_of", "-created_at")
        .first()
    )


def _on_list(holder_list, name):
    if holder_list is None:
        return None
    return holder_list.holders.filter(name__iexact=" ".join(name.split())).exists()


def application_record(
    *,
    agreement,
    received_on,
    applicants,
    communication,
    by,
    security=None,
    communication_file=None,
    today: date | None = None,
):
    """Record an application received: refused, naming each applicant that fails, unless
    three or more applicants each show six months' holding; the election's clock (N New York
    banking days, a term of the agreement) goes on the calendar."""
    require_preparer(by, "Recording a Holders' application")
    today = today_or_now(today)
    if isinstance(applicants, str):
        try:
            applicants = rules.parse_applicants(applicants)
        except rules.Refused as refusal:
            raise TransitionRefused({"applicants": str(refusal)}) from None
    if received_on > today:
        raise TransitionRefused({"received_on": "This date is in the future."})
    if not communication.strip() and not communication_file:
        raise TransitionRefused(
            {"communication": "Give the communication the applicants propose to send (§312(b))."}
        )
    refusal = rules.application_refusal(applicants, received_on)
    if refusal:
        raise TransitionRefused({"applicants": refusal})
    security = security or security_for(agreement)
    with transaction.atomic():
        event = event_record(
            agreement=agreement,
            kind=AgreementEvent.Kind.HOLDER_APPLICATION,
            occurred_on=received_on,
            description=f"Application by {len(applicants)} Holders to communicate with other "
            "Holders (TIA §312(b)).",
            by=by,
            today=today,
        )
        obligation = event.obligations.get()
        holder_list = latest_holder_list(security)
        application = HolderApplication.objects.create(
            agreement=agreement,
            security=security,
            event=event,
            obligation=obligation,
            received_on=received_on,
            election_due_on=obligation.due_date,
            communication=communication.strip(),
            holder_list=holder_list,
            recorded_by=by,
        )
        if communication_file:
            application.communication_file.save(
                getattr(communication_file, "name", "communication"), communication_file
            )
        findings = rules.applicant_findings(applicants, received_on)
        HolderApplicant.objects.bulk_create(
            HolderApplicant(
                application=application,
                name=f.applicant.name.strip(),
                amount=f.applicant.amount,
                holding_since=f.applicant.holding_since,
                eligible=f.eligible,
                problem=f.problem[:200],
                on_latest_list=_on_list(holder_list, f.applicant.name),
            )
            for f in findings
        )
        counted = sum(1 for f in findings if f.eligible)
        days = agreement.terms.holder_communication_business_days
        section = obligation.section or "2.2(b)"
        WorkflowStep.objects.create(
            agreement_id=agreement.pk,
            workflow=Flow.HOLDER_APPLICATION,
            case_id=application.pk,
            new_state=application.state,
            by=by,
            on=today,
            comment=f"Application received {received_on:%Y-%m-%d} from {len(applicants)} "
            f"Holders, {counted} with six months' holding shown. The election (access to the "
            f"List of Holders, or the number of Holders and the cost of a mailing) is due "
            f"within {days} New York banking days: by {obligation.due_date:%Y-%m-%d} "
            f"(§{section}, TIA §312(b)).",
        )
    return application


def _check_date(field, value, application, today):
    if value > today:
        raise TransitionRefused({field: "This date is in the future."})
    if value < application.received_on:
        raise TransitionRefused({field: "This is before the application was received."})


def _timing(application, on):
    if on <= application.election_due_on:
        return f"within the deadline of {application.election_due_on:%Y-%m-%d}"
    late = rules.business_days_between(application.election_due_on, on, BusinessCalendar())
    return f"{late} business day(s) after the deadline of {application.election_due_on:%Y-%m-%d}"


def application_give_access(*, application_id, by, access_given_on, today: date | None = None):
    """The trustee elects (1): the applicants are given access to the Holders' names and
    addresses it keeps."""
    require_preparer(by, "Electing on a Holders' application")
    today = today_or_now(today)
    with transaction.atomic():
        application = HolderApplication.objects.select_for_update().get(pk=application_id)
        _check_date("access_given_on", access_given_on, application, today)
        application.election = rules.Election.ACCESS
        application.elected_on, application.elected_by = access_given_on, by
        application.access_given_on = access_given_on
        when = _timing(application, access_given_on)
        _move(
            application,
            State.ACCESS_GIVEN,
            by=by,
            on=today,
            comment=f"Elected access (TIA §312(b)(1)): given {access_given_on:%Y-%m-%d}, {when}.",
            fields=["election", "elected_on", "elected_by", "access_given_on"],
        )
        _close_clock(application, by, f"Access given {access_given_on:%Y-%m-%d} ({when}).")
    return application


def application_send_estimate(
    *, application_id, by, informed_on, cost_per_holder, today: date | None = None
):
    """The trustee elects (2): it tells the applicants the number of Holders (from the latest
    List of Holders) and the approximate cost of mailing to them."""
    require_preparer(by, "Electing on a Holders' application")
    today = today_or_now(today)
    cost_per_holder = Decimal(cost_per_holder)
    with transaction.atomic():
        application = HolderApplication.objects.select_for_update().get(pk=application_id)
        _check_date("informed_on", informed_on, application, today)
        holder_list = latest_holder_list(application.security)
        if holder_list is None:
            raise TransitionRefused(
                f"{application}: there is no imported List of Holders of "
                f"{application.security or 'the security'} to count: import one first."
            )
        try:
            estimate = rules.estimated_cost(holder_list.row_count, cost_per_holder)
        except rules.Refused as refusal:
            raise TransitionRefused({"cost_per_holder": str(refusal)}) from None
        application.election = rules.Election.MAILING
        application.elected_on, application.elected_by = informed_on, by
        application.holder_list = holder_list
        application.holder_count = holder_list.row_count
        application.cost_per_holder = cost_per_holder
        application.estimated_cost = estimate
        when = _timing(application, informed_on)
        _move(
            application,
            State.ESTIMATE_SENT,
            by=by,
            on=today,
            comment=f"Elected to mail (TIA §312(b)(2)): informed the applicants on "
            f"{informed_on:%Y-%m-%d}, {when}, of {holder_list.row_count:,} Holders (List of "
            f"Holders as of {holder_list.as_of:%Y-%m-%d}) and an estimated cost of "
            f"{estimate:,.2f} ({cost_per_holder} a Holder).",
            fields=[
                "election",
                "elected_on",
                "elected_by",
                "holder_list",
                "holder_count",
                "cost_per_holder",
                "estimated_cost",
            ],
        )
        _close_clock(
            application,
            by,
            f"Number of Holders and mailing cost sent {informed_on:%Y-%m-%d} ({when}).",
        )
    return application


def application_tender(*, application_id, by, tendered_on, amount, today: date | None = None):
    """The applicants tendered the material and the cost of the mailing."""
    require_preparer(by, "Recording a tender")
    today = today_or_now(today)
    amount = Decimal(amount)
    with transaction.atomic():
        application = HolderApplication.objects.select_for_update().get(pk=application_id)
        if application.state != State.ESTIMATE_SENT:
            raise TransitionRefused(
                f"{application}: a tender follows the estimate of the mailing cost; it is "
                f"“{application.get_state_display()}”."
            )
        problems = rules.tender_problems(
            estimate=application.estimated_cost,
            estimated_on=application.elected_on,
            amount=amount,
            tendered_on=tendered_on,
            today=today,
        )
        if problems:
            raise TransitionRefused(problems)
        application.tendered_on, application.tendered_amount = tendered_on, amount
        _move(
            application,
            State.TENDERED,
            by=by,
            on=today,
            comment=f"{amount:,.2f} tendered {tendered_on:%Y-%m-%d} with the material to be "
            "mailed: the trustee mails it with reasonable promptness (TIA §312(b)).",
            fields=["tendered_on", "tendered_amount"],
        )
    return application


def application_mailing_draft(*, application_id, by, today: date | None = None):
    """Draft the mailing: a notice to every Holder carrying the applicants' communication."""
    from notices.workflows import NoticeRefused, notice_create

    require_preparer(by, "Drafting the Holders' mailing")
    today = today_or_now(today)
    with transaction.atomic():
        application = HolderApplication.objects.select_for_update().get(pk=application_id)
        if application.state != State.TENDERED:
            raise TransitionRefused(
                f"{application}: the mailing is drafted once the cost is tendered; it is "
                f"“{application.get_state_display()}”."
            )
        try:
            application.notice = notice_create(
                kind="holder_communication",
                agreement=application.agreement,
                security=application.security,
                title=f"Communication from Holders received {application.received_on:%B %d, %Y}",
                details=application.communication or "The applicants' communication is enclosed.",
                by=by,
            )
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        _move(
            application,
            State.MAILING_DRAFTED,
            by=by,
            on=today,
            comment=f"Mailing {application.notice.reference} drafted: a second officer "
            "approves it.",
            fields=["notice"],
        )
    return application


def application_mailing_approve(*, application_id, by, today: date | None = None):
    """A second officer approves the mailing: first-class letter and e-mail to every Holder."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        application = HolderApplication.objects.select_for_update().get(pk=application_id)
        if application.state != State.MAILING_DRAFTED:
            raise TransitionRefused(f"{application}: there is no drafted mailing to approve.")
        try:
            notice = notice_approve(notice_id=application.notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        application.mailed_on = today
        _move(
            application,
            State.MAILED,
            by=by,
            on=today,
            comment=f"{notice.reference} approved: mailed to the Holders on the list of "
            f"{notice.holder_list.as_of:%Y-%m-%d}.",
            fields=["mailed_on"],
        )
    return application


def _close_clock(application, by, evidence):
    if application.obligation_id and application.obligation.status in OPEN_OBLIGATION:
        obligation_complete(obligation_id=application.obligation_id, by=by, evidence=evidence)


def applications_late(*, today: date | None = None) -> int:
    """Applications with no election by their deadline go late and are escalated to the
    agreement's officers, again every few days while no election is made."""
    today = today_or_now(today)
    every = settings.TRUSTDESK_ESCALATE_EVERY_DAYS.get("holder_application", ESCALATE_EVERY_DEFAULT)
    moved = 0
    waiting = HolderApplication.objects.filter(
        state__in=rules.AWAITING_ELECTION, election_due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            application = (
                HolderApplication.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            )
            if application is None or application.state not in rules.AWAITING_ELECTION:
                continue
            if application.state == State.LATE and not rules.escalation_due(
                overdue_since=application.election_due_on + timedelta(days=1),
                last_escalated=application.last_escalated_on,
                every_days=every,
                today=today,
            ):
                continue
            application.escalations += 1
            application.last_escalated_on = today
            late = rules.business_days_between(
                application.election_due_on, today, BusinessCalendar()
            )
            _move(
                application,
                State.LATE,
                by=None,
                on=today,
                comment=f"Escalation {application.escalations}: no election on the Holders' "
                f"application received {application.received_on:%Y-%m-%d}; it was due "
                f"{application.election_due_on:%Y-%m-%d} (TIA §312(b)), {late} business "
                "day(s) ago.",
                notify=True,
                fields=["escalations", "last_escalated_on"],
            )
            moved += 1
    return moved


def sweep(*, today: date) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {"holder_applications_late": applications_late(today=today)}


DEMO_AGREEMENT = "hsb-capital-ii"
DEMO_COMMUNICATION = (
    "Dear fellow Holders of the Capital Securities: we propose to meet on the Guarantor's "
    "recent results and invite you to give us your proxy for the next vote. (Demo text.)"
)


def demo_seed(*, today: date) -> None:
    """An application received yesterday, its election not yet made (load_demo)."""
    from trustee.models import Agreement
    from trustee.workflows.resignations import demo_officer

    agreement = Agreement.objects.filter(slug=DEMO_AGREEMENT, terms__isnull=False).first()
    if agreement is None or HolderApplication.objects.filter(agreement=agreement).exists():
        return
    if not agreement.terms.holder_communication_business_days:
        return
    received = today - timedelta(days=1)
    applicants = [
        rules.Applicant("Margaret Okafor", Decimal("250000"), rules.months_before(received, 14)),
        rules.Applicant("Lakeside Pension Fund", Decimal("1500000"), date(2019, 3, 1)),
        rules.Applicant("Thomas Brennan", Decimal("75000"), rules.months_before(received, 7)),
        rules.Applicant("R. Alvarez", Decimal("10000"), received - timedelta(days=40)),
    ]
    application_record(
        agreement=agreement,
        received_on=received,
        applicants=applicants,
        communication=DEMO_COMMUNICATION,
        by=demo_officer(),
        today=today,
    )


__all__ = [
    "application_give_access",
    "application_mailing_approve",
    "application_mailing_draft",
    "application_record",
    "application_send_estimate",
    "application_tender",
    "applications_late",
    "demo_seed",
    "latest_holder_list",
    "sweep",
]
