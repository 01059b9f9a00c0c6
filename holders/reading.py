"""Read a List of Holders file (CSV or Excel) into a header and rows of text, with no Django.

Guarantors' registrars send what their systems export: UTF-8 or Windows Latin-1, with or
without a byte-order mark, comma, semicolon, tab or pipe separated, or an .xlsx workbook.
This module finds out which, refuses what is not a readable list with a sentence an officer
can pass on to the Guarantor, and hands the rows over one at a time, so that a list of a
million holders never sits in memory. What the cells mean is holders.validation's business.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import itertools
import os
import re
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

MB = 1024 * 1024
# Enough of the start of a file to recognise what kind of file it is.
HEAD_BYTES = 8192
# The delimiter is guessed from this many lines; a header and a few rows are plenty.
SNIFF_LINES = 20
SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
SCAN_CHUNK = MB
# A workbook is compressed; a sheet that expands to more than this many times the upload limit
# is a zip bomb, not a list of holders.
MAX_XLSX_EXPANSION = 50

_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ZIP_MAGIC = b"PK\x03\x04"
# Files officers are sent by mistake, by their first bytes, with what to call them.
_OTHER_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel 97-2003 (.xls) workbook or another Office file"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"7z\xbc\xaf", "a compressed (7-Zip) archive"),
    (b"Rar!", "a compressed (RAR) archive"),
)
_NOT_TABLE = (
    "The file is not a CSV or Excel file: it is {what}. Ask the Guarantor for the List of "
    "Holders as a CSV file or an Excel workbook (.xlsx)."
)


class FileProblem(ValueError):
    """A problem with the file as a whole; the message is meant for a trust officer."""


@dataclass
class RawTable:
    """A file's header and its rows of text, as (row number, cells) pairs.

    Row numbers are those an officer sees when the file is opened in a spreadsheet: the
    header is row 1 (or the first row that is not blank), the first holder row 2. Rows with
    nothing in them are skipped. `rows` is lazy: it reads the file as it is iterated, and a
    file that turns out to be damaged halfway raises FileProblem then.
    """

    format: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    # The generator reading the file, to close it early.
    _source: Generator | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        """Release the file before the rows are used up (a validation that stopped early)."""
        if self._source is not None:
            self._source.close()


def open_table(path, *, max_bytes: int) -> RawTable:
    """Open a List of Holders file, or raise FileProblem saying why it cannot be read."""
    path = os.fspath(path)
    size = os.stat(path).st_size
    if size > max_bytes:
        raise FileProblem(
            f"The file is {_megabytes(size)} MB, more than the limit of "
            f"{_megabytes(max_bytes)} MB for a List of Holders; it was not read."
        )
    if size == 0:
        raise FileProblem("The file is empty: it has no header row and no holders.")
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    if head.startswith(_ZIP_MAGIC):
        _check_workbook(path, head, max_bytes)
        return _table("xlsx", None, None, _xlsx_records(path))
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise FileProblem(_NOT_TABLE.format(what=what))
    encoding = _bom_encoding(head)
    if encoding is None:
        if b"\x00" in head:
            raise FileProblem(_NOT_TABLE.format(what="binary data, not text"))
        encoding = _text_encoding(path)
    elif not _decodes(path, encoding):
        unicode = encoding.removesuffix("-sig").upper()
        raise FileProblem(
            f"The file begins with the mark of {unicode} text but is not valid {unicode} "
            "after it: it is damaged or was cut short. Ask the Guarantor to send it again."
        )
    delimiter = _sniff_delimiter(_sample(path, encoding))
    return _table("csv", encoding, delimiter, _csv_records(path, encoding, delimiter))


def _table(format, encoding, delimiter, records) -> RawTable:
    try:
        header = next(records, None)
        if header is None:
            raise FileProblem("The file is empty: it has no header row and no holders.")
        header_row, cells = header
        headers = header_cells(cells)
        _check_headers(header_row, headers)
        first = next(records, None)
        if first is None:
            raise FileProblem(
                f"The file has a header row (row {header_row}) but no holders after it."
            )
    except BaseException:
        records.close()
        raise
    # chain, not a generator around `records`: it adds nothing to a million rows' time.
    rows = itertools.chain((first,), records)
    return RawTable(format, encoding, delimiter, headers, rows, records)


def header_cells(cells: list[str]) -> list[str]:
    """The headings of a header row, as the columns are named."""
    headers = [cell.strip() for cell in cells]
    # Spreadsheets often export a few empty columns after the last real one.
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _check_headers(row: int, headers: list[str]) -> None:
    blank = [_column_name(index) for index, name in enumerate(headers) if not name]
    if blank:
        columns = ", ".join(blank)
        raise FileProblem(
            f"The header row (row {row}) has no name for column {columns}. Every column needs "
            "a heading such as Name, Address, City or Amount, and the header must be the first "
            "row of the file."
        )
    seen: dict[str, int] = {}
    repeated = []
    for index, name in enumerate(headers):
        key = " ".join(name.casefold().split())
        if key in seen:
            repeated.append(
                f"“{name}” (columns {_column_name(seen[key])} and {_column_name(index)})"
            )
        else:
            seen[key] = index
    if repeated:
        raise FileProblem(
            f"The header row (row {row}) names the same column twice: {', '.join(repeated)}. "
            "A heading must be unique to know which column to read; rename or remove one."
        )


def _column_name(index: int) -> str:
    """Column 0 is "A", 26 is "AA", as a spreadsheet labels them; officers look for these."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f}".removesuffix(".0")


