"""Sections and their subsections, so that every sentence can be cited as "2.2(a)" or "4.1(a)(ii)".

Headings come as "SECTION 2.2", "SECTION 2.2.", "Section 2.02", "Sec. 2.2", "§ 2.2", "2.2 List of
Holders" or, in older indentures, "SECTION 703."; underwriting agreements number their sections
"1.", "2.". Subsections are the labels that open a paragraph: "(a)", then "(i)", then "(A)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trustee.exhibits.text import Paragraph, is_heading, sentences

PREAMBLE = "Preamble"
RECITALS = "Recitals"
SIGNATURES = "Signatures"

_NUMBER = r"(?P<num>\d{1,4}(?:\.\d{1,3}){0,2}[A-Za-z]?)"
_SECTION_HEAD = re.compile(
    rf"^(?:SECTION|Section|SEC\.|Sec\.|Sect\.|§+)\s*{_NUMBER}\.?(?=\s|$)\s*(?P<rest>.*)$"
)
_DECIMAL_HEAD = re.compile(r"^(?P<num>\d{1,2}\.\d{1,3})\.?\s+(?P<rest>[A-Z\"].*)$")
_PLAIN_HEAD = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<rest>\S.*)$")
_ARTICLE = re.compile(r"^ARTICLE\s+[\dIVXLC]+\b|^ARTICLE\s+[A-Z]+$", re.I)
_ANNEX = re.compile(r"^(?:EXHIBIT|ANNEX|SCHEDULE|APPENDIX)\s+[A-Z0-9][\w.-]*\s*$")
_WHEREAS = re.compile(r"^(?:WHEREAS|RECITALS?\b|W I T N E S S E T H)", re.I)
_WITNESS = re.compile(
    r"^(?:IN WITNESS WHEREOF|THIS [A-Z ]+ is executed as of the day and year)", re.I
)
_KIND_WORD = (
    r"(?:AGREEMENT|INDENTURE|GUARANTEE|GUARANTY|DECLARATION"
    r"|Agreement|Indenture|Guarantee|Guaranty|Declaration)\b"
)
_OPENING = re.compile(
    rf"^(?:This|THIS)\s+(?:[\w-]+\s+){{0,6}}?{_KIND_WORD}"
    rf"|^(?:(?:The|THE)\s+)?(?:[\w-]+\s+){{0,6}}?{_KIND_WORD}[^.]{{0,60}}?"
    r"\b(?:dated|made|entered|executed)\b"
)
_LABEL = re.compile(r"^\((?P<label>[a-z]{1,2}|[ivxl]{1,6}|\d{1,2}|[A-Z]{1,2}|[IVX]{1,5})\)\s*")
_ROMAN = re.compile(r"^(?=[ivxl]+$)m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})$")


@dataclass
class Block:
    """A paragraph with where it stands: section, its title, the full citation."""

    paragraph: Paragraph
    section: str
    title: str
    cite: str
    index: int

    @property
    def text(self) -> str:
        return self.paragraph.text

    @property
    def lines(self) -> list[str]:
        return self.paragraph.lines


@dataclass
class Sentence:
    text: str
    block: Block

    @property
    def cite(self) -> str:
        return self.block.cite

    @property
    def section(self) -> str:
        return self.block.section

    @property
    def title(self) -> str:
        return self.block.title


@dataclass
class Document:
    blocks: list[Block]
    titles: dict[str, str] = field(default_factory=dict)  # section number -> title
    heading_count: int = 0
    front: list[Paragraph] = field(default_factory=list)  # cover page, before any prose
    _sentences: list[Sentence] | None = None

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            self._sentences = [
                Sentence(text, block)
                for block in self.blocks
                if block.section not in (SIGNATURES,)
                for text in sentences(_body(block))
            ]
        return self._sentences

    def section_blocks(self, number: str) -> list[Block]:
        return [block for block in self.blocks if block.section == number]


def _body(block: Block) -> str:
    return _LABEL.sub("", block.text, count=1) if block.cite != block.section else block.text


def _label_kind(label: str, stack: list[tuple[str, str]]) -> str:
    if label.isdigit():
        return "digit"
    if label.isupper():
        return "upper"
    if len(label) == 1 and label in "ivxl":
        letter = dict(stack).get("letter")
        predecessor = chr(ord(label) - 1)
        if letter == predecessor:
            return "letter"
        return "roman" if label != "l" else "letter"
    if _ROMAN.match(label):
        return "roman"
    return "letter"


def _is_block_like(paragraph: Paragraph) -> bool:
    return all(len(line) <= 70 for line in paragraph.lines) and not paragraph.text.endswith(
        (".", ";")
    )


def _heading(paragraph: Paragraph, plain_numbers: bool):
    """(number, title, body paragraph or None) when the paragraph opens a section."""
    first = paragraph.lines[0]
    match = _SECTION_HEAD.match(first) or _DECIMAL_HEAD.match(first)
    if not match and plain_numbers:
        match = _PLAIN_HEAD.match(first)
    if not match:
        return None
    rest = match["rest"].strip()
    if rest and not (rest[0].isupper() or rest[0] in '"('):
        return None  # "Section 4.1 of the Indenture is amended ...": a reference, not a heading
    number = match["num"].rstrip(".")
    if match.re is _PLAIN_HEAD:
        title, body = "", rest
    elif ". " in rest:
        title, body = rest.split(". ", 1)
    else:
        title, body = rest.rstrip("."), ""
    if len(title) > 120:  # no title, the section starts with its text
        title, body = "", rest
    body_lines = ([body] if body else []) + paragraph.lines[1:]
    body_paragraph = Paragraph(body_lines, paragraph.indent) if body_lines else None
    return number, title.strip().rstrip("."), body_paragraph


def build(paragraphs: list[Paragraph]) -> Document:
    plain = sum(1 for p in paragraphs if _SECTION_HEAD.match(p.lines[0])) < 3
    blocks: list[Block] = []
    titles: dict[str, str] = {}
    section, title = PREAMBLE, ""
    stack: list[tuple[str, str]] = []
    previous: Paragraph | None = None
    headings = 0
    front: list[Paragraph] = []
    body_seen = False

    for paragraph in paragraphs:
        if is_heading(paragraph):
            if _ANNEX.match(paragraph.text) and headings:
                section, title, stack = paragraph.text.title(), paragraph.text.title(), []
            if not body_seen:
                front.append(paragraph)
            previous = None
            continue
        if _ARTICLE.match(paragraph.text) and len(paragraph.text) < 120:
            previous = None
            continue
        head = _heading(paragraph, plain)
        if head:
            section, title, body = head
            headings += 1
            if body is None or section not in titles or titles[section] == "":
                titles[section] = title
            stack = []
            previous = None
            if body is None:
                continue
            paragraph = body
        elif _WITNESS.match(paragraph.text):
            section, title, stack = SIGNATURES, "", []
        elif _WHEREAS.match(paragraph.text) and not body_seen:
            section, title, stack = RECITALS, "", []
        elif _OPENING.match(paragraph.text) and not body_seen:
            # A table of contents the noise filter missed left a heading open: the opening
            # words of the agreement come before any section, whatever was read above them.
            section, title, stack = PREAMBLE, "", []
        if not body_seen and not any(c.islower() for c in paragraph.text[:40]):
            front.append(paragraph)

        label = _LABEL.match(paragraph.text)
        if label:
            kind = _label_kind(label["label"], stack)
            kinds = [k for k, _ in stack]
            if kind in kinds:
                del stack[kinds.index(kind) :]
            stack.append((kind, label["label"]))
        elif not (
            (previous is not None and (previous.text.endswith(":") or _is_block_like(previous)))
            or _is_block_like(paragraph)
        ):
            stack = []
        cite = section + "".join(f"({lab})" for _, lab in stack)
        if section in (PREAMBLE, RECITALS, SIGNATURES) or not section[0].isdigit():
            cite = section
        blocks.append(Block(paragraph, section, title, cite, len(blocks)))
        body_seen = body_seen or section[0].isdigit()
        previous = paragraph
    return Document(blocks, titles, headings, front)
