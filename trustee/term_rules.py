"""Rules for the terms of an agreement, with no Django in them.

Agreements state their numbers in words ("on or before February 15 and August 15", "a Majority
in liquidation preference"); these functions turn what an officer types into typed values and
refuse impossible ones with a sentence a trust officer understands. The model layer calls them
from its validators, and so can an importer or a test on plain values.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# The longest period any term of the family states is a year or two; a number beyond this is a
# typing error (a date typed into a days field), not a term.
MAX_TERM_DAYS = 3660
# Money in terms fits the database's NUMERIC(18, 2): below ten quadrillion dollars.
MAX_AMOUNT = Decimal(10) ** 16

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


class TermError(ValueError):
    """A term that cannot be an agreement's term; the message is meant for a trust officer."""


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year with no year, as agreements state recurring dates ("February 15")."""

    month: int
    day: int

    def __post_init__(self):
        check_month_day(self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def label(self) -> str:
        return f"{calendar.month_name[self.month]} {self.day}"


def check_month_day(month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise TermError(f"There is no month {month}; months run from 1 (January) to 12.")
    name = calendar.month_name[month]
    if month == 2 and day == 29:
        raise TermError(
            "February 29 does not occur every year, so it cannot be a yearly date; "
            "use February 28 or March 1 as the agreement intends."
        )
    # 2001 is not a leap year: February has 28 days there, as it does in most years.
    last = calendar.monthrange(2001, month)[1]
    if not 1 <= day <= last:
        raise TermError(f"{name} {day} does not exist: {name} has {last} days.")


_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\s*$")
_MONTH_FIRST = re.compile(r"^\s*([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+)\.?\s*$")


def parse_month_day(text: str) -> MonthDay:
    """Read "02-15", "2/15", "Feb 15", "Feb. 15", "February 15" or "15 February"."""
    if isinstance(text, MonthDay):
        return text
    raw = str(text).strip()
    if not raw:
        raise TermError("A date is required (for example February 15 or 02-15).")
    if match := _NUMERIC.match(raw):
        return MonthDay(int(match[1]), int(match[2]))
    if match := _MONTH_FIRST.match(raw):
        month_name, day = match[1], match[2]
    elif match := _DAY_FIRST.match(raw):
        day, month_name = match[1], match[2]
    else:
        raise TermError(
            f"“{raw}” is not a day of the year; write it as February 15 or 02-15 (month-day)."
        )
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise TermError(f"“{month_name}” is not the name of a month (in “{raw}”).")
    return MonthDay(month, int(day))


def parse_month_day_list(value: str | Iterable) -> list[MonthDay]:
    """Read a list of yearly dates, from text ("Feb 15, Aug 15") or a list of strings.

    The result is sorted and a date given twice is refused: "twice a year" on the same day
    is a typing error, and a silently merged duplicate would hide it.
    """
    if isinstance(value, str):
        items = [part for part in re.split(r"[;,\n]|\band\b", value) if part.strip()]
    else:
        items = list(value or [])
    dates = [parse_month_day(item) for item in items]
    seen = set()
    for date in dates:
        if date in seen:
            raise TermError(f"{date.label} is listed twice.")
        seen.add(date)
    return sorted(dates)


def check_days(value, what: str) -> int:
    """A count of days in a term: a whole number from 1 up to MAX_TERM_DAYS."""
    if isinstance(value, bool) or value is None:
        raise TermError(f"{what} must be a number of days.")
    try:
        days = int(value)
    except (TypeError, ValueError, OverflowError):
        raise TermError(f"{what} must be a whole number of days, not “{value}”.") from None
    if days != value and not isinstance(value, str):
        raise TermError(f"{what} must be a whole number of days, not {value}.")
    if days <= 0:
        raise TermError(f"{what} must be at least 1 day; {days} is not a period.")
    if days > MAX_TERM_DAYS:
        raise TermError(f"{what} of {days} days is longer than any term of an agreement.")
    return days


def check_percent(value, what: str = "The majority threshold") -> Decimal:
    """A threshold as a percentage: more than 0 and at most 100."""
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TermError(f"{what} must be a percentage, not “{value}”.") from None
    if not percent.is_finite() or not Decimal(0) < percent <= Decimal(100):
        raise TermError(f"{what} must be more than 0% and at most 100%; {value}% is not.")
    return percent


def check_amount(value, what: str) -> Decimal:
    """A money amount in a term: positive, in dollars and cents."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TermError(f"{what} must be an amount of money, not “{value}”.") from None
    if not amount.is_finite() or amount <= 0:
        raise TermError(f"{what} must be a positive amount; {value} is not.")
    if amount >= MAX_AMOUNT:
        raise TermError(f"{what} of {value} is larger than any amount in an agreement.")
    if amount != amount.quantize(Decimal("0.01")):
        raise TermError(f"{what} has fractions of a cent: {value}.")
    return amount


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TermError(
            f"“{name}” is not a time zone; use a name such as America/New_York."
        ) from None
    if name not in available_timezones():
        raise TermError(f"“{name}” is not a time zone; use a name such as America/New_York.")
    return name


@dataclass(frozen=True)
class TermProblem:
    field: str
    message: str


def check_report_schedule(
    *, anchor: MonthDay | None, window_days: int | None, due: MonthDay | None
) -> list[TermProblem]:
    """The annual report is due either a window of days after an anchor date or on a fixed date.

    Hartford: "within 60 days after July 1"; HSB: "not later than 60 days following May 15";
    another agreement may say "on or before July 15". One of the two forms, never both.
    """
    problems = []
    if window_days is not None and due is not None:
        problems.append(
            TermProblem(
                "report_due",
                "Give either a window in days after the anchor date or a fixed due date, "
                "not both: the agreement states one.",
            )
        )
    if window_days is not None and anchor is None:
        problems.append(
            TermProblem(
                "report_anchor",
                "A report window in days needs the date it runs from (for example July 1).",
            )
        )
    if anchor is not None and window_days is None and due is None:
        problems.append(
            TermProblem(
                "report_window_days",
                "The report has an anchor date but no deadline: give the window in days "
                "or a fixed due date.",
            )
        )
    return problems


def check_holder_list_schedule(
    dates: Sequence[MonthDay], as_of_days: int | None
) -> list[TermProblem]:
    """The as-of window must be shorter than the gap between two list dates.

    A list may be "as of a date not more than 15 days" before delivery; if deliveries were
    closer together than that window, one list could serve two dates, which no agreement means.
    """
    if not dates or as_of_days is None:
        return []
    ordinals = sorted(_day_of_year(date) for date in dates)
    gaps = [b - a for a, b in itertools.pairwise(ordinals)]
    # From the last date of one year to the first of the next (a whole year for a yearly list).
    gaps.append(365 - ordinals[-1] + ordinals[0])
    shortest = min(gaps)
    if as_of_days >= shortest:
        return [
            TermProblem(
                "holder_list_as_of_days",
                f"The as-of window ({as_of_days} days) is not shorter than the {shortest} days "
                "between two List of Holders dates.",
            )
        ]
    return []


def _day_of_year(date: MonthDay) -> int:
    return sum(calendar.monthrange(2001, m)[1] for m in range(1, date.month)) + date.day
