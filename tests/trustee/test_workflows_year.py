"""A year of the two demo guarantee agreements, day by day with time travel: the List of
Holders requests, the reports to Holders and the defaults, as the sweep and the officers
move them (trustee/workflows.py)."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from holders.imports import import_holder_list
from holders.intake import holder_list_receive
from holders.models import Holder, HolderList
from holders.votes import solicitation_open, vote_record
from notices.mailing import letters_prepare
from trustee import workflows as flows
from trustee.escalations import escalation_send, escalations_unsent
from trustee.models import (
    Agreement,
    AnnualReport,
    DefaultCase,
    ListRequest,
    Obligation,
    TrustOfficer,
    WorkflowStep,
)
from trustee.obligations import TransitionRefused, materialize

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
START, END = date(2027, 1, 1), date(2027, 12, 31)
NOTHING = {code: {"yes": False} for code in flows.rules.CHECKLIST_CODES}


def at(day):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, tzinfo=NEW_YORK), tick=False
    )


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def demo():
    call_command("load_demo", holders=12, stdout=io.StringIO())
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    with at(START):
        materialize(today=START)
    officers = {o.user.username: o.user for o in TrustOfficer.objects.select_related("user")}
    return hartford, hsb, officers["mreyes"], officers["dchen"]


def sweep_until(day, last=None):
    """Run the daily sweep on every day from the last run to `day` (as beat would)."""
    start = last or START
    for each in days(start, day):
        with at(each):
            flows.workflows_sweep()
    return day + timedelta(days=1)


def list_file(security, holders=4):
    amount = Decimal(security.amount_outstanding) / holders
    lines = ["Name,Address,City,State,Zip,Amount"]
    lines += [f"Holder {i},{i} Elm Street,Hartford,CT,0610{i},{amount}" for i in range(holders)]
    return ("\n".join(lines) + "\n").encode()


def deliver_list(request, *, as_of, received, by):
    security = request.security
    holder_list = holder_list_receive(
        security=security,
        as_of=as_of,
        received_on=received,
        source="guarantor",
        file=io.BytesIO(list_file(security)),
        file_name="list.csv",
        by=by,
        fulfils=request.obligation,
        enqueue=False,
    )
    import_holder_list(holder_list.pk)
    holder_list.refresh_from_db()
    return holder_list


def steps(case, workflow):
    return list(
        WorkflowStep.objects.filter(workflow=workflow, case_id=case.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )


def act_on_february(day, hartford, preparer, approver):
    """What the officers do about Hartford's February 15 list, on the day they do it."""
    february = ListRequest.objects.filter(agreement=hartford, due_on__month=2).first()
    if day == date(2027, 1, 16):
        # Opened by the sweep 30 days ahead (§2.2(a)'s dates are terms, not constants).
        assert february.opened_on == day and february.state == "scheduled"
        assert february.notice.created_by.username == flows.SCHEDULER_USERNAME
    if day == date(2027, 1, 18):
        # An officer approves the scheduler's reminder: sent to the Guarantor.
        flows.list_request_send(request_id=february.pk, by=approver)
        february.refresh_from_db()
        assert february.state == "requested"
        assert february.notice.deliveries.filter(channel="letter").exists()
    if day == date(2027, 2, 10):
        # The list comes in time, is imported without a problem and accepted.
        holder_list = deliver_list(february, as_of=date(2027, 2, 5), received=day, by=preparer)
        assert holder_list.status == HolderList.Status.IMPORTED, holder_list.error
        flows.list_request_received(request_id=february.pk, holder_list=holder_list, by=preparer)
        with pytest.raises(TransitionRefused, match="imported the list cannot accept"):
            flows.list_request_accept(request_id=february.pk, by=preparer)
        flows.list_request_accept(request_id=february.pk, by=approver)
    return february