# -- text files ------------------------------------------------------------------------------


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _text_encoding(path: str) -> str:
    """UTF-8 if the whole file is UTF-8, else Windows-1252, else Latin-1 (which reads anything).

    The whole file is checked before any row is read: a name with an accent on row 900,000
    must not reveal, after 899,999 rows were read as UTF-8, that the file was Latin-1.
    """
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"


def _decodes(path: str, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as stream:
        try:
            while chunk := stream.read(SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _sample(path: str, encoding: str) -> str:
    with open(path, "rb") as stream:
        raw = stream.read(SNIFF_BYTES)
        complete = len(raw) < SNIFF_BYTES
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=complete)
    lines = [line for line in text.splitlines() if line.strip()]
    if not complete:
        # The last line may have been cut in the middle.
        lines = lines[:-1]
    return "\n".join(lines[:SNIFF_LINES])


def _sniff_delimiter(sample: str) -> str:
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    header = sample.split("\n", 1)[0]
    if delimiter not in header:
        # The sniffer judged by the rows alone; the header, which rarely holds a separator
        # inside a heading, is the better witness.
        counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=counts.__getitem__)
        delimiter = best if counts[best] else ","
    return delimiter


def _csv_records(path: str, encoding: str, delimiter: str):
    number = 0
    with open(path, encoding=encoding, newline="") as stream:
        # strict: a quoted value still open at the end of the file is an error, not a value.
        reader = csv.reader(stream, delimiter=delimiter, strict=True, skipinitialspace=True)
        try:
            for number, cells in enumerate(reader, 1):
                if has_values(cells):
                    yield number, cells
        except csv.Error as error:
            raise FileProblem(_csv_error(number + 1, str(error))) from None


def has_values(cells: list[str]) -> bool:
    """Whether a CSV record has anything in it: a row of empty or blank cells is skipped."""
    if not cells:
        return False
    first = cells[0]
    # Most rows have something in the first cell; only the others need a look.
    return bool(first and not first.isspace()) or any(cell and not cell.isspace() for cell in cells)


