"""Holders' applications to communicate (TIA §312(b)) through the services: the clock in New
York banking days, the applicants checked, both elections, the tender and the mailing with
maker-checker, and the sweep escalating an application left unanswered."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from holders.models import HolderList
from holders.services import seed_demo_holders
from notices.models import Notice
from tests.factories import make_agreement, make_officer, make_security, make_terms, with_guarantor
from trustee import application_rules as rules
from trustee.calendar import DutyKind
from trustee.models import AgreementEvent, HolderApplication, Obligation, WorkflowStep
from trustee.obligations import TransitionRefused, advance_statuses
from trustee.workflows import applications as flows
from trustee.workflows import workflows_sweep

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
WEDNESDAY_BEFORE_THANKSGIVING = date(2026, 11, 25)
APPLICANTS = (
    "Margaret Okafor; 250,000; 2025-01-02\n"
    "Lakeside Pension Fund; 1,500,000; 2019-03-01\n"
    "Thomas Brennan; 75,000; 2026-05-25\n"
)


@pytest.fixture
def officers():
    return make_officer("maker").user, make_officer("checker").user


@pytest.fixture
def security():
    agreement = make_agreement()
    make_terms(agreement)  # 5 business days, as TIA §312(b)
    with_guarantor(agreement)
    security = make_security(agreement)
    seed_demo_holders(security, count=8)
    return security


def record(security, by, received=WEDNESDAY_BEFORE_THANKSGIVING, applicants=APPLICANTS, **kw):
    return flows.application_record(
        agreement=security.agreement,
        received_on=received,
        applicants=applicants,
        communication=kw.pop("communication", "Fellow Holders: give us your proxy."),
        by=by,
        today=kw.pop("today", received),
        **kw,
    )


def steps(application):
    return list(
        WorkflowStep.objects.filter(workflow="holder_application", case_id=application.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )


def test_the_clock_counts_new_york_banking_days_across_thanksgiving(security, officers):
    maker, _ = officers
    application = record(security, maker)
    # Thanksgiving is not a banking day; 27, 30 November, 1, 2, 3 December are.
    assert application.election_due_on == date(2026, 12, 3)
    duty = Obligation.objects.get(pk=application.obligation_id)
    assert duty.kind == DutyKind.HOLDER_COMMUNICATION and duty.due_date == date(2026, 12, 3)
    assert duty.event.kind == AgreementEvent.Kind.HOLDER_APPLICATION
    first = WorkflowStep.objects.get(workflow="holder_application", case_id=application.pk)
    assert "within 5 New York banking days: by 2026-12-03" in first.comment
    assert application.applicants.filter(eligible=True).count() == 3


def test_the_mailing_path_with_tender_and_a_second_officer(security, officers):
    maker, checker = officers
    application = record(security, maker)
    with pytest.raises(TransitionRefused) as nothing:
        flows.application_send_estimate(
            application_id=application.pk,
            by=maker,
            informed_on=date(2026, 11, 30),
            cost_per_holder=Decimal("0"),
            today=date(2026, 11, 30),
        )
    assert "cost_per_holder" in nothing.value.message_dict
    flows.application_send_estimate(
        application_id=application.pk,
        by=maker,
        informed_on=date(2026, 11, 30),
        cost_per_holder=Decimal("1.25"),
        today=date(2026, 11, 30),
    )
    application.refresh_from_db()
    holders = HolderList.objects.get(security=security).row_count
    assert application.state == "estimate_sent" and application.holder_count == holders
    assert application.estimated_cost == Decimal("1.25") * holders
    assert Obligation.objects.get(pk=application.obligation_id).status == "done"
    # The mailing is drafted only once the cost is tendered, and in full.
    with pytest.raises(TransitionRefused, match="once the cost is tendered"):
        flows.application_mailing_draft(application_id=application.pk, by=maker)
    with pytest.raises(TransitionRefused) as short:
        flows.application_tender(
            application_id=application.pk,
            by=maker,
            tendered_on=date(2026, 12, 2),
            amount=Decimal("1.00"),
            today=date(2026, 12, 2),
        )
    assert "less than the estimated cost" in short.value.message_dict["amount"][0]
    flows.application_tender(
        application_id=application.pk,
        by=maker,
        tendered_on=date(2026, 12, 2),
        amount=application.estimated_cost,
        today=date(2026, 12, 2),
    )
    with pytest.raises(TransitionRefused, match="follows the estimate"):
        flows.application_tender(
            application_id=application.pk,
            by=maker,
            tendered_on=date(2026, 12, 2),
            amount=application.estimated_cost,
            today=date(2026, 12, 2),
        )
    with pytest.raises(TransitionRefused, match="no drafted mailing"):
        flows.application_mailing_approve(application_id=application.pk, by=checker)
    flows.application_mailing_draft(
        application_id=application.pk, by=maker, today=date(2026, 12, 3)
    )
    application.refresh_from_db()
    notice = application.notice
    assert notice.kind == "holder_communication" and notice.status == Notice.Status.DRAFT
    assert notice.details == "Fellow Holders: give us your proxy."
    with pytest.raises(TransitionRefused, match="cannot approve it: a second officer must"):
        flows.application_mailing_approve(application_id=application.pk, by=maker)
    flows.application_mailing_approve(
        application_id=application.pk, by=checker, today=date(2026, 12, 3)
    )
    application.refresh_from_db()
    notice.refresh_from_db()
    assert application.state == "mailed" and application.mailed_on == date(2026, 12, 3)
    assert notice.status == Notice.Status.APPROVED
    assert notice.deliveries.filter(channel="letter").count() == holders
    from notices.rendering import render

    sent = render(notice, {"name": "Jane Holder", "address": "1 Elm Street, Hartford CT"})
    assert sent["subject"].startswith("Communication from Holders:")
    assert "Fellow Holders: give us your proxy." in sent["letter"]
    assert "at the request, and at the expense, of Holders" in sent["text"]
    assert "Jane Holder, 1 Elm Street" in sent["html"] and "312(b)" in sent["html"]
    assert steps(application) == [
        "received",
        "estimate_sent",
        "cost_tendered",
        "mailing_drafted",
        "mailed",
    ]


def test_the_access_path(security, officers):
    maker, _ = officers
    application = record(security, maker)
    with pytest.raises(TransitionRefused) as before:
        flows.application_give_access(
            application_id=application.pk,
            by=maker,
            access_given_on=date(2026, 11, 24),
            today=date(2026, 11, 27),
        )
    assert "access_given_on" in before.value.message_dict
    with pytest.raises(TransitionRefused) as future:
        flows.application_give_access(
            application_id=application.pk,
            by=maker,
            access_given_on=date(2026, 11, 28),
            today=date(2026, 11, 27),
        )
    assert "in the future" in future.value.message_dict["access_given_on"][0]
    flows.application_give_access(
        application_id=application.pk,
        by=maker,
        access_given_on=date(2026, 11, 27),
        today=date(2026, 11, 27),
    )
    application.refresh_from_db()
    assert application.state == "access_given" and application.election == "access"
    step = WorkflowStep.objects.filter(case_id=application.pk, workflow="holder_application")
    assert "within the deadline of 2026-12-03" in step.first().comment
    # Closed: no second election, and the sweep leaves it alone.
    with pytest.raises(TransitionRefused, match="it is closed"):
        flows.application_send_estimate(
            application_id=application.pk,
            by=maker,
            informed_on=date(2026, 11, 27),
            cost_per_holder=Decimal(1),
            today=date(2026, 11, 27),
        )
    assert flows.sweep(today=date(2026, 12, 31)) == {"holder_applications_late": 0}


def test_no_election_by_the_deadline_is_escalated_by_the_sweep(security, officers):
    maker, _ = officers
    application = record(security, maker)
    day = WEDNESDAY_BEFORE_THANKSGIVING
    while day <= date(2026, 12, 3):  # the deadline itself: still in time
        assert flows.sweep(today=day)["holder_applications_late"] == 0
        day += timedelta(days=1)
    assert workflows_sweep(today=date(2026, 12, 4))["holder_applications_late"] == 1
    assert flows.sweep(today=date(2026, 12, 4))["holder_applications_late"] == 0  # twice: once
    application.refresh_from_db()
    assert application.state == "late" and application.escalations == 1
    escalation = WorkflowStep.objects.filter(
        workflow="holder_application", case_id=application.pk
    ).first()
    assert escalation.notify and escalation.by is None
    assert "it was due 2026-12-03 (TIA §312(b)), 1 business day(s) ago" in escalation.comment
    advance_statuses(now=datetime(2026, 12, 4, 9, tzinfo=NEW_YORK))
    assert Obligation.objects.get(pk=application.obligation_id).status == "overdue"
    # Escalated again every two days while still unanswered.
    assert flows.sweep(today=date(2026, 12, 5))["holder_applications_late"] == 0
    assert flows.sweep(today=date(2026, 12, 6))["holder_applications_late"] == 1
    application.refresh_from_db()
    assert application.escalations == 2
    # A late election still closes it, the lateness in business days on the record.
    flows.application_give_access(
        application_id=application.pk,
        by=maker,
        access_given_on=date(2026, 12, 7),
        today=date(2026, 12, 7),
    )
    application.refresh_from_db()
    assert application.state == "access_given"
    last = WorkflowStep.objects.filter(
        workflow="holder_application", case_id=application.pk
    ).first()
    assert "2 business day(s) after the deadline of 2026-12-03" in last.comment
    assert steps(application) == ["received", "late", "late", "access_given"]


def test_an_application_short_of_three_eligible_holders_is_refused_naming_them(security, officers):
    maker, _ = officers
    with pytest.raises(TransitionRefused) as refused:
        record(
            security,
            maker,
            applicants="Margaret Okafor; 250000; 2025-01-02\n"
            "Lakeside Pension Fund; 1500000; 2019-03-01\n"
            "Thomas Brennan; 75000; 2026-07-01\n",
        )
    message = refused.value.message_dict["applicants"][0]
    assert "Thomas Brennan: held since 2026-07-01" in message and "Okafor" not in message
    assert not HolderApplication.objects.exists()
    assert not AgreementEvent.objects.exists()  # nothing half-written


@pytest.mark.parametrize(
    "values, field, text",
    [
        ({"applicants": "Only a name"}, "applicants", "Line 1"),
        ({"communication": "  "}, "communication", "communication the applicants propose"),
        ({"today": date(2026, 11, 20)}, "received_on", "in the future"),
    ],
)
def test_bad_input_is_refused_naming_the_field(security, officers, values, field, text):
    maker, _ = officers
    with pytest.raises(TransitionRefused) as refused:
        record(security, maker, **values)
    assert text in refused.value.message_dict[field][0]


def test_applicants_are_matched_against_the_latest_list_of_holders(security, officers):
    maker, _ = officers
    on_list = HolderList.objects.get(security=security).holders.first().name
    application = record(
        security,
        maker,
        applicants=APPLICANTS + f"{on_list.upper()}; 100; 2020-01-01\nLate Comer; 5; 2026-11-01\n",
    )
    rows = {a.name: a for a in application.applicants.all()}
    assert rows[on_list.upper()].on_latest_list is True
    assert rows["Margaret Okafor"].on_latest_list is False
    assert (
        rows["Late Comer"].eligible is False
        and "less than six months" in rows["Late Comer"].problem
    )
    assert application.holder_list == HolderList.objects.get(security=security)


def test_an_estimate_needs_an_imported_list_of_holders(officers):
    maker, _ = officers
    agreement = make_agreement()
    make_terms(agreement)
    with_guarantor(agreement)
    bare = make_security(agreement)
    application = record(bare, maker)
    assert application.holder_list is None
    assert application.applicants.filter(on_latest_list__isnull=True).count() == 3
    with pytest.raises(TransitionRefused, match="no imported List of Holders"):
        flows.application_send_estimate(
            application_id=application.pk,
            by=maker,
            informed_on=WEDNESDAY_BEFORE_THANKSGIVING,
            cost_per_holder=Decimal(1),
            today=WEDNESDAY_BEFORE_THANKSGIVING,
        )


def test_the_case_and_the_calendar_agree_with_the_pure_rule(security, officers):
    from trustee.calendar import BusinessCalendar

    maker, _ = officers
    for received in (date(2026, 12, 23), date(2026, 12, 31), date(2027, 1, 15)):
        application = record(security, maker, received=received, today=date(2027, 2, 1))
        assert application.election_due_on == rules.election_due_on(received, 5, BusinessCalendar())


def test_the_escalation_is_mailed_to_the_agreements_officers(security, officers):
    from django.core import mail

    from trustee.escalations import escalation_send
    from trustee.models import OfficerAssignment

    maker, _ = officers
    maker.email = "maker@bank.example"
    maker.save()
    OfficerAssignment.objects.create(
        agreement=security.agreement, officer=maker.trust_officer, role="primary"
    )
    application = record(security, maker)
    flows.sweep(today=date(2026, 12, 4))
    step = WorkflowStep.objects.get(
        workflow="holder_application", case_id=application.pk, notify=True
    )
    assert escalation_send(step_id=step.pk)
    assert mail.outbox[-1].to == ["maker@bank.example"]
    # (The subject template HTML-escapes the apostrophe of "Holders'": reported, not ours.)
    assert "application (TIA §312(b)) — Escalation 1" in mail.outbox[-1].subject
