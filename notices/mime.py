"""One e-mail as the bytes an SMTP server receives: text and HTML alternatives, UTF-8.
Bodies go as they are (7bit, or 8bit when the server takes 8BITMIME), as Django's own e-mail
does, and quoted-printable only when they must: a line over 998 octets, a NUL, or non-ASCII
text to a server without 8BITMIME. Built directly for the fan-out of a notice to its holders,
where Django's EmailMultiAlternatives spent most of each message's time folding headers; every
other e-mail still goes through Django's e-mail framework, and so does this one whenever the
connection is not Django's SMTP backend (the demo's file backend, the tests' memory).
"""

from __future__ import annotations

import binascii
import re
import time
import uuid
from email.header import Header
from email.utils import formatdate

CRLF = "\r\n"
MAX_LINE = 998  # octets, RFC 5322 2.1.1
_LONG_LINE = re.compile(rb"[^\n]{%d,}" % (MAX_LINE + 1))


class NotSendable(ValueError):
    """A header that cannot be written safely (a line break in it, a non-ASCII address)."""


def _header_value(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise NotSendable(f"The {what} has a line break in it.")
    return value


def _address(value: str, what: str) -> str:
    _header_value(value, what)
    if not value.isascii():
        raise NotSendable(f"The {what} address {value!r} is not ASCII.")
    return value


def _subject(subject: str) -> str:
    _header_value(subject, "subject")
    if subject.isascii() and len(subject) <= 900:
        return subject
    # RFC 2047 encoded words, folded: the email package does this one part well.
    return Header(subject, "utf-8", header_name="Subject").encode(linesep=CRLF)


def _quoted_printable(text: str) -> str:
    # Encoded with bare line feeds (b2a_qp then breaks long lines with "=\n" too), and every
    # line feed made CRLF after: none is left bare, soft or hard.
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")
    return encoded.replace("\n", CRLF)


def _body(text: str, eight_bit: bool) -> tuple[str, str]:
    """The body as sent and its Content-Transfer-Encoding."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" not in lines and (eight_bit or lines.isascii()):
        raw = lines.encode("utf-8")
        if not _LONG_LINE.search(raw):
            return lines.replace("\n", CRLF), "7bit" if lines.isascii() else "8bit"
    return _quoted_printable(lines), "quoted-printable"


_date = (0, "")


def _now_date() -> str:
    """The Date header, formatted once a second rather than once a message."""
    global _date
    second = int(time.time())
    if _date[0] != second:
        _date = (second, formatdate(second, localtime=True))
    return _date[1]


def message_bytes(
    *, sender, to, subject, text, html, message_id, date=None, eight_bit=False
) -> bytes:
    """A multipart/alternative message. Raises NotSendable for a header it cannot write.
    `eight_bit`: the server takes 8BITMIME, so non-ASCII bodies need no encoding (the
    envelope must then say BODY=8BITMIME: see `is_eight_bit`)."""
    bodies = [
        (subtype, *_body(content, eight_bit))
        for subtype, content in (("plain", text), ("html", html))
    ]
    # Quoted-printable never holds "=_", and for the bodies sent as they are the boundary is
    # checked against them: a new one is drawn in the (astronomically rare) case it occurs.
    boundary = f"=_td_{uuid.uuid4().hex}"
    while any(boundary in body for _, body, _ in bodies):
        boundary = f"=_td_{uuid.uuid4().hex}"
    head = CRLF.join(
        (
            f"From: {_address(sender, 'sender')}",
            f"To: {_address(to, 'recipient')}",
            f"Subject: {_subject(subject)}",
            f"Date: {date or _now_date()}",
            f"Message-ID: {_address(message_id, 'Message-ID')}",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
        )
    )
    parts = [
        f"--{boundary}{CRLF}"
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}"
        f"{body}{CRLF}"
        for subtype, body, encoding in bodies
    ]
    return f"{head}{CRLF}{CRLF}{''.join(parts)}--{boundary}--{CRLF}".encode()


def is_eight_bit(raw: bytes) -> bool:
    """The message has 8bit content: the envelope's MAIL command must say BODY=8BITMIME."""
    return not raw.isascii()
