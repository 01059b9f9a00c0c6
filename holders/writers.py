"""Writing a List of Holders' checked rows in the import's transaction: COPY through psycopg 3
on PostgreSQL (rows stream to the server while the next ones are checked), bulk inserts
elsewhere. Each writer has `write(holder)`, `close()` and `abort(error)`.
"""

from __future__ import annotations

import logging

from django.db import connection

from holders.models import Holder

log = logging.getLogger(__name__)
COPY_BLOCK = 5_000
# COPY's text format gives tab, newline, carriage return and backslash a meaning: a value
# holding one (an address's line breaks, a stray tab in a name) is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
ORM_BATCH = 5_000
COLUMNS = ("holder_list_id", "security_id", *Holder.RECORD_FIELDS)


def writer_for(holder_list, method=None):
    if method is None:
        method = "copy" if connection.vendor == "postgresql" else "orm"
    return CopyWriter(holder_list) if method == "copy" else OrmWriter(holder_list)


def copy_line(prefix: str, h) -> str:
    """A checked row (holders.validation.HolderRow) as a line of COPY's text format, after
    `prefix` (the list's and the security's ids). holders/native/fastrows.c writes the same.

    Built here rather than by psycopg's write_row, which looks up a dumper for each of 13
    values of a million rows."""
    text = "\t".join((h.name, h.address_lines, h.city, h.state, h.postal_code, h.country, h.email))
    if text.count("\t") == 6:
        # Every tab is a separator: the rest can be escaped on the joined line. str.replace,
        # not translate: translate to two-character escapes costs microseconds a call, and
        # one holder in ten has a second address line.
        if "\\" in text:
            text = text.replace("\\", "\\\\")
        if "\n" in text:
            text = text.replace("\n", "\\n")
        if "\r" in text:
            text = text.replace("\r", "\\r")
    else:
        text = "\t".join(
            value.translate(_COPY_ESCAPES)
            for value in (
                h.name,
                h.address_lines,
                h.city,
                h.state,
                h.postal_code,
                h.country,
                h.email,
            )
        )
    return (
        f"{prefix}{h.row}\t{text}\t{h.amount}\t"
        f"{'t' if h.is_guarantor_affiliate else 'f'}\t{'t' if h.is_trustee_affiliate else 'f'}\n"
    )


class CopyWriter:
    """COPY through psycopg 3: rows stream to the server while the next ones are validated."""

    def __init__(self, holder_list):
        self.list_id, self.security_id = holder_list.pk, holder_list.security_id
        connection.ensure_connection()
        self._cursor = connection.connection.cursor()
        columns = ", ".join(COLUMNS)
        self._copy_cm = self._cursor.copy(f"COPY holders_holder ({columns}) FROM STDIN")
        self._copy = self._copy_cm.__enter__()
        # The columns every row of the list shares, as each COPY line begins.
        self.prefix = f"{self.list_id}\t{self.security_id}\t"
        self._buffer = []
        self.write = self._make_write()

    def _make_write(self):
        buffer = self._buffer
        keep, flush, prefix = buffer.append, self._flush, self.prefix

        def write(h):
            keep(copy_line(prefix, h))
            if len(buffer) >= COPY_BLOCK:
                flush()

        return write

    def write_text(self, text: bytes) -> None:
        """Lines of COPY text made elsewhere (holders.fastrows), each beginning with `prefix`."""
        self._copy.write(text)

    def _flush(self):
        if self._buffer:
            self._copy.write("".join(self._buffer))
            self._buffer.clear()

    def close(self):
        self._flush()
        self._copy_cm.__exit__(None, None, None)
        self._cursor.close()

    def abort(self, error):
        """End the COPY with an error so the connection can roll the transaction back."""
        try:
            self._copy_cm.__exit__(type(error), error, None)
        except Exception:  # the server's answer to the aborted COPY: expected, nothing to add
            log.debug("COPY aborted for list %s", self.list_id)
        finally:
            self._cursor.close()


class OrmWriter:
    def __init__(self, holder_list):
        self.holder_list = holder_list
        self._batch = []

    def write(self, h):
        self._batch.append(
            Holder(
                holder_list=self.holder_list,
                security_id=self.holder_list.security_id,
                row_number=h.row,
                name=h.name,
                address_lines=h.address_lines,
                city=h.city,
                state=h.state,
                postal_code=h.postal_code,
                country=h.country,
                email=h.email,
                amount=h.amount,
                is_guarantor_or_affiliate=h.is_guarantor_affiliate,
                is_trustee_or_affiliate=h.is_trustee_affiliate,
            )
        )
        if len(self._batch) >= ORM_BATCH:
            self._flush()

    def _flush(self):
        Holder.objects.bulk_create(self._batch)
        self._batch = []

    def close(self):
        self._flush()

    def abort(self, error):
        self._batch = []
