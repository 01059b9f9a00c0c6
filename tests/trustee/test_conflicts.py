"""Conflicting interests (trustee/workflows/standing.py, §4.1(c), TIA §310(b)): the clock runs
only while the securities are in default, from the later of ascertainment and the default;
eliminated in time, no notice; not eliminated, the notice to Holders with maker-checker."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import make_officer
from trustee import workflows as flows
from trustee.models import Agreement, ConflictCase, Obligation, TrustOfficer, WorkflowStep
from trustee.obligations import TransitionRefused
from trustee.roles import RoleRefused
from trustee.workflows import standing

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=NY), tick=False)


@pytest.fixture
def demo():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    officers = {o.user.username: o.user for o in TrustOfficer.objects.select_related("user")}
    return hsb, officers["mreyes"], officers["dchen"]


def payment_default(agreement, on, by):
    return flows.default_record(
        agreement=agreement,
        occurred_on=on,
        is_payment_default=True,
        description="The distribution was not paid.",
        by=by,
        today=on,
    )


def history(case):
    return list(
        WorkflowStep.objects.filter(workflow="conflict", case_id=case.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )


def test_no_clock_until_a_default_then_from_the_default(demo):
    hsb, preparer, _ = demo
    case = standing.conflict_record(
        agreement=hsb,
        ascertained_on=date(2027, 1, 5),
        description="The bank became trustee under another indenture of the Guarantor.",
        by=preparer,
        today=date(2027, 1, 6),
    )
    assert case.state == "recorded" and case.eliminate_by is None
    # Months pass outside a default: nothing runs, nothing falls due.
    for day in (date(2027, 2, 1), date(2027, 4, 10), date(2027, 5, 1)):
        standing.sweep(today=day)
    case.refresh_from_db()
    assert case.state == "recorded"
    assert not Obligation.objects.filter(agreement=hsb, kind="conflict_elimination").exists()
    # A payment default on May 3: the clock runs from the default, not from January.
    payment_default(hsb, date(2027, 5, 3), preparer)
    assert standing.sweep(today=date(2027, 5, 3))["conflict_clocks_started"] == 1
    case.refresh_from_db()
    assert case.state == "clock_running" and case.clock_from == date(2027, 5, 3)
    assert case.eliminate_by == date(2027, 8, 1)  # 90 days (§4.1(c), TIA §310(b)(i))
    assert case.notice_by == date(2027, 8, 11)  # then 10 days (§310(b)(ii))
    duties = {o.kind: o.due_date for o in case.event.obligations.all()}
    assert duties == {
        "conflict_elimination": date(2027, 8, 1),
        "conflict_notice": date(2027, 8, 11),
    }
    assert standing.sweep(today=date(2027, 5, 4))["conflict_clocks_started"] == 0


def test_a_conflict_ascertained_during_a_default_starts_at_once(demo):
    hsb, preparer, _ = demo
    payment_default(hsb, date(2027, 3, 1), preparer)
    case = standing.conflict_record(
        agreement=hsb,
        ascertained_on=date(2027, 4, 10),
        description="A 10% holding of the Guarantor's voting securities.",
        by=preparer,
        today=date(2027, 4, 12),
    )
    assert case.state == "clock_running" and case.clock_from == date(2027, 4, 10)
    assert case.eliminate_by == date(2027, 7, 9)


def test_a_cure_before_the_days_run_stops_the_clock(demo):
    hsb, preparer, _ = demo
    default = payment_default(hsb, date(2027, 3, 1), preparer)
    case = standing.conflict_record(
        agreement=hsb,
        ascertained_on=date(2027, 3, 10),
        description="A creditor relationship.",
        by=preparer,
        today=date(2027, 3, 10),
    )
    flows.default_cure(
        case_id=default.pk,
        by=preparer,
        cured_on=date(2027, 4, 1),
        note="Paid in full.",
        today=date(2027, 4, 1),
    )
    assert standing.sweep(today=date(2027, 4, 1))["conflict_clocks_stopped"] == 1
    case.refresh_from_db()
    assert case.state == "recorded" and case.eliminate_by is None
    assert set(case.event.obligations.values_list("status", flat=True)) == {"not_required"}
    # The days after the cure do not count: nothing is due in June.
    assert standing.sweep(today=date(2027, 6, 10))["conflict_notices_due"] == 0
    assert history(case) == ["recorded", "clock_running", "recorded"]


def test_eliminated_in_time_no_notice_is_due(demo):
    hsb, preparer, approver = demo
    payment_default(hsb, date(2027, 3, 1), preparer)
    case = standing.conflict_record(
        agreement=hsb,
        ascertained_on=date(2027, 3, 2),
        description="A creditor relationship.",
        by=preparer,
        today=date(2027, 3, 2),
    )
    administrator = make_officer("administrator", responsible=False).user
    with pytest.raises(RoleRefused):
        standing.conflict_eliminate(
            case_id=case.pk,
            by=administrator,
            closed_on=date(2027, 4, 1),
            note="Loan sold.",
            today=date(2027, 4, 2),
        )
    standing.conflict_eliminate(
        case_id=case.pk,
        by=approver,
        closed_on=date(2027, 4, 1),
        note="The loan was sold.",
        today=date(2027, 4, 2),
    )
    case.refresh_from_db()
    duties = {o.kind: o.status for o in case.event.obligations.all()}
    assert case.state == "eliminated"
    assert duties == {"conflict_elimination": "done", "conflict_notice": "not_required"}


def test_not_eliminated_in_time_the_notice_goes_to_the_holders_with_maker_checker(demo):
    hsb, preparer, approver = demo
    with at(date(2027, 3, 1)):
        payment_default(hsb, date(2027, 3, 1), preparer)
        case = standing.conflict_record(
            agreement=hsb,
            ascertained_on=date(2027, 3, 1),
            description="A creditor relationship.",
            by=preparer,
        )
    with at(date(2027, 5, 30)):
        assert flows.workflows_sweep()["conflict_notices_due"] == 0
    with at(date(2027, 5, 31)):
        assert flows.workflows_sweep()["conflict_notices_due"] == 1
    case.refresh_from_db()
    assert case.state == "notice_due"
    with pytest.raises(TransitionRefused, match="Cannot go from"):
        standing.conflict_eliminate(
            case_id=case.pk,
            by=approver,
            closed_on=date(2027, 5, 31),
            note="x",
            today=date(2027, 5, 31),
        )
    with at(date(2027, 6, 2)):
        standing.conflict_notice_draft(
            case_id=case.pk, by=preparer, details="The trustee has a conflicting interest."
        )
        with pytest.raises(TransitionRefused, match="cannot approve"):
            standing.conflict_notice_approve(case_id=case.pk, by=preparer)
        standing.conflict_notice_approve(case_id=case.pk, by=approver)
    case.refresh_from_db()
    assert case.state == "noticed" and case.notice.kind == "conflict_notice"
    assert case.notice.deliveries.filter(channel="letter").exists()
    assert case.event.obligations.get(kind="conflict_notice").status == "done"
    with at(date(2027, 7, 1)):
        standing.conflict_resign(
            case_id=case.pk,
            by=approver,
            closed_on=date(2027, 7, 1),
            note="Resignation delivered to the Holders and the Guarantor (§4.2).",
        )
    case.refresh_from_db()
    assert history(case) == [
        "recorded",
        "clock_running",
        "notice_due",
        "notice_drafted",
        "noticed",
        "resigned",
    ]
    assert case.event.obligations.get(kind="conflict_elimination").status == "done"


def test_bad_input_is_refused_naming_the_field(demo):
    hsb, preparer, _ = demo
    with pytest.raises(TransitionRefused) as refused:
        standing.conflict_record(
            agreement=hsb,
            ascertained_on=date(2030, 1, 1),
            description=" ",
            by=preparer,
            today=date(2027, 1, 1),
        )
    assert set(refused.value.message_dict) == {"ascertained_on", "description"}
    assert not ConflictCase.objects.filter(agreement=hsb).exists()


def test_an_agreement_without_the_conflict_terms_is_escalated_once(demo):
    hsb, preparer, _ = demo
    hsb.terms.conflicting_interest_days = None
    hsb.terms.save()
    payment_default(hsb, date(2027, 3, 1), preparer)
    case = standing.conflict_record(
        agreement=hsb,
        ascertained_on=date(2027, 3, 2),
        description="A creditor relationship.",
        by=preparer,
        today=date(2027, 3, 2),
    )
    assert case.state == "recorded" and "conflicting_interest_days" in case.problem
    standing.sweep(today=date(2027, 3, 3))
    escalations = WorkflowStep.objects.filter(workflow="conflict", case_id=case.pk, notify=True)
    assert escalations.count() == 1
