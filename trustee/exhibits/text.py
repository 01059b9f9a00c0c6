"""From an EDGAR text file to paragraphs: the printing noise taken out, the prose put back together.

EDGAR exhibits are typewriter pages: page numbers, running headers, rows of dashes under defined
terms, tables of contents with dot leaders, cross-reference tables. None of it is agreement text,
and left in it splits sentences ("... by instrument / - 11 - / in writing executed ...") or
invents sections (every table-of-contents line looks like a heading).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Quotes come straight, curly, or as TeX-like ``pairs'' in older filings; one form is easier to
# match and the words of a quote stay exact.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\xa0": " "})
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2011": "-"})

_UNDERLINE = re.compile(r"^[\s\-=_*]*[-=_][\s\-=_*]*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?[-\u2013(\[]?\s*(?:\d{1,3}|[ivxlc]{1,7})\s*[-\u2013)\]]?\s*$", re.I
)
_PAGE_TAG = re.compile(
    r"^\s*<\s*/?\s*(page|document|text|type|sequence|filename|description)\b", re.I
)
_DOT_LEADER = re.compile(r"\.(?:\s?\.){4,}|_{6,}\s*\d+\s*$")
# "SECTION 2.2   List of Holders      5" or "... of the Guarantee Trustee.11": an entry of the
# table of contents, whose page number a heading never has.
_TOC_LINE = re.compile(
    r"^\s*(?:section|sec\.|article|§)\s*[\dIVXLC][\w.()]*\.?\s+\S.*?"
    r"(?:\s{2,}|[A-Za-z)]\.+\s*)(?:\d{1,3}|[ivxlc]{1,6})\s*$",
    re.I,
)
_XREF_LINE = re.compile(r"^\s*3[01]\d(?:\([a-z0-9]+\))*\s{2,}\S.{0,40}$")
_NOISE_WORDS = re.compile(
    r"^\s*(?:table of contents|\(continued\)|page|cross[- ]reference table\*?|"
    r"execution (?:copy|version)|conformed copy)\s*$",
    re.I,
)
_TERMINAL = '.:;!?")'
_SPACE = re.compile(r"\s+")


@dataclass
class Paragraph:
    """Consecutive text lines, joined; `lines` keeps them apart for address blocks."""

    lines: list[str]
    indent: int
    after_break: bool = False
    text: str = field(init=False)

    def __post_init__(self):
        self.text = squash(" ".join(self.lines))

    def extend(self, other: Paragraph) -> None:
        self.lines.extend(other.lines)
        self.text = squash(" ".join(self.lines))


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = text.translate(_QUOTES).translate(_DASHES)
    return text.replace("``", '"').replace("''", '"')


def _is_page_break(line: str) -> bool:
    return "\f" in line or bool(_PAGE_NUMBER.match(line)) or bool(_PAGE_TAG.match(line))


def _is_noise(line: str) -> bool:
    return bool(
        _UNDERLINE.match(line)
        or _DOT_LEADER.search(line)
        or _TOC_LINE.match(line)
        or _XREF_LINE.match(line)
        or _NOISE_WORDS.match(line)
    )


def _running_headers(lines: list[str]) -> set[str]:
    """Short lines printed again and again right next to page numbers: the running header.

    A candidate repeats, is the first or last printed line around a page break in at least
    half of its occurrences, and reads as a title (no sentence punctuation at its end, no
    lowercase start): "with a copy to:" repeats too, but is never a page's first line.
    """
    counts = Counter(s for line in lines if (s := line.strip()) and len(s) <= 80)
    repeated = {
        s
        for s, n in counts.items()
        if n >= 3 and not s[0].islower() and s[-1] not in ".,;:" and not _UNDERLINE.match(s)
    }
    if not repeated:
        return set()
    adjacent: Counter[str] = Counter()
    breaks = [i for i, line in enumerate(lines) if _is_page_break(line)]
    for i in breaks:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if 0 <= j < len(lines) and (s := lines[j].strip()) in repeated:
                adjacent[s] += 1
    return {
        s
        for s, n in adjacent.items()
        # A running header is on most pages; a clause repeated a few times is not.
        if n >= 2 and n * 2 >= counts[s] and n * 4 >= len(breaks)
    }


def paragraphs(text: str) -> list[Paragraph]:
    """The text's paragraphs, noise removed, paragraphs cut by a page break joined again."""
    lines = normalise(text).split("\n")
    headers = _running_headers(lines)
    result: list[Paragraph] = []
    current: list[str] = []
    indent = 0
    blank_run = 0
    broke = False

    def flush():
        nonlocal current
        if current:
            paragraph = Paragraph(current, indent, after_break=broke or blank_run >= 3)
            previous = result[-1] if result else None
            if previous is not None and paragraph.after_break and _continues(previous, paragraph):
                previous.extend(paragraph)
            else:
                result.append(paragraph)
        current = []

    for raw in lines:
        if _is_page_break(raw) or raw.strip() in headers:
            flush()
            broke = True
            continue
        if not raw.strip():
            if current:
                flush()
                broke = False
                blank_run = 0
            blank_run += 1
            continue
        if _is_noise(raw):
            continue
        stripped = raw.strip()
        if current and _starts_item(stripped) and current[-1].rstrip()[-1:] in ".;:":
            flush()
            broke = False
            blank_run = 0
        if not current:
            indent = len(raw) - len(raw.lstrip())
        current.append(stripped)
    flush()
    return result


_ITEM = re.compile(r"^\(?(?:[a-z]{1,2}|[ivxl]{1,6}|\d{1,2}|[A-Z])\)\s")


def _starts_item(line: str) -> bool:
    return bool(_ITEM.match(line))


def _continues(previous: Paragraph, paragraph: Paragraph) -> bool:
    """Whether a paragraph after a page break is the rest of the one before it."""
    last = previous.text[-1:]
    first = paragraph.text[:1]
    if not last or not first:
        return False
    if first.islower():
        return True
    return last not in _TERMINAL and not is_heading(previous) and not is_heading(paragraph)


def is_heading(paragraph: Paragraph) -> bool:
    """A title in capitals ("ARTICLE 2", "TRUST INDENTURE ACT"), not a sentence."""
    text = paragraph.text
    return (
        len(text) <= 120
        and not any(c.islower() for c in text)
        and not text.endswith((".", ";", ","))
    )


# -- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "inc", "co", "corp", "ltd", "no", "nos", "mr", "mrs", "ms", "dr", "st", "sec", "secs",
    "v", "vs", "e.g", "i.e", "etc", "jr", "sr", "n.a", "u.s", "s.a", "l.p", "p.o", "llc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "para", "art", "cf", "ave", "blvd", "fl", "ste", "n.y", "u.s.a", "d.c", "et al", "approx",
}  # fmt: skip
_BOUNDARY = re.compile(r'[.!?]["\')]*\s+(?=["(]?[A-Z(])')
_LAST_WORD = re.compile(r"(?:^|[\s(])([A-Za-z][A-Za-z.]*)\.$")


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not at "Inc." or "No." or an initial ("J. Richard")."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + 1
        token = _LAST_WORD.search(text, start, end)
        if token:
            word = token.group(1).lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        piece = text[start : match.end()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
