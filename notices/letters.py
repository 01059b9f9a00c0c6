"""First-class letters for a notice, and the certificate of mailing that proves they were sent.

§2.7(a) of the guarantee agreements requires notice of default "by mail, first class postage
prepaid, to the Holders". `render_letters` makes the one PDF the print room mails from: a page
(or more) per holder, the address placed for the window of a US #10 envelope. `write_manifest`
makes the mailing manifest: every addressee, with the certificate that whoever mailed them
signs, as a PDF and the same rows as CSV.

The PDF file structure is written here, not by ReportLab's canvas, because the canvas keeps every
page until save() and then builds the whole file in memory (131 MB at 10,000 letters, growing
with each one). These files are written page by page and only the pages' offsets stay in memory.
ReportLab supplies the font metrics that line breaking needs. Only text and hairlines are drawn,
in the standard Helvetica fonts (WinAnsi encoding, which covers Latin-1) that every PDF reader and
printer has; a character they cannot show prints as "?".

No Django here: the notice workflow calls these with plain values.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from holders.exports import safe_cell

INCH = 72.0
PAGE_WIDTH, PAGE_HEIGHT = 8.5 * INCH, 11 * INCH  # US Letter

# The address window of a US #10 envelope holding the letter folded in three, from the page's
# top left corner. The address keeps 1/8 in. clear of its edges because the letter moves about
# in the envelope.
WINDOW_LEFT, WINDOW_TOP = 0.875 * INCH, 2 * INCH
WINDOW_WIDTH, WINDOW_HEIGHT = 4 * INCH, 1.125 * INCH
WINDOW_CLEARANCE = 0.125 * INCH
# The same window in PDF coordinates (origin at the bottom left): x0, y0, x1, y1.
ADDRESS_WINDOW = (
    WINDOW_LEFT,
    PAGE_HEIGHT - WINDOW_TOP - WINDOW_HEIGHT,
    WINDOW_LEFT + WINDOW_WIDTH,
    PAGE_HEIGHT - WINDOW_TOP,
)
# A long address is set smaller to fit, but not below 8 points, the smallest type the USPS
# advises for an address its machines are to read.
ADDRESS_SIZES = (10.0, 9.0, 8.0)

DOMESTIC_COUNTRIES = frozenset({"", "US", "USA"})

REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
_FONT_NAMES = {REGULAR: b"F1", BOLD: b"F2"}
# How far Helvetica reaches above the baseline (accented capitals included) and below it, as
# fractions of the size: what decides whether an address fits the window.
_ASCENT, _DESCENT = 0.93, 0.21

# The letter's text column, and the lowest baseline it may use (the footer sits below).
TEXT_LEFT, TEXT_WIDTH = 1 * INCH, PAGE_WIDTH - 2 * INCH
TEXT_BOTTOM = 1 * INCH
BODY_SIZE, BODY_LEADING = 10.0, 13.5
# The subject starts under the window, above the first fold (11/3 in. from the top).
SUBJECT_TOP = PAGE_HEIGHT - 3.45 * INCH
FOOTER_Y = 0.5 * INCH


class AddressDoesNotFit(ValueError):
    """An address that cannot be printed inside the envelope window, even at the smallest size."""

    def __init__(self, key: str, problem: str):
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...]
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Addressee:
    key: str  # the delivery's idempotency key, printed small on the letter for tracing
    name: str
    address_lines: tuple[str, ...]  # street lines
    city: str
    state: str
    postal_code: str
    country: str = "US"

    def __post_init__(self):
        lines = self.address_lines
        # A holder's address lines are stored as one text field: tuple() of it would be letters.
        if isinstance(lines, str):
            lines = lines.splitlines()
        object.__setattr__(self, "address_lines", tuple(line for line in lines if line.strip()))

    @property
    def is_domestic(self) -> bool:
        return self.country.strip().upper() in DOMESTIC_COUNTRIES

    def postal_lines(self) -> list[str]:
        """The address under the name: street lines, "CITY, ST ZIP" at home; abroad the city
        line as given and the country last."""
        lines = list(self.address_lines)
        if self.is_domestic:
            state_zip = " ".join(part for part in (self.state, self.postal_code) if part.strip())
            lines.append(", ".join(part for part in (self.city, state_zip) if part.strip()))
        else:
            lines.append(
                " ".join(p for p in (self.city, self.state, self.postal_code) if p.strip())
            )
            lines.append(self.country.strip().upper())
        return [clean for line in lines if (clean := printable(line).strip())]


# -- text ---------------------------------------------------------------------------------------


def printable(text: str) -> str:
    """`text` as the WinAnsi fonts can print it: accents composed (a decomposed "é" would
    otherwise lose its accent), control characters as spaces, anything else they lack as "?"."""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return text.encode("cp1252", "replace").decode("cp1252")


def width_of(text: str, font: str = REGULAR, size: float = BODY_SIZE) -> float:
    return stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most `width` points, broken at spaces; a word longer than a line (a URL, a
    key) is cut. Helvetica has no kerning here, so a line's width is the sum of its words'."""
    space = width_of(" ", font, size)
    lines: list[str] = []
    words: list[str] = []
    used = 0.0
    for word in text.split():
        word_width = width_of(word, font, size)
        if words and used + space + word_width <= width:
            words.append(word)
            used += space + word_width
            continue
        if words:
            lines.append(" ".join(words))
        while word_width > width:
            cut = _fitting(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
            word_width = width_of(word, font, size)
        words, used = [word], word_width
    if words:
        lines.append(" ".join(words))
    return lines


def _fitting(text: str, font: str, size: float, width: float) -> int:
    """How many leading characters of `text` fit in `width` (at least one, to make progress)."""
    count = 1
    while count < len(text) and width_of(text[: count + 1], font, size) <= width:
        count += 1
    return count


def truncate(text: str, font: str, size: float, width: float) -> str:
    if width_of(text, font, size) <= width:
        return text
    return text[: _fitting(text, font, size, width - width_of("…", font, size))] + "…"


def _paragraphs(body: str) -> list[str]:
    """Blank lines separate paragraphs; the line breaks inside one are only the typist's."""
    chunks = re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").strip())
    return [" ".join(printable(chunk).split()) for chunk in chunks if chunk.strip()]


# -- drawing ------------------------------------------------------------------------------------


def _number(value: float) -> bytes:
    return (b"%.2f" % value).rstrip(b"0").rstrip(b".")


def _literal(text: str) -> bytes:
    data = text.encode("cp1252", "replace")  # printable() came first; this is the last guard
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class _Page:
    """The drawing operators of one page, or of the part of one that many pages share."""

    __slots__ = ("ops",)

    def __init__(self):
        self.ops: list[bytes] = []

    def text(self, x, y, text, font=REGULAR, size=BODY_SIZE, align="left"):
        if align != "left":
            text_width = width_of(text, font, size)
            x -= text_width if align == "right" else text_width / 2
        self.ops.append(
            b"BT /%s %s Tf %s %s Td %s Tj ET\n"
            % (_FONT_NAMES[font], _number(size), _number(x), _number(y), _literal(text))
        )

    def rule(self, x0, y0, x1, y1, width=0.5):
        self.ops.append(
            b"%s w %s %s m %s %s l S\n"
            % (_number(width), _number(x0), _number(y0), _number(x1), _number(y1))
        )

    def content(self) -> bytes:
        return b"".join(self.ops)


class _PdfFile:
    """A PDF written to disk as its pages come: only each object's offset stays in memory.

    Objects 1-6 are the catalog, the page tree, the shared resources, the two fonts and the
    document information; from 7 on, each page is two objects (its content, then the page). The
    file is written beside `path` and renamed when complete, so that a failure never leaves a
    half-written PDF where the print room would pick it up.
    """

    _CATALOG, _PAGES, _RESOURCES, _INFO = 1, 2, 3, 6
    _FIRST_PAGE = 7

    def __init__(self, path, *, title: str):
        self.path = Path(path)
        self._part = self.path.with_name(self.path.name + ".part")
        self._file = open(self._part, "wb")  # noqa: SIM115 (closed by close() or abort())
        self._position = 0
        self._offsets = array("q", [0] * self._FIRST_PAGE)
        self._title = title
        self.pages = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        fonts = b" ".join(
            b"/%s %d 0 R" % (name, 4 + i) for i, name in enumerate(_FONT_NAMES.values())
        )
        self._object(self._RESOURCES, b"<< /ProcSet [/PDF /Text] /Font << %s >> >>" % fonts)
        for i, base_font in enumerate(_FONT_NAMES):
            self._object(
                4 + i,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
                % base_font.encode(),
            )

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
        else:
            self.abort()

    def _write(self, data: bytes):
        self._file.write(data)
        self._position += len(data)

    def _object(self, number: int, body: bytes):
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _new_object(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def page(self, content: bytes):
        data = zlib.compress(content, 1)  # level 1: a third faster than 6, 3% bigger
        stream = self._new_object()
        self._object(
            stream,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data),
        )
        self._object(
            self._new_object(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 3 0 R "
            b"/Contents %d 0 R >>" % stream,
        )
        self.pages += 1

    def close(self):
        # Page k (from 0) is object _FIRST_PAGE + 2k + 1: the kids need not be remembered.
        self._offsets[self._PAGES] = self._position
        self._write(b"2 0 obj\n<< /Type /Pages /Count %d /Kids [" % self.pages)
        for start in range(0, self.pages, 1000):
            stop = min(start + 1000, self.pages)
            kids = (b"%d 0 R" % (self._FIRST_PAGE + 2 * k + 1) for k in range(start, stop))
            self._write(b" ".join(kids) + b"\n")
        self._write(b"] >>\nendobj\n")
        self._object(self._CATALOG, b"<< /Type /Catalog /Pages 2 0 R >>")
        title = b"<feff" + self._title.encode("utf-16-be").hex().encode() + b">"
        self._object(self._INFO, b"<< /Title %s /Producer (Trustdesk) >>" % title)
        xref = self._position
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets))
        for start in range(1, len(self._offsets), 1000):
            chunk = self._offsets[start : start + 1000]
            self._write(b"".join(b"%010d 00000 n \n" % offset for offset in chunk))
        self._write(
            b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self._offsets), xref)
        )
        self._file.close()
        os.replace(self._part, self.path)

    def abort(self):
        self._file.close()
        self._part.unlink(missing_ok=True)


