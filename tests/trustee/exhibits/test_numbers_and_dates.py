"""The number and date parsers, by example and by property."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee.exhibits.dates import find_dates, parse_date
from trustee.exhibits.numbers import (
    durations,
    int_to_words,
    money,
    ordinal_to_int,
    parse_count,
    percents,
    words_to_int,
)

ORDINAL_WORDS = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 8: "eighth", 12: "twelfth",
    15: "fifteenth", 20: "twentieth", 21: "twenty-first", 30: "thirtieth", 31: "thirty-first",
}  # fmt: skip


@given(st.integers(min_value=0, max_value=999_999))
def test_words_round_trip(number):
    assert words_to_int(int_to_words(number)) == number


@given(st.integers(min_value=1, max_value=999))
def test_count_in_words_with_digits_in_parentheses(number):
    assert parse_count(f"{int_to_words(number)} ({number})") == number
    assert parse_count(str(number)) == number


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["days", "Business Days"]))
def test_durations_in_words_and_digits(number, unit):
    for written in (str(number), int_to_words(number), f"{int_to_words(number)} ({number})"):
        (found,) = durations(f"within {written} {unit} after the receipt")
        assert found.count == number
        assert found.unit == ("days" if unit == "days" else "business_days")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31)))
def test_full_dates_in_three_spellings(day):
    month = day.strftime("%B")
    for written in (
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        f"the {day.day}th day of {month}, {day.year}",
    ):
        found = parse_date(f"dated as of {written}, between")
        assert found is not None and found.iso == day.isoformat(), written


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)))
def test_yearly_dates_abbreviated(day):
    # "May" has no abbreviation: drafters never write "May."
    written = "May" if day.month == 5 else f"{day:%b}."
    (found,) = find_dates(f"on or before {written} {day.day} of each year")
    assert found.month_day == day.strftime("%m-%d")
    assert found.year is None


@pytest.mark.parametrize("number,word", sorted(ORDINAL_WORDS.items()))
def test_ordinal_days(number, word):
    assert ordinal_to_int(word) == number
    (found,) = find_dates(f"the {word} day of January")
    assert found.month_day == f"01-{number:02d}"


def test_impossible_dates_are_not_dates():
    assert find_dates("on or before February 30 of each year") == []
    assert find_dates("June 31, 2001") == []
    # February 29 has no year to be wrong in, so it is read; the terms model refuses it.
    assert [d.month_day for d in find_dates("February 29")] == ["02-29"]


def test_numbers_that_are_not_dates():
    assert find_dates("within 15 days after May 15 days") == []
    assert find_dates("it may 15 times") == []


def test_words_that_are_not_numbers():
    assert words_to_int("") is None
    assert words_to_int("ninety days") is None
    assert words_to_int("and") is None
    assert parse_count("many") is None
    assert ordinal_to_int("umpteenth") is None
    assert ordinal_to_int("twenty-umpteenth") is None
    with pytest.raises(ValueError):
        int_to_words(-1)


def test_durations_units():
    units = [(d.count, d.unit, d.days) for d in durations("six months, two years, 3 weeks")]
    assert units == [(6, "months", None), (2, "years", None), (3, "weeks", 21)]


@pytest.mark.parametrize(
    "text,amount",
    [
        ("at least 50 million U.S. dollars ($50,000,000)", Decimal(50_000_000)),
        ("not less than $100,000,000", Decimal(100_000_000)),
        ("$1.5 billion", Decimal(1_500_000_000)),
        ("fifty million dollars", Decimal(50_000_000)),
        ("one hundred fifty million dollars", Decimal(150_000_000)),
    ],
)
def test_money(text, amount):
    assert money(text)[0].amount == amount


@pytest.mark.parametrize(
    "text,value",
    [
        ("more than 50%", Decimal(50)),
        ("fifty percent (50%)", Decimal(50)),
        ("66 2/3%", Decimal("66.667")),
        ("sixty-six and two-thirds percent", Decimal("66.667")),
        ("25 per cent", Decimal(25)),
    ],
)
def test_percents(text, value):
    assert percents(text)[0].value == value


@given(st.integers(min_value=1, max_value=365), st.integers(min_value=0, max_value=364))
def test_day_counts_never_read_as_dates(days, offset):
    anchor = date(2001, 1, 1) + timedelta(days=offset)
    text = f"within {days} days after {anchor:%B} {anchor.day} of each year"
    (found,) = find_dates(text)
    assert found.month_day == anchor.strftime("%m-%d")
    assert [d.count for d in durations(text)] == [days]
