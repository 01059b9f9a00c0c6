"""A notice of default, drafted by one officer, approved in the browser by a second
(maker-checker), then delivered by a real Celery worker: e-mails counted at a real SMTP
server, letters prepared, and the deliveries seen in the notices admin."""

import re

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from notices.models import Delivery
from tests.e2e.helpers import HOLDERS, WITH_EMAIL, drafted_default, log_in, reload_until
from tests.factories import make_officer
from tests.notices.conftest import Recorder, free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

APPROVE = "Approve and transmit the notice (a second officer)"


@pytest.fixture
def smtp(monkeypatch):
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    # The worker is another process: it reaches the server through EMAIL_URL.
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
    yield recorder
    controller.stop()


def test_a_second_officer_approves_a_notice_of_default_and_sees_its_deliveries(
    page, screens, security, smtp, settings, monkeypatch, request
):
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the letters, for the worker
    maker, checker = make_officer("maker"), make_officer("checker")
    case = drafted_default(security, maker=maker, checker=checker)
    notice = case.notice
    request.getfixturevalue("worker")

    log_in(page, "checker", screens)
    screens.take("desk with a default")
    page.get_by_role("link", name=str(case), exact=True).first.click()
    expect(page.locator("body")).to_contain_text("notice awaiting approval")
    screens.take("default case")
    page.get_by_role("link", name=APPROVE).click()
    screens.take("approve")
    page.get_by_role("button", name=re.compile("^" + re.escape(APPROVE))).click()
    expect(page.locator(".messagelist")).to_contain_text("done")
    screens.take("approved")

    page.get_by_role("link", name=str(notice), exact=True).first.click()
    expect(page.locator("body")).to_contain_text(notice.reference)
    reload_until(page, f"E-mail: {WITH_EMAIL} sent")
    reload_until(page, "Letters PDF")
    screens.take("notice")

    page.get_by_role("link", name="Deliveries").first.click()
    screens.take("all deliveries")
    page.get_by_role("textbox", name="Search").fill(notice.reference)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    body = page.locator("body")
    expect(body).to_contain_text("holder0@holders.example")
    expect(body).to_contain_text("Holder 0")
    screens.take("its deliveries")

    sent = Delivery.objects.filter(notice=notice, channel="email", state="sent").count()
    assert sent == len(smtp.message_ids()) == WITH_EMAIL
    assert Delivery.objects.filter(notice=notice, channel="letter").count() == HOLDERS
