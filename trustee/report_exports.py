"""The examiners' reports as files: CSV, XLSX and PDF, from the rows trustee/examiner_reports
returns. No Django here: the views pass the rows and a heading (bank, as-of date, who, when).

One description of each report's columns (`Report`) serves the admin page and all three
files, so they never disagree. Each format keeps what it is for:
- CSV, for a program: dates ISO 8601, amounts plain decimals ("575000000.00") with the
  currency in the next column, UTF-8 *with* a byte-order mark: Excel, which is what an
  examiner opens a CSV with, reads a file without one as Windows-1252 and garbles "§" and
  any accented name; Python's csv reads it with encoding="utf-8-sig". A text cell starting
  with = + - @ (or a tab or carriage return) gets a leading apostrophe so a spreadsheet shows
  it as text instead of running it as a formula (OWASP's "CSV injection").
- XLSX, for a spreadsheet: real date and number cells, the header row frozen, column widths
  set, a filter on the header, a second sheet saying what the report is and who made it.
- PDF, for handing over: landscape, the bank, the as-of date and who generated it when, the
  header row repeated on every page, "Page n of m", amounts with thousands separators and
  the currency, dates as "Mon 16 Feb 2026".

Each is built in one pass over the rows, without a per-cell layout engine: 10,000 rows take a
few seconds (`python -m bench report_exports`, against ReportLab's platypus tables).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from notices.pdf import printable

TEXT, DATE, MONEY, COUNT = "text", "date", "money", "count"
FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def long_date(day: date | None) -> str:
    """ "Mon 16 Feb 2026": the weekday catches a date misread, the month name a day/month swap."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day else ""


def money(amount: Decimal | None, currency: str) -> str:
    return f"{currency} {amount:,.2f}".strip() if amount is not None else ""


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    get: Callable
    # Characters: the XLSX column width, and a text column's share of the PDF's width.
    width: float = 12
    currency: Callable | None = None  # MONEY: the row's currency

    def display(self, row) -> str:
        """The cell as the admin page and the PDF show it."""
        value = self.get(row)
        if value is None or value == "":
            return ""
        if self.kind == DATE:
            return long_date(value)
        if self.kind == MONEY:
            return money(value, self.currency(row))
        if self.kind == COUNT:
            return f"{value:,}"
        return str(value)


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    columns: tuple[Column, ...]
    nothing: str  # the sentence an empty report prints
    counted: Callable[[list], str]  # "12 defaults under 8 agreements"
    # The page and the PDF: fewer, fuller columns where a landscape page cannot fit them all.
    shown: tuple[Column, ...] = ()

    def __post_init__(self):
        if not self.shown:
            object.__setattr__(self, "shown", self.columns)

    def headers(self) -> list[str]:
        """The header row of the CSV and XLSX: a MONEY column is followed by its currency."""
        names = []
        for column in self.columns:
            names.append(column.header)
            if column.kind == MONEY:
                names.append("Currency")
        return names

    def values(self, row) -> list:
        """The row's typed cells for the CSV and XLSX: date, Decimal, int or str."""
        cells = []
        for column in self.columns:
            value = column.get(row)
            cells.append("" if value is None else value)
            if column.kind == MONEY:
                cells.append(column.currency(row) if value is not None else "")
        return cells

    def filename(self, as_of: date, extension: str) -> str:
        return f"{self.slug}-{as_of:%Y-%m-%d}.{extension}"


@dataclass(frozen=True)
class Heading:
    """What every copy of a report says about itself."""

    bank: str
    as_of: date
    generated_at: datetime
    generated_by: str

    def generated(self) -> str:
        at = self.generated_at
        return f"{long_date(at.date())} at {at:%H:%M} {at.tzname() or ''}".rstrip()


# -- the two reports --------------------------------------------------------------------------


def _actions(row) -> str:
    return "\n".join(
        f"{long_date(action.on)}: {action.status} ({action.by})"
        + (f". {action.comment}" if action.comment else "")
        for action in row.actions
    )


def _security(row) -> str:
    basis = f" ({row.amount_basis.lower()})" if row.amount_basis else ""
    return f"{row.security}{basis}"


def _agreements(rows) -> int:
    return len({row.agreement_id for row in rows})


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


