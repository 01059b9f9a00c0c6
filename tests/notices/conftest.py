"""A real SMTP server (aiosmtpd) for the notices tests, counting what it accepted."""

import socket
import threading
from email import message_from_bytes

import pytest

from tests.factories import make_party
from tests.notices.helpers import start_smtp
from trustee.models import AgreementParty, Party


class Recorder:
    """Accepts every message unless told to refuse the next ones with a given reply."""

    def __init__(self):
        self.messages = []
        self.refusals = []  # replies for the next DATA commands, e.g. "451 4.3.0 try later"
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            message = message_from_bytes(envelope.original_content or envelope.content)
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for _, m in self.messages]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    port = free_port()
    controller = start_smtp(settings, recorder, port)
    recorder.port = port
    yield recorder
    controller.stop()


@pytest.fixture(autouse=True)
def worker_media_root(media, settings, monkeypatch):
    """A worker started by a test (another process) writes its letters into the test's own
    MEDIA_ROOT too, never into var/."""
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


@pytest.fixture
def trustee_bank(security):
    bank = make_party(
        name="Wilmington Trust Company",
        kind=Party.Kind.TRUSTEE_BANK,
        address_lines="Rodney Square North\n1100 North Market Street",
        city="Wilmington",
        state="DE",
        postal_code="19890",
    )
    AgreementParty.objects.create(agreement=security.agreement, party=bank, role="trustee")
    return bank


@pytest.fixture
def eager():
    """Tasks enqueued by .delay() run at once in this process: the on_commit enqueue of the
    approval is followed through without a broker."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
