"""Who signs and what: the agreement's kind, its date, the parties and their roles, the governing
law and the securities, read from the cover page, the opening paragraph and the recitals.
"""

from __future__ import annotations

import re

from trustee.exhibits.dates import find_dates
from trustee.exhibits.numbers import money, percents
from trustee.exhibits.sections import _OPENING, PREAMBLE, RECITALS, Block, Document
from trustee.exhibits.text import squash

# Most specific first: a "Supplemental Indenture" is not an "Indenture" to the department.
KINDS = [
    ("supplemental indenture", r"supplemental\s+indenture"),
    ("guarantee agreement", r"guarant(?:ee|y)\s+agreement"),
    ("declaration of trust", r"declaration\s+of\s+trust"),
    ("trust agreement", r"trust\s+agreement"),
    ("purchase contract agreement", r"purchase\s+contract\s+agreement"),
    ("pledge agreement", r"pledge\s+agreement"),
    ("remarketing agreement", r"remarketing\s+agreement"),
    ("underwriting agreement", r"underwriting\s+agreement"),
    ("pricing agreement", r"pricing\s+agreement"),
    ("indenture", r"indenture"),
    # "PREFERRED SECURITIES GUARANTEE", titled without the word "Agreement"
    ("guarantee agreement", r"guarant(?:ee|y)"),
]
_KIND_RE = [(kind, re.compile(rf"\b{pattern}\b", re.I)) for kind, pattern in KINDS]
_TIA = re.compile(r"trust\s+indenture\s+act", re.I)

_DEFINED = re.compile(
    r"\(\s*(?:each\s+)?(?:herein(?:after)?\s+)?(?:(?:called|referred\s+to\s+as|collectively)\s+)?"
    r"(?:(?:the|a|an|this)\s+)?\"(?P<term>[^\"]{1,60})\"\s*(?:,[^)]{0,40})?\)"
)
_DESCRIPTOR = re.compile(
    r",?\s+(?:a|an)\s+(?=[A-Z]|national|state|banking|statutory|business|corporation|limited)"
    r"|,\s+(?:as|in its capacity as|having|organized|incorporated|duly)\b"
    r"|,?\s+as\s+(?=[a-z]*\s*trustee)",
)
_CORPORATE_SUFFIX = re.compile(
    r"^(?:Inc|INC|N\.A|L\.P|LLC|L\.L\.C|Ltd|LTD|Corp|CORP|Co|CO|plc)\.?$"
)
_NAME_JOINERS = {"of", "and", "&", "de", "du", "la", "for"}
_NOT_BEFORE_JOINER = {
    "Securities",
    "Holders",
    "Debentures",
    "Notes",
    "Agreement",
    "Indenture",
    "Trustee",
}
_TITLE_AS = re.compile(
    r"(?P<name>(?:[A-Z][\w.&'-]*(?:,?\s+(?:of|and|&)\s+|,\s+(?=Inc|INC|N\.A)|\s+))+?"
    r"[\w.)]+),?\s+\(?as\s+(?P<role>(?:[A-Z][\w]*\s*){1,3})\)?"
)


def kind_of(doc: Document) -> str | None:
    """The kind named in the title (the cover page or the opening words), most specific first."""
    candidates = [p.text for p in doc.front]
    opening = opening_block(doc)
    if opening:
        candidates.append(opening.text[:200])
    candidates += [b.text[:200] for b in doc.blocks[:12] if b.section == PREAMBLE]
    for text in candidates:
        cleaned = _TIA.sub("", text)
        for kind, pattern in _KIND_RE:
            if pattern.search(cleaned):
                return kind
    return None


def opening_block(doc: Document) -> Block | None:
    """The paragraph that names the agreement, its date and its parties."""
    preamble = [b for b in doc.blocks if b.section == PREAMBLE]
    for block in preamble:
        if _OPENING.match(block.text):
            return block
    for block in preamble:
        terms = [m["term"] for m in _DEFINED.finditer(block.text)]
        if any(re.search(r"agreement|indenture|guarant|declaration", t, re.I) for t in terms) or (
            any(role_of(t, None) for t in terms) and re.search(r"\b(?:between|among)\b", block.text)
        ):
            return block
    return None