DEFAULTS = Report(
    slug="trusteeships-in-default",
    title="Trusteeships in default",
    columns=(
        Column("Agreement", TEXT, lambda r: r.agreement, 26),
        Column("Guarantor", TEXT, lambda r: r.guarantor, 22),
        Column("Default occurred", DATE, lambda r: r.occurred_on, 16),
        Column("Nature", TEXT, lambda r: r.nature, 14),
        Column("What happened", TEXT, lambda r: r.description, 36),
        Column("Event of Default from", DATE, lambda r: r.event_of_default_on, 16),
        Column("Notice to Holders due", DATE, lambda r: r.notice_due_on, 16),
        Column("Status", TEXT, lambda r: r.status, 24),
        Column("Days since default", COUNT, lambda r: r.days_in_default, 10),
        Column("Actions taken", TEXT, _actions, 60),
        Column("Security", TEXT, lambda r: r.security, 26),
        Column(
            "Amount outstanding", MONEY, lambda r: r.amount_outstanding, 18, lambda r: r.currency
        ),
        Column("Amount measured as", TEXT, lambda r: r.amount_basis, 16),
    ),
    shown=(
        Column("Agreement", TEXT, lambda r: r.agreement, 22),
        Column("Guarantor", TEXT, lambda r: r.guarantor, 16),
        Column("Default occurred", DATE, lambda r: r.occurred_on),
        Column("What happened", TEXT, lambda r: f"{r.nature}: {r.description}", 34),
        Column("Event of Default from", DATE, lambda r: r.event_of_default_on),
        Column("Notice to Holders due", DATE, lambda r: r.notice_due_on),
        Column("Status", TEXT, lambda r: r.status, 16),
        Column("Days since default", COUNT, lambda r: r.days_in_default),
        Column("Actions taken", TEXT, _actions, 50),
        Column("Security", TEXT, _security, 20),
        Column(
            "Amount outstanding", MONEY, lambda r: r.amount_outstanding, 18, lambda r: r.currency
        ),
    ),
    nothing="No trusteeship was in default on that date.",
    counted=lambda rows: (
        f"{_plural(len(rows), 'default')} under {_plural(_agreements(rows), 'agreement')}"
    ),
)

LATE_DELIVERABLES = Report(
    slug="guarantor-deliverables-late",
    title="Guarantors' deliverables not received",
    columns=(
        Column("Agreement", TEXT, lambda r: r.agreement, 28),
        Column("Guarantor", TEXT, lambda r: r.guarantor, 26),
        Column("Deliverable", TEXT, lambda r: r.deliverable, 30),
        Column("Kind", TEXT, lambda r: r.kind, 24),
        Column("Section", TEXT, lambda r: r.section, 10),
        Column("Due", DATE, lambda r: r.due_on, 16),
        Column("Days late", COUNT, lambda r: r.days_late, 9),
        Column("Status", TEXT, lambda r: r.status, 10),
        Column("Chased", TEXT, lambda r: r.chased, 30),
        Column("Officer", TEXT, lambda r: r.officer, 18),
    ),
    nothing="Nothing the Guarantors owe the trustee was late on that date.",
    counted=lambda rows: (
        f"{_plural(len(rows), 'deliverable')} late under {_plural(_agreements(rows), 'agreement')}"
    ),
)


