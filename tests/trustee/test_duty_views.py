"""Where officers see duties: the duties command, the admin, the iCalendar feed, the sweep task."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from icalendar import Calendar

from config.celery import app
from tests.factories import make_officer
from trustee import obligation_rules as rules
from trustee.models import (
    Agreement,
    AgreementEvent,
    ComplianceCertificate,
    HolderApplication,
    Obligation,
    OfficerAssignment,
    Payment,
    PaymentReceipt,
    Succession,
)
from trustee.officers import officer_calendar_reset
from trustee.tasks import daily_sweep
from trustee.views import PAST_DAYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", holders=5, stdout=io.StringIO())


def duties(*args):
    out = io.StringIO()
    call_command("duties", *args, stdout=out)
    return out.getvalue()


def test_duties_prints_the_demo_calendars_as_a_table(demo):
    out = duties("--from", "2025-01-01", "--to", "2026-12-31")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Due", "Day", "Agreement"]
    assert any(
        "2026-02-15  Sun  hartford-capital-iii" in line and "weekend" in line for line in lines
    )
    assert any("2025-01-01  Wed  hsb-capital-ii" in line and "New Year" in line for line in lines)
    # The terms' duties of the two guarantees: four Lists of Holders and two reports a year
    # each... for the two years; the demo's own events (payments, an application) add theirs,
    # dated from today, and the footer counts every line.
    rows = [line for line in lines[2:] if line[:4].isdigit()]
    from_terms = [line for line in rows if "List of Holders" in line or "Report to Holders" in line]
    assert len(from_terms) == 12
    assert f"{len(rows)} duties from 2025-01-01 to 2026-12-31." in out


def test_duties_as_json_and_csv_for_one_agreement(demo):
    records = json.loads(
        duties(
            "--from",
            "2004-01-01",
            "--to",
            "2014-12-31",
            "--agreement",
            "hartford-notes-2014",
            "--format",
            "json",
        )
    )
    payments = [r for r in records if r["kind"] == "payment"]
    assert len(payments) == 20
    assert payments[0]["due_date"] == "2004-09-01" and payments[-1]["due_date"] == "2014-03-01"
    assert [r["due_date"] for r in records if r["kind"] == "maturity"] == ["2014-03-01"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                duties(
                    "--from",
                    "2025-01-01",
                    "--to",
                    "2025-12-31",
                    "--agreement",
                    "hsb-capital-ii",
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert [(r["due_date"], r["kind"], r["owed_by"], r["section"]) for r in rows] == [
        ("2025-01-01", "holder_list", "guarantor", "2.2(a)"),
        ("2025-07-01", "holder_list", "guarantor", "2.2(a)"),
        ("2025-07-14", "report_to_holders", "trustee", "2.3"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-02-30", "--to", "2025-12-31"], "not a date"),
        (["--from", "2025-12-31", "--to", "2025-01-01"], "before --from"),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--agreement", "nope"], "No active"),
    ],
)
def test_duties_refuses_bad_arguments_clearly(demo, args, message):
    with pytest.raises((CommandError, SystemExit)) as caught:
        call_command("duties", *args, stdout=io.StringIO(), stderr=io.StringIO())
    if isinstance(caught.value, CommandError):
        assert message in str(caught.value)


def test_the_agreement_page_shows_its_duty_timeline(demo, admin_client):
    agreement = Agreement.objects.get(slug="hsb-capital-ii")
    page = admin_client.get(f"/admin/trustee/agreement/{agreement.pk}/change/").content.decode()
    assert "Duties: the past and the next 18 months" in page
    assert "List of Holders" in page and "Report to Holders" in page
    assert "New Year&#x27;s Day" in page
    assert "not tracked" in page  # past duties from before Trustdesk tracked them
    assert "upcoming" in page


def test_obligations_admin_filters_and_the_mark_done_action(demo, admin_client):
    response = admin_client.get("/admin/trustee/obligation/?status__exact=upcoming&due=90")
    assert response.status_code == 200
    obligation = Obligation.objects.filter(status=rules.UPCOMING).order_by("due_date").first()
    url = "/admin/trustee/obligation/"
    form = admin_client.post(url, {"action": "mark_done", "_selected_action": [obligation.pk]})
    assert form.status_code == 200
    assert "Evidence that it was done" in form.content.decode()
    empty = admin_client.post(
        url, {"action": "mark_done", "_selected_action": [obligation.pk], "apply": "1", "text": ""}
    )
    assert "This field is required" in empty.content.decode()
    done = admin_client.post(
        url,
        {
            "action": "mark_done",
            "_selected_action": [obligation.pk],
            "apply": "1",
            "text": "List received by fax",
        },
        follow=True,
    )
    assert "1 obligation(s) closed." in done.content.decode()
    obligation.refresh_from_db()
    assert (obligation.status, obligation.resolution) == (rules.DONE, "List received by fax")
    again = admin_client.post(
        url,
        {
            "action": "mark_not_required",
            "_selected_action": [obligation.pk],
            "apply": "1",
            "text": "identical list",
        },
        follow=True,
    )
    assert "cannot be closed again" in again.content.decode()
    assert admin_client.get(f"{url}{obligation.pk}/change/").status_code == 200
    assert admin_client.get(f"{url}add/").status_code == 403


def test_recording_an_event_in_the_admin_starts_its_clocks(demo, admin_client):
    agreement = Agreement.objects.get(slug="hsb-capital-ii")
    data = {
        "agreement": agreement.pk,
        "kind": "default",
        "occurred_on": "2026-01-05",
        "known_on": "",
        "notice_received_on": "",
        "description": "Failure to deliver the List of Holders",
    }
    response = admin_client.post("/admin/trustee/agreementevent/add/", data, follow=True)
    assert response.status_code == 200
    event = AgreementEvent.objects.get(description="Failure to deliver the List of Holders")
    # HSB: notice within 30 days after the occurrence; cure: 90 days after the default.
    assert sorted(event.obligations.values_list("kind", "due_date")) == [
        ("cure_period_end", date(2026, 4, 5)),
        ("default_notice", date(2026, 2, 4)),
    ]
    page = admin_client.get(f"/admin/trustee/agreementevent/{event.pk}/change/").content.decode()
    assert "Notice of default to Holders" in page


def test_an_event_the_terms_cannot_clock_is_refused_in_the_form(demo, admin_client):
    agreement = Agreement.objects.get(slug="hartford-capital-iii")  # cure runs from notice
    data = {
        "agreement": agreement.pk,
        "kind": "default",
        "occurred_on": "2026-01-05",
        "description": "Covenant default",
    }
    response = admin_client.post("/admin/trustee/agreementevent/add/", data)
    assert response.status_code == 200
    assert "Guarantor received" in response.content.decode()
    assert not AgreementEvent.objects.filter(description="Covenant default").exists()


def test_an_officers_calendar_feed_lists_the_duties_of_their_agreements(demo, client):
    officer = OfficerAssignment.objects.filter(role="primary").first().officer
    assert client.get("/calendar/anything.ics").status_code == 404
    token = officer_calendar_reset(officer_id=officer.pk).calendar_token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    # The feed's window: PAST_DAYS back (the demo's payment of a hundred days ago is not in it).
    mine = Obligation.objects.filter(
        agreement__officer_assignments__officer=officer,
        due_date__gte=timezone.localdate() - timedelta(days=PAST_DAYS),
    ).distinct()
    assert len(events) == mine.count() > 0
    first = mine.order_by("due_date").first()
    event = next(e for e in events if str(e["uid"]) == f"obligation-{first.pk}@trustdesk")
    assert event.decoded("dtstart") == first.due_date
    assert first.title in str(event["summary"])
    assert first.section in str(event["description"])

    officer_calendar_reset(officer_id=officer.pk)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_daily_sweep_task_materializes_and_sends_digests(settings):
    # A lead time longer than the horizon: every list is due soon, so a digest must go out.
    settings.TRUSTDESK_DUE_SOON_DAYS = {**settings.TRUSTDESK_DUE_SOON_DAYS, "holder_list": 600}
    call_command("load_demo", holders=5, stdout=io.StringIO())
    # The demo's cases that hold on to their duties go first (their foreign keys protect them).
    for case in (PaymentReceipt, Payment, Succession, HolderApplication, ComplianceCertificate):
        case.objects.all().delete()
    Obligation.objects.all().delete()
    officer = make_officer("digest")
    officer.user.email = "digest@bank.example"
    officer.user.save()
    OfficerAssignment.objects.filter(agreement__slug="hsb-capital-ii", role="primary").update(
        officer=officer
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        daily_sweep.delay()
    finally:
        app.conf.task_always_eager = eager
    assert Obligation.objects.filter(agreement__slug="hsb-capital-ii").exists()
    assert Obligation.objects.filter(officer=officer).exists()
    assert Obligation.objects.filter(officer=officer, status=rules.DUE_SOON).exists()
    recipients = sorted(m.to[0] for m in mail.outbox)
    # The Hartford guarantee's primary officer has lists due soon too.
    assert recipients == ["digest@bank.example", "maria.reyes@trustdesk.example"]


@pytest.mark.parametrize("model", ["obligation", "agreementevent", "digestdispatch"])
def test_the_duty_admin_pages_answer(demo, admin_client, model):
    assert admin_client.get(f"/admin/trustee/{model}/").status_code == 200
    assert admin_client.get(f"/admin/trustee/{model}/?q=Hartford").status_code == 200
