"""The addresses in the "Notices" section: for each party, the block printed under "if given to
the Guarantor", with its attention line, facsimile and "with a copy to" block.
"""

from __future__ import annotations

import re

from trustee.exhibits.parties import STATES, role_of
from trustee.exhibits.sections import Block, Document

_NOTICE_TITLE = re.compile(r"\bnotices?\b", re.I)
_RECIPIENT = re.compile(
    r"\bif\s+(?:given\s+|sent\s+|delivered\s+|made\s+)?to\s+(?:the\s+|any\s+|a\s+)?"
    r"(?P<who>[A-Z][\w]*(?:\s+[A-Z][\w]*){0,3})",
)
_COPY = re.compile(r"^(?:with\s+(?:a\s+)?cop(?:y|ies)\s+to|copy\s+to|and\s+a\s+copy\s+to)", re.I)
_LABELLED = {
    "attention": re.compile(r"^(?:Attention|Attn\.?)\s*:?\s*(?P<v>.+)$", re.I),
    "fax": re.compile(
        r"^(?:Facsimile|Telecopier|Telecopy|Fax)(?:\s+No\.?|\s+Number)?\s*:?\s*(?P<v>.+)$", re.I
    ),
    "phone": re.compile(
        r"^(?:Telephone|Tel\.?|Phone)(?:\s+No\.?|\s+Number)?\s*:?\s*(?P<v>.+)$", re.I
    ),
    "email": re.compile(r"^(?:E-?mail)\s*:?\s*(?P<v>\S+@\S+)$", re.I),
}
_CITY = re.compile(
    r"^(?P<city>[A-Za-z][A-Za-z .'-]+),\s*(?P<state>[A-Za-z .]+?)\.?"
    r"(?:\s+(?P<zip>\d{5}(?:-\d{4})?))?$"
)


def _is_address_block(block: Block) -> bool:
    lines = block.lines
    return (
        len(lines) >= 2
        and all(len(line) <= 70 for line in lines)
        and not block.text.endswith((".", ";"))
        and not _RECIPIENT.search(block.text)
    )


def parse_address(lines: list[str]) -> dict:
    address: dict = {
        "name": lines[0],
        "address_lines": [],
        "city": "",
        "state": "",
        "postal_code": "",
        "attention": "",
        "fax": "",
        "phone": "",
        "email": "",
    }
    city_seen = False
    for line in lines[1:]:
        for key, pattern in _LABELLED.items():
            if match := pattern.match(line):
                address[key] = match["v"].strip()
                break
        else:
            city = _CITY.match(line)
            state = city and (
                STATES.get(city["state"].strip().lower())
                or (city["state"].strip().upper() if len(city["state"].strip()) == 2 else None)
            )
            if city and state and not city_seen:
                address.update(
                    city=city["city"].strip(), state=state, postal_code=city["zip"] or ""
                )
                city_seen = True
            elif city_seen and not address["attention"]:
                # After the city line, an unlabelled line names a department or an officer
                # ("General Counsel", "Corporate Trust Division").
                address["attention"] = line
            else:
                address["address_lines"].append(line)
    return address


def notice_addresses(doc: Document, roles_by_term: dict[str, str], kind: str | None) -> list:
    sections = [
        number
        for number, title in doc.titles.items()
        if _NOTICE_TITLE.search(title) and not re.search(r"default|holders", title, re.I)
    ]
    found: list[dict] = []
    for number in sections:
        recipient = None
        copy_next = False
        for block in doc.section_blocks(number):
            match = _RECIPIENT.search(block.text)
            if match and not _is_address_block(block):
                recipient = match["who"]
                copy_next = False
                continue
            if _COPY.match(block.text):
                copy_next = True
                continue
            if recipient is None or not _is_address_block(block):
                continue
            address = parse_address(block.lines)
            entry = {
                "to": recipient,
                "role": roles_by_term.get(recipient.lower()) or role_of(recipient, kind),
                "section": block.cite,
                **address,
                "lines": list(block.lines),
            }
            if copy_next and found:
                entry["role"] = None  # a copy goes to whoever is named, often counsel
                found[-1].setdefault("copies", []).append(entry)
                copy_next = False
            else:
                found.append(entry)
    return found
