"""The mailing manifest: every addressee of a notice's letters, with the certificate of mailing
that whoever mailed them signs, as a PDF and the same rows as CSV. No Django here."""

from __future__ import annotations

import csv
import json
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from holders.exports import safe_cell
from notices.pdf import (
    BOLD,
    FOOTER_Y,
    INCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    Addressee,
    Letterhead,
    _Page,
    _PdfFile,
    _text_file,
    printable,
    wrap,
)

# -- the mailing manifest -----------------------------------------------------------------------

MANIFEST_COLUMNS = ("number", "name", "address", "city", "state", "postal_code", "country", "key")


# The manifest's table, between 0.75 in. margins: (heading, x, width, size) of each column.
_MARGIN = 0.75 * INCH
_COLUMNS = (
    ("No.", _MARGIN, 30.0, 8.5),
    ("Name", 90.0, 150.0, 8.5),
    ("Address", 246.0, 196.0, 8.5),
    ("Key", 448.0, 110.0, 7.0),
)
_GUTTER = 6.0
_TABLE_LEADING, _ROW_PADDING, _HEADER_HEIGHT = 10.5, 3.0, 16.0
_TABLE_BOTTOM = 0.9 * INCH  # the lowest a row may reach, above the footer
_STATEMENT_SIZE, _STATEMENT_LEADING = 10.0, 13.0


def _csv_row(number: int, a: Addressee) -> list[str]:
    return [
        str(number),
        a.name,
        "; ".join(a.address_lines),
        a.city,
        a.state,
        a.postal_code,
        a.country,
        a.key,
    ]


def _cells(number: int, a: Addressee) -> list[list[str]]:
    """The lines in each column of the manifest's row for `a`."""
    _, name, address, key = _COLUMNS

    def lines(text, column):
        _, _, width, size = column
        return wrap(text, REGULAR, size, width - _GUTTER) or [""]

    return [
        [str(number)],
        lines(printable(a.name), name),
        [x for line in a.postal_lines() for x in lines(line, address)],
        lines(printable(a.key), key),
    ]


def _row_height(cells) -> float:
    return max(len(lines) for lines in cells) * _TABLE_LEADING + 2 * _ROW_PADDING


class _Spool:
    """The addressees, read again from a temporary file: the PDF is made in two passes (page
    breaks, then pages), a generator can be read only once, and a list of 100,000 holders need
    not be copied into memory."""

    def __init__(self, file):
        self._file = file

    def add(self, addressee: Addressee):
        self._file.write(json.dumps(asdict(addressee)) + "\n")

    def __iter__(self) -> Iterator[Addressee]:
        self._file.seek(0)
        for line in self._file:
            yield Addressee(**json.loads(line))


def write_manifest(
    *,
    path_pdf,
    path_csv,
    letterhead: Letterhead,
    reference: str,
    date_text: str,
    subject: str,
    addressees: Iterable[Addressee],
    mailed_by: str,
) -> dict:
    """Write the mailing manifest, which is the certificate of mailing, as a PDF and as CSV:
    every addressee in the order given (the letters' order), numbered from 1. Returns the
    counts {"addressees", "domestic", "foreign", "pages"} (pages of the PDF).

    The CSV keeps the addresses exactly as given (UTF-8); its cells that a spreadsheet would
    take for a formula start with a "'". Raises ValueError when there is no addressee.
    """
    counts = {"addressees": 0, "domestic": 0, "foreign": 0}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as file, _text_file(path_csv) as out:
        spool = _Spool(file)
        writer = csv.writer(out)
        writer.writerow(MANIFEST_COLUMNS)
        for number, addressee in enumerate(addressees, 1):
            writer.writerow([safe_cell(cell) for cell in _csv_row(number, addressee)])
            spool.add(addressee)
            counts["addressees"] = number
            counts["domestic" if addressee.is_domestic else "foreign"] += 1
        if not counts["addressees"]:
            raise ValueError("No addressees: there is no mailing to certify.")
        manifest = _Manifest(
            letterhead=letterhead,
            reference=reference,
            date_text=date_text,
            subject=subject,
            counts=counts,
            mailed_by=mailed_by,
        )
        pages = manifest.write(path_pdf, spool)
    return {**counts, "pages": pages}


