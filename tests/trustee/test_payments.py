"""Payments on the securities (trustee/workflows/payments.py): the calendar's payment dates
become payments with their expected amount; funds received in full close them with the
receipts as evidence; funds short at the cut-off open a payment default the same day, an
Event of Default at once with no cure period and no withholding (§1.1, §2.7(a))."""

import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tests.factories import make_agreement, make_officer, make_security, make_terms, with_guarantor
from trustee import workflows as flows
from trustee.models import DefaultCase, Obligation, Payment, WorkflowStep
from trustee.obligations import TransitionRefused, materialize
from trustee.roles import RoleRefused
from trustee.workflows import payments

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
MARCH_1 = date(2027, 3, 1)


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=NY)


@pytest.fixture
def notes():
    """$200,000,000 4.75% notes paying March 1 and September 1 under Hartford-like terms."""
    agreement = make_agreement()
    make_terms(agreement)
    with_guarantor(agreement)
    security = make_security(
        agreement,
        title="4.75% Senior Notes due 2030",
        kind="senior_notes",
        coupon_rate=Decimal("4.75"),
        unit_amount=Decimal(1000),
        unit_basis="principal",
        aggregate_amount=Decimal("200000000"),
        amount_outstanding=Decimal("200000000"),
        issue_date=date(2026, 3, 1),
        first_payment_date=date(2026, 9, 1),
        payment_dates=["03-01", "09-01"],
        maturity=date(2030, 3, 1),
    )
    materialize(today=date(2027, 1, 1))
    payments.payments_open(today=date(2027, 1, 1))
    return security


@pytest.fixture
def officers():
    return make_officer("preparer", responsible=False), make_officer("approver")


def march(security):
    return Payment.objects.get(security=security, due_on=MARCH_1, kind="payment")


def test_the_calendars_payment_dates_become_payments_with_their_expected_amount(notes):
    rows = Payment.objects.filter(security=notes).order_by("due_on")
    assert [(p.kind, p.due_on) for p in rows[:3]] == [
        ("payment", date(2027, 3, 1)),
        ("payment", date(2027, 9, 1)),
        ("payment", date(2028, 3, 1)),
    ]
    payment = march(notes)
    assert payment.amount_due == Decimal("4750000.00")
    assert "4.75% a year on $200,000,000.00" in payment.expected_basis
    assert payment.obligation.kind == "payment"
    # Running the sweep again makes nothing twice.
    assert payments.payments_open(today=date(2027, 1, 2)) == 0


def test_funds_in_full_by_the_payment_date_close_the_payment_and_its_obligation(notes, officers):
    preparer, _ = officers
    payment = march(notes)
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal("4000000"),
        received_on=date(2027, 2, 26),
        received_from="guarantor",
        reference="FED-1",
        by=preparer.user,
        today=date(2027, 2, 26),
        now=at(date(2027, 2, 26)),
    )
    payment.refresh_from_db()
    assert payment.state == "expected" and payment.received_amount == Decimal("4000000")
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal("750000"),
        received_on=MARCH_1,
        received_from="paying_agent",
        by=preparer.user,
        today=MARCH_1,
        now=at(MARCH_1, 10),
    )
    payment.refresh_from_db()
    assert payment.state == "paid"
    obligation = Obligation.objects.get(pk=payment.obligation_id)
    assert obligation.status == "done"
    assert "$4,000,000.00 on 2027-02-26 from the guarantor (ref. FED-1)" in obligation.resolution
    assert "$750,000.00 on 2027-03-01 from the paying agent" in obligation.resolution
    # The sweep after the cut-off finds nothing to default.
    assert payments.payments_default(today=MARCH_1, now=at(MARCH_1, 15)) == 0
    assert not DefaultCase.objects.exists()
    with pytest.raises(TransitionRefused, match="no more funds"):
        flows.payments.payment_receipt_record(
            payment_id=payment.pk,
            amount=Decimal(1),
            received_on=MARCH_1,
            received_from="guarantor",
            by=preparer.user,
            today=MARCH_1,
        )