# -- CSV ---------------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(report: Report, rows: Iterable, *, batch: int = 500) -> Iterator[bytes]:
    """The CSV as a stream of byte chunks, for a StreamingHttpResponse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(report.headers())
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(value) for value in report.values(row)])
        if count % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# -- XLSX --------------------------------------------------------------------------------------

_XLSX_DATE = "ddd d mmm yyyy"
_XLSX_MONEY = "#,##0.00"
_XLSX_COUNT = "#,##0"


def xlsx_bytes(report: Report, rows: list, heading: Heading) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{report.title} as of {heading.as_of:%Y-%m-%d}"
    workbook.properties.creator = heading.generated_by
    sheet = workbook.create_sheet(report.title[:31])
    kinds, widths, wraps = [], [], []
    for column in report.columns:
        kinds.append(column.kind)
        widths.append(column.width)
        # Long texts wrap within their column; styling every cell would double the time.
        wraps.append(column.kind == TEXT and column.width >= 30)
        if column.kind == MONEY:
            kinds.append(TEXT)
            widths.append(9)
            wraps.append(False)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(rows) + 1}"

    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    top = Alignment(vertical="top", wrap_text=True)
    header = []
    for name in report.headers():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill, cell.alignment = bold, shade, top
        header.append(cell)
    sheet.append(header)
    formats = {DATE: _XLSX_DATE, MONEY: _XLSX_MONEY, COUNT: _XLSX_COUNT}
    for row in rows:
        cells = []
        for kind, wrap, value in zip(kinds, wraps, report.values(row), strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if kind in formats and value != "":
                cell.number_format = formats[kind]
            elif isinstance(value, str) and value:
                # openpyxl would store a text starting with "=" as a formula: keep it text.
                cell.data_type = "s"
            if wrap:
                cell.alignment = top
            cells.append(cell)
        sheet.append(cells)

    about = workbook.create_sheet("About")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 80
    for label, value in (
        ("Report", report.title),
        ("Bank", heading.bank),
        ("As of", heading.as_of),
        ("Generated", heading.generated()),
        ("Generated by", heading.generated_by),
        ("Rows", len(rows)),
    ):
        cell = WriteOnlyCell(about, value=value)
        if isinstance(value, date):
            cell.number_format = _XLSX_DATE
        about.append([WriteOnlyCell(about, value=label), cell])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------------

REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
PAGE_WIDTH, PAGE_HEIGHT = landscape(letter)
MARGIN = 36.0
SIZE, LEADING, PAD = 7.0, 8.4, 2.5
WIDTH = PAGE_WIDTH - 2 * MARGIN
TITLE_HEIGHT = 62.0  # the first page's title block
RUNNING_HEIGHT = 20.0  # later pages' one-line heading
FOOTER = MARGIN - 12
BOTTOM = MARGIN + 6


@lru_cache(maxsize=100_000)
def _width(text: str, font: str) -> float:
    """ReportLab measures in pure Python here (no rl_accel): words repeat, so remember them."""
    return stringWidth(text, font, SIZE)


def _column_widths(report: Report, cells: list[list[str]]) -> list[float]:
    """Dates, counts and amounts as wide as their widest value (or header word), so they never
    wrap; the text columns share the rest in proportion to their `width`."""
    fixed: dict[int, float] = {}
    for i, column in enumerate(report.shown):
        if column.kind == TEXT:
            continue
        words = max(_width(w, BOLD) for w in column.header.split())
        values = max((_width(row[i], REGULAR) for row in cells), default=0)
        fixed[i] = max(words, values, _width(column.header, BOLD) / 2) + 2 * PAD + 1
    share = sum(c.width for i, c in enumerate(report.shown) if i not in fixed)
    rest = max(WIDTH - sum(fixed.values()), share)
    return [fixed.get(i, rest * c.width / share) for i, c in enumerate(report.shown)]


def _lines(text: str, font: str, width: float) -> list[str]:
    """The cell's text in lines that fit `width`, broken at spaces; a word wider than the
    column (a long name, a reference) is cut."""
    width -= 2 * PAD
    space = _width(" ", font)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in printable(paragraph).split():
            size = _width(word, font)
            if words and used + space + size <= width:
                words.append(word)
                used += space + size
                continue
            if words:
                lines.append(" ".join(words))
            while size > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and _width(word[:cut], font) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                size = _width(word, font)
            words, used = [word], size
        lines.append(" ".join(words))
    return lines


def _paginate(first_room: float, room: float, heights: list[int]) -> list[list[tuple]]:
    """Rows (as counts of lines) onto pages: (row, first line, last line) per page. A row that
    does not fit what is left of a page starts the next one; a row taller than a page is split
    between pages."""
    pages: list[list[tuple]] = [[]]
    left = first_room
    for index, lines in enumerate(heights):
        start = 0
        while start < lines:
            need = (lines - start) * LEADING + 2 * PAD
            if need <= left:
                pages[-1].append((index, start, lines))
                left -= need
                break
            fits = int((left - 2 * PAD) // LEADING)
            if need <= room or fits < 2:
                if pages[-1]:
                    pages.append([])
                    left = room
                    continue
                fits = max(fits, 1)  # an empty page and still too tall: split it here
            pages[-1].append((index, start, start + fits))
            start += fits
            pages.append([])
            left = room
    return pages


def pdf_bytes(report: Report, rows: list, heading: Heading) -> bytes:
    cells = [[column.display(row) for column in report.shown] for row in rows]
    widths = _column_widths(report, cells)
    header = [_lines(c.header, BOLD, w) for c, w in zip(report.shown, widths, strict=True)]
    header_height = max(len(lines) for lines in header) * LEADING + 2 * PAD
    wrapped = [
        [_lines(text, REGULAR, width) for text, width in zip(row, widths, strict=True)]
        for row in cells
    ]
    body_top = PAGE_HEIGHT - MARGIN
    first_room = body_top - TITLE_HEIGHT - header_height - BOTTOM
    room = body_top - RUNNING_HEIGHT - header_height - BOTTOM
    pages = _paginate(first_room, room, [max(len(c) for c in row) for row in wrapped])
    if not rows:
        pages = [[]]

    out = io.BytesIO()
    pdf = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    title = f"{report.title} as of {long_date(heading.as_of)}"
    pdf.setTitle(f"{heading.bank}: {title}")
    pdf.setAuthor(heading.generated_by)
    pdf.setSubject(report.title)
    pdf.setCreator("Trustdesk")
    right = [c.kind in (COUNT, MONEY) for c in report.shown]
    lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
    total = len(pages)
    for number, placed in enumerate(pages, 1):
        y = body_top
        if number == 1:
            y = _title_block(pdf, report, heading, rows, y)
        else:
            pdf.setFont(REGULAR, SIZE)
            pdf.drawString(MARGIN, y - SIZE, printable(f"{heading.bank}: {title} (continued)"))
            y -= RUNNING_HEIGHT
        y = _row(pdf, header, lefts, widths, right, y, header_height, BOLD, shade=True)
        for index, first, last in placed:
            segment = [lines[first:last] for lines in wrapped[index]]
            height = max(len(lines) for lines in segment) * LEADING + 2 * PAD
            y = _row(pdf, segment, lefts, widths, right, y, height, REGULAR)
        if not rows:
            pdf.setFont(REGULAR, 10)
            pdf.drawString(MARGIN, y - 16, report.nothing)
        pdf.setFont(REGULAR, SIZE)
        pdf.drawString(MARGIN, FOOTER, printable(f"{heading.bank}: {title}"))
        pdf.drawRightString(PAGE_WIDTH - MARGIN, FOOTER, f"Page {number} of {total}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _title_block(pdf, report, heading, rows, y) -> float:
    pdf.setFont(BOLD, 14)
    pdf.drawString(MARGIN, y - 14, printable(f"{report.title}"))
    pdf.setFont(REGULAR, 9)
    pdf.drawString(MARGIN, y - 30, printable(f"{heading.bank} · as of {long_date(heading.as_of)}"))
    pdf.drawString(
        MARGIN,
        y - 43,
        printable(f"Generated {heading.generated()} by {heading.generated_by}"),
    )
    pdf.drawString(MARGIN, y - 56, printable(report.counted(rows) if rows else report.nothing))
    return y - TITLE_HEIGHT


def _row(pdf, lines, lefts, widths, right, top, height, font, shade=False) -> float:
    bottom = top - height
    if shade:
        pdf.setFillGray(0.87)
        pdf.rect(MARGIN, bottom, WIDTH, height, stroke=0, fill=1)
        pdf.setFillGray(0)
    text = pdf.beginText()
    text.setFont(font, SIZE, LEADING)
    first = top - PAD - SIZE
    for cell, left, width, flush in zip(lines, lefts, widths, right, strict=True):
        if flush:  # amounts and counts, right-aligned
            for n, line in enumerate(cell):
                text.setTextOrigin(left + width - PAD - _width(line, font), first - n * LEADING)
                text.textOut(line)
        elif any(cell):
            text.setTextOrigin(left + PAD, first)
            for line in cell:
                text.textLine(line)
    pdf.drawText(text)
    pdf.setLineWidth(0.25)
    pdf.line(MARGIN, bottom, MARGIN + WIDTH, bottom)
    return bottom
