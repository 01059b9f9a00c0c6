"""Dates as agreements write them: "February 15", "Feb. 15", "15 February", "the fifteenth day
of February", each with or without a year ("October 26, 2001", "the 26th day of October, 2001").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from trustee.exhibits.numbers import ORDINAL_WORDS, ordinal_to_int

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# Capitalised only: "may" is a verb far more often than a month, and drafters capitalise months.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_YEAR = r"(?:\s*,?\s*(?:in\s+the\s+year\s+)?(?P<year>(?:19|20)\d{2})\b)?"
_DAY_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    # "February 15", "Feb. 15th, 2001"
    rf"\b(?P<month>{_MONTH})\s+(?P<day>{_DAY_NUMBER})\b(?!\s*(?:%|days?|months?|years?)){_YEAR}"
    # "the fifteenth day of February", "the 15th day of February, 2001"
    rf"|\b(?:(?:the|this)\s+)?(?P<oday>{ORDINAL_WORDS}|{_DAY_NUMBER})\s+day\s+of\s+(?P<omonth>{_MONTH})"
    rf"{_YEAR.replace('year', 'oyear')}"
    # "15 February", "26 October 2001"
    rf"|\b(?P<dday>\d{{1,2}})\s+(?P<dmonth>{_MONTH}){_YEAR.replace('year', 'dyear')}",
)


@dataclass(frozen=True)
class FoundDate:
    month: int
    day: int
    year: int | None
    start: int
    end: int

    @property
    def month_day(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def iso(self) -> str | None:
        return date(self.year, self.month, self.day).isoformat() if self.year else None


def _valid(month: int, day: int, year: int | None) -> bool:
    try:
        date(year or 2001, month, day)
    except ValueError:
        return year is None and month == 2 and day == 29
    return True


def find_dates(text: str) -> list[FoundDate]:
    found = []
    for match in _DATE.finditer(text):
        if match["month"]:
            month_name, day_text, year = match["month"], match["day"], match["year"]
        elif match["omonth"]:
            month_name, day_text, year = match["omonth"], match["oday"], match["oyear"]
        else:
            month_name, day_text, year = match["dmonth"], match["dday"], match["dyear"]
        month = MONTHS[month_name.lower().rstrip(".")]
        day = ordinal_to_int(day_text)
        year_number = int(year) if year else None
        if day is None or not _valid(month, day, year_number):
            continue
        found.append(FoundDate(month, day, year_number, match.start(), match.end()))
    return found


def parse_date(text: str) -> FoundDate | None:
    """The first date in `text`, or None."""
    found = find_dates(text)
    return found[0] if found else None
