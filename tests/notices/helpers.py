"""Helpers of the notices tests."""

import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller

from holders.models import Holder
from notices import sending
from notices.models import Delivery
from notices.workflows import notice_approve, notice_create
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows


def register(count, *extra):
    """A List of Holders of `count` holders (and the `extra` rows, of 100 each) adding up to the
    5,000 outstanding, as the import requires."""
    rest = 5000 - 100 * (count - 1 + len(extra))
    return HEADER + rows(count - 1) + rows(1, amount=rest, start=count - 1) + "".join(extra)


def approved_notice(security, count, *, names=("Holder",)):
    """A default notice approved to `count` holders of one unit each, each with an e-mail
    address and a name from `names` in turn: its e-mail deliveries are queued."""
    security.aggregate_amount = security.amount_outstanding = count
    security.unit_amount = 1
    security.save()
    lines = ["Name,Address,City,State,Zip,Email,Amount"]
    lines += [
        f"{names[i % len(names)]} {i},{i} Main Street,Hartford,CT,06{i % 1000:03d},"
        f"h{i}@holders.example,1"
        for i in range(count)
    ]
    holder_list, _ = imported(security, "\n".join(lines) + "\n")
    assert Holder.objects.filter(holder_list=holder_list, email__gt="").count() == count
    return default_notice_approved(security, "The distribution was not paid.")


def default_notice_approved(security, details):
    """A notice of default on `security` made by one officer and approved by another (the four
    eyes the approval requires): its deliveries are queued."""
    maker, checker = make_officer("maker"), make_officer("checker")
    notice = notice_create(
        kind="default_notice",
        agreement=security.agreement,
        security=security,
        title="Payment default",
        details=details,
        by=maker.user,
    )
    notice_approve(notice_id=notice.pk, by=checker.user)
    return notice


def email_ids(notice):
    return list(
        Delivery.objects.filter(notice=notice, channel="email")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sent_keys(notice):
    emails = Delivery.objects.filter(notice=notice, channel="email", state="sent")
    return set(emails.values_list("key", flat=True))


def received_keys(server):
    """The idempotency keys of the messages `server` accepted, from their Message-IDs."""
    return [message_id.strip("<>").split("@")[0] for message_id in server.message_ids()]


def three_of_twenty_refused(server, security, settings):
    """Twenty e-mails to a server that refuses one recipient (550, permanent) and then the next
    two messages (451 temporary, 554 permanent): each refusal is classified and the other 17
    are sent, each once."""
    settings.TRUSTDESK_MAIL_RETRY_BASE_SECONDS = 1
    notice = approved_notice(security, 20)
    server.refusals = ["451 4.3.0 Mailbox busy, try later", "554 5.6.0 Rejected"]
    server.refused_recipients = {"h7@holders.example": "550 5.1.1 No such user"}
    assert sending.send_deliveries(email_ids(notice)) == {
        "sent": 17,
        "retry": 1,
        "failed": 2,
        "skipped": 0,
    }
    emails = Delivery.objects.filter(notice=notice, channel="email")
    refused = emails.get(email="h7@holders.example")
    assert refused.state == "failed" and "550" in refused.last_error
    assert "554" in emails.exclude(pk=refused.pk).get(state="failed").last_error
    assert "451" in emails.get(state="queued").last_error
    received = received_keys(server)
    assert len(received) == len(set(received)) == 17
    assert set(received) == sent_keys(notice)


class TimedRecorder:
    """An SMTP server's handler that records each accepted message with the time it was
    accepted; with `pipelining`, the server offers PIPELINING (RFC 2920) as providers' do.
    `refusals` answer the next DATA commands, `refused_recipients` the RCPT of those."""

    def __init__(self, *, pipelining=False):
        self.pipelining = pipelining
        self.accepted = []  # (monotonic time, envelope.mail_options, message)
        self.refusals = []
        self.refused_recipients = {}
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            return [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_recipients:
            return self.refused_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            message = message_from_bytes(envelope.original_content or envelope.content)
            self.accepted.append((time.monotonic(), envelope.mail_options, message))
        return "250 Message accepted for delivery"

    def times(self):
        with self.lock:
            return [at for at, _, _ in self.accepted]

    def message_ids(self):
        with self.lock:
            return [message["Message-ID"] for _, _, message in self.accepted]


def start_smtp(settings, recorder, port):
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    return controller


def most_in_any_window(times, seconds=1.0):
    """The most accepted within any `seconds` (sliding), for checking a rate."""
    times = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] > seconds:
            first += 1
        most = max(most, last - first + 1)
    return most