@contextmanager
def _text_file(path):
    """A text file written beside `path` and renamed into place when complete."""
    path = Path(path)
    part = path.with_name(path.name + ".part")
    # A BOM, so that a spreadsheet opening the CSV reads "Müller" as UTF-8.
    with open(part, "w", encoding="utf-8-sig", newline="") as file:
        try:
            yield file
        except BaseException:
            file.close()
            part.unlink(missing_ok=True)
            raise
    os.replace(part, path)


# -- letters ------------------------------------------------------------------------------------


def address_block(addressee: Addressee) -> tuple[list[str], float]:
    """The lines the envelope window shows and the size they fit at.
    Raises AddressDoesNotFit: `address_problem` tells before anything is printed."""
    lines = [printable(addressee.name).strip(), *addressee.postal_lines()]
    lines = [line for line in lines if line]
    inner_width = WINDOW_WIDTH - 2 * WINDOW_CLEARANCE
    inner_height = WINDOW_HEIGHT - 2 * WINDOW_CLEARANCE
    for size in ADDRESS_SIZES:
        height = (_ASCENT + _DESCENT) * size + (len(lines) - 1) * _leading(size)
        if height <= inner_height and all(width_of(x, REGULAR, size) <= inner_width for x in lines):
            return lines, size
    smallest = ADDRESS_SIZES[-1]
    too_wide = [line for line in lines if width_of(line, REGULAR, smallest) > inner_width]
    problem = (
        f"the line {too_wide[0]!r} is wider than the envelope window"
        if too_wide
        else f"{len(lines)} lines are more than the envelope window holds"
    )
    raise AddressDoesNotFit(addressee.key, problem)