class _Manifest:
    """The certificate's pages: the facts of the mailing at the top of the first, the table of
    addressees across as many pages as it takes, the statement and signature line at the end."""

    def __init__(self, *, letterhead, reference, date_text, subject, counts, mailed_by):
        width = PAGE_WIDTH - 2 * _MARGIN
        self.reference = printable(reference)
        self.mailed_by = printable(mailed_by)
        date_text = printable(date_text)
        n = counts["addressees"]
        self.statement = wrap(
            f"I certify that on {date_text} the notice above was deposited in the United States "
            f"mail, first class postage prepaid, addressed to each of the {n:,} "
            f"{'person' if n == 1 else 'persons'} listed above.",
            REGULAR,
            _STATEMENT_SIZE,
            width,
        )
        address = ", ".join(printable(x) for x in letterhead.address_lines)
        facts = [
            f"Notice reference: {self.reference}",
            f"Subject: {' '.join(printable(subject).split())}",
            f"Date of mailing: {date_text}",
            "Class of mail: First-Class Mail, postage prepaid",
            f"Number of addressees: {n:,} ({counts['domestic']:,} domestic, "
            f"{counts['foreign']:,} foreign)",
        ]
        self.heading = (
            [(BOLD, 10.0, line) for line in wrap(printable(letterhead.name), BOLD, 10, width)]
            + [(REGULAR, 9.0, line) for line in wrap(address, REGULAR, 9, width)]
            + [(REGULAR, 9.5, "")]
            + [(REGULAR, 9.5, line) for fact in facts for line in wrap(fact, REGULAR, 9.5, width)]
        )

    def write(self, path, spool) -> int:
        breaks = self._page_breaks(spool)
        total = len(breaks)
        rows = enumerate(spool, 1)
        with _PdfFile(path, title=f"Certificate of mailing {self.reference}") as pdf:
            for page_number, row_count in enumerate(breaks, 1):
                page = _Page()
                y = self._top(page, first=page_number == 1)
                if row_count:
                    y = self._table(page, y, (next(rows) for _ in range(row_count)))
                if page_number == total:
                    self._closing(page, y)
                footer = (
                    f"Certificate of mailing · {self.reference} · Page {page_number} of {total}"
                )
                page.text(PAGE_WIDTH / 2, FOOTER_Y, footer, size=8, align="center")
                pdf.page(page.content())
        return total

    def _page_breaks(self, spool) -> array:
        """How many rows each page holds; a last page with none when the statement and
        signature line do not fit under the table."""
        first_top, later_top = self._top(_Page(), first=True), self._top(_Page(), first=False)
        rows = array("q", [0])
        y = first_top - _HEADER_HEIGHT
        for number, addressee in enumerate(spool, 1):
            height = _row_height(_cells(number, addressee))
            if y - height < _TABLE_BOTTOM and rows[-1]:
                rows.append(0)
                y = later_top - _HEADER_HEIGHT
            rows[-1] += 1
            y -= height
        if y - self._closing_height() < _TABLE_BOTTOM:
            rows.append(0)
        return rows

    def _top(self, page: _Page, *, first: bool) -> float:
        """Draw the page's title (and on the first page the facts); return where the table
        starts."""
        y = PAGE_HEIGHT - _MARGIN - 14
        if not first:
            page.text(_MARGIN, y, "Certificate of mailing (continued)", BOLD, 11)
            return y - 20
        page.text(_MARGIN, y, "Certificate of mailing", BOLD, 16)
        y -= 24
        for font, size, line in self.heading:
            page.text(_MARGIN, y, line, font, size)
            y -= 12
        return y - 12

    def _table(self, page: _Page, top: float, rows) -> float:
        """Draw the headings and `rows` from `top` down; return the bottom of the last row."""
        for heading, x, _, size in _COLUMNS:
            page.text(x, top - 9, heading, BOLD, size)
        top -= _HEADER_HEIGHT
        page.rule(_MARGIN, top + 2, PAGE_WIDTH - _MARGIN, top + 2, 0.6)
        for number, addressee in rows:
            cells = _cells(number, addressee)
            baseline = top - _ROW_PADDING - 8
            for (_, x, width, size), lines in zip(_COLUMNS, cells, strict=True):
                for i, line in enumerate(lines):
                    if x == _MARGIN:  # the number, right-aligned
                        page.text(x + width - _GUTTER, baseline, line, size=size, align="right")
                    else:
                        page.text(x, baseline - i * _TABLE_LEADING, line, size=size)
            top -= _row_height(cells)
            page.rule(_MARGIN, top, PAGE_WIDTH - _MARGIN, top, 0.25)
        return top

    def _closing_height(self) -> float:
        return 18 + _STATEMENT_LEADING * len(self.statement) + 28 + 14

    def _closing(self, page: _Page, y: float):
        """The certificate itself, and the line for the signature of whoever mailed."""
        y -= 18
        for line in self.statement:
            page.text(_MARGIN, y, line, size=_STATEMENT_SIZE)
            y -= _STATEMENT_LEADING
        y -= 28
        page.rule(_MARGIN, y, _MARGIN + 3.5 * INCH, y, 0.5)
        page.text(_MARGIN, y - 11, self.mailed_by, size=9)
