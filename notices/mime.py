"""One e-mail as the bytes an SMTP server receives: text and HTML alternatives, UTF-8,
quoted-printable. Built directly for the fan-out of a notice to its holders, where
Django's EmailMultiAlternatives spent most of each message's time folding headers; every
other e-mail still goes through Django's e-mail framework, and so does this one whenever
the connection is not Django's SMTP backend (the demo's file backend, the tests' memory).
"""

from __future__ import annotations

import binascii
import uuid
from email.header import Header
from email.utils import formatdate

CRLF = "\r\n"


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


def _body(text: str) -> str:
    # Encoded with bare line feeds (b2a_qp then breaks long lines with "=\n" too), and every
    # line feed made CRLF after: none is left bare, soft or hard.
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode("utf-8"), istext=True).decode("ascii")
    return encoded.replace("\n", CRLF)


def message_bytes(*, sender, to, subject, text, html, message_id, date=None) -> bytes:
    """A multipart/alternative message. Raises NotSendable for a header it cannot write."""
    # "=_" never occurs in quoted-printable text, so the boundary cannot occur in a body.
    boundary = f"=_td_{uuid.uuid4().hex}"
    head = CRLF.join(
        (
            f"From: {_address(sender, 'sender')}",
            f"To: {_address(to, 'recipient')}",
            f"Subject: {_subject(subject)}",
            f"Date: {date or formatdate(localtime=True)}",
            f"Message-ID: {_address(message_id, 'Message-ID')}",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
        )
    )
    parts = []
    for subtype, content in (("plain", text), ("html", html)):
        parts.append(
            f"--{boundary}{CRLF}"
            f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
            f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
            f"{_body(content)}{CRLF}"
        )
    return f"{head}{CRLF}{CRLF}{''.join(parts)}--{boundary}--{CRLF}".encode("ascii")