def test_a_year_of_lists_of_holders_requested_on_time_and_escalated_when_late(demo):
    hartford, hsb, preparer, approver = demo
    for agreement in (hartford, hsb):
        security = agreement.securities.first()
        security.amount_outstanding = Decimal("100000000")
        security.save()
    last = sweep_until(date(2027, 1, 15))

    # Each semiannual list of 2027 gets its request exactly 30 days before it is due.
    lists = Obligation.objects.filter(
        kind="holder_list", due_date__range=(START + timedelta(days=30), END)
    ).select_related("agreement")
    expected = {o.pk: o.due_date - timedelta(days=30) for o in lists}
    opened_on = {}
    for day in days(date(2027, 1, 16), date(2027, 7, 31)):
        with at(day):
            flows.workflows_sweep()
            february = act_on_february(day, hartford, preparer, approver)
        for request in ListRequest.objects.filter(obligation__in=lists):
            opened_on.setdefault(request.obligation_id, day)
    last = date(2027, 8, 1)
    assert set(opened_on) == set(expected)
    for pk, day in opened_on.items():
        assert day == expected[pk], Obligation.objects.get(pk=pk)
    february.refresh_from_db()
    assert february.state == "accepted"
    assert february.obligation.status == "done"
    assert steps(february, "list_request") == ["scheduled", "requested", "received", "accepted"]

    # August's list never comes: overdue the day after it is due, escalated at once to the
    # primary and backup officers, and again every 7 days.
    august = ListRequest.objects.get(agreement=hartford, due_on__month=8)
    sweep_until(august.due_on + timedelta(days=15), last)
    august.refresh_from_db()
    assert august.state == "escalated"
    assert august.overdue_since == august.due_on + timedelta(days=1)
    assert august.escalations == 3  # day 1, day 8, day 15
    notify = WorkflowStep.objects.filter(workflow="list_request", case_id=august.pk, notify=True)
    assert notify.count() == 3
    assert escalation_send(step_id=notify.first().pk) is True
    assert escalation_send(step_id=notify.first().pk) is False  # once only
    # The other two never went (no task ran them here): the sweep hands them over again.
    with at(august.due_on + timedelta(days=16)):
        unsent = escalations_unsent(older_than_minutes=10)
    assert set(unsent) >= set(notify.exclude(pk=notify.first().pk).values_list("pk", flat=True))
    assert notify.first().pk not in unsent
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted(
        a.officer.user.email for a in hartford.officer_assignments.all()
    )
    assert "late" in mail.outbox[0].body

    # Running the sweep again on the same day changes nothing.
    with at(august.due_on + timedelta(days=15)):
        assert flows.workflows_sweep()["list_requests_late"] == 0


def test_the_sweep_catches_up_after_beat_was_stopped_for_a_week(demo):
    hartford, *_ = demo
    # Beat stopped from January 10 to January 20: Hartford's reminder day (January 16) passed.
    sweep_until(date(2027, 1, 9))
    assert not ListRequest.objects.filter(agreement=hartford, due_on__month=2).exists()
    with at(date(2027, 1, 20)):
        first = flows.workflows_sweep()
        again = flows.workflows_sweep()
    assert ListRequest.objects.filter(agreement=hartford, due_on__month=2).count() == 1
    assert first["list_requests_opened"] >= 1 and again["list_requests_opened"] == 0


def test_a_request_on_demand_is_due_30_days_after_the_guarantor_receives_it(demo):
    hartford, _, preparer, approver = demo
    with at(date(2027, 3, 1)):
        request = flows.list_request_demand(agreement=hartford, by=preparer)
        with pytest.raises(TransitionRefused, match="approved and sent"):
            flows.list_request_delivered(
                request_id=request.pk,
                by=preparer,
                method="first_class_mail",
                delivered_on=date(2027, 3, 1),
            )
        with pytest.raises(TransitionRefused, match="cannot approve"):
            flows.list_request_send(request_id=request.pk, by=preparer)
        flows.list_request_send(request_id=request.pk, by=approver)
    with at(date(2027, 3, 5)):
        flows.list_request_delivered(
            request_id=request.pk, by=preparer, method="refused", delivered_on=date(2027, 3, 4)
        )
    request.refresh_from_db()
    assert request.received_by_guarantor_on == date(2027, 3, 4)
    # §2.2(a)(ii): within 30 days after receipt of the request; April 3, 2027 is a Saturday.
    assert request.obligation.nominal_date == date(2027, 4, 3)
    assert request.due_on == request.obligation.due_date
    with at(date(2027, 3, 6)):
        flows.list_request_excuse(
            request_id=request.pk,
            by=preparer,
            exception="already_received",
            note="The bank is also registrar; its register of March 1 is the list.",
        )
    request.refresh_from_db()
    assert request.state == "not_required"
    assert request.obligation.status == "not_required"
    assert "registrar" in request.obligation.resolution


