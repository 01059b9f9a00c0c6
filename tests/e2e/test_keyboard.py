"""Without a mouse: a Responsible Officer logs in and approves a notice of default with the Tab
and Enter keys only. (Every page the browser tests see is also checked for unlabelled fields:
see conftest.Screens.)"""

import re

import pytest
from playwright.sync_api import expect

from notices.models import Delivery
from tests.e2e.helpers import HOLDERS, PASSWORD, WITH_EMAIL, drafted_default, press_tab_to
from tests.factories import make_officer
from trustee.workflow_rules import DefaultState

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPROVE = "Approve and transmit the notice (a second officer)"


@pytest.fixture
def eager():
    """The approval's delivery tasks run in the server as it commits, not queued on Redis for
    no worker: this test is about the keyboard; the worker's part is test_default_notice's."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


def test_log_in_and_approve_a_notice_with_the_keyboard_only(page, screens, security, eager):
    maker, checker = make_officer("maker"), make_officer("checker")
    case = drafted_default(security, maker=maker, checker=checker)

    page.goto("/admin/login/?next=/admin/")
    press_tab_to(page, "Username")
    page.keyboard.type("checker")
    press_tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    screens.take("login by keyboard")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=str(case), exact=True).first).to_be_visible()

    press_tab_to(page, str(case))
    screens.take("desk, the case focused")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("notice awaiting approval")
    press_tab_to(page, APPROVE)
    screens.take("case, approve focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^" + re.escape(APPROVE)))).to_be_visible()
    press_tab_to(page, APPROVE)
    screens.take("confirm focused")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("Holders notified")
    screens.take("approved by keyboard")

    case.refresh_from_db()
    assert case.state == DefaultState.NOTICED
    assert case.notice.approved_by == checker.user
    deliveries = Delivery.objects.filter(notice=case.notice)
    assert deliveries.filter(channel="letter").count() == HOLDERS
    assert deliveries.filter(channel="email").count() == WITH_EMAIL
