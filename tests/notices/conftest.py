"""A real SMTP server (aiosmtpd) for the notices tests, counting what it accepted."""

import socket
import threading
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller


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
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    recorder.port = settings.EMAIL_PORT
    yield recorder
    controller.stop()
