"""An officer walks the demo's Holders' application in the admin: the mailing estimate, the
tender, the mailing drafted by one officer and approved by a second; an application recorded
from the add page, with its file, and one refused naming the applicants that fail."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_officer
from trustee.models import Agreement, HolderApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    return Agreement.objects.get(slug="hsb-capital-ii")


def test_load_demo_seeds_one_application_awaiting_election_once(demo):
    application = HolderApplication.objects.get()
    assert application.agreement == demo and application.state == "received"
    assert application.applicants.filter(eligible=True).count() == 3
    assert application.applicants.get(name="R. Alvarez").eligible is False
    call_command("load_demo", holders=6, stdout=io.StringIO())
    assert HolderApplication.objects.count() == 1


def test_an_officer_walks_the_demo_application_to_the_mailing(demo, client):
    maker = make_officer("maker", superuser=True)
    checker = make_officer("checker", superuser=True)
    application = HolderApplication.objects.get()
    today = timezone.localdate().isoformat()
    client.force_login(maker.user)
    listing = client.get(reverse("admin:trustee_holderapplication_changelist"))
    assert listing.status_code == 200 and "HSB Capital II" in listing.content.decode()
    change = reverse("admin:trustee_holderapplication_change", args=[application.pk])
    page = client.get(change).content.decode()
    assert "Elect: give access" in page and "Elect: send the number of Holders" in page
    assert "Lakeside Pension Fund" in page and "less than six months" in page  # applicants

    def act(name, data=None):
        url = reverse("admin:trustee_holderapplication_act", args=[application.pk, name])
        return client.post(url, data or {})

    assert act("estimate", {"informed_on": today, "cost_per_holder": "0.85"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "estimate_sent"
    assert application.estimated_cost == Decimal("0.85") * application.holder_count
    short = act("tender", {"tendered_on": today, "amount": "0.01"})
    assert short.status_code == 200 and "less than the estimated cost" in short.content.decode()
    paid = act("tender", {"tendered_on": today, "amount": str(application.estimated_cost)})
    assert paid.status_code == 302
    assert act("draft").status_code == 302
    assert "a second officer must" in act("approve").content.decode()
    client.force_login(checker.user)
    assert act("approve").status_code == 302
    application.refresh_from_db()
    assert application.state == "mailed" and application.notice.kind == "holder_communication"
    page = client.get(change).content.decode()
    assert "Mailed to the Holders" in page and "Elect:" not in page


def test_an_application_recorded_from_the_add_page(demo, client):
    client.force_login(make_officer("maker", superuser=True).user)
    add = reverse("admin:trustee_holderapplication_add")
    assert 'enctype="multipart/form-data"' in client.get(add).content.decode()
    today = timezone.localdate().isoformat()
    base = {"agreement": demo.pk, "received_on": today, "communication": ""}
    refused = client.post(
        add,
        {
            **base,
            "communication": "Vote against the amendment.",
            "applicants": "A. One; 100; 2020-01-01\nB. Two; 100; 2020-01-01\n"
            f"C. Newcomer; 100; {today}",
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 200 and "TIA §312(b) needs an application" in text
    assert "C. Newcomer: held since" in text
    no_text = client.post(
        add, {**base, "applicants": "A; 1; 2020-01-01\nB; 1; 2020-01-01\nC; 1; 2020-01-01"}
    )
    assert "communication the applicants propose" in no_text.content.decode()
    letter = SimpleUploadedFile("proxy.pdf", b"%PDF-1.4 the proxy", "application/pdf")
    done = client.post(
        add,
        {
            **base,
            "applicants": "A; 1; 2020-01-01\nB; 1; 2020-01-01\nC; 1; 2020-01-01",
            "communication_file": letter,
        },
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    application = HolderApplication.objects.exclude(communication="").count()
    recorded = HolderApplication.objects.get(communication="")
    assert application == 1 and recorded.communication_file.read() == b"%PDF-1.4 the proxy"
