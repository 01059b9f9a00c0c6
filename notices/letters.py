"""First-class letters for a notice, and the certificate of mailing that proves they were sent.

§2.7(a) of the guarantee agreements requires notice of default "by mail, first class postage
prepaid, to the Holders". `render_letters` makes the one PDF the print room mails from: a page
(or more) per holder, the address placed for the window of a US #10 envelope. The mailing
manifest (notices/manifest.py, `write_manifest`) lists every addressee with the certificate
whoever mailed them signs.

No Django here: the notice workflow calls these with plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from notices.pdf import (
    _ASCENT,
    _DESCENT,
    ADDRESS_SIZES,
    BODY_LEADING,
    BODY_SIZE,
    BOLD,
    FOOTER_Y,
    INCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REGULAR,
    SUBJECT_TOP,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_WIDTH,
    WINDOW_CLEARANCE,
    WINDOW_HEIGHT,
    WINDOW_LEFT,
    WINDOW_TOP,
    WINDOW_WIDTH,
    AddressDoesNotFit,
    Addressee,
    Letterhead,
    _Page,
    _paragraphs,
    _PdfFile,
    printable,
    truncate,
    width_of,
    wrap,
)

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


# The manifest is made from the same addressees; importable from here as the public surface.
from notices.manifest import write_manifest  # noqa: E402

__all__ = [
    "AddressDoesNotFit",
    "Addressee",
    "Letterhead",
    "address_problem",
    "render_letters",
    "write_manifest",
]
