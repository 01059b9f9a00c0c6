"""The e-mail redaction filter: a holder's address never reaches a log line."""

import io
import logging

import pytest
from django.utils.module_loading import import_string

from config.logging_filters import REDACTED, RedactEmailsFilter, redact


@pytest.fixture
def log_output():
    """A parent logger whose handler carries the filter, as LOGGING wires it; yields (log, out)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(import_string("config.logging_filters.RedactEmailsFilter")())
    parent = logging.getLogger("trustdesk_test_redaction")
    parent.addHandler(handler)
    parent.setLevel(logging.DEBUG)
    parent.propagate = False
    try:
        # A child logger, as notices.tasks would be: its records propagate to the handler.
        yield logging.getLogger("trustdesk_test_redaction.notices"), stream
    finally:
        parent.removeHandler(handler)


def test_addresses_in_arguments_and_message_are_redacted(log_output):
    log, out = log_output
    log.info("delivery %s to %s failed", 42, "Jane.O'Neil+bonds@mail.example.co.uk")
    log.warning("bounced: jdoe@example.com (holder 7)")
    assert out.getvalue().splitlines() == [
        f"INFO delivery 42 to {REDACTED} failed",
        f"WARNING bounced: {REDACTED} (holder 7)",
    ]


def test_mapping_arguments_and_non_string_messages(log_output):
    log, out = log_output
    log.info("to %(to)s", {"to": "a.b@c.example"})
    log.info(ValueError("cannot send to x@y.example"))
    assert "@" not in out.getvalue()
    assert out.getvalue().count(REDACTED) == 2


def test_exception_text_is_redacted(log_output):
    log, out = log_output
    try:
        raise RuntimeError("SMTP 550 <holder@bank-client.example>: mailbox unavailable")
    except RuntimeError:
        log.exception("send failed")
    text = out.getvalue()
    assert "Traceback" in text
    assert "holder@bank-client.example" not in text
    assert f"<{REDACTED}>: mailbox unavailable" in text


def test_other_text_is_left_alone():
    for text in (
        "imported 1,204 holders from list 9",
        "sender trustdesk@localhost",
        "decorator @property on line 3",
        "amount 1@2.5 rate",
    ):
        assert redact(text) == text


def test_a_malformed_record_is_passed_on_untouched():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only-one",), None)
    assert RedactEmailsFilter().filter(record) is True
    assert record.args == ("only-one",)
