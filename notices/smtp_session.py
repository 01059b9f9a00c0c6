"""The SMTP exchange of notices/sending.py on a session Django's backend opened: several
messages per round trip where the server allows it.

No database here: sending.py claims and records the deliveries around these calls.
"""

from __future__ import annotations

import re
import smtplib

from notices.mime import is_eight_bit


def session(smtp) -> Session:
    session = getattr(smtp, "_trustdesk_session", None)
    if session is None:
        session = smtp._trustdesk_session = Session(smtp)
    return session


_DOT = re.compile(rb"^\.", re.MULTILINE)


class Session:
    """Messages on an open smtplib session (Django's backend opened it: TLS and login as
    configured). Addresses are ASCII without line breaks here (notices.mime checked them).

    - CHUNKING and PIPELINING offered (RFC 3030, 2920; Gmail, Microsoft 365, Postfix, Exim):
      `send_group`, a few whole messages in one write (MAIL, RCPT, BDAT with the message's
      size, the message as it is), their answers read after: one round trip for the group.
    - PIPELINING only: `send`, MAIL, RCPT and DATA in one write and their three replies read
      after, the message after the 354: two round trips a message instead of four.
    - Neither: smtplib's sendmail."""

    def __init__(self, smtp: smtplib.SMTP):
        self.smtp = smtp
        smtp.ehlo_or_helo_if_needed()
        self.pipelining = smtp.has_extn("pipelining")
        self.chunking = self.pipelining and smtp.has_extn("chunking")
        self.eight_bit = smtp.has_extn("8bitmime")

    def send_group(self, sender, messages) -> list[Exception | None]:
        """For each (recipient, message): None when the server accepted it, else the error.
        A refused envelope or message leaves the others as they are (RFC 3030: the server
        reads and discards the chunk of a failed transaction); a session that breaks leaves
        every message not yet answered with that error."""
        smtp = self.smtp
        commands = []
        for to, raw in messages:
            options = " BODY=8BITMIME" if is_eight_bit(raw) else ""
            envelope = f"MAIL FROM:<{sender}>{options}\r\nRCPT TO:<{to}>\r\n"
            commands.append(f"{envelope}BDAT {len(raw)} LAST\r\n".encode())
            commands.append(raw)
        answers: list[Exception | None] = []
        refused = False
        if not messages:
            return answers
        try:
            smtp.send(b"".join(commands))
            for to, _ in messages:
                mail, rcpt, data = smtp.getreply(), smtp.getreply(), smtp.getreply()
                if mail[0] != 250:
                    answers.append(smtplib.SMTPSenderRefused(mail[0], mail[1], sender))
                elif rcpt[0] not in (250, 251):
                    answers.append(smtplib.SMTPRecipientsRefused({to: rcpt}))
                elif data[0] != 250:
                    answers.append(smtplib.SMTPDataError(*data))
                else:
                    answers.append(None)
                refused = refused or answers[-1] is not None
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()  # unusable: the next message opens a new session
            return answers + [error] * (len(messages) - len(answers))
        if refused:
            try:
                smtp.rset()  # whatever a refusal left open
            except (smtplib.SMTPException, OSError):
                smtp.close()
        return answers

    def send(self, sender, to, raw: bytes):
        options = " BODY=8BITMIME" if is_eight_bit(raw) else ""
        if not self.pipelining:
            self.smtp.sendmail(sender, [to], raw, mail_options=[options.strip()] if options else [])
            return
        smtp = self.smtp
        smtp.send(f"MAIL FROM:<{sender}>{options}\r\nRCPT TO:<{to}>\r\nDATA\r\n")
        mail, rcpt, data = smtp.getreply(), smtp.getreply(), smtp.getreply()
        if mail[0] != 250 or rcpt[0] not in (250, 251) or data[0] != 354:
            if data[0] == 354:  # the server wants a message after all: an empty one, ended
                smtp.send(b".\r\n")
                smtp.getreply()
            try:
                smtp.rset()  # a refused envelope leaves the transaction open otherwise
            except (smtplib.SMTPException, OSError):
                smtp.close()  # unusable: the next message opens a new session
            if mail[0] != 250:
                raise smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
            if rcpt[0] not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({to: rcpt})
            raise smtplib.SMTPDataError(*data)
        # Dot-stuffed; notices.mime ends every line with CRLF, the last one included.
        smtp.send(_DOT.sub(b"..", raw) + b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
