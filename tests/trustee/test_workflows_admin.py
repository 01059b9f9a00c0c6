"""The workflows in the admin: a default recorded, noticed with maker-checker and shown on the
agreement's page; refusals shown on the form; the sweep through a real worker; the beat
schedule naming every sweep."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.schedule import PERIODIC_JOBS
from tests.factories import make_officer
from trustee.models import Agreement, DefaultCase, ListRequest, Obligation, WorkflowStep
from trustee.obligations import materialize

pytestmark = pytest.mark.django_db


@pytest.fixture
def hartford():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    return Agreement.objects.get(slug="hartford-capital-iii")


def login(client, officer):
    client.force_login(officer.user)
    return client


def test_an_officer_records_a_default_and_a_second_officer_approves_the_notice(hartford, client):
    maker = make_officer("maker", superuser=True)
    checker = make_officer("checker", superuser=True)
    today = timezone.localdate()
    login(client, maker)
    response = client.post(
        reverse("admin:trustee_defaultcase_add"),
        {
            "agreement": hartford.pk,
            "occurred_on": (today - timedelta(days=2)).isoformat(),
            "is_payment_default": "on",
            "description": "The quarterly distribution was not paid.",
            "written_notice_on": (today - timedelta(days=1)).isoformat(),
            "knowledge_officer": checker.pk,
        },
    )
    case = DefaultCase.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert case.state == "event_of_default"

    page = client.get(reverse("admin:trustee_agreement_change", args=[hartford.pk])).content
    assert b"In default." in page and b"prudent person" in page
    assert b"Event of Default at once" in page  # the timeline

    # Withholding a payment default is refused, on the form, with the clause.
    url = reverse("admin:trustee_defaultcase_act", args=[case.pk, "withhold"])
    refused = client.post(url, {"rationale": "Talks with the Guarantor."})
    assert refused.status_code == 200 and "may not be withheld" in refused.content.decode()

    draft = reverse("admin:trustee_defaultcase_act", args=[case.pk, "draft"])
    assert client.post(draft, {"details": "The distribution was not paid."}).status_code == 302
    approve = reverse("admin:trustee_defaultcase_act", args=[case.pk, "approve"])
    same = client.post(approve, {})
    assert "cannot approve" in same.content.decode()
    login(client, checker)
    assert client.post(approve, {}).status_code == 302
    case.refresh_from_db()
    assert case.state == "noticed"
    change = client.get(reverse("admin:trustee_defaultcase_change", args=[case.pk])).content
    assert b"Record the cure" in change and b"Draft the notice" not in change
    states = WorkflowStep.objects.filter(workflow="default", case_id=case.pk)
    assert {s.by.username for s in states} == {"maker", "checker"}


def test_a_user_who_is_not_a_trust_officer_cannot_act(hartford, client):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.create_user("clerk", is_staff=True, is_superuser=True)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:trustee_defaultcase_add"),
        {
            "agreement": hartford.pk,
            "occurred_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "description": "Covenant breach.",
            "notice_received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "only a trust officer" in response.content.decode()
    assert not DefaultCase.objects.exists()


def test_every_sweep_is_in_the_beat_schedule_in_the_database(db):
    from django_celery_beat.models import PeriodicTask

    call_command("sync_schedule", stdout=io.StringIO())
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    for sweep in (
        "trustee.tasks.daily_sweep",
        "trustee.tasks.workflows_sweep",
        "notices.tasks.sweep_deliveries",
    ):
        assert sweep in tasks
    assert {job.task for job in PERIODIC_JOBS} <= tasks


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_workflow_sweep_runs_as_a_task_through_a_real_worker(worker):
    from trustee.tasks import workflows_sweep

    call_command("load_demo", holders=6, stdout=io.StringIO())
    today = timezone.localdate()
    materialize(today=today)
    # A semiannual list due within the lead time: the worker's sweep opens its request.
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    due = (
        Obligation.objects.filter(agreement=hartford, kind="holder_list", due_date__gte=today)
        .order_by("due_date")
        .first()
    )
    Obligation.objects.filter(pk=due.pk).update(due_date=today + timedelta(days=3))
    workflows_sweep.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ListRequest.objects.filter(obligation=due).exists():
        time.sleep(0.3)
    request = ListRequest.objects.get(obligation=due)
    assert request.state == "scheduled" and request.notice is not None
    # A second run (beat firing twice) opens nothing more.
    workflows_sweep.delay()
    time.sleep(3)
    assert ListRequest.objects.filter(obligation=due).count() == 1


def test_a_written_request_for_a_list_from_the_admin(hartford, client):
    maker = make_officer("maker", superuser=True)
    checker = make_officer("checker", superuser=True)
    login(client, maker)
    add = client.post(reverse("admin:trustee_listrequest_add"), {"agreement": hartford.pk})
    request = ListRequest.objects.get()
    assert add.status_code == 302 and request.on_demand and request.state == "scheduled"
    login(client, checker)
    send = reverse("admin:trustee_listrequest_act", args=[request.pk, "send"])
    assert client.post(send, {}).status_code == 302
    delivered = reverse("admin:trustee_listrequest_act", args=[request.pk, "delivered"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(delivered, {"method": "first_class_mail", "delivered_on": future})
    assert "in the future" in refused.content.decode()
    today = timezone.localdate().isoformat()
    assert (
        client.post(delivered, {"method": "first_class_mail", "delivered_on": today}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.state == "requested" and request.obligation.kind == "holder_list_on_request"
    page = client.get(reverse("admin:trustee_listrequest_change", args=[request.pk])).content
    assert b"Link the list received" in page and delivered.encode() not in page


def test_the_report_checklist_in_the_admin(hartford, client):
    from trustee import workflow_rules as rules
    from trustee.models import AnnualReport
    from trustee.workflows import reports_open

    officer = make_officer("reporter", superuser=True)
    today = timezone.localdate()
    materialize(today=today)
    duty = Obligation.objects.filter(agreement=hartford, kind="report_to_holders").first()
    # Its anchor date has come (the window's start), so the sweep opens it.
    window = hartford.terms.report_window_days
    Obligation.objects.filter(pk=duty.pk).update(nominal_date=today + timedelta(days=window - 1))
    assert reports_open(today=today) == 1
    report = AnnualReport.objects.get(obligation=duty)
    login(client, officer)
    url = reverse("admin:trustee_annualreport_act", args=[report.pk, "answer"])
    form = client.get(url).content.decode()
    assert "§313(a)(1)" in form and "§313(a)(8)" in form
    half = {f"{code}_yes": "no" for code in rules.CHECKLIST_CODES[:4]}
    refused = client.post(url, half)
    assert "answer yes or no" in refused.content.decode()
    every = {f"{code}_yes": "no" for code in rules.CHECKLIST_CODES}
    assert client.post(url, every).status_code == 302
    report.refresh_from_db()
    assert report.state == "no_report_required" and report.answered_by == officer.user
