"""The fan-out's SMTP session with a server that offers PIPELINING (RFC 2920), as providers'
servers do: every message once, refusals of the sender, the recipient or the message
classified as without pipelining, and 8bit bodies where the server takes them. (The
provider's limit with pipelining: test_rate_limit.py.)"""

import pytest

from notices import sending
from tests.notices.conftest import free_port
from tests.notices.helpers import (
    TimedRecorder,
    approved_notice,
    email_ids,
    start_smtp,
    three_of_twenty_refused,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def pipelining_server(settings):
    recorder = TimedRecorder(pipelining=True)
    controller = start_smtp(settings, recorder, free_port())
    yield recorder
    controller.stop()


def test_a_pipelining_server_gets_every_message_once_and_refusals_are_classified(
    security, pipelining_server, settings
):
    # The session goes on after each refusal (RSET after the refused recipient).
    three_of_twenty_refused(pipelining_server, security, settings)


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_name_beyond_ascii_goes_as_8bit_to_a_server_that_takes_it(security, settings, pipelining):
    recorder = TimedRecorder(pipelining=pipelining)
    controller = start_smtp(settings, recorder, free_port())
    try:
        notice = approved_notice(security, 3, names=("José Müller",))
        assert sending.send_deliveries(email_ids(notice))["sent"] == 3
    finally:
        controller.stop()
    for _, options, message in recorder.accepted:
        assert "BODY=8BITMIME" in options
        text, html = message.get_payload()
        assert text["Content-Transfer-Encoding"] == "8bit"
        assert "José Müller" in text.get_payload(decode=True).decode()
        assert "José Müller" in html.get_payload(decode=True).decode()


def test_an_ascii_notice_goes_as_7bit_with_its_lines_as_they_are(security, pipelining_server):
    notice = approved_notice(security, 2)
    assert sending.send_deliveries(email_ids(notice))["sent"] == 2
    for _, options, message in pipelining_server.accepted:
        assert "BODY=8BITMIME" not in options
        text, _ = message.get_payload()
        assert text["Content-Transfer-Encoding"] == "7bit"
        assert "The distribution was not paid." in text.get_payload(decode=True).decode()