def test_the_report_cycle_both_ways(demo):
    hartford, hsb, preparer, approver = demo
    sweep_until(date(2027, 5, 14))
    assert not AnnualReport.objects.filter(agreement=hsb, anchor_on__year=2027).exists()
    with at(date(2027, 5, 15)):
        flows.workflows_sweep()
    hsb_report = AnnualReport.objects.get(agreement=hsb, anchor_on=date(2027, 5, 15))
    assert not AnnualReport.objects.filter(agreement=hartford, anchor_on__year=2027).exists()

    # HSB: something to report → draft → a second officer approves → mailed → filed.
    answers = {**NOTHING, "advances": {"yes": False}}
    answers["property"] = {"yes": True, "facts": "The trustee holds no property or funds."}
    with at(date(2027, 5, 20)):
        with pytest.raises(TransitionRefused, match="answer yes or no"):
            flows.report_answer(report_id=hsb_report.pk, by=preparer, answers={})
        flows.report_answer(report_id=hsb_report.pk, by=preparer, answers=answers)
        with pytest.raises(TransitionRefused, match="cannot approve"):
            flows.report_approve(report_id=hsb_report.pk, by=preparer)
        flows.report_approve(report_id=hsb_report.pk, by=approver)
    hsb_report.refresh_from_db()
    with at(date(2027, 5, 24)):
        with pytest.raises(TransitionRefused, match="not ready to mail"):
            flows.report_mailed(report_id=hsb_report.pk, by=preparer, mailed_on=date(2027, 5, 24))
        letters_prepare(notice_id=hsb_report.notice_id)  # the mail task, as approval enqueues it
        flows.report_mailed(report_id=hsb_report.pk, by=preparer, mailed_on=date(2027, 5, 24))
        flows.report_filed(
            report_id=hsb_report.pk,
            by=preparer,
            filed_on=date(2027, 5, 24),
            filed_with="SEC (Form T-?), New York Stock Exchange",
        )
    hsb_report.refresh_from_db()
    assert steps(hsb_report, "annual_report") == ["open", "draft", "approved", "mailed", "filed"]
    assert hsb_report.obligation.status == "done"
    assert hsb_report.notice.deliveries.count() > 0
    assert hsb_report.notice.letters_status == "mailed" and hsb_report.notice.manifest_pdf

    # Hartford: opened July 1; nothing to report → no report required, on the record.
    sweep_until(date(2027, 7, 1), date(2027, 5, 15))
    hartford_report = AnnualReport.objects.get(agreement=hartford, anchor_on=date(2027, 7, 1))
    with at(date(2027, 7, 2)):
        flows.report_answer(report_id=hartford_report.pk, by=preparer, answers=NOTHING)
    hartford_report.refresh_from_db()
    assert hartford_report.state == "no_report_required"
    assert hartford_report.answered_by == preparer
    assert hartford_report.obligation.status == "not_required"


def test_a_report_left_open_past_its_window_is_escalated(demo):
    hartford, *_ = demo
    sweep_until(date(2027, 7, 1))
    report = AnnualReport.objects.get(agreement=hartford, anchor_on=date(2027, 7, 1))
    sweep_until(report.due_on + timedelta(days=8), date(2027, 7, 2))
    report.refresh_from_db()
    assert report.escalations == 2
    assert report.state == "open"


