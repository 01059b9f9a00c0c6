"""Obligations as rows: materialized from the terms, swept, recomputed, closed."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count

from tests.factories import make_agreement, make_officer, make_security, make_terms
from trustee import obligation_rules as rules
from trustee.models import Obligation, ObligationChange, OfficerAssignment, TermCitation
from trustee.obligations import (
    TransitionRefused,
    advance_statuses,
    horizon_end,
    materialize,
    obligation_complete,
    obligation_waive,
    terms_changed,
)

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 22)


def noon(day):
    return datetime(day.year, day.month, day.day, 12, tzinfo=NY)


@pytest.fixture
def hartford():
    agreement = make_agreement(slug="hartford-like", dated_as_of=date(2001, 10, 26))
    terms = make_terms(agreement)
    TermCitation.objects.create(
        terms=terms, term="holder_list_dates", section="2.2(a)", quote="on or before February 15"
    )
    officer = make_officer("primary")
    OfficerAssignment.objects.create(agreement=agreement, officer=officer, role="primary")
    return agreement


def keys(agreement, **filters):
    return sorted(agreement.obligations.filter(**filters).values_list("key", flat=True))


def test_materialize_puts_every_duty_to_the_horizon_on_the_calendar_once(hartford):
    result = materialize(today=TODAY)
    assert keys(hartford) == [
        "holder_list:2027-02-15",
        "holder_list:2027-08-15",
        "holder_list:2028-02-15",
        "report_to_holders:2027",
    ]
    assert horizon_end(TODAY) == date(2028, 5, 22)
    assert result.created == 4
    again = materialize(today=TODAY)
    assert (again.created, again.rescheduled, again.retired) == (0, 0, 0)
    assert hartford.obligations.count() == 4
    row = hartford.obligations.get(key="holder_list:2027-02-15")
    assert (row.section, row.quote) == ("2.2(a)", "on or before February 15")
    assert row.officer.user.username == "primary"
    assert row.owed_by == "guarantor"
    assert (row.status, row.next_check) == (rules.UPCOMING, date(2027, 1, 16))


def test_payment_dates_of_securities_are_obligations_too(hartford):
    make_security(
        hartford,
        payment_dates=["03-01", "09-01"],
        first_payment_date=date(2004, 9, 1),
        maturity=date(2027, 9, 1),
    )
    materialize(today=TODAY)
    payments = hartford.obligations.filter(kind="payment").order_by("due_date")
    assert [o.nominal_date for o in payments] == [date(2027, 3, 1), date(2027, 9, 1)]
    assert hartford.obligations.filter(kind="maturity").get().due_date == date(2027, 9, 1)


def test_statuses_advance_on_their_days_and_a_second_sweep_changes_nothing(hartford):
    materialize(today=TODAY)
    row = hartford.obligations.get(key="holder_list:2027-02-15")
    assert advance_statuses(now=noon(date(2027, 1, 15))) == 0
    assert advance_statuses(now=noon(date(2027, 1, 16))) >= 1
    row.refresh_from_db()
    assert (row.status, row.next_check) == (rules.DUE_SOON, date(2027, 2, 16))
    advance_statuses(now=noon(date(2027, 2, 15)))
    row.refresh_from_db()
    assert row.status == rules.DUE_SOON
    advance_statuses(now=noon(date(2027, 2, 16)))
    row.refresh_from_db()
    assert (row.status, row.next_check) == (rules.OVERDUE, None)
    assert advance_statuses(now=noon(date(2027, 2, 16))) == 0


def test_a_long_missed_sweep_takes_a_row_straight_to_overdue(hartford):
    materialize(today=TODAY)
    advance_statuses(now=noon(date(2027, 3, 1)))
    row = hartford.obligations.get(key="holder_list:2027-02-15")
    assert row.status == rules.OVERDUE


def test_overdue_is_decided_in_the_agreements_time_zone(hartford):
    materialize(today=TODAY)
    row = hartford.obligations.get(key="holder_list:2027-02-15")
    Obligation.objects.filter(pk=row.pk).update(status=rules.DUE_SOON, next_check=date(2027, 2, 16))
    # 03:00 UTC on Feb 16 is still Feb 15 in New York: not yet overdue.
    advance_statuses(now=datetime(2027, 2, 16, 3, tzinfo=ZoneInfo("UTC")))
    row.refresh_from_db()
    assert row.status == rules.DUE_SOON
    advance_statuses(now=datetime(2027, 2, 16, 6, tzinfo=ZoneInfo("UTC")))
    row.refresh_from_db()
    assert row.status == rules.OVERDUE


def test_changed_dates_retire_open_duties_and_create_new_ones_but_spare_done_ones(hartford):
    materialize(today=TODAY)
    done = hartford.obligations.get(key="holder_list:2027-02-15")
    obligation_complete(obligation_id=done.pk, by=None, evidence="List received 2027-02-10")
    terms = hartford.terms
    terms.holder_list_dates = ["03-01", "09-01"]
    terms.save()
    result = terms_changed(hartford, by=None, today=TODAY)
    assert result.retired == 2  # Aug 15 2027 and Feb 15 2028; Feb 15 2027 was done
    done.refresh_from_db()
    assert done.status == rules.DONE
    assert keys(hartford, status=rules.NOT_REQUIRED) == [
        "holder_list:2027-08-15",
        "holder_list:2028-02-15",
    ]
    assert "holder_list:2027-03-01" in keys(hartford, status=rules.UPCOMING)
    change = ObligationChange.objects.get(obligation__key="holder_list:2027-08-15")
    assert change.new_status == rules.NOT_REQUIRED and "no longer arises" in change.reason


def test_a_changed_window_reschedules_and_records_old_and_new_dates(hartford):
    materialize(today=TODAY)
    terms = hartford.terms
    terms.report_window_days = 45
    terms.save()
    result = terms_changed(hartford, by=None, today=TODAY)
    assert result.rescheduled == 1
    report = hartford.obligations.get(key="report_to_holders:2027")
    assert report.due_date == date(2027, 8, 15)
    change = report.changes.get()
    assert (change.old_due_date, change.new_due_date) == (date(2027, 8, 30), date(2027, 8, 15))
    assert terms_changed(hartford, by=None, today=TODAY).rescheduled == 0


def test_a_due_date_moved_into_the_past_is_rescheduled_as_overdue_not_retired(hartford):
    materialize(today=date(2027, 8, 1))
    report = hartford.obligations.get(key="report_to_holders:2027")
    assert report.due_date == date(2027, 8, 30)
    terms = hartford.terms
    terms.report_window_days = 20  # now due July 21, already past on Aug 1
    terms.save()
    terms_changed(hartford, by=None, today=date(2027, 8, 1))
    report.refresh_from_db()
    assert (report.status, report.due_date) == (rules.OVERDUE, date(2027, 7, 21))


def test_closing_needs_evidence_or_a_reason_and_happens_once(hartford):
    materialize(today=TODAY)
    row = hartford.obligations.first()
    officer = make_officer("closer")
    with pytest.raises(TransitionRefused, match="what shows it was done"):
        obligation_complete(obligation_id=row.pk, by=officer.user, evidence="  ")
    obligation_complete(obligation_id=row.pk, by=officer.user, evidence="List received")
    row.refresh_from_db()
    assert (row.status, row.closed_by, row.resolution) == (
        rules.DONE,
        officer.user,
        "List received",
    )
    assert row.next_check is None
    with pytest.raises(TransitionRefused, match="already done"):
        obligation_waive(obligation_id=row.pk, by=officer.user, reason="identical list")
    other = hartford.obligations.exclude(pk=row.pk).first()
    with pytest.raises(TransitionRefused, match="why it is not required"):
        obligation_waive(obligation_id=other.pk, by=officer.user, reason="")
    obligation_waive(
        obligation_id=other.pk, by=officer.user, reason="§2.2(a): identical to the last list"
    )
    assert Obligation.objects.get(pk=other.pk).status == rules.NOT_REQUIRED
    assert ObligationChange.objects.filter(obligation__agreement=hartford).count() == 2


def test_an_agreement_without_terms_has_no_periodic_obligations():
    make_agreement()
    assert materialize(today=TODAY).created == 0


def test_terminated_agreements_are_not_materialized(hartford):
    hartford.status = "terminated"
    hartford.terminated_on = date(2026, 1, 1)
    hartford.termination_event = "Redemption in full"
    hartford.save()
    assert materialize(today=TODAY).created == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_no_duplicate(hartford):
    for n in range(30):
        make_terms(make_agreement(slug=f"concurrent-{n}"))
    errors = []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            materialize(today=TODAY)
            advance_statuses(now=noon(TODAY))
        except Exception as error:  # reported below: the test is that there are none
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Obligation.objects.count() == 31 * 4
    duplicates = (
        Obligation.objects.values("agreement_id", "key")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_horizon_is_a_setting(settings, hartford):
    settings.TRUSTDESK_OBLIGATION_HORIZON_MONTHS = 6
    assert horizon_end(TODAY) == date(2027, 5, 22)
    materialize(today=TODAY)
    assert keys(hartford) == ["holder_list:2027-02-15"]
    assert horizon_end(date(2026, 8, 31)) == date(2027, 2, 28)


def test_lead_days_are_a_setting_per_kind(settings, hartford):
    settings.TRUSTDESK_DUE_SOON_DAYS = {**settings.TRUSTDESK_DUE_SOON_DAYS, "holder_list": 60}
    materialize(today=TODAY)
    row = hartford.obligations.get(key="holder_list:2027-02-15")
    assert row.next_check == date(2027, 2, 15) - timedelta(days=60)


def test_a_new_primary_officer_takes_over_the_open_obligations(hartford, admin_client):
    materialize(today=TODAY)
    done = hartford.obligations.first()
    obligation_complete(obligation_id=done.pk, by=None, evidence="received")
    successor = make_officer("successor")
    assignment = OfficerAssignment.objects.get(agreement=hartford, role="primary")
    response = admin_client.post(
        f"/admin/trustee/officerassignment/{assignment.pk}/change/",
        {"agreement": hartford.pk, "officer": successor.pk, "role": "primary"},
    )
    assert response.status_code == 302
    open_rows = hartford.obligations.filter(status__in=rules.OPEN)
    assert set(open_rows.values_list("officer__user__username", flat=True)) == {"successor"}
    done.refresh_from_db()
    assert done.officer.user.username == "primary"  # the record of who did it stays
