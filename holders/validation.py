"""Validate a List of Holders row by row, with no Django, fast enough for a million rows.

holders.reading turns a file into header and rows of text; this module says which column is
which (resolve_columns), checks each row and turns it into a HolderRow (RowValidator), checks
the list as a whole against the agreement (check_list) and fingerprints its content so that a
list identical to the previous one is recognised (content_fingerprint). Every problem is
reported with its row number, the field and a sentence a trust officer can forward to the
Guarantor, saying what is wrong with the value and what would be right.

The row checks run once per holder, so they are written for speed: compiled patterns, lookup
tables, no exception on a valid row, and a cache of parsed amounts (holdings repeat a lot).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

FIELDS = (
    "name",
    "address_1",
    "address_2",
    "address_3",
    "city",
    "state",
    "postal_code",
    "country",
    "email",
    "amount",
    "guarantor_affiliate",
    "trustee_affiliate",
)
REQUIRED = ("name", "address_1", "city", "amount")
# Without a country column every holder is in the United States and needs a state and ZIP.
REQUIRED_WITHOUT_COUNTRY = ("state", "postal_code")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "holder name",
        "registered name",
        "holder",
        "registered holder",
        "holder of record",
        "full name",
    ),
    "address_1": ("address", "address 1", "address line 1", "street", "street address"),
    "address_2": ("address 2", "address line 2", "street 2"),
    "address_3": ("address 3", "address line 3", "street 3"),
    "city": ("city", "town", "city/town"),
    "state": ("state", "province", "state/province", "st", "state or province", "state code"),
    "postal_code": ("zip", "zip code", "postal code", "postcode", "zip/postal code", "zip+4"),
    "country": ("country", "country code"),
    "email": ("email", "e-mail", "email address"),
    "amount": (
        "amount",
        "units",
        "shares",
        "quantity",
        "principal amount",
        "liquidation amount",
        "par",
        "par amount",
        "amount held",
        "face amount",
    ),
    "guarantor_affiliate": ("guarantor affiliate", "guarantor or affiliate"),
    "trustee_affiliate": ("trustee affiliate", "trustee or affiliate"),
}

LABELS = {
    "name": "holder's name",
    "address_1": "first address line",
    "address_2": "second address line",
    "address_3": "third address line",
    "city": "city",
    "state": "state",
    "postal_code": "ZIP or postal code",
    "country": "country",
    "email": "email address",
    "amount": "amount",
    "guarantor_affiliate": "Guarantor affiliate flag",
    "trustee_affiliate": "trustee affiliate flag",
}

# The register's column sizes (holders.models.Holder); a longer value could not be stored.
MAX_LENGTHS = {"name": 200, "city": 100, "state": 50, "postal_code": 20, "email": 254}
# Holdings fit the register's NUMERIC(18, 2): below ten quadrillion.
MAX_AMOUNT = Decimal(10) ** 16
# Parsed amounts and checked mail domains are kept for reuse up to this many of each.
CACHE_SIZE = 100_000
SHOWN_CHARACTERS = 40

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
}

# ISO 3166-1 alpha-2.
_ISO_3166 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRY_CODES = frozenset(_ISO_3166.split())
# Country names as registrars write them; the rest must be given by their ISO code.
COUNTRY_NAMES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "america": "US",
    "canada": "CA",
    "mexico": "MX",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "switzerland": "CH",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "belgium": "BE",
    "luxembourg": "LU",
    "italy": "IT",
    "spain": "ES",
    "portugal": "PT",
    "sweden": "SE",
    "norway": "NO",
    "denmark": "DK",
    "finland": "FI",
    "austria": "AT",
    "japan": "JP",
    "china": "CN",
    "hong kong": "HK",
    "singapore": "SG",
    "india": "IN",
    "australia": "AU",
    "new zealand": "NZ",
    "brazil": "BR",
    "argentina": "AR",
    "israel": "IL",
    "bermuda": "BM",
    "cayman islands": "KY",
    "bahamas": "BS",
    "the bahamas": "BS",
    "british virgin islands": "VG",
    "south korea": "KR",
    "korea": "KR",
    "taiwan": "TW",
    "south africa": "ZA",
}

_FLAGS = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "x": True,
}


def _key(text: str) -> str:
    """A heading or name compared without case, spaces or punctuation: "ZIP-Code" = "zip code"."""
    return "".join(character for character in text.casefold() if character.isalnum())


_STATE_CODES = {code: code for code in US_STATES}
_STATE_CODES.update({_key(name): code for code, name in US_STATES.items()})
_STATE_CODES.update({_key(code): code for code in US_STATES})
_STATE_CODES["virginislands"] = "VI"
_STATE_CODES["dc"] = "DC"
_STATE_CODES["washingtondc"] = "DC"
_COUNTRY_KEYS = {_key(name): code for name, code in COUNTRY_NAMES.items()}
_SYNONYM_KEYS = {name: frozenset(map(_key, words)) for name, words in SYNONYMS.items()}

_ZIP = re.compile(r"(\d{5})(?:[- ]?(\d{4}))?", re.ASCII)
_ZIP_LOST_ZERO = re.compile(r"\d{3,4}(?:-?\d{4})?", re.ASCII)
_EMAIL_LOCAL = re.compile(r"[^\s@\"(),:;<>\[\\\]]+")
_EMAIL_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}")
_AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<cents>\d*))?", re.ASCII)
_EUROPEAN_AMOUNT = re.compile(r"\d{1,3}(?:[. ]\d{3})*,\d{1,2}", re.ASCII)
_GROUPED_AMOUNT = re.compile(r"[\d,]+(?:\.\d*)?", re.ASCII)
_NOT_NUMBERS = frozenset({"nan", "snan", "inf", "infinity", "+inf", "+infinity"})
_SPACES = re.compile(r" {2,}")


class ColumnProblem(ValueError):
    """The header lacks columns the list needs, or a mapping names columns the file lacks."""

    def __init__(self, problems: Sequence[str], missing: Sequence[str] = ()):
        self.problems = list(problems)
        self.missing = list(missing)  # the required fields with no column
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class ColumnIndex:
    """Which column of the file holds each field (0-based), and the file's own headings."""

    headers: tuple[str, ...]
    positions: Mapping[str, int]

    def __contains__(self, name: str) -> bool:
        return name in self.positions

    def header_for(self, name: str) -> str | None:
        position = self.positions.get(name)
        return None if position is None else self.headers[position]


