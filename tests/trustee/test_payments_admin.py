"""Payments, eligibility and conflicts walked in the admin with the demo data: the buttons post
small forms to the workflow functions; refusals are shown on the form, naming the field."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_officer, make_security
from trustee.models import (
    Agreement,
    BankCondition,
    ConflictCase,
    DefaultCase,
    EligibilityResult,
    Payment,
)
from trustee.obligations import materialize
from trustee.workflows import payments

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def at(day, hour=9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=NY), tick=False)


@pytest.fixture
def demo():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    return Agreement.objects.get(slug="hartford-capital-iii"), Agreement.objects.get(
        slug="hsb-capital-ii"
    )


@pytest.fixture
def officer(client):
    user = make_officer("walker", superuser=True).user
    client.force_login(user)
    return user


def act(model, case, action):
    return reverse(f"admin:trustee_{model}_act", args=[case.pk, action])


def change(model, case):
    return reverse(f"admin:trustee_{model}_change", args=[case.pk])


def test_the_demo_payments_show_their_receipts_as_evidence(demo, client, officer):
    page = client.get(reverse("admin:trustee_payment_changelist"))
    assert page.status_code == 200 and b"Paid in full on time" in page.content
    payment = Payment.objects.filter(receipts__received_from="guarantor").get()
    page = client.get(change("payment", payment)).content.decode()
    assert "$250,000.00" in page and "Guarantor" in page
    assert "Record funds received" not in page  # closed: no button


def test_a_missed_payment_walked_in_the_admin(demo, client, officer):
    hartford, _ = demo
    security = make_security(
        hartford,
        title="6% Notes due 2031",
        coupon_rate=Decimal(6),
        aggregate_amount=Decimal("1000000"),
        amount_outstanding=Decimal("1000000"),
        payment_dates=["06-15", "12-15"],
        first_payment_date=date(2027, 6, 15),
    )
    with at(date(2027, 5, 1)):
        materialize(today=date(2027, 5, 1))
        payments.sweep(today=date(2027, 5, 1))
    payment = Payment.objects.get(security=security, due_on=date(2027, 6, 15))
    assert payment.amount_due == Decimal("30000.00")
    with at(date(2027, 6, 14)):
        client.force_login(officer)
        page = client.get(change("payment", payment)).content.decode()
        assert "Record funds received" in page and "Set the amount expected" in page
        refused = client.post(
            act("payment", payment, "receipt"),
            {"amount": "-1", "received_on": "2027-06-20", "received_from": "guarantor"},
        )
        text = refused.content.decode()
        assert refused.status_code == 200
        assert "more than zero" in text and "in the future" in text
        done = client.post(
            act("payment", payment, "receipt"),
            {"amount": "20000", "received_on": "2027-06-14", "received_from": "paying_agent"},
        )
        assert done.status_code == 302
    with at(date(2027, 6, 15), hour=13):
        assert payments.sweep(today=date(2027, 6, 15))["payment_defaults"] == 1
    payment.refresh_from_db()
    case = DefaultCase.objects.get(pk=payment.default_case_id)
    assert "short by $10,000.00" in case.event.description
    with at(date(2027, 6, 16)):
        client.force_login(officer)
        refused = client.post(
            reverse("admin:trustee_defaultcase_act", args=[case.pk, "withhold"]),
            {"rationale": "Talks with the Guarantor."},
        )
        assert "may not be withheld" in refused.content.decode()
        page = client.get(change("payment", payment)).content.decode()
        assert "Short: payment default opened" in page and "Set the amount expected" not in page


def test_eligibility_walked_in_the_admin(demo, client, officer):
    _, hsb = demo
    flagged = EligibilityResult.objects.get(agreement=hsb, state="ineligible")
    page = client.get(reverse("admin:trustee_eligibilityresult_changelist") + "?state=ineligible")
    assert "1 eligibility result" in page.content.decode()
    assert change("eligibilityresult", flagged) in page.content.decode()
    # A new report: 40 million misses both minimums of 50 million.
    response = client.post(
        reverse("admin:trustee_bankcondition_add"),
        {
            "report_date": "2026-10-31",
            "capital_surplus": "40000000",
            "charter": "state_bank",
            "rating_category": "2",
            "source_reference": "Call Report",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    condition = BankCondition.objects.get(report_date=date(2026, 10, 31))
    page = client.get(change("bankcondition", condition)).content.decode()
    assert page.count("short of the $50,000,000.00 minimum") == 2
    flagged.refresh_from_db()
    assert flagged.state == "superseded"
    current = EligibilityResult.objects.get(condition=condition, agreement=hsb)
    refused = client.post(act("eligibilityresult", current, "resign"), {"note": " "})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    done = client.post(
        act("eligibilityresult", current, "resign"), {"note": "Resignation delivered (§4.2)."}
    )
    assert done.status_code == 302
    current.refresh_from_db()
    assert current.state == "resigning"
    # Recording HSB's affiliation checks it again (a resignation under way stays).
    response = client.post(
        reverse("admin:trustee_affiliationfact_add"),
        {"agreement": hsb.pk, "is_affiliate": "no", "note": "No common control."},
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.state == "resigning"
    bad = client.post(
        reverse("admin:trustee_bankcondition_add"),
        {
            "report_date": "2099-01-01",
            "capital_surplus": "1",
            "charter": "other",
            "source_reference": "x",
        },
    )
    assert "cannot be dated in the future" in bad.content.decode()


def test_a_conflict_walked_in_the_admin(demo, client, officer):
    hartford, _ = demo
    case = ConflictCase.objects.get(agreement=hartford)
    page = client.get(change("conflictcase", case)).content.decode()
    assert "Recorded: not in default, no clock" in page
    assert "Record the conflicting interest eliminated" in page and "Draft the notice" not in page
    refused = client.post(
        act("conflictcase", case, "eliminate"), {"closed_on": "2099-01-01", "note": "Sold."}
    )
    assert "in the future" in refused.content.decode()
    response = client.post(
        reverse("admin:trustee_conflictcase_add"),
        {"agreement": hartford.pk, "ascertained_on": "2099-01-01", "description": "A loan."},
    )
    assert response.status_code == 200 and "in the future" in response.content.decode()
    done = client.post(
        act("conflictcase", case, "eliminate"),
        {"closed_on": case.ascertained_on.isoformat(), "note": "The other trusteeship ended."},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == "eliminated"
