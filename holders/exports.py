"""CSV exports of holder data, safe to open in a spreadsheet."""

import csv
import io

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


class _Echo:
    """A file-like object whose write returns the line, for streaming a CSV."""

    def write(self, value):
        return value


HOLDER_COLUMNS = [
    "row",
    "name",
    "address",
    "city",
    "state",
    "postal code",
    "country",
    "email",
    "amount",
    "guarantor affiliate",
    "trustee affiliate",
]


def holder_rows_csv(holders):
    """CSV lines of a list's holders, one at a time: a million rows never sit in memory."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HOLDER_COLUMNS)
    for h in holders.values_list(*holders.model.RECORD_FIELDS).iterator(chunk_size=5000):
        yield writer.writerow([safe_cell(cell) for cell in h])


def export_record(*, holder_list, what: str, rows: int, by):
    """Record that holder data is leaving the system, before it is served."""
    from holders.models import HolderExport

    return HolderExport.objects.create(holder_list=holder_list, what=what, rows=rows, by=by)