def test_a_payment_default_through_its_notice_and_no_withholding(demo):
    hartford, _, preparer, approver = demo
    ro = approver.trust_officer
    with at(date(2027, 3, 2)):
        case = flows.default_record(
            agreement=hartford,
            occurred_on=date(2027, 3, 1),
            is_payment_default=True,
            description="The March 1 Guarantee Payment was not paid.",
            by=preparer,
            written_notice_on=date(2027, 3, 2),
            knowledge_officer=ro,
        )
    assert case.state == "event_of_default"
    assert case.event_of_default_on == date(2027, 3, 1)
    # Hartford: notice within 90 days after occurrence (§2.7(a)).
    assert case.notice_due_on >= date(2027, 5, 30)
    with at(date(2027, 3, 3)), pytest.raises(TransitionRefused, match="may not be withheld"):
        flows.default_withhold(case_id=case.pk, by=approver, rationale="Negotiations.")
    assert hartford in [c.agreement for c in flows.agreement_in_default(hartford)]
    with at(date(2027, 3, 4)):
        flows.default_notice_draft(
            case_id=case.pk, by=preparer, details="The Guarantor did not pay the distribution."
        )
        flows.default_notice_approve(case_id=case.pk, by=approver)
    case.refresh_from_db()
    assert case.state == "noticed"
    assert (
        case.notice.deliveries.filter(channel="letter").count()
        == Holder.objects.filter(holder_list=case.notice.holder_list).count()
    )
    duty = case.event.obligations.get(kind="default_notice")
    assert duty.status == "done"
    with at(date(2027, 4, 1)):
        flows.default_cure(
            case_id=case.pk, by=preparer, cured_on=date(2027, 3, 31), note="Paid in full."
        )
    case.refresh_from_db()
    assert steps(case, "default") == [
        "default",
        "event_of_default",
        "notice_drafted",
        "noticed",
        "cured",
    ]
    assert not flows.agreement_in_default(hartford)


def test_covenant_defaults_cured_in_time_or_becoming_events_of_default(demo):
    hartford, hsb, preparer, approver = demo
    # Hartford: cured within 60 days after the Guarantor's receipt of notice: no notice.
    with at(date(2027, 4, 10)):
        cured = flows.default_record(
            agreement=hartford,
            occurred_on=date(2027, 4, 1),
            is_payment_default=False,
            description="Compliance certificate not delivered.",
            by=preparer,
            notice_received_on=date(2027, 4, 5),
        )
    assert cured.state == "default"
    assert cured.event_of_default_on == date(2027, 6, 5)  # 60 days after April 5, then a day
    sweep_until(date(2027, 5, 1), date(2027, 4, 10))
    with at(date(2027, 5, 2)):
        flows.default_cure(
            case_id=cured.pk, by=preparer, cured_on=date(2027, 5, 1), note="Certificate received."
        )
    cured.refresh_from_db()
    assert cured.state == "cured"
    assert (
        "no notice to Holders required"
        in WorkflowStep.objects.filter(workflow="default", case_id=cured.pk).first().comment
    )
    assert not cured.event.obligations.exclude(status="not_required").exists()

    # HSB: unremedied for 90 days → an Event of Default on the 91st, by the sweep.
    with at(date(2027, 6, 1)):
        late = flows.default_record(
            agreement=hsb,
            occurred_on=date(2027, 6, 1),
            is_payment_default=False,
            description="Covenant breach.",
            by=preparer,
        )
    sweep_until(date(2027, 8, 30), date(2027, 6, 1))
    late.refresh_from_db()
    assert late.state == "default"
    with at(date(2027, 8, 31)):
        flows.workflows_sweep()
    late.refresh_from_db()
    assert late.state == "event_of_default"
    assert WorkflowStep.objects.filter(workflow="default", case_id=late.pk, notify=True).exists()

    # Withholding: a Responsible Officer only; it lapses unless affirmed.
    junior = TrustOfficer.objects.filter(is_responsible_officer=False).first()
    if junior is not None:
        with at(date(2027, 9, 1)), pytest.raises(TransitionRefused, match="Responsible Officer"):
            flows.default_withhold(case_id=late.pk, by=junior.user, rationale="x")
    with at(date(2027, 9, 1)):
        flows.default_withhold(
            case_id=late.pk, by=approver, rationale="A cure is being negotiated in good faith."
        )
    late.refresh_from_db()
    assert late.state == "withheld"
    assert late.withholding_lapses_on == date(2027, 11, 30)
    sweep_until(date(2027, 11, 29), date(2027, 9, 1))
    late.refresh_from_db()
    assert late.state == "withheld"
    with at(date(2027, 11, 30)):
        flows.workflows_sweep()
    late.refresh_from_db()
    assert late.state == "event_of_default"

    # Noticed now: drafted by one officer, approved by another, to every Holder.
    with at(date(2027, 11, 30)):
        flows.default_notice_draft(
            case_id=late.pk, by=preparer, details="The covenant default of June 1 continues."
        )
        flows.default_notice_approve(case_id=late.pk, by=approver)
    late.refresh_from_db()
    assert late.state == "noticed"
    assert (
        late.notice.deliveries.filter(channel="letter").count()
        == Holder.objects.filter(holder_list=late.notice.holder_list).count()
    )
    assert late.event.obligations.get(kind="default_notice").status == "done"

    # Waiver (§2.6): refused when the majority is not met, closed when it is.
    record = HolderList.objects.filter(security=late.security, status="imported").first()
    holders = list(Holder.objects.filter(holder_list=record).order_by("-amount"))
    with at(date(2027, 12, 1)):
        solicitation = solicitation_open(
            record_list=record,
            kind="waiver",
            description="Waiver of the covenant default of June 1, 2027",
            opened_on=date(2027, 12, 1),
            by=preparer,
        )
        vote_record(
            solicitation=solicitation,
            holder=holders[-1],
            response="consent",
            received_on=date(2027, 12, 1),
            by=preparer,
        )
        with pytest.raises(TransitionRefused, match="not met"):
            flows.default_waive(case_id=late.pk, by=preparer, solicitation=solicitation)
        total = sum(h.amount for h in holders if h.counts_in_votes)
        consenting = Decimal(0)
        for holder in holders:
            if consenting * 2 > total:
                break
            vote_record(
                solicitation=solicitation,
                holder=holder,
                response="consent",
                received_on=date(2027, 12, 1),
                by=preparer,
            )
            consenting += holder.amount if holder.counts_in_votes else 0
        flows.default_waive(case_id=late.pk, by=preparer, solicitation=solicitation)
    late.refresh_from_db()
    assert late.state == "waived"
    assert "met" in late.closing_note
    assert not flows.agreement_in_default(hsb)


