"""Validate a List of Holders row by row, with no Django, fast enough for a million rows.

holders.reading turns a file into header and rows of text; this module says which column is
which (holders.columns), checks each row and turns it into a HolderRow (RowValidator, here),
checks the list as a whole against the agreement and fingerprints its content so that a list
identical to the previous one is recognised (holders.list_checks). Every problem is
reported with its row number, the field and a sentence a trust officer can forward to the
Guarantor, saying what is wrong with the value and what would be right.

The row checks run once per holder, so they are written for speed: compiled patterns, lookup
tables, no exception on a valid row, and a cache of parsed amounts (holdings repeat a lot).

This is the reference. An import on PostgreSQL first lets holders/native/fastrows.c take the
rows that are plainly valid (holders.fastrows) and hands every other row to RowValidator. The
tables (states, countries, yes/no words, sizes) are passed to it from holders.vocabulary, but
its reading of a name, ZIP, amount or e-mail address is its own: a rule changed here must be
changed there too, or narrowed there to hand those rows back. tests/holders/test_fastrows.py
fails when the two write different rows for the cases it generates.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from holders.amounts import _amount_or_problem, parse_amount
from holders.columns import ColumnIndex, ColumnProblem, _show, resolve_columns
from holders.vocabulary import (
    _COUNTRY_KEYS,
    _EMAIL_DOMAIN,
    _EMAIL_LOCAL,
    _FLAGS,
    _SPACES,
    _STATE_CODES,
    _ZIP,
    _ZIP_LOST_ZERO,
    CACHE_SIZE,
    COUNTRY_CODES,
    FIELDS,
    LABELS,
    _key,
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"Row {self.row}, {LABELS.get(self.field, self.field)}: {self.problem}"


@dataclass(slots=True)
class HolderRow:
    row: int
    name: str
    address_lines: str
    city: str
    state: str
    postal_code: str
    country: str
    email: str
    amount: Decimal
    is_guarantor_affiliate: bool
    is_trustee_affiliate: bool


class RowValidator:
    """Checks rows one at a time, keeping the problems, the count and the total of valid rows.

    `check(row_number, cells)` returns the row as a HolderRow, or None when it has problems,
    which are added to `problems`. `problems` keeps the first `max_problems` (a report of a
    million identical problems helps no one); `problem_count` counts them all.

    `check` runs once per holder, a million times for a large list, so it is a closure made
    for these columns: its tables and counters are local names, not attribute look-ups.
    """

    check: Callable[[int, Sequence[str]], HolderRow | None]

    def __init__(self, columns: ColumnIndex, *, max_problems: int = 10_000):
        self.columns = columns
        self.max_problems = max_problems
        self.problems: list[RowProblem] = []
        self.problem_count = 0
        # The amount of every valid row: the count and total come from it when asked.
        self._valid: list[Decimal] = []
        self._summed = (0, Decimal(0))
        # Each holder's duplicate key, in a set to test (a set of a million keys is twice as
        # fast as a dict) and in a list beside its row number, to say which row a duplicate
        # repeats; the index from key to row is built only when a duplicate turns up.
        self._seen: set[str] = set()
        self._keys: list[str] = []
        self._key_rows = array("q")
        self._first_rows: dict[str, int] = {}
        self.check = self._make_check()

    @property
    def count(self) -> int:
        return len(self._valid)

    @property
    def total(self) -> Decimal:
        count, total = self._summed
        if count != len(self._valid):
            # 28 digits hold a million holdings of up to 10**16 exactly; be sure of more.
            with localcontext(prec=60):
                total = sum(self._valid[count:], total)
            self._summed = (len(self._valid), total)
        return total

    def _make_check(self):
        width = len(self.columns.headers)
        # An absent optional column reads as -1; a required one is always present.
        (
            i_name,
            i_address_1,
            i_address_2,
            i_address_3,
            i_city,
            i_state,
            i_postal,
            i_country,
            i_email,
            i_amount,
            i_guarantor,
            i_trustee,
        ) = (self.columns.positions.get(name, -1) for name in FIELDS)
        states = _STATE_CODES
        amounts: dict[str, Decimal] = {}
        domains: dict[str, bool] = {}
        seen = self._seen
        new_key, add_key, add_key_row = seen.add, self._keys.append, self._key_rows.append
        first_row = self._first_row
        add_valid = self._valid.append
        # Problems of the row being checked; one list, emptied after each row with problems.
        bad: list[tuple[str, str]] = []
        report, wrong_length = self._report, self._wrong_length
        email_local = _EMAIL_LOCAL.fullmatch
        holder = HolderRow

        def check(row_number: int, cells: Sequence[str]) -> HolderRow | None:
            if len(cells) != width and wrong_length(row_number, cells):
                return None

            name = cells[i_name].strip()
            address_1 = cells[i_address_1].strip()
            city = cells[i_city].strip()
            if not name or len(name) > 200:
                _check_name(name, bad)
            if not address_1:
                bad.append(("address_1", _missing_address("first address line (the street)")))
            if not city or len(city) > 100:
                _check_city(city, bad)
            address_2 = cells[i_address_2].strip() if i_address_2 >= 0 else ""
            address_3 = cells[i_address_3].strip() if i_address_3 >= 0 else ""
            if address_2 or address_3:
                address = "\n".join(filter(None, (address_1, address_2, address_3)))
            else:
                address = address_1

            country = cells[i_country].strip() if i_country >= 0 else ""
            state = cells[i_state].strip() if i_state >= 0 else ""
            postal = cells[i_postal].strip() if i_postal >= 0 else ""
            country = "US" if not country or country == "US" else _country_code(country, bad)
            if country == "US":
                code = states.get(state)
                state = _us_state(state, bad) if code is None else code
                if not (len(postal) == 5 and postal.isdigit() and postal.isascii()):
                    postal = _us_zip(postal, bad)
            elif len(state) > 50 or len(postal) > 20:
                _check_abroad(state, postal, bad)

            email = cells[i_email].strip() if i_email >= 0 else ""
            if email:
                local, _, domain = email.rpartition("@")
                domain_ok = domains.get(domain)
                if domain_ok is None:
                    domain_ok = _remember(domains, domain, _domain_ok(domain))
                # The usual local part (letters, digits, dots) without the pattern's cost.
                if not (
                    domain_ok
                    and local
                    and (local.replace(".", "").isalnum() or email_local(local))
                    and len(email) <= 254
                ):
                    bad.append(("email", _bad_email(email)))

            text = cells[i_amount].strip()
            amount = amounts.get(text)
            if amount is None:
                amount = _amount_or_problem(text)
                if isinstance(amount, str):
                    bad.append(("amount", amount))
                else:
                    _remember(amounts, text, amount)

            guarantor = trustee = False
            if i_guarantor >= 0:
                guarantor = _flag(cells[i_guarantor], "guarantor_affiliate", bad)
            if i_trustee >= 0:
                trustee = _flag(cells[i_trustee], "trustee_affiliate", bad)

            if name and address_1:
                key = holder_key(name, address_1, postal)
                if key in seen:
                    bad.append(("name", _duplicate(first_row(key), name)))
                else:
                    new_key(key)
                    add_key(key)
                    add_key_row(row_number)

            if bad:
                report(row_number, bad)
                bad.clear()
                return None
            add_valid(amount)
            return holder(
                row_number,
                name,
                address,
                city,
                state,
                postal,
                country,
                email,
                amount,
                guarantor,
                trustee,
            )

        return check

    def holders(self, rows: Iterable[tuple[int, Sequence[str]]]) -> Iterator[HolderRow]:
        """The valid rows of `rows` ((row number, cells) pairs, as holders.reading gives them)
        as HolderRows; the others' problems go to `problems`. The same as calling `check` on
        each, without a Python loop around it."""
        return filter(None, itertools.starmap(self.check, rows))

    def _first_row(self, key: str) -> int:
        index = self._first_rows
        done = len(index)
        if done < len(self._keys):
            index.update(zip(self._keys[done:], self._key_rows[done:], strict=True))
        return index[key]

    def _wrong_length(self, row_number: int, cells: Sequence[str]) -> bool:
        width = len(self.columns.headers)
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            # Separators after the last column with nothing in between: spreadsheet padding.
            return False
        self._report(
            row_number,
            [
                (
                    "row",
                    f"The row has {len(cells)} cells, the header has {width}: a value may "
                    "contain the separator without being in quotation marks, or a value is "
                    "missing. No value on this row was read.",
                )
            ],
        )
        return True

    def _report(self, row_number: int, bad: list[tuple[str, str]]) -> None:
        for name, problem in bad:
            self.problem_count += 1
            if len(self.problems) < self.max_problems:
                self.problems.append(RowProblem(row_number, name, problem))


def holder_key(name: str, address_1: str, postal: str) -> str:
    """What makes two rows the same holder: name, first address line and postal code, without
    case and with runs of spaces as one (holders/native/fastrows.c builds the same key)."""
    key = f"{name}\x1f{address_1}\x1f{postal}"
    # lower() has a fast path for ASCII, casefold() none; on ASCII they agree.
    key = key.lower() if key.isascii() else key.casefold()
    return _SPACES.sub(" ", key) if "  " in key else key


def _remember(cache: dict, key: str, value):
    # Values repeat (amounts held, mail domains) but a cache must not grow without end.
    if len(cache) < CACHE_SIZE:
        cache[key] = value
    return value


def _check_name(name: str, bad: list) -> None:
    if not name:
        bad.append(("name", "The holder's name is missing; every holder needs one."))
    else:
        bad.append(("name", _too_long("holder's name", name, 200)))


def _check_city(city: str, bad: list) -> None:
    if not city:
        bad.append(("city", _missing_address("city")))
    else:
        bad.append(("city", _too_long("city", city, 100)))


def _check_abroad(state: str, postal: str, bad: list) -> None:
    if len(state) > 50:
        bad.append(("state", _too_long("state or province", state, 50)))
    if len(postal) > 20:
        bad.append(("postal_code", _too_long("postal code", postal, 20)))


def _bad_email(email: str) -> str:
    return (
        f"The email address {_show(email)} does not look like an email address "
        "(name@example.com); correct it or leave it blank."
    )


def _duplicate(first: int, name: str) -> str:
    return (
        f"Duplicate of row {first}: the same holder ({_show(name)}) at the same address and "
        "ZIP code is listed twice."
    )


def _too_long(label: str, value: str, limit: int) -> str:
    return (
        f"The {label} {_show(value)} is longer than {limit} characters, the most the "
        "register holds."
    )


def _missing_address(label: str) -> str:
    return f"The {label} is missing; a holder needs a complete mailing address."


def _country_code(text: str, bad: list) -> str:
    if len(text) == 2 and text.upper() in COUNTRY_CODES:
        return text.upper()
    code = _COUNTRY_KEYS.get(_key(text))
    if code is None:
        bad.append(
            (
                "country",
                f"The country {_show(text)} is not a country name we know; write its "
                "two-letter ISO code, such as GB for the United Kingdom or CA for Canada.",
            )
        )
        return text
    return code


def _us_state(text: str, bad: list) -> str:
    if not text:
        bad.append(
            (
                "state",
                "The state is missing; a holder in the United States needs one (a two-letter "
                "code such as NY). For a holder abroad, give the country.",
            )
        )
        return text
    code = _STATE_CODES.get(_key(text))
    if code is None:
        bad.append(
            (
                "state",
                f"The state {_show(text)} is not a US state or territory; write its two-letter "
                "postal code, such as NY or CT. For a holder abroad, give the country.",
            )
        )
        return text
    return code


def _us_zip(text: str, bad: list) -> str:
    if not text:
        bad.append(
            (
                "postal_code",
                "The ZIP code is missing; a holder in the United States needs one "
                "(12345 or 12345-6789).",
            )
        )
        return text
    if match := _ZIP.fullmatch(text):
        return f"{match[1]}-{match[2]}" if match[2] else match[1]
    if _ZIP_LOST_ZERO.fullmatch(text):
        head, _, tail = text.partition("-")
        if not tail and len(head) > 5:
            head, tail = head[:-4], head[-4:]
        fixed = head.zfill(5) + (f"-{tail}" if tail else "")
        bad.append(
            (
                "postal_code",
                f"The ZIP code {_show(text)} is too short: a spreadsheet probably dropped "
                f"its leading zero (it should read {fixed}). Format the ZIP column as "
                "text so that leading zeros are kept.",
            )
        )
        return text
    bad.append(
        (
            "postal_code",
            f"The ZIP code {_show(text)} is not a US ZIP code; write five digits (12345) or "
            "ZIP+4 (12345-6789). For a holder abroad, give the country.",
        )
    )
    return text


def _domain_ok(domain: str) -> bool:
    return _EMAIL_DOMAIN.fullmatch(domain) is not None


def _flag(cell: str, name: str, bad: list) -> bool:
    value = cell.strip()
    flag = _FLAGS.get(value.casefold())
    if flag is None:
        bad.append(
            (
                name,
                f"The {LABELS[name]} {_show(value)} is not yes or no; write Yes, No, Y, N, True, "
                "False, 1, 0 or X, or leave it blank for no.",
            )
        )
        return False
    return flag


# The whole check, importable from one place as before the split (holders.imports, the admin).
from holders.list_checks import ListProblem, check_list, content_fingerprint  # noqa: E402

__all__ = [
    "FIELDS",
    "ColumnIndex",
    "ColumnProblem",
    "HolderRow",
    "ListProblem",
    "RowProblem",
    "RowValidator",
    "check_list",
    "content_fingerprint",
    "holder_key",
    "parse_amount",
    "resolve_columns",
]
