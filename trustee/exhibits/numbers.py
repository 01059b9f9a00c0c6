"""Numbers as agreements write them: "90", "ninety", "ninety (90)", "one hundred twenty",
"fifty million U.S. dollars ($50,000,000)", "66 2/3%", and periods built on them ("six months").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_VALUE = {word: n for n, word in enumerate(_UNITS)}
_WORD_VALUE.update({word: 10 * n for n, word in enumerate(_TENS) if word})
_WORD_VALUE["fourty"] = 40  # a misspelling that does occur in filings

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

_NUMBER_WORD = "|".join(sorted([*_WORD_VALUE, *_SCALES], key=len, reverse=True))
# A number in words: "ninety", "one hundred and twenty", "thirty-five", "sixty-six".
NUMBER_WORDS = rf"(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*"
_TENS_WORD = "|".join(w for w in _TENS if w)
_UNIT_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
ORDINAL_WORDS = rf"(?:(?:{_TENS_WORD})[\s-]+(?:{_UNIT_ORDINAL})|{_UNIT_ORDINAL})"

# "ninety (90)", "90", "ninety": the digits in parentheses win when both are given.
COUNT = rf"(?:(?:{NUMBER_WORDS})\s*\(\s*\d[\d,]*\s*\)|\d[\d,]*|{NUMBER_WORDS})"
_COUNT_RE = re.compile(COUNT, re.I)
_PAREN_DIGITS = re.compile(r"\(\s*(\d[\d,]*)\s*\)")

_DURATION = re.compile(
    rf"\b(?P<count>{COUNT})\s*(?:-\s*)?(?P<kind>calendar\s+|business\s+|banking\s+)?"
    r"(?P<unit>days?|months?|years?|weeks?)\b",
    re.I,
)


def words_to_int(text: str) -> int | None:
    """ "one hundred twenty-five" -> 125; None when the words are not a number."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in _WORD_VALUE:
            current += _WORD_VALUE[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def int_to_words(number: int) -> str:
    """125 -> "one hundred twenty-five" (the form the reader accepts back), for 0..999,999."""
    if not 0 <= number < 1_000_000:
        raise ValueError(f"{number} is out of range")
    if number < 20:
        return _UNITS[number]
    if number < 100:
        tens, unit = divmod(number, 10)
        return _TENS[tens] + (f"-{_UNITS[unit]}" if unit else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_UNITS[hundreds]} hundred" + (f" {int_to_words(rest)}" if rest else "")
    thousands, rest = divmod(number, 1000)
    return f"{int_to_words(thousands)} thousand" + (f" {int_to_words(rest)}" if rest else "")


def ordinal_to_int(text: str) -> int | None:
    """ "fifteenth" -> 15, "twenty-first" -> 21, "15th" -> 15."""
    raw = text.lower().strip()
    if match := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", raw):
        return int(match[1])
    parts = [p for p in re.split(r"[\s-]+", raw) if p]
    if len(parts) == 1:
        return _ORDINALS.get(parts[0])
    if len(parts) == 2 and parts[0] in _WORD_VALUE and parts[1] in _ORDINALS:
        return _WORD_VALUE[parts[0]] + _ORDINALS[parts[1]]
    return None


def parse_count(text: str) -> int | None:
    """ "ninety (90)" -> 90, "90" -> 90, "1,000" -> 1000, "ninety" -> 90."""
    if match := _PAREN_DIGITS.search(text):
        return int(match[1].replace(",", ""))
    raw = text.strip().replace(",", "")
    if raw.isdigit():
        return int(raw)
    return words_to_int(raw)


@dataclass(frozen=True)
class Duration:
    count: int
    unit: str  # "days", "business_days", "months", "years", "weeks"
    start: int
    end: int
    text: str

    @property
    def days(self) -> int | None:
        """The period in days where the text counts in days (or weeks); months are not days."""
        if self.unit == "days":
            return self.count
        if self.unit == "weeks":
            return self.count * 7
        return None


def durations(text: str) -> list[Duration]:
    found = []
    for match in _DURATION.finditer(text):
        count = parse_count(match["count"])
        if count is None:
            continue
        unit = match["unit"].lower().rstrip("s") + "s"
        kind = (match["kind"] or "").strip().lower()
        if unit == "days" and kind in ("business", "banking"):
            unit = "business_days"
        found.append(Duration(count, unit, match.start(), match.end(), match.group(0)))
    return found


# -- money and percentages ---------------------------------------------------------------------

_MONEY = re.compile(
    r"(?:U\.?S\.?\s*)?\$\s*(?P<digits>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<scale>million|billion|thousand))?"
    rf"|(?P<words>(?:\d[\d,.]*|{NUMBER_WORDS}))\s+(?P<wscale>million|billion|thousand)?\s*"
    r"(?:U\.?S\.?\s+|United States\s+)?dollars",
    re.I,
)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    start: int
    end: int


def money(text: str) -> list[Money]:
    """Dollar amounts: "$50,000,000", "$50 million", "fifty million dollars"."""
    found = []
    for match in _MONEY.finditer(text):
        if match["digits"]:
            amount = Decimal(match["digits"].replace(",", ""))
            scale = match["scale"]
        else:
            raw = match["words"].replace(",", "")
            scale = match["wscale"]
            if re.fullmatch(r"\d+(?:\.\d+)?", raw):
                amount = Decimal(raw)
            else:
                value = words_to_int(raw)
                if value is None:
                    continue
                amount = Decimal(value)
        if scale:
            amount *= _SCALES[scale.lower()]
        found.append(Money(amount, match.start(), match.end()))
    return found


_PERCENT = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?(?:\s+\d/\d)?|{NUMBER_WORDS}(?:\s+and\s+(?:one|two)[\s-]thirds?)?)"
    r"\s*(?:\(\s*(?P<paren>\d+(?:\.\d+)?(?:\s+\d/\d)?)\s*%?\s*\)\s*)?(?:%|\s*per\s*cent(?:um)?)",
    re.I,
)


def _fraction(text: str) -> Decimal | None:
    text = text.strip()
    if match := re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?", text):
        value = Decimal(match[1])
        if match[2]:
            value += Decimal(match[2]) / Decimal(match[3])
        return value
    if match := re.fullmatch(r"(.+?)\s+and\s+(one|two)[\s-]thirds?", text, re.I):
        whole = words_to_int(match[1])
        if whole is None:
            return None
        return whole + (Decimal(1) if match[2].lower() == "one" else Decimal(2)) / 3
    value = words_to_int(text)
    return None if value is None else Decimal(value)


def plain(value: Decimal) -> Decimal:
    """66.6666... -> 66.667, 50.000 -> 50: three places at most, no exponent."""
    value = value.quantize(Decimal("0.001"))
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class Percent:
    value: Decimal
    start: int
    end: int


def percents(text: str) -> list[Percent]:
    """ "50%", "fifty percent (50%)", "66 2/3%", "sixty-six and two-thirds percent"."""
    found = []
    for match in _PERCENT.finditer(text):
        value = _fraction(match["paren"] or match["num"])
        if value is not None:
            found.append(Percent(plain(value), *match.span()))
    return found