def dated_as_of(doc: Document) -> dict:
    opening = opening_block(doc)
    places = ([opening] if opening else []) + [b for b in doc.blocks if b.section == PREAMBLE]
    for block in places:
        for pattern in (
            r"\bdated\s+(?:as\s+of\s+)?",
            r"\b(?:made|entered\s+into|executed)(?:\s+and\s+(?:entered\s+into|delivered))?"
            r"\s+(?:as\s+of\s+|on\s+)",
            r"\bas\s+of\s+",
        ):
            for match in re.finditer(pattern, block.text, re.I):
                found = find_dates(block.text[match.end() : match.end() + 60])
                if found and found[0].start == 0 and found[0].year:
                    return {
                        "value": found[0].iso,
                        "section": block.cite,
                        "quote": _sentence_around(block.text, match.start()),
                    }
    return {"value": None}


def _sentence_around(text: str, position: int) -> str:
    from trustee.exhibits.text import sentences

    offset = 0
    for sentence in sentences(text):
        found = text.find(sentence, offset)
        if found <= position < found + len(sentence):
            return sentence
        offset = max(offset, found)
    return squash(text)


def _name_before(segment: str) -> str | None:
    """The proper name at the end of `segment`: "... of Hartford Capital III" -> that name."""
    # The name stands before the first descriptor that has one before it: ", having its
    # principal office at ... and The First National Bank of Chicago, a national banking ...".
    for cut in [*(m.start() for m in _DESCRIPTOR.finditer(segment)), len(segment)]:
        name = _trailing_name(segment[:cut])
        if name:
            return name
    return None


def _trailing_name(head: str) -> str | None:
    # "THE CHASE MANHATTAN BANK (NATIONAL ASSOCIATION)": the parenthesis is part of the name.
    suffix = re.search(r"\s(\([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\))\s*$", head)
    if suffix:
        name = _trailing_name(head[: suffix.start()])
        return f"{name} {suffix[1]}" if name else None
    tokens = re.findall(r"[^\s,]+|,", head.strip())
    name: list[str] = []
    while tokens:
        token = tokens[-1]
        if token == ",":
            if name and _CORPORATE_SUFFIX.match(name[0]):
                name.insert(0, tokens.pop())
                continue
            break
        if any(c in token for c in '()"'):
            break
        word = token
        if word[:1].isupper():
            name.insert(0, tokens.pop())
            continue
        if word in _NAME_JOINERS and name and len(tokens) > 1:
            before = tokens[-2]
            if before[:1].isupper() and before.strip(",") not in _NOT_BEFORE_JOINER:
                name.insert(0, tokens.pop())
                continue
        break
    while name and (name[0] in _NAME_JOINERS or name[0] == ","):
        name.pop(0)
    text = " ".join(name).replace(" ,", ",").strip(" ,")
    return text or None


def role_of(term: str, kind: str | None) -> str | None:
    low = term.lower()
    if "guarantor" in low:
        return "guarantor"
    if "delaware trustee" in low:
        return "delaware_trustee"
    if "administrative trustee" in low or "regular trustee" in low:
        return "administrative_trustees"
    if "trustee" in low:
        return "trustee"
    if low in ("issuer", "trust", "issuer trust") or low.endswith(" trust"):
        return "issuer"
    if low in ("depositor", "sponsor"):
        return "depositor"
    if low in ("company", "corporation", "obligor", "parent", "borrower"):
        if kind == "guarantee agreement":
            return "guarantor"
        if kind in ("trust agreement", "declaration of trust"):
            return "depositor"
        return "issuer"
    if re.search(r"\bagent\b", low):
        return re.sub(r"\W+", "_", low).strip("_")
    return None


def parties(doc: Document, kind: str | None) -> tuple[dict, list[dict]]:
    """{role: name} and the list of parties as read, each with its defined term."""
    found: list[dict] = []
    opening = opening_block(doc)
    if opening:
        text = opening.text
        previous_end = 0
        for match in _DEFINED.finditer(text):
            term = squash(match["term"])
            segment = text[previous_end : match.start()]
            previous_end = match.end()
            role = role_of(term, kind)
            if role is None:
                continue
            name = _name_before(segment)
            if name and not _is_generic(name):
                found.append({"name": _best_case(doc, name), "role": role, "defined_as": term})
    if not found:
        for block in doc.blocks[:15]:
            if block.section != PREAMBLE or len(block.text) > 600:
                continue  # a cover page's lines are short; the pattern is slow on long prose
            for match in _TITLE_AS.finditer(block.text):
                role = role_of(match["role"].strip(), kind)
                name = squash(match["name"]).strip(" ,")
                if role and not any(p["role"] == role for p in found) and not _is_generic(name):
                    found.append({"name": _best_case(doc, name), "role": role, "defined_as": None})
    by_role: dict[str, str] = {}
    for party in found:
        by_role.setdefault(party["role"], party["name"])
    return by_role, found