def resolve_columns(headers: Sequence[str], mapping: dict[str, str] | None = None) -> ColumnIndex:
    """Find each field's column: by `mapping` (field -> the file's heading), else by synonyms.

    Raises ColumnProblem naming every required field that has no column, with the headings
    that were looked for, and every mapping entry that does not fit the file.
    """
    headers = tuple(headers)
    problems = []
    positions: dict[str, int] = {}
    for name, heading in (mapping or {}).items():
        if name not in SYNONYMS:
            problems.append(
                f"The column mapping names “{name}”, which is not a field of a List of Holders "
                f"(the fields are {', '.join(FIELDS)})."
            )
            continue
        position = _find_heading(headers, heading)
        if position is None:
            problems.append(
                f"The column mapping reads the {LABELS[name]} from a column “{heading}”, but "
                f"the file has no such column; its columns are {_quoted(headers)}."
            )
        elif position in positions.values():
            other = next(f for f, p in positions.items() if p == position)
            problems.append(
                f"The column mapping reads both the {LABELS[other]} and the {LABELS[name]} "
                f"from the column “{headers[position]}”; each field needs its own column."
            )
        else:
            positions[name] = position
    claimed = set(positions.values())
    ambiguous = set()
    for name, keys in _SYNONYM_KEYS.items():
        if name in positions or (mapping and name in mapping):
            continue
        found = [
            index
            for index, heading in enumerate(headers)
            if index not in claimed and _key(heading) in keys
        ]
        if len(found) > 1:
            ambiguous.add(name)
            problems.append(
                f"More than one column could be the {LABELS[name]}: "
                f"{_quoted(headers[index] for index in found)}. Give a column mapping that "
                "names the right one."
            )
        elif found:
            positions[name] = found[0]
    required = REQUIRED if "country" in positions else REQUIRED + REQUIRED_WITHOUT_COUNTRY
    missing = [name for name in required if name not in positions]
    # A field named in the mapping or claimed by two columns is reported above already.
    unexplained = [n for n in missing if n not in ambiguous and not (mapping and n in mapping)]
    for name in unexplained:
        problems.append(
            f"The file has no column for the {LABELS[name]} (looked for a heading such as "
            f"{_quoted(SYNONYMS[name], conjunction='or')})."
        )
    if "country" not in positions and set(unexplained) & set(REQUIRED_WITHOUT_COUNTRY):
        problems.append(
            "Without a country column every holder is taken to be in the United States, "
            "which needs a state and ZIP code."
        )
    if unexplained:
        problems.append(
            f"The file's columns are {_quoted(headers)}; if one of them holds a missing "
            "field under another heading, give a column mapping for it."
        )
    if problems:
        raise ColumnProblem(problems, missing)
    return ColumnIndex(headers=headers, positions=positions)


