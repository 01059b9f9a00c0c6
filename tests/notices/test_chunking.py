"""The fan-out to a server that offers CHUNKING and PIPELINING (RFC 3030, 2920), as Gmail's,
Microsoft 365's and Postfix's do: a few whole messages written at once with BDAT, their
answers read after, the accepted ones recorded together. Every message once, refusals
classified as one at a time, and a session that breaks in the middle of a group loses and
repeats nothing. The server is a small one of the test's own: aiosmtpd has no BDAT."""

import asyncio
import threading
from email import message_from_bytes

import pytest

from notices import sending
from notices.models import Delivery
from tests.notices.conftest import free_port
from tests.notices.helpers import (
    approved_notice,
    email_ids,
    received_keys,
    sent_keys,
    three_of_twenty_refused,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


class ChunkingServer:
    """MAIL, RCPT, BDAT (LAST only), RSET, NOOP, QUIT; answers what each read brought in one
    write. `refused_recipients` answer RCPT, `refusals` the next messages; `drop_after`
    closes the session, answers written, once that many messages are accepted in all."""

    def __init__(self):
        self.accepted = []  # the messages, parsed
        self.verbs = set()
        self.refusals = []
        self.refused_recipients = {}
        self.drop_after = None
        self.lock = threading.Lock()

    def message_ids(self):
        with self.lock:
            return [message["Message-ID"] for message in self.accepted]

    def protocol(self):
        server = self

        class Session(asyncio.Protocol):
            def connection_made(self, transport):
                self.transport, self.buffer = transport, b""
                self.chunk, self.recipients = 0, 0
                transport.write(b"220 test ESMTP\r\n")

            def data_received(self, data):
                self.buffer += data
                replies = []
                while True:
                    if self.chunk:
                        if len(self.buffer) < self.chunk:
                            break
                        raw, self.buffer = self.buffer[: self.chunk], self.buffer[self.chunk :]
                        self.chunk = 0
                        replies.append(server.message(raw, self.recipients))
                        self.recipients = 0
                        if server.dropping():
                            self.transport.write(b"".join(replies))
                            self.transport.close()
                            return
                        continue
                    line, found, rest = self.buffer.partition(b"\r\n")
                    if not found:
                        break
                    self.buffer = rest
                    verb = line[:4].upper().decode()
                    server.verbs.add(verb)
                    if verb == "EHLO":
                        replies.append(
                            b"250-test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME\r\n"
                        )
                    elif verb == "RCPT":
                        address = line.decode().split("<", 1)[1].split(">", 1)[0]
                        refusal = server.refused_recipients.get(address)
                        self.recipients += refusal is None
                        replies.append((refusal or "250 OK").encode() + b"\r\n")
                    elif verb == "BDAT":
                        self.chunk = int(line.split()[1])
                    elif verb == "QUIT":
                        self.transport.write(b"".join(replies) + b"221 Bye\r\n")
                        self.transport.close()
                        return
                    elif verb in ("MAIL", "RSET", "NOOP"):
                        self.recipients = 0 if verb == "RSET" else self.recipients
                        replies.append(b"250 OK\r\n")
                    else:
                        replies.append(b"502 Not implemented\r\n")
                if replies:
                    self.transport.write(b"".join(replies))

        return Session()

    def message(self, raw, recipients):
        with self.lock:
            if not recipients:
                return b"554 5.5.1 No valid recipients\r\n"
            if self.refusals:
                return self.refusals.pop(0).encode() + b"\r\n"
            self.accepted.append(message_from_bytes(raw))
            return b"250 2.0.0 OK\r\n"

    def dropping(self):
        with self.lock:
            if self.drop_after is not None and len(self.accepted) >= self.drop_after:
                self.drop_after = None
                return True
            return False


@pytest.fixture
def chunking_server(settings):
    server = ChunkingServer()
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        listening = loop.run_until_complete(loop.create_server(server.protocol, "127.0.0.1", port))
        started.set()
        loop.run_forever()
        listening.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 10
    yield server
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_every_message_goes_once_in_groups_with_bdat(security, chunking_server):
    notice = approved_notice(security, 45)
    assert sending.send_deliveries(email_ids(notice)) == {
        "sent": 45,
        "retry": 0,
        "failed": 0,
        "skipped": 0,
    }
    assert "BDAT" in chunking_server.verbs and "DATA" not in chunking_server.verbs
    received = received_keys(chunking_server)
    assert len(received) == len(set(received)) == 45
    assert set(received) == sent_keys(notice)
    text, _ = chunking_server.accepted[0].get_payload()
    assert "The distribution was not paid." in text.get_payload(decode=True).decode()
    assert sending.send_deliveries(email_ids(notice))["sent"] == 0  # never twice


def test_refusals_in_a_group_are_classified_and_the_others_sent(
    security, chunking_server, settings
):
    three_of_twenty_refused(chunking_server, security, settings)


def test_a_session_dropped_in_a_group_records_what_was_accepted_and_retries_the_rest(
    security, chunking_server, settings
):
    settings.TRUSTDESK_MAIL_RETRY_BASE_SECONDS = 1
    count = sending.GROUP + 5  # a full group, then five
    notice = approved_notice(security, count)
    chunking_server.drop_after = 3  # in the first group
    outcome = sending.send_deliveries(email_ids(notice))
    unanswered = sending.GROUP - 3
    assert outcome == {"sent": 3 + 5, "retry": unanswered, "failed": 0, "skipped": 0}
    assert set(received_keys(chunking_server)) == sent_keys(notice)
    waiting = Delivery.objects.filter(notice=notice, channel="email", state="queued")
    assert waiting.count() == unanswered
    waiting.update(next_attempt_at=None)
    assert sending.send_deliveries(email_ids(notice))["sent"] == unanswered
    received = received_keys(chunking_server)
    assert len(received) == len(set(received)) == count  # none lost, none twice
    assert set(received) == sent_keys(notice)
