"""A safety net that keeps e-mail addresses out of the logs.

Holders' addresses are personal data: code should not log them in the first place (log a
delivery's or holder's id instead). This filter catches what slips through. Attached to a
*handler* (not a logger) it sees every record that handler writes, including those propagated
from other loggers, and rewrites the message, its arguments and any exception text before the
record is formatted::

    "filters": {"redact_emails": {"()": "config.logging_filters.RedactEmailsFilter"}},
    "handlers": {"console": {..., "filters": ["redact_emails"]}},
"""

import logging
import re

REDACTED = "[email redacted]"

# Deliberately broad (anything@domain.tld, quoted or not): a false positive costs a log reader a
# little context; a miss leaks a holder's address.
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)\b"
)


def redact(text):
    return EMAIL.sub(REDACTED, text)


class RedactEmailsFilter(logging.Filter):
    """Replace every e-mail address in a log record by ``[email redacted]``; drops nothing."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:
            # A malformed call (wrong number of arguments): leave it to logging's own error
            # report rather than lose the record here.
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatted here so the traceback's exception message is redacted too; formatters
            # reuse exc_text when it is set.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