def _find_heading(headers: Sequence[str], heading: str) -> int | None:
    wanted = heading.strip()
    for index, name in enumerate(headers):
        if name.strip() == wanted:
            return index
    matches = [index for index, name in enumerate(headers) if _key(name) == _key(wanted)]
    return matches[0] if len(matches) == 1 else None


def _quoted(names: Iterable[str], conjunction: str = "and") -> str:
    shown = [f"“{name}”" for name in names]
    if len(shown) < 2:
        return "".join(shown) or "none"
    return f"{', '.join(shown[:-1])} {conjunction} {shown[-1]}"


def _show(value: str) -> str:
    """A value quoted in a message, cut short: a runaway cell should not fill the report."""
    if len(value) > SHOWN_CHARACTERS:
        value = value[: SHOWN_CHARACTERS - 1] + "…"
    return f"“{value}”"


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
                key = f"{name}\x1f{address_1}\x1f{postal}"
                # lower() has a fast path for ASCII, casefold() none; on ASCII they agree.
                key = key.lower() if key.isascii() else key.casefold()
                if "  " in key:
                    key = _SPACES.sub(" ", key)
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


def parse_amount(text: str) -> Decimal:
    """An amount held as a Guarantor writes it ("1,000", "$1,000.50"), or ValueError saying why
    it is not one."""
    amount = _amount_or_problem(text.strip())
    if isinstance(amount, str):
        raise ValueError(amount)
    return amount


def _amount_or_problem(text: str) -> Decimal | str:
    """The amount, or the sentence saying what is wrong with it (no exception: speed)."""
    if not text:
        return "The amount is missing; every holder must hold a positive amount."
    shown = _show(text)
    body = _without_currency(text)
    # Accountants write a negative amount in parentheses: (100) or ($100) or $(100).
    parenthesised = body.startswith("(") and body.endswith(")")
    negative = parenthesised
    if parenthesised:
        body = body[1:-1].strip()
    for sign in ("-", "\u2212"):  # a hyphen, or a minus sign from a word processor
        if body.startswith(sign) or body.endswith(sign):
            body, negative = body.strip(sign).strip(), True
    body = _without_currency(body.removeprefix("+"))
    match = _AMOUNT.fullmatch(body)
    if match is None or not (match["whole"] or match["cents"]):
        if body.casefold() in _NOT_NUMBERS:
            problem = "is not a number"
        elif _EUROPEAN_AMOUNT.fullmatch(body):
            problem = "uses a comma as the decimal point (write 1000.50, not 1.000,50)"
        elif _GROUPED_AMOUNT.fullmatch(body):
            problem = "has commas that are not thousands separators (write 1,000,000)"
        else:
            problem = "is not an amount"
        return (
            f"The amount {shown} {problem}; write the amount held in digits, such as 1,000 "
            "or 1000.50."
        )
    whole = (match["whole"] or "0").replace(",", "")
    cents = match["cents"] or ""
    if len(cents) > 2:
        if len(cents.rstrip("0")) > 2:
            return (
                f"The amount {shown} has fractions of a cent; amounts are in dollars and "
                "cents, with at most 2 decimal places."
            )
        cents = cents[:2]
    amount = Decimal(f"{whole}.{cents}" if cents else whole)
    if not amount:
        return (
            f"The amount {shown} is zero; a holder must hold a positive amount (a holder with "
            "nothing should not be on the list)."
        )
    if negative:
        written = "in parentheses, which means negative" if parenthesised else "negative"
        return f"The amount {shown} is {written}; a holding must be a positive amount."
    if amount >= MAX_AMOUNT:
        return (
            f"The amount {shown} is larger than any holding can be (10,000,000,000,000,000 or "
            "more); check that the right column was read."
        )
    return amount


