"""The PDF primitives the letters and the manifest are drawn with: page geometry, text
measured with ReportLab's font metrics, and a PDF file written page by page.

The PDF file structure is written here, not by ReportLab's canvas, because the canvas keeps every
page until save() and then builds the whole file in memory (131 MB at 10,000 letters, growing
with each one). These files are written page by page and only the pages' offsets stay in memory.
Only text and hairlines are drawn, in the standard Helvetica fonts (WinAnsi encoding, which
covers Latin-1) that every PDF reader and printer has; a character they cannot show prints as "?".

No Django here.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zlib
from array import array
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

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
