"""Logging in, the officer's desk, an agreement's page, and every overdue duty of the demo
one click away from the landing page."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, log_in
from tests.factories import make_officer
from trustee.models import Agreement, Obligation, TrustOfficer
from trustee.obligations import advance_statuses

# The desk's heading: "My desk", or "Desk of <officer>".
DESK = re.compile(r"^(My desk|Desk of )")

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def demo_left_alone():
    """The demo as loaded some months ago and left alone since: today's sweep finds its
    summer duties (Lists of Holders, Reports to Holders) not done. Its overdue duties."""
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        call_command("load_demo", holders=4, stdout=io.StringIO())
    advance_statuses()
    overdue = list(Obligation.objects.filter(status=Obligation.Status.OVERDUE))
    assert len({duty.agreement_id for duty in overdue}) > 1, "overdue on several agreements"
    return overdue


def shows_every_duty(page, duties):
    body = page.locator("body")
    for duty in duties:
        expect(body).to_contain_text(duty.title)
        link = page.locator(f'a[href*="/trustee/obligation/{duty.pk}/change/"]')
        expect(link.first).to_be_visible()


def test_an_officer_logs_in_sees_the_desk_and_opens_an_agreement(page, screens):
    overdue = demo_left_alone()
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    officer = TrustOfficer.objects.get(assignments__agreement=hartford, assignments__role="primary")
    officer.user.set_password(PASSWORD)
    officer.user.save()
    mine = [duty for duty in overdue if duty.officer_id == officer.pk]

    page.goto("/")  # not logged in: the login page
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    log_in(page, officer.user.username, screens)
    expect(page.get_by_role("heading", name=DESK)).to_be_visible()
    shows_every_duty(page, mine)
    screens.take("desk")

    # The agreement, from the desk's line of one of its late duties.
    page.get_by_role("link", name=hartford.short_name, exact=True).first.click()
    body = page.locator("body")
    expect(body).to_contain_text(hartford.short_name)
    for security in hartford.securities.all():
        expect(body).to_contain_text(security.title)
    screens.take("agreement")


def test_a_new_officer_finds_every_overdue_duty_of_the_demo_in_one_click(page, screens):
    overdue = demo_left_alone()
    make_officer("newcomer")  # assigned to nothing yet

    log_in(page, "newcomer", screens)
    expect(page.get_by_role("heading", name=DESK)).to_be_visible()
    screens.take("desk")
    # The one click: for an officer with no duties of their own, the first link that speaks
    # of overdue duties is the department's.
    page.get_by_role("link", name=re.compile(r"overdue duties", re.IGNORECASE)).first.click()
    screens.take("overdue duties")
    shows_every_duty(page, overdue)