def _without_currency(text: str) -> str:
    return text.removeprefix("US$").removeprefix("$").strip()


# -- the list as a whole ---------------------------------------------------------------------


@dataclass
class ListProblem:
    code: str
    message: str
    overridable: bool = False


def check_list(
    *,
    as_of: date,
    received: date,
    as_of_window_days: int | None,
    total: Decimal,
    outstanding: Decimal,
) -> list[ListProblem]:
    """The checks of §2.2(a) on the whole list: its as-of date and that it adds up.

    `as_of_window_days` is None when the agreement states no window ("not more than 15 days
    prior to the delivery"): then only an as-of date after receipt is wrong.

    A total that differs from the amount outstanding can have a reason (a transfer between
    the as-of date and the record of the outstanding amount), so a Responsible Officer may
    accept it, recording why; the dates are terms of the agreement and cannot be waived here.
    """
    problems = []
    if as_of > received:
        problems.append(
            ListProblem(
                "as_of_after_receipt",
                f"The list is as of {_day(as_of)}, after it was received on "
                f"{_day(received)}; a list cannot describe holders on a future date.",
            )
        )
    elif as_of_window_days is not None and (received - as_of).days > as_of_window_days:
        problems.append(
            ListProblem(
                "as_of_too_early",
                f"The list is as of {_day(as_of)}, {(received - as_of).days} days before "
                f"it was received on {_day(received)}; §2.2(a): not more than "
                f"{as_of_window_days} days prior to the delivery.",
            )
        )
    if total != outstanding:
        difference = total - outstanding
        more_or_less = "more" if difference > 0 else "less"
        problems.append(
            ListProblem(
                "total_mismatch",
                f"The holdings add up to {_money(total)}, but {_money(outstanding)} is "
                f"outstanding: {_money(abs(difference))} {more_or_less}. A Responsible Officer "
                "may accept the list with the reason recorded.",
                overridable=True,
            )
        )
    return problems


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


# -- recognising a list already received -----------------------------------------------------


def content_fingerprint(rows: Iterable[HolderRow]) -> str:
    """A SHA-256 of what a list says, not how it is written: the same holders with the same
    amounts give the same fingerprint in any order, encoding, layout or file format.

    Each holder is hashed on its own and the hashes are added (modulo 2**256), which does not
    depend on their order and needs no memory for a list of any length; the count goes in too.
    Text is compared without case or runs of spaces, and an address without its line breaks.
    """
    sha256, from_bytes, normalize = hashlib.sha256, int.from_bytes, unicodedata.normalize
    cents: dict[Decimal, str] = {}  # 250 and 250.00 are one key, and amounts repeat
    accumulated = 0
    count = 0
    for row in rows:
        text = (
            f"{row.name}\0{row.address_lines}\0{row.city}\0{row.state}\0{row.postal_code}\0"
            f"{row.country}\0{row.email}\0"
        )
        # lower() has a fast path for ASCII, casefold() none; on ASCII they agree.
        text = text.lower() if text.isascii() else normalize("NFC", text).casefold()
        if "  " in text or "\n" in text or "\t" in text:
            text = " ".join(text.split()).replace(" \0", "\0").replace("\0 ", "\0")
        amount = cents.get(row.amount)
        if amount is None:
            amount = _remember(cents, row.amount, f"{row.amount:.2f}")
        flags = "G" * row.is_guarantor_affiliate + "T" * row.is_trustee_affiliate
        digest = sha256(f"{text}{amount}\0{flags}".encode()).digest()
        # The sum grows by a bit at most per doubling of the count: reduce it once, at the end.
        accumulated += from_bytes(digest, "big")
        count += 1
    accumulated %= 1 << 256
    return sha256(f"holders:{count}:{accumulated:064x}".encode()).hexdigest()