def _is_generic(name: str) -> bool:
    return name.split()[0].lower() in {"the", "this", "each", "such"} and len(name.split()) < 2


def _best_case(doc: Document, name: str) -> str:
    """A name printed in capitals ("HSB GROUP, INC.") as the text prints it elsewhere."""
    if any(c.islower() for c in name):
        return name
    pattern = re.compile(re.escape(name).replace(r"\ ", r"\s+"), re.I)
    for block in doc.blocks[:60]:
        for match in pattern.finditer(block.text):
            if any(c.islower() for c in match.group(0)):
                return squash(match.group(0))
    return name


# -- governing law -----------------------------------------------------------------------------

_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip
STATES = _STATES
_STATE_NAMES = "|".join(sorted(_STATES, key=len, reverse=True))
_LAW = re.compile(
    rf"\blaws?\s+of\s+(?:the\s+)?(?:(?:State|Commonwealth)\s+of\s+)?(?P<state>{_STATE_NAMES})\b",
    re.I,
)
_GOVERNED = re.compile(r"\bgoverned\s+by\b|\bconstrued\s+(?:and\s+\w+\s+)?in\s+accordance", re.I)


def governing_law(doc: Document) -> dict:
    def candidates():
        titled = [s for s in doc.sentences if re.search(r"governing\s+law", s.title, re.I)]
        yield from titled
        yield from (s for s in doc.sentences if s.section not in (PREAMBLE, RECITALS))

    for sentence in candidates():
        if not _GOVERNED.search(sentence.text):
            continue
        match = _LAW.search(sentence.text)
        if match and not re.search(
            r"\b(?:organized|incorporated|formed|chartered)\s+under\s+the\s+laws?\s+of",
            sentence.text[: match.end()],
            re.I,
        ):
            state = " ".join(w.capitalize() for w in match["state"].split())
            return {
                "value": state.replace(" Of ", " of "),
                "section": sentence.cite,
                "quote": sentence.text,
            }
    return {"value": None}


# -- securities --------------------------------------------------------------------------------

_AGGREGATE = re.compile(
    r"\$\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s+(?:in\s+)?aggregate\s+"
    r"(?P<basis>liquidation\s+(?:preference|amount)|principal\s+amount|stated\s+amount)",
    re.I,
)
_UNIT = re.compile(
    r"(?P<basis>liquidation\s+(?:preference|amount)|stated\s+amount|principal\s+amount)"
    r"\s+(?:of\s+)?\$\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s+(?:per|for\s+each|each)\b",
    re.I,
)
_TITLE = re.compile(
    r"\bof\s+(?:its|their|the)\s+(?P<title>(?:\d+(?:\.\d+)?%\s+)?(?:[A-Z][\w-]*\s+){0,6}?"
    r"(?:Securities|Notes|Debentures|Bonds|Units|Shares|Certificates)"
    r"(?:,?\s+Series\s+[A-Z0-9]+)?(?:\s+due\s+\w+(?:\s+\d{1,2},)?\s+\d{4})?)"
)


def _basis(text: str) -> str:
    return re.sub(r"\s+", "_", text.lower())


def securities(doc: Document) -> list[dict]:
    found = []
    for sentence in doc.sentences:
        if sentence.section not in (PREAMBLE, RECITALS):
            continue
        aggregate = _AGGREGATE.search(sentence.text)
        title = _TITLE.search(sentence.text)
        if not (aggregate and title) or not re.search(r"\bissu", sentence.text, re.I):
            continue
        item: dict = {"title": squash(title["title"]) if title else None}
        if title:
            tail = sentence.text[title.end() : title.end() + 160]
            defined = _DEFINED.search(tail)
            if defined:
                item["defined_as"] = defined["term"]
            coupon = percents(title["title"])
            item["coupon_rate"] = str(coupon[0].value) if coupon else None
        if aggregate:
            item["aggregate_amount"] = _money_text(aggregate["amount"])
            item["aggregate_basis"] = _basis(aggregate["basis"])
            item["up_to"] = bool(
                re.search(r"up\s+to\s*$", sentence.text[: aggregate.start()], re.I)
            )
        unit = _UNIT.search(sentence.text)
        if unit:
            item["unit_amount"] = _money_text(unit["amount"])
            item["unit_basis"] = _basis(unit["basis"])
        item["section"] = sentence.cite
        item["quote"] = sentence.text
        found.append(item)
    return found


def _money_text(digits: str) -> str:
    amounts = money("$" + digits)
    return str(amounts[0].amount) if amounts else digits.replace(",", "")