def test_illegal_transitions_are_refused_with_the_states_named(demo):
    hartford, _, preparer, approver = demo
    with at(date(2027, 3, 2)):
        case = flows.default_record(
            agreement=hartford,
            occurred_on=date(2027, 3, 1),
            is_payment_default=False,
            description="Covenant breach.",
            by=preparer,
            notice_received_on=date(2027, 3, 1),
        )
        flows.default_cure(case_id=case.pk, by=preparer, cured_on=date(2027, 3, 2), note="Done.")
        with pytest.raises(TransitionRefused, match="Cannot go from “Cured”"):
            flows.default_withhold(case_id=case.pk, by=approver, rationale="Too late.")
    assert DefaultCase.objects.get(pk=case.pk).state == "cured"


def test_a_list_imported_against_the_duty_is_linked_by_the_sweep_and_a_refused_one_is_not(demo):
    hartford, _, preparer, _ = demo
    security = hartford.securities.first()
    security.amount_outstanding = Decimal("100000000")
    security.save()
    sweep_until(date(2027, 1, 16))
    request = ListRequest.objects.get(agreement=hartford, due_on__month=2)
    with at(date(2027, 2, 1)):
        delivered = deliver_list(
            request, as_of=date(2027, 1, 25), received=date(2027, 2, 1), by=preparer
        )
        flows.workflows_sweep()
    request.refresh_from_db()
    assert request.state == "received" and request.holder_list == delivered
    with at(date(2027, 2, 2)):
        flows.list_request_reopen(request_id=request.pk, by=preparer, reason="Wrong security.")
        flows.workflows_sweep()
    request.refresh_from_db()
    assert request.state == "requested" and request.holder_list is None
    with pytest.raises(TransitionRefused, match="not received"):
        flows.list_request_accept(request_id=request.pk, by=preparer)