def address_problem(addressee: Addressee) -> str | None:
    """Why this address would not fit the envelope window, or None: check before mailing."""
    try:
        address_block(addressee)
    except AddressDoesNotFit as error:
        return error.problem
    return None


def _leading(size: float) -> float:
    return size * 1.12


class _LetterLayout:
    """Everything the letters of one notice share, laid out once: the letterhead, date, subject,
    body, signature and page numbers are the same for every holder, so are their page breaks.
    Each holder adds only the address (first page), their name (later pages) and the key."""

    def __init__(self, *, letterhead, reference, date_text, subject, body, signature):
        self.reference = printable(reference)
        subject = " ".join(printable(subject).split())
        first = _Page()
        self._letterhead(first, letterhead)
        first.text(
            PAGE_WIDTH - INCH, PAGE_HEIGHT - WINDOW_TOP - 10, printable(date_text), align="right"
        )
        y = SUBJECT_TOP
        for line in wrap(f"Re: {subject}", BOLD, BODY_SIZE, TEXT_WIDTH):
            first.text(TEXT_LEFT, y, line, BOLD)
            y -= BODY_LEADING
        y -= BODY_LEADING / 2
        # Later pages repeat the subject under the holder's name (drawn per letter).
        continued = wrap(f"Re: {subject}", REGULAR, 9, TEXT_WIDTH)
        continued.append(f"{printable(date_text)} (continued)")
        self._name_y = PAGE_HEIGHT - 0.75 * INCH
        continued_top = self._name_y - 11 * (len(continued) + 1) - 12

        pages = [first]

        def new_page():
            page = _Page()
            line_y = self._name_y - 11
            for line in continued:
                page.text(TEXT_LEFT, line_y, line, size=9)
                line_y -= 11
            page.rule(TEXT_LEFT, line_y + 4, TEXT_LEFT + TEXT_WIDTH, line_y + 4, 0.3)
            pages.append(page)
            return continued_top

        for paragraph in _paragraphs(body):
            for line in wrap(paragraph, REGULAR, BODY_SIZE, TEXT_WIDTH):
                if y < TEXT_BOTTOM:
                    y = new_page()
                pages[-1].text(TEXT_LEFT, y, line)
                y -= BODY_LEADING
            y -= BODY_LEADING / 2
        # The signature block stays together, on a new page if it must.
        y -= BODY_LEADING / 2
        signature = [printable(line) for line in signature]
        if y - (len(signature) - 1) * BODY_LEADING < TEXT_BOTTOM:
            y = new_page()
        for line in signature:
            pages[-1].text(PAGE_WIDTH / 2, y, line)
            y -= BODY_LEADING
        self.count = len(pages)
        for number, page in enumerate(pages, 1):
            page.text(
                PAGE_WIDTH / 2,
                FOOTER_Y,
                f"Page {number} of {self.count} · {self.reference}",
                size=8,
                align="center",
            )
        self._shared = [page.content() for page in pages]

    @staticmethod
    def _letterhead(page: _Page, letterhead: Letterhead):
        # At the top left, where a double-window envelope shows the return address.
        contact = " · ".join(printable(x) for x in (letterhead.phone, letterhead.email) if x)
        lines = [printable(x) for x in letterhead.address_lines] + ([contact] if contact else [])
        if len(lines) > 7:
            raise ValueError("The letterhead has more lines than fit above the address window.")
        width = PAGE_WIDTH - INCH - WINDOW_LEFT
        y = PAGE_HEIGHT - 0.5 * INCH - 12
        page.text(WINDOW_LEFT, y, truncate(printable(letterhead.name), BOLD, 13, width), BOLD, 13)
        y -= 14
        for line in lines:
            page.text(WINDOW_LEFT, y, truncate(line, REGULAR, 8.5, width), size=8.5)
            y -= 10.5

    def pages(self, addressee: Addressee) -> Iterator[bytes]:
        """The content of each of this holder's pages."""
        lines, size = address_block(addressee)
        key = truncate(printable(addressee.key), REGULAR, 6, TEXT_WIDTH)
        own = _Page()
        x = WINDOW_LEFT + WINDOW_CLEARANCE
        y = PAGE_HEIGHT - WINDOW_TOP - WINDOW_CLEARANCE - _ASCENT * size
        for line in lines:
            own.text(x, y, line, size=size)
            y -= _leading(size)
        own.text(PAGE_WIDTH / 2, FOOTER_Y - 10, key, size=6, align="center")
        yield self._shared[0] + own.content()
        if self.count == 1:
            return
        name = truncate(lines[0], BOLD, 9, TEXT_WIDTH)
        for shared in self._shared[1:]:
            own = _Page()
            own.text(TEXT_LEFT, self._name_y, name, BOLD, 9)
            own.text(PAGE_WIDTH / 2, FOOTER_Y - 10, key, size=6, align="center")
            yield shared + own.content()


def render_letters(
    *,
    path,
    letterhead: Letterhead,
    reference: str,
    date_text: str,
    subject: str,
    body: str,
    addressees: Iterable[Addressee],
    signature: tuple[str, ...],
) -> int:
    """Write one PDF of the notice's letters to `path`, a letter per addressee (page numbers
    count within each letter), and return the number of pages written.

    The addressees are read once, and each page goes to the file as it is made, so memory does
    not grow with their number. Raises AddressDoesNotFit (with the delivery's key) for an
    address the window cannot show, and ValueError when there is no addressee; either way no
    file is left at `path`.
    """
    layout = _LetterLayout(
        letterhead=letterhead,
        reference=reference,
        date_text=date_text,
        subject=subject,
        body=body,
        signature=signature,
    )
    with _PdfFile(path, title=f"{reference}: {subject}") as pdf:
        for addressee in addressees:
            for content in layout.pages(addressee):
                pdf.page(content)
        if not pdf.pages:
            raise ValueError("No addressees: there is no letter to mail.")
    return pdf.pages


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