def _csv_error(row: int, error: str) -> str:
    if "unexpected end of data" in error:
        return (
            f"Row {row} opens a quoted value that never closes: the file was cut short "
            "(truncated) or has a stray quotation mark. Ask the Guarantor to send it again."
        )
    if "field larger than field limit" in error:
        return (
            f"Row {row} has a value longer than {csv.field_size_limit():,} characters: "
            "usually a quotation mark that is never closed, so the rest of the file reads "
            "as one value. Ask the Guarantor to check the file and send it again."
        )
    if "expected after" in error:
        return (
            f"Row {row} has text right after the closing quotation mark of a quoted value. "
            'A quotation mark inside a value must be doubled (""); ask the Guarantor to '
            "correct the file."
        )
    return f"Row {row} cannot be read as CSV ({error}); ask the Guarantor to correct the file."


# -- Excel workbooks -------------------------------------------------------------------------


def _check_workbook(path: str, head: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        if b"[Content_Types].xml" in head or b"xl/" in head:
            raise FileProblem(
                "The Excel workbook is damaged or incomplete (perhaps cut short in transfer) "
                "and cannot be opened. Ask the Guarantor to send it again."
            ) from None
        raise FileProblem(_NOT_TABLE.format(what="a damaged zip archive")) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            what = "a binary Excel workbook (.xlsb); it can be saved as .xlsx or CSV"
        elif "word/document.xml" in names:
            what = "a Word document"
        else:
            what = "a zip archive"
        raise FileProblem(_NOT_TABLE.format(what=what))
    expanded = sum(member.file_size for member in members)
    if expanded > max_bytes * MAX_XLSX_EXPANSION:
        raise FileProblem(
            f"The Excel workbook expands to {_megabytes(expanded)} MB, far more than any List "
            "of Holders; it was not read. Ask the Guarantor for a CSV file."
        )


def _xlsx_records(path: str):
    # Imported here: reading a CSV file should not pay for loading openpyxl.
    import openpyxl

    damaged = (
        "The Excel workbook is damaged and cannot be read{where}. Ask the Guarantor to send "
        "it again, or to save it as a CSV file."
    )
    with open(path, "rb") as stream:
        # openpyxl raises all manner of errors on a damaged workbook (zip, XML, key and value
        # errors); for an officer they all mean the same thing.
        try:
            # A file object, not the path: openpyxl refuses paths not ending in ".xlsx".
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception:
            raise FileProblem(damaged.format(where="")) from None
        number = 0
        try:
            # The first sheet: a workbook with the list on another sheet is not one we read.
            sheet = workbook.worksheets[0]
            width = None
            for number, row in enumerate(sheet.iter_rows(), 1):
                cells = [_cell_text(cell) for cell in row]
                # Empty cells at the end of a row are not stored in a workbook, or stored
                # only for their formatting: neither is data.
                while cells and not cells[-1].strip():
                    cells.pop()
                if not cells:
                    continue
                if width is None:
                    # The header, trimmed as _table trims it.
                    width = len(cells)
                elif len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                yield number, cells
        except Exception:
            raise FileProblem(damaged.format(where=f" from row {number + 1}")) from None
        finally:
            workbook.close()


_ZERO_PADDED = re.compile(r"0+(?:-0+)*")


def _cell_text(cell) -> str:
    """A cell's value as the officer sees it in Excel."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            value = int(value)
        else:
            # Excel shows at most 15 significant digits; 0.1 + 0.2 shows as 0.3.
            return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, int):
        return _zero_padded(value, cell.number_format) or str(value)
    return str(value)


def _zero_padded(value: int, number_format: str | None) -> str | None:
    """ZIP codes formatted "00000" or "00000-0000" keep the leading zero Excel displays."""
    if not number_format or value < 0:
        return None
    pattern = number_format.replace("\\", "").replace('"', "")
    if not _ZERO_PADDED.fullmatch(pattern):
        return None
    digits = str(value).zfill(pattern.count("0"))
    if len(digits) != pattern.count("0"):
        return None
    parts, start = [], 0
    for group in pattern.split("-"):
        parts.append(digits[start : start + len(group)])
        start += len(group)
    return "-".join(parts)