def test_a_missed_payment_opens_a_payment_default_the_same_day_without_cure_or_withholding(
    notes, officers
):
    preparer, approver = officers
    payment = march(notes)
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal("4500000"),
        received_on=date(2027, 2, 28),
        received_from="paying_agent",
        by=preparer.user,
        today=date(2027, 2, 28),
        now=at(date(2027, 2, 28)),
    )
    # Before the cut-off on the payment date: not yet.
    assert payments.sweep(today=MARCH_1, now=at(MARCH_1, 0))["payment_defaults"] == 0
    assert payments.sweep(today=MARCH_1, now=at(MARCH_1, 11))["payment_defaults"] == 0
    # At noon, the same day: the payment default.
    assert payments.sweep(today=MARCH_1, now=at(MARCH_1, 12))["payment_defaults"] == 1
    payment.refresh_from_db()
    case = payment.default_case
    assert payment.state == "defaulted"
    assert case.is_payment_default and case.state == "event_of_default"
    assert case.event.occurred_on == MARCH_1 and case.event_of_default_on == MARCH_1
    assert "short by $250,000.00" in case.event.description
    # No cure period: the only clock is the notice to Holders.
    assert list(case.event.obligations.values_list("kind", flat=True)) == ["default_notice"]
    assert case.notice_due_on == date(2027, 5, 30)
    # Withholding the notice is refused, even to a Responsible Officer.
    with pytest.raises(TransitionRefused, match="may not be withheld"):
        flows.default_withhold(case_id=case.pk, by=approver.user, rationale="Talks.")
    # Exactly one default per payment, however often the sweep runs.
    assert payments.payments_default(today=MARCH_1, now=at(MARCH_1, 13)) == 0
    assert payments.payments_default(today=date(2027, 3, 2), now=at(date(2027, 3, 2))) == 0
    assert DefaultCase.objects.count() == 1
    step = WorkflowStep.objects.get(workflow="payment", case_id=payment.pk, new_state="defaulted")
    assert step.notify and step.by is None


def test_a_sweep_run_for_a_day_the_clock_has_left_defaults_without_waiting(notes):
    # Beat was down on March 1; it catches up on March 3 at one in the morning.
    assert payments.payments_default(today=date(2027, 3, 3), now=at(date(2027, 3, 3), 1)) == 1


def test_the_late_path_with_time_travel(notes, officers):
    preparer, _ = officers
    payment = march(notes)
    with time_machine.travel(at(MARCH_1, 8), tick=False):
        assert flows.workflows_sweep()["payment_defaults"] == 0
    with time_machine.travel(at(MARCH_1, 16), tick=False):
        assert flows.workflows_sweep()["payment_defaults"] == 1
    assert flows.agreement_in_default(notes.agreement)
    with time_machine.travel(at(date(2027, 3, 4)), tick=False):
        flows.payments.payment_receipt_record(
            payment_id=payment.pk,
            amount=Decimal("4750000"),
            received_on=date(2027, 3, 4),
            received_from="guarantor",
            by=preparer.user,
        )
    payment.refresh_from_db()
    assert payment.state == "paid_late"
    assert Obligation.objects.get(pk=payment.obligation_id).status == "done"
    # The default is not undone by the money: an officer records the cure.
    case = DefaultCase.objects.get(pk=payment.default_case_id)
    assert case.state == "event_of_default"
    with time_machine.travel(at(date(2027, 3, 5)), tick=False):
        flows.default_cure(
            case_id=case.pk, by=preparer.user, cured_on=date(2027, 3, 4), note="Paid in full."
        )
    assert not flows.agreement_in_default(notes.agreement)
    history = list(
        WorkflowStep.objects.filter(workflow="payment", case_id=payment.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )
    # Opened, defaulted, the late funds noted, paid late.
    assert history == ["expected", "defaulted", "defaulted", "paid_late"]


def test_funds_recorded_late_before_the_sweep_ran_still_open_the_default(notes, officers):
    preparer, _ = officers
    payment = march(notes)
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal("4750000"),
        received_on=date(2027, 3, 2),
        received_from="guarantor",
        by=preparer.user,
        today=date(2027, 3, 2),
    )
    payment.refresh_from_db()
    assert payment.state == "paid_late"
    assert payment.default_case.event.occurred_on == MARCH_1
    assert "received 0" not in payment.default_case.event.description
    assert "$0.00 received by the payment date" in payment.default_case.event.description


def test_an_officer_sets_the_amount_expected_with_a_reason(notes, officers):
    preparer, _ = officers
    payment = march(notes)
    with pytest.raises(TransitionRefused) as refused:
        flows.payments.payment_amount_set(
            payment_id=payment.pk, amount=Decimal(100), reason=" ", by=preparer.user
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(TransitionRefused) as refused:
        flows.payments.payment_amount_set(
            payment_id=payment.pk, amount=Decimal(0), reason="x", by=preparer.user
        )
    assert "amount" in refused.value.message_dict
    flows.payments.payment_amount_set(
        payment_id=payment.pk,
        amount=Decimal("4500000"),
        reason="Partial redemption of $10,520,000 on January 15.",
        by=preparer.user,
        today=date(2027, 2, 1),
    )
    payment.refresh_from_db()
    assert payment.amount_due == Decimal("4500000") and payment.expected_amount == Decimal(
        "4750000.00"
    )
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal("4500000"),
        received_on=date(2027, 2, 27),
        received_from="paying_agent",
        by=preparer.user,
        today=date(2027, 2, 27),
        now=at(date(2027, 2, 27)),
    )
    payment.refresh_from_db()
    assert payment.state == "paid"


