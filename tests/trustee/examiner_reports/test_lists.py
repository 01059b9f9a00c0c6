"""The reports for supervisors and examiners (trustee/examiner_reports.py): which agreements
each lists as of a date, with the demo data, and the queries they cost."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from holders.models import Holder, HolderList
from holders.votes import solicitation_open, vote_record
from tests.trustee.examiner_reports.helpers import guarantee, payment_default, role_user
from trustee import workflows as flows
from trustee.examiner_reports import (
    guarantor_deliverables_late,
    trusteeships_in_default,
)
from trustee.models import Agreement, Obligation, TrustOfficer
from trustee.obligations import materialize, obligation_complete
from trustee.roles import AUDITOR

pytestmark = pytest.mark.django_db


# -- trusteeships in default ---------------------------------------------------------------


def test_open_defaults_are_listed_and_cured_ones_are_not_once_cured(officer):
    alpha = guarantee("Alpha Capital I Guarantee", guarantor="Alpha Group, Inc.")
    beta = guarantee("Beta Capital II Guarantee", guarantor="Beta Corp.")
    gamma = guarantee("Gamma Capital III Guarantee")
    open_case = payment_default(alpha, on=date(2026, 1, 5), by=officer)
    cured = payment_default(beta, on=date(2026, 1, 10), by=officer)
    flows.default_cure(
        case_id=cured.pk,
        by=officer,
        cured_on=date(2026, 2, 1),
        note="Paid in full with interest.",
        today=date(2026, 2, 2),
    )
    payment_default(gamma, on=date(2026, 3, 1), by=officer)  # after the as-of date

    rows = trusteeships_in_default(date(2026, 2, 16))
    assert [row.agreement for row in rows] == ["Alpha Capital I Guarantee"]
    [row] = rows
    assert row.default_id == open_case.pk
    assert row.guarantor == "Alpha Group, Inc."
    assert row.occurred_on == date(2026, 1, 5)
    assert row.nature == "Payment default"
    assert row.description == "The distribution was not paid."
    assert row.days_in_default == 42
    assert row.status == "Event of Default: notice due"
    assert [a.status for a in row.actions] == [
        "Default: cure period running",
        "Event of Default: notice due",
    ]
    assert row.actions[0].by == "Test Reyes"
    assert "Event of Default at once" in row.actions[1].comment
    assert row.amount_outstanding == Decimal("575000000.00")
    assert (row.currency, row.amount_basis) == ("USD", "Liquidation preference")

    # Before the cure, Beta was in default too: the report is as of its date.
    before = trusteeships_in_default(date(2026, 1, 20))
    assert [row.agreement for row in before] == [
        "Alpha Capital I Guarantee",
        "Beta Capital II Guarantee",
    ]
    # On the day of the cure it is no longer; the later one counts from its own date.
    later = trusteeships_in_default(date(2026, 3, 1))
    assert [row.agreement for row in later] == [
        "Alpha Capital I Guarantee",
        "Gamma Capital III Guarantee",
    ]


def test_the_status_and_actions_are_those_recorded_by_the_as_of_date(officer):
    alpha = guarantee("Alpha Capital I Guarantee")
    case = payment_default(alpha, on=date(2026, 1, 5), by=officer, today=date(2026, 1, 7))
    flows.default_notice_draft(
        case_id=case.pk,
        by=officer,
        details="The distribution was not paid.",
        today=date(2026, 2, 1),
    )
    [then] = trusteeships_in_default(date(2026, 1, 20))
    assert then.status == "Event of Default: notice due"
    assert [a.on for a in then.actions] == [date(2026, 1, 7), date(2026, 1, 7)]
    [now] = trusteeships_in_default(date(2026, 2, 16))
    assert now.status == "Event of Default: notice awaiting approval"
    assert now.actions[-1].on == date(2026, 2, 1)
    # Occurred but not yet recorded on the date asked about: listed, and said so.
    [unknown] = trusteeships_in_default(date(2026, 1, 6))
    assert unknown.status == "Not yet recorded (recorded Wed 7 Jan 2026)"
    assert unknown.actions == ()


def test_a_default_waived_by_the_holders_is_not_listed():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    officer = TrustOfficer.objects.get(user__username="mreyes").user
    today = timezone.localdate()
    case = payment_default(hsb, on=today - timedelta(days=3), by=officer, today=today)
    assert [r.default_id for r in trusteeships_in_default(today)] == [case.pk]
    _waive(case, officer, today)
    assert trusteeships_in_default(today) == []
    # Still listed as of a day before the waiver.
    assert [r.default_id for r in trusteeships_in_default(today - timedelta(days=1))] == [case.pk]


def _waive(case, by, today):
    record = HolderList.objects.get(security=case.security, status="imported")
    solicitation = solicitation_open(
        record_list=record,
        kind="waiver",
        description="Waiver of the payment default",
        opened_on=today,
        by=by,
    )
    holders = list(Holder.objects.filter(holder_list=record).order_by("-amount"))
    total = sum(h.amount for h in holders if h.counts_in_votes)
    consenting = Decimal(0)
    for holder in holders:
        if consenting * 2 > total:
            break
        vote_record(
            solicitation=solicitation, holder=holder, response="consent", received_on=today, by=by
        )
        consenting += holder.amount if holder.counts_in_votes else 0
    flows.default_waive(case_id=case.pk, by=by, solicitation=solicitation, today=today)
    case.refresh_from_db()
    assert case.state == "waived"


# -- the Guarantors' deliverables not received -------------------------------------------


def test_overdue_guarantor_deliverables_are_listed_with_days_late(officer):
    # Hartford-like terms: Lists of Holders on Feb 15 and Aug 15; August 15, 2025 is a Friday.
    alpha = guarantee(
        "Alpha Capital I Guarantee",
        guarantor="Alpha Group, Inc.",
        payment_dates=["03-01", "09-01"],
        first_payment_date=date(2025, 9, 1),
    )
    beta = guarantee("Beta Capital II Guarantee")
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    august = Obligation.objects.get(agreement=alpha, kind="holder_list", due_date__year=2025)
    assert august.due_date == date(2025, 8, 15)
    delivered = Obligation.objects.get(agreement=beta, kind="holder_list", due_date__year=2025)
    obligation_complete(obligation_id=delivered.pk, by=officer, evidence="List received.")

    rows = guarantor_deliverables_late(date(2025, 9, 1))
    assert [(r.agreement, r.kind, r.due_on, r.days_late) for r in rows] == [
        ("Alpha Capital I Guarantee", "List of Holders", date(2025, 8, 15), 17)
    ]
    [row] = rows
    assert row.obligation_id == august.pk
    assert row.guarantor == "Alpha Group, Inc."
    assert row.section == "§2.2(a)"
    assert row.officer == ""
    # The payment of September 1 is the Guarantor's too, but a missed payment is a default,
    # not a deliverable; the trustee's own report to Holders is not the Guarantor's.
    assert Obligation.objects.filter(agreement=alpha, kind="payment").exists()
    later = guarantor_deliverables_late(date(2025, 10, 1))
    assert {r.kind for r in later} == {"List of Holders"}
    # What the trustee did to obtain it: the request the sweep opened and escalated.
    assert row.chased == ""
    flows.list_requests_open(today=date(2025, 8, 1))
    flows.list_requests_overdue(today=date(2025, 8, 18))
    [chased] = guarantor_deliverables_late(date(2025, 9, 1))
    assert chased.chased.startswith("Overdue")
    assert "1 escalation, the last Mon 18 Aug 2025" in chased.chased
    # Due on the as-of date itself: not yet late.
    assert guarantor_deliverables_late(date(2025, 8, 15)) == []
    assert [r.days_late for r in guarantor_deliverables_late(date(2025, 8, 16))] == [1]


def test_a_done_or_excused_deliverable_is_not_listed(officer):
    alpha = guarantee("Alpha Capital I Guarantee")
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    august = Obligation.objects.get(agreement=alpha, kind="holder_list", due_date__year=2025)
    assert [r.obligation_id for r in guarantor_deliverables_late(date(2025, 9, 1))] == [august.pk]
    from trustee.obligations import obligation_waive

    obligation_waive(obligation_id=august.pk, by=officer, reason="Identical list (§2.2(a)).")
    assert guarantor_deliverables_late(date(2025, 9, 1)) == []


def test_certificate_and_report_cases_with_no_duty_on_the_calendar_are_listed_when_late(
    officer, client
):
    """Terms that state no date for the certificate (both demos: "as TIA §314 requires") have
    no duty on the calendar: the case an officer opened with its due date is what is late."""
    from trustee.workflows.deliverables import certificate_expect, periodic_report_expect

    alpha = guarantee("Alpha Capital I Guarantee")
    alpha.terms.fiscal_year_end = None
    alpha.terms.save()
    certificate = certificate_expect(
        agreement=alpha,
        period_end=date(2024, 12, 31),
        due_on=date(2025, 4, 30),
        basis="TIA §314(a)(4): within 120 days of the fiscal year end.",
        by=officer,
        today=date(2025, 1, 5),
    )
    report = periodic_report_expect(
        agreement=alpha,
        kind="annual",
        period_end=date(2024, 12, 31),
        due_on=date(2025, 5, 15),
        basis="Form 10-K: 15 days after it is filed with the SEC.",
        by=officer,
        today=date(2025, 1, 5),
    )
    assert guarantor_deliverables_late(date(2025, 4, 30)) == []
    rows = guarantor_deliverables_late(date(2025, 6, 1))
    assert [(r.kind, r.due_on, r.days_late, r.section) for r in rows] == [
        ("Compliance certificate", date(2025, 4, 30), 32, "§2.4"),
        ("Periodic report", date(2025, 5, 15), 17, "§2.4"),
    ]
    assert [(r.link, r.record_id) for r in rows] == [
        ("admin:trustee_compliancecertificate_change", certificate.pk),
        ("admin:trustee_periodicreport_change", report.pk),
    ]
    assert rows[0].guarantor == "Alpha Capital I Guarantee Parent, Inc."
    # The report's page links each row to its case, not to a duty.
    client.force_login(role_user(AUDITOR))
    page = client.get(reverse("reports:late_deliverables"), {"as_of": "2025-06-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:trustee_compliancecertificate_change", args=[certificate.pk]) in html
    assert reverse("admin:trustee_periodicreport_change", args=[report.pk]) in html


# -- with the demo data ------------------------------------------------------------------------


def test_the_demo_agreements_in_both_reports():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    officer = TrustOfficer.objects.get(user__username="mreyes").user
    today = timezone.localdate()

    # Hartford: a payment default, an Event of Default at once. HSB: a covenant default cured.
    payment_default(hartford, on=today - timedelta(days=20), by=officer, today=today)
    covenant = flows.default_record(
        agreement=hsb,
        occurred_on=today - timedelta(days=30),
        is_payment_default=False,
        description="Covenant breach.",
        by=officer,
        today=today,
    )
    flows.default_cure(
        case_id=covenant.pk,
        by=officer,
        cured_on=today - timedelta(days=5),
        note="Remedied.",
        today=today,
    )
    rows = trusteeships_in_default(today)
    assert {row.agreement for row in rows} == {"Hartford Capital III Guarantee"}
    [row] = [r for r in rows if r.nature == "Payment default"]
    assert row.guarantor == "The Hartford Financial Services Group, Inc."
    assert row.security == "7.45% Preferred Securities, Series A"
    assert row.amount_basis == "Liquidation preference"
    assert {r.agreement for r in trusteeships_in_default(today - timedelta(days=10))} == {
        "Hartford Capital III Guarantee",
        "HSB Capital II Guarantee",
    }

    # The Lists of Holders: HSB's fall on Jan 1 and Jul 1, Hartford's on Feb 15 and Aug 15
    # (demo.yaml). Ten days after HSB's next one, HSB's is late and Hartford's next is not.
    hsb_list = (
        Obligation.objects.filter(agreement=hsb, kind="holder_list", due_date__gte=today)
        .order_by("due_date")
        .first()
    )
    as_of = hsb_list.due_date + timedelta(days=10)
    late = guarantor_deliverables_late(as_of)
    lists = {(r.agreement, r.due_on, r.days_late) for r in late if r.kind == "List of Holders"}
    assert ("HSB Capital II Guarantee", hsb_list.due_date, 10) in lists
    hartford_lists = Obligation.objects.filter(agreement=hartford, kind="holder_list")
    assert all((r.due_on < as_of) for r in late if r.agreement == "Hartford Capital III Guarantee")
    assert not any(
        r.obligation_id in {o.pk for o in hartford_lists.filter(due_date__gte=as_of)} for r in late
    )
    # Only the two guarantees have terms, so only their Guarantors owe the trustee anything.
    assert {r.agreement for r in late} <= {
        "HSB Capital II Guarantee",
        "Hartford Capital III Guarantee",
    }
    for r in late:
        if r.obligation_id is None:
            # A certificate or report case the demo opened by hand (its terms give no date).
            assert r.kind in {"Compliance certificate", "Periodic report"}
            assert r.due_on < as_of and r.days_late > 0
            continue
        duty = Obligation.objects.get(pk=r.obligation_id)
        assert duty.owed_by == "guarantor" and duty.is_open and duty.due_date < as_of
    # The demo's late certificate (deliverables_demo) is in the report.
    assert any(r.kind == "Compliance certificate" for r in late)


# -- queries ---------------------------------------------------------------------------------


def test_each_report_reads_in_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    for n in range(12):
        agreement = guarantee(f"Capital {n:02d} Guarantee")
        payment_default(agreement, on=date(2026, 1, 5), by=officer)
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    with django_assert_max_num_queries(3):
        assert len(trusteeships_in_default(date(2026, 2, 16))) == 12
    # The duties, the certificate cases, the report cases and the Guarantors' names.
    with django_assert_max_num_queries(4):
        assert len(guarantor_deliverables_late(date(2026, 2, 16))) >= 12
