"""Drill: beat stopped for three days (D+1 to D+3) and started again on D+4.

With time travel over the demo data, the workflow sweep and the daily duty sweep (what
trustee.tasks.daily_sweep does: obligations.materialize, advance_statuses, then the
digests) run on day D, not at all for three days, and again on D+4. It proves the catch-up:
every List of Holders request and report to Holders whose opening day fell in the gap is
opened exactly once, on D+4; no obligation is left behind in a status it should have left;
a second run on D+4 opens, moves and sends nothing; and there is one digest per officer for
D and for D+4, none for the days beat missed.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from trustee import obligation_rules
from trustee.digests import officers_with_duties, send_daily_digests
from trustee.models import AnnualReport, DigestDispatch, ListRequest, Obligation
from trustee.obligations import advance_statuses, materialize
from trustee.workflows import workflows_sweep
from trustee.workflows.reports import _report_anchor

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
OPENED = ("list_requests_opened", "reports_opened")


def at(day, hour=9):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK), tick=False
    )


def beat_day(day):
    """One day of beat: the daily duty sweep at 5:30, then the hourly workflow sweep."""
    with at(day, 5):
        materialize(today=day)
        moved = advance_statuses()
        digests = send_daily_digests(today=day)
    with at(day, 9):
        swept = workflows_sweep()
    return moved, digests, swept


def openings_between(start, end):
    """What should open after `start` up to `end`: List of Holders requests (their day is 30
    days, TRUSTDESK_REQUEST_LEAD_DAYS, before the list is due) and reports (on their anchor)."""
    lead = timedelta(days=settings.TRUSTDESK_REQUEST_LEAD_DAYS["holder_list"])
    lists = {
        o.pk
        for o in Obligation.objects.filter(kind="holder_list", list_request__isnull=True)
        if start < o.due_date - lead <= end
    }
    reports = {
        o.pk
        for o in Obligation.objects.filter(
            kind="report_to_holders", annual_report__isnull=True
        ).select_related("agreement__terms")
        if start < _report_anchor(o) <= end
    }
    return lists, reports


# Hartford's February 15 list opens on January 16; HSB's report is dated May 15.
@pytest.mark.parametrize("day_d", [date(2027, 1, 14), date(2027, 5, 13)], ids=str)
def test_a_beat_stopped_for_three_days_catches_up_once_on_the_fourth(day_d, capsys):
    call_command("load_demo", holders=12, stdout=io.StringIO())
    resumed = day_d + timedelta(days=4)
    beat_day(day_d)
    lists_before = set(ListRequest.objects.values_list("pk", flat=True))
    reports_before = set(AnnualReport.objects.values_list("pk", flat=True))
    expected_lists, expected_reports = openings_between(day_d, resumed)
    assert expected_lists or expected_reports, "the gap must hold an opening day"
    mail.outbox.clear()

    # D+1 .. D+3: beat is stopped; nothing runs. D+4: it runs again.
    moved, digests, swept = beat_day(resumed)

    new_lists = ListRequest.objects.exclude(pk__in=lists_before)
    new_reports = AnnualReport.objects.exclude(pk__in=reports_before)
    assert sorted(new_lists.values_list("obligation_id", flat=True)) == sorted(expected_lists)
    assert sorted(new_reports.values_list("obligation_id", flat=True)) == sorted(expected_reports)
    assert set(new_lists.values_list("opened_on", flat=True)) <= {resumed}
    assert swept["list_requests_opened"] == len(expected_lists)
    assert swept["reports_opened"] == len(expected_reports)
    # Every status change the three days owed happened on D+4.
    stale = Obligation.objects.filter(
        next_check__lte=resumed,
        status__in=[obligation_rules.UPCOMING, obligation_rules.DUE_SOON],
    )
    assert stale.count() == 0

    # Digests: one per officer with something due for D and for D+4; none for the gap.
    with at(resumed):
        officers = sorted(officers_with_duties().values_list("pk", flat=True))
    assert digests == len(officers) > 0
    assert len(mail.outbox) == len(officers)
    for_resumed = DigestDispatch.objects.filter(day=resumed)
    assert sorted(for_resumed.values_list("officer_id", flat=True)) == officers
    assert for_resumed.filter(sent_at__isnull=False).count() == len(officers)
    assert set(DigestDispatch.objects.values_list("day", flat=True)) == {day_d, resumed}

    # The same day again: nothing opens, moves or is sent.
    counts = (ListRequest.objects.count(), AnnualReport.objects.count(), len(mail.outbox))
    moved_again, digests_again, swept_again = beat_day(resumed)
    assert [swept_again[key] for key in OPENED] == [0, 0]
    assert (moved_again, digests_again) == (0, 0)
    assert (ListRequest.objects.count(), AnnualReport.objects.count(), len(mail.outbox)) == counts
    assert DigestDispatch.objects.filter(day=resumed).count() == len(officers)
    with capsys.disabled():
        print(
            f"\n  D={day_d}: on D+4 opened {len(expected_lists)} List of Holders request(s) and "
            f"{len(expected_reports)} report(s), moved {moved} obligation(s), sent {digests} "
            f"digest(s); the second run: {swept_again}"
        )