def test_bad_receipts_are_refused_naming_the_field(notes, officers):
    preparer, _ = officers
    payment = march(notes)
    with pytest.raises(TransitionRefused) as refused:
        flows.payments.payment_receipt_record(
            payment_id=payment.pk,
            amount=Decimal("-5"),
            received_on=date(2027, 5, 1),
            received_from="nobody",
            by=preparer.user,
            today=date(2027, 2, 1),
        )
    assert set(refused.value.message_dict) == {"amount", "received_on", "received_from"}
    assert not payment.receipts.exists()


def test_only_a_trust_officer_records_funds_and_only_a_responsible_officer_excuses(
    notes, officers, django_user_model
):
    preparer, approver = officers
    payment = march(notes)
    clerk = django_user_model.objects.create_user("clerk")
    with pytest.raises(RoleRefused):
        flows.payments.payment_receipt_record(
            payment_id=payment.pk,
            amount=Decimal(1),
            received_on=date(2027, 1, 1),
            received_from="guarantor",
            by=clerk,
            today=date(2027, 1, 1),
        )
    with pytest.raises(RoleRefused):
        flows.payments.payment_excuse(payment_id=payment.pk, reason="x", by=preparer.user)
    flows.payments.payment_excuse(
        payment_id=payment.pk,
        reason="Distributions deferred under the indenture's extension period (§4.1).",
        by=approver.user,
        today=date(2027, 2, 1),
    )
    payment.refresh_from_db()
    assert payment.state == "not_required"
    assert Obligation.objects.get(pk=payment.obligation_id).status == "not_required"
    assert payments.payments_default(today=date(2027, 3, 5)) == 0


def test_without_an_amount_and_with_some_funds_the_sweep_escalates_once(officers):
    preparer, _ = officers
    agreement = make_agreement()
    make_terms(agreement)
    security = make_security(
        agreement,
        coupon_rate=None,
        first_payment_date=date(2027, 3, 1),
        payment_dates=["03-01"],
    )
    materialize(today=date(2027, 1, 1))
    payments.payments_open(today=date(2027, 1, 1))
    payment = Payment.objects.get(security=security, due_on=MARCH_1)
    assert payment.amount_due is None and "No coupon" in payment.expected_basis
    flows.payments.payment_receipt_record(
        payment_id=payment.pk,
        amount=Decimal(10),
        received_on=MARCH_1,
        received_from="guarantor",
        by=preparer.user,
        today=MARCH_1,
        now=at(MARCH_1, 8),
    )
    for hour in (13, 14):
        assert payments.payments_default(today=MARCH_1, now=at(MARCH_1, hour)) == 0
    payment.refresh_from_db()
    assert "no amount expected is recorded" in payment.problem
    notes = WorkflowStep.objects.filter(workflow="payment", case_id=payment.pk, notify=True)
    assert notes.count() == 1


def test_an_agreement_without_a_notice_term_is_escalated_not_crashed():
    agreement = make_agreement()
    make_terms(agreement, default_notice_days=None, default_notice_runs_from="")
    security = make_security(
        agreement, first_payment_date=date(2027, 3, 1), payment_dates=["03-01"]
    )
    materialize(today=date(2027, 1, 1))
    payments.payments_open(today=date(2027, 1, 1))
    assert payments.payments_default(today=date(2027, 3, 2)) == 0
    payment = Payment.objects.get(security=security, due_on=MARCH_1)
    assert payment.state == "expected"
    assert "Could not open the payment default" in payment.problem
    assert not DefaultCase.objects.exists()


def test_a_payment_follows_its_obligation_when_the_terms_move_or_retire_it(notes):
    payment = march(notes)
    notes.payment_dates = ["03-15", "09-15"]
    notes.first_payment_date = date(2026, 9, 15)
    notes.save()
    materialize(today=date(2027, 1, 2))
    payments.payments_open(today=date(2027, 1, 2))
    payment.refresh_from_db()
    assert payment.state == "not_required"
    assert Payment.objects.filter(security=notes, due_on=date(2027, 3, 15)).exists()


def test_maturity_is_a_payment_of_the_principal(notes):
    materialize(today=date(2029, 1, 1))
    payments.payments_open(today=date(2029, 1, 1))
    maturity = Payment.objects.get(security=notes, kind="maturity")
    assert maturity.due_on == date(2030, 3, 1)
    assert maturity.amount_due == Decimal("200000000")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_one_default(notes):
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(payments.payments_default(today=date(2027, 3, 2)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1]
    assert DefaultCase.objects.count() == 1


def test_payment_dates_long_past_when_first_seen_are_left_to_the_officers(notes):
    """Installing the workflow does not open defaults for dates months behind."""
    september = Obligation.objects.get(security=notes, kind="payment", due_date=date(2027, 9, 1))
    Payment.objects.filter(obligation=september).delete()
    assert payments.payments_open(today=date(2027, 10, 15)) == 0
    assert payments.payments_open(today=date(2027, 9, 20)) == 1
