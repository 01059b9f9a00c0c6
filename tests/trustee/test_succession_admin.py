"""An officer walks the demo's resignation in the admin: the successor appointed by one
officer, the acceptance confirmed by a second; refusals shown on the form by field."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_officer
from trustee.models import Agreement, Succession, WorkflowStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    return Agreement.objects.get(slug="hartford-capital-iii")


def test_load_demo_seeds_one_resignation_in_progress_once(demo):
    case = Succession.objects.get()
    assert case.agreement == demo and case.state == "delivered"
    assert case.window_ends_on == case.window_starts_on + timedelta(days=60)
    call_command("load_demo", holders=6, stdout=io.StringIO())  # idempotent
    assert Succession.objects.count() == 1


def test_an_officer_walks_the_demo_resignation(demo, client):
    maker = make_officer("maker", superuser=True)
    checker = make_officer("checker", superuser=True)
    case = Succession.objects.get()
    today = timezone.localdate()
    client.force_login(maker.user)
    listing = client.get(reverse("admin:trustee_succession_changelist"), {"state": "delivered"})
    assert listing.status_code == 200 and "Hartford Capital III" in listing.content.decode()
    page = client.get(reverse("admin:trustee_succession_change", args=[case.pk])).content.decode()
    assert (
        "Record the successor appointed" in page and "Record the successor's acceptance" not in page
    )
    assert "60-day window" in page  # the history

    appoint = reverse("admin:trustee_succession_act", args=[case.pk, "appoint"])
    blank = client.post(appoint, {"successor_name": "Successor Bank", "appointed_on": ""})
    assert blank.status_code == 200 and "This field is required" in blank.content.decode()
    done = client.post(
        appoint,
        {"successor_name": "Successor Trust Company, N.A.", "appointed_on": today.isoformat()},
    )
    assert done.status_code == 302
    accept = reverse("admin:trustee_succession_act", args=[case.pk, "accept"])
    same = client.post(accept, {"accepted_on": today.isoformat()})
    assert "a second officer must" in same.content.decode()
    client.force_login(checker.user)
    assert client.post(accept, {"accepted_on": today.isoformat()}).status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted" and case.effective_on == today
    page = client.get(reverse("admin:trustee_succession_change", args=[case.pk])).content.decode()
    assert 'class="workflow-action"' not in page and "duties under the agreement end" in page
    assert {
        s.by.username for s in WorkflowStep.objects.filter(case_id=case.pk, by__isnull=False)
    } >= {
        "maker",
        "checker",
    }


def test_the_add_form_names_the_field_refused(demo, client):
    officer = make_officer("maker", superuser=True)
    client.force_login(officer.user)
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    add = reverse("admin:trustee_succession_add")
    assert client.get(add).status_code == 200
    removal = client.post(
        add,
        {"agreement": hsb.pk, "kind": "removal", "delivered_on": timezone.localdate().isoformat()},
    )
    assert removal.status_code == 200 and "Say who removes the trustee." in removal.content.decode()
    # HSB counts the window from the notice to the Holders and the Guarantor (§4.2(d)).
    missing = client.post(
        add,
        {
            "agreement": hsb.pk,
            "kind": "resignation",
            "delivered_on": timezone.localdate().isoformat(),
        },
    )
    text = missing.content.decode()
    assert missing.status_code == 200 and "notice of resignation to the Holders" in text
    assert not Succession.objects.filter(agreement=hsb).exists()
    done = client.post(
        add,
        {
            "agreement": hsb.pk,
            "kind": "removal",
            "removed_by": "guarantor",
            "delivered_on": timezone.localdate().isoformat(),
        },
    )
    assert done.status_code == 302
    case = Succession.objects.get(agreement=hsb)
    accept = reverse("admin:trustee_succession_act", args=[case.pk, "accept"])
    refused = client.post(accept, {"accepted_on": timezone.localdate().isoformat()})
    assert "§4.2: no removal or resignation" in refused.content.decode()


def test_the_agreements_timeline_shows_both_workflows(demo, client):
    client.force_login(make_officer("maker", superuser=True).user)
    case = Succession.objects.get()
    page = client.get(reverse("admin:trustee_agreement_change", args=[demo.pk])).content.decode()
    assert "Resignation or removal" in page and "60-day window" in page
    assert reverse("admin:trustee_succession_change", args=[case.pk]) in page
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    page = client.get(reverse("admin:trustee_agreement_change", args=[hsb.pk])).content.decode()
    assert "Holders&#x27; application (TIA §312(b))" in page and "New York banking days" in page


def test_the_desk_offers_the_next_steps_of_both_workflows(demo, client):
    client.force_login(make_officer("maker", superuser=True).user)
    page = client.get(reverse("desk-agreement", args=[demo.pk])).content.decode()
    assert "Record the successor appointed" in page
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    page = client.get(reverse("desk-agreement", args=[hsb.pk])).content.decode()
    assert "Elect: give access to the List of Holders" in page
