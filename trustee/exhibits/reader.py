"""The entry points: `read_exhibit(text)` and `read_file(path)`, and `ReadError` for bad input."""

from __future__ import annotations

import os
import re

from trustee.exhibits import notices, parties, sections, terms, text

# A 100-page agreement is about 300 KB; ten times that is no single exhibit.
MAX_BYTES = 5 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

TERM_ORDER = [
    "holder_list_dates",
    "holder_list_commencement",
    "holder_list_as_of_max_days",
    "holder_list_request_days",
    "report_anchor",
    "report_window_days",
    "report_due",
    "report_commencement",
    "default_notice_days",
    "default_notice_runs_from",
    "cure_days",
    "cure_runs_from",
    "majority_percent",
    "majority_comparison",
    "majority_basis",
    "minimum_capital",
    "rating_categories",
    "successor_window_days",
    "successor_runs_from",
    "conflicting_interest_days",
    "compliance_certificate_days",
    "fiscal_year_end",
]


class ReadError(ValueError):
    """Input that is not an agreement the reader can read; the message is one line."""


def read_file(path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, refused with a ReadError when empty, binary or too large."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > max_bytes:
            raise ReadError(
                f"{name} is {size / 1_048_576:.1f} MB; an agreement exhibit is at most "
                f"{max_bytes / 1_048_576:.0f} MB. Give the exhibit itself, not a whole filing."
            )
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ReadError(f"Cannot read {name}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise ReadError(f"{name} is larger than {max_bytes / 1_048_576:.0f} MB.")
    return decode(data, name)


def decode(data: bytes, name: str = "the input") -> str:
    if not data.strip():
        raise ReadError(f"{name} is empty.")
    sample = data[:8192]
    if b"\x00" in sample or data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ReadError(f"{name} is a binary file, not the plain text of an exhibit.")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        # EDGAR texts older than UTF-8 are Windows-1252; latin-1 decodes anything left.
        try:
            decoded = data.decode("cp1252")
        except UnicodeDecodeError:
            decoded = data.decode("latin-1")
    if len(_CONTROL.findall(decoded[:8192])) > len(decoded[:8192]) // 100 + 5:
        raise ReadError(f"{name} is a binary file, not the plain text of an exhibit.")
    return decoded.lstrip("\ufeff")


def read_exhibit(source: str) -> dict:
    """Everything the reader finds in the exhibit's text, each value with section and quote."""
    if not isinstance(source, str):
        raise ReadError("The exhibit must be text.")
    if not source.strip():
        raise ReadError("The text is empty.")
    doc = sections.build(text.paragraphs(source))
    kind = parties.kind_of(doc)
    opening = parties.opening_block(doc)
    if kind is None or (doc.heading_count < 3 and opening is None):
        raise ReadError(
            "This text does not look like an agreement: no title such as Guarantee Agreement, "
            "Indenture or Trust Agreement with numbered sections or an opening paragraph."
        )
    by_role, party_list = parties.parties(doc, kind)
    roles_by_term = {p["defined_as"].lower(): p["role"] for p in party_list if p["defined_as"]}
    addresses = notices.notice_addresses(doc, roles_by_term, kind)
    _name_roles(addresses, party_list)
    found = terms.all_terms(doc)
    return {
        "kind": kind,
        "dated_as_of": parties.dated_as_of(doc)["value"],
        "dated_as_of_source": parties.dated_as_of(doc),
        "parties": by_role,
        "party_list": party_list,
        "governing_law": (law := parties.governing_law(doc))["value"],
        "governing_law_source": law,
        "securities": parties.securities(doc),
        "terms": {name: found.get(name, {"value": None}) for name in TERM_ORDER},
        "notice_addresses": addresses,
        "sections": [{"number": n, "title": t} for n, t in doc.titles.items()],
    }


def _name_roles(addresses: list[dict], party_list: list[dict]) -> None:
    """A "with a copy to" block is addressed by name: give it the role of the party so named."""
    by_name = {p["name"].lower(): p["role"] for p in party_list}
    for entry in addresses:
        for copy in entry.get("copies", []):
            copy["role"] = by_name.get(copy["name"].lower(), copy["role"])
        if entry["role"] is None:
            entry["role"] = by_name.get(entry["name"].lower())


def summary(result: dict) -> str:
    """The result as an officer reads it: one line a value, with its section."""
    lines = [
        f"Kind:          {result['kind']}",
        f"Dated as of:   {result['dated_as_of'] or '-'}",
        f"Governing law: {result['governing_law'] or '-'}",
        "Parties:",
    ]
    lines += [f"  {role:<14} {name}" for role, name in result["parties"].items()] or ["  -"]
    if result["securities"]:
        lines.append("Securities:")
        for item in result["securities"]:
            amount = item.get("aggregate_amount")
            lines.append(
                f"  {item.get('title') or '-'}"
                + (f", aggregate {amount}" if amount else "")
                + f"  [{item['section']}]"
            )
    lines.append("Terms:")
    for name, term in result["terms"].items():
        value = term["value"]
        if value is None:
            lines.append(f"  {name:<28} -")
            continue
        shown = ", ".join(value) if isinstance(value, list) else value
        unit = term.get("unit")
        unit_text = f" {unit}" if unit and unit != "days" else ""
        lines.append(f"  {name:<28} {shown}{unit_text}  [§{term['section']}]")
    if result["notice_addresses"]:
        lines.append("Notice addresses:")
        for entry in result["notice_addresses"]:
            lines.append(f"  to {entry['to']} [§{entry['section']}]: " + " / ".join(entry["lines"]))
            for copy in entry.get("copies", []):
                lines.append("    copy to: " + " / ".join(copy["lines"]))
    return "\n".join(lines)
