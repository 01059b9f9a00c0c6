"""trustee/term_rules.py: the pure rules for an agreement's terms (no database)."""

import calendar
import datetime
import itertools
import math
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee.term_rules import (
    MAX_TERM_DAYS,
    MonthDay,
    TermError,
    TermProblem,
    check_amount,
    check_days,
    check_holder_list_schedule,
    check_percent,
    check_report_schedule,
    check_time_zone,
    parse_month_day,
    parse_month_day_list,
)

# Every day of a common year, as (month, day): February 29 is never a yearly date.
VALID_DAYS = [
    (month, day)
    for month in range(1, 13)
    for day in range(1, calendar.monthrange(2001, month)[1] + 1)
]
month_days = st.sampled_from(VALID_DAYS).map(lambda md: MonthDay(*md))


# -- parse_month_day: accepted forms -----------------------------------------------------------


NUMERIC_FORMS = ["02-15", "2/15", "2-15", " 02 / 15 "]
MONTH_FIRST_FORMS = ["Feb 15", "Feb. 15", "feb 15", "FEBRUARY 15", "February 15", "February 15th"]
DAY_FIRST_FORMS = ["15 February", "15 Feb.", "15th of February", "15th February"]


@pytest.mark.parametrize("text", NUMERIC_FORMS + MONTH_FIRST_FORMS + DAY_FIRST_FORMS)
def test_parse_month_day_accepts_each_form_of_february_15(text):
    assert parse_month_day(text) == MonthDay(2, 15)


def test_parse_month_day_reads_other_months():
    assert parse_month_day("Sept 1") == parse_month_day("Sep 1") == MonthDay(9, 1)
    assert parse_month_day("1st of September") == MonthDay(9, 1)
    assert parse_month_day("Jul. 1") == MonthDay(7, 1)
    assert parse_month_day("2nd of May") == MonthDay(5, 2)


def test_month_day_passes_through_prints_as_mm_dd_and_labels_in_words():
    date = MonthDay(8, 15)
    assert parse_month_day(date) is date
    assert str(MonthDay(2, 5)) == "02-05"
    assert MonthDay(2, 5).label == "February 5"
    assert MonthDay(1, 31) < MonthDay(2, 1) < MonthDay(2, 2)


# -- parse_month_day: refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("February 30", "February has 28 days"),
        ("02-30", "February 30 does not exist"),
        ("April 31", "April has 30 days"),
        ("January 0", "January 0 does not exist"),
        ("February 29", "February 29 does not occur every year"),
        ("13-01", "There is no month 13"),
        ("00-10", "There is no month 0"),
        ("Smarch 3", "“Smarch” is not the name of a month"),
        ("", "A date is required"),
        ("next Tuesday", "is not a day of the year"),
        ("Feb 15 2024", "is not a day of the year"),
        ("15", "is not a day of the year"),
    ],
)
def test_parse_month_day_refuses_with_a_sentence(text, phrase):
    with pytest.raises(TermError) as info:
        parse_month_day(text)
    assert phrase in str(info.value)


# -- parse_month_day: properties ---------------------------------------------------------------


@given(month_days)
def test_label_and_mm_dd_round_trip(date):
    assert parse_month_day(date.label) == date
    assert parse_month_day(str(date)) == date
    assert parse_month_day(f"{date.day} {calendar.month_name[date.month]}") == date
    assert parse_month_day(f"{calendar.month_abbr[date.month]}. {date.day}") == date
    assert parse_month_day(f"{date.month}/{date.day}") == date


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_a_numeric_date_is_accepted_exactly_when_it_occurs_every_year(month, day):
    text = f"{month:02d}-{day:02d}"
    if (month, day) in VALID_DAYS:
        assert parse_month_day(text) == MonthDay(month, day)
    else:
        with pytest.raises(TermError):
            parse_month_day(text)


@given(
    st.one_of(
        st.text(),
        st.from_regex(r"\A\s*\d{1,3}\s*[-/]\s*\d{1,3}\s*\Z"),
        st.from_regex(r"\A[A-Za-z]{1,10}\.?\s\d{1,2}(st|nd|rd|th)?\Z"),
        st.from_regex(r"\A\d{1,2}(st|nd|rd|th)?\s(of\s)?[A-Za-z]{1,10}\.?\Z"),
    )
)
def test_parse_month_day_never_raises_anything_but_term_error(text):
    try:
        result = parse_month_day(text)
    except TermError as error:
        assert str(error)
    else:
        assert isinstance(result, MonthDay)
        assert (result.month, result.day) in VALID_DAYS


# -- parse_month_day_list ----------------------------------------------------------------------


def test_parse_month_day_list_sorts_text_and_lists():
    assert parse_month_day_list("Aug 15, Feb 15") == [MonthDay(2, 15), MonthDay(8, 15)]
    assert parse_month_day_list(["09-01", "March 1"]) == [MonthDay(3, 1), MonthDay(9, 1)]
    assert parse_month_day_list("February 15 and August 15") == [MonthDay(2, 15), MonthDay(8, 15)]


@pytest.mark.parametrize("empty", ["", "  ", ", ;", None, []])
def test_parse_month_day_list_of_nothing_is_empty(empty):
    assert parse_month_day_list(empty) == []


@pytest.mark.parametrize(
    "value", ["Feb 15, Aug 15, February 15", "02-15; 2/15", ["08-15", "Aug 15"]]
)
def test_parse_month_day_list_refuses_a_date_given_twice(value):
    with pytest.raises(TermError, match="listed twice"):
        parse_month_day_list(value)


def test_parse_month_day_list_names_the_bad_date():
    with pytest.raises(TermError, match="February has 28 days"):
        parse_month_day_list("January 1, February 30")


SEPARATORS = [", ", ",", "; ", ";", " and ", ", and ", "\n", " ; "]


@given(
    dates=st.lists(month_days, unique=True, min_size=1, max_size=12),
    data=st.data(),
)
def test_lists_of_valid_dates_round_trip_in_any_order(dates, data):
    shuffled = data.draw(st.permutations(dates))
    written = [
        data.draw(st.sampled_from([date.label, str(date), f"{date.month}/{date.day}"]))
        for date in shuffled
    ]
    text = written[0]
    for item in written[1:]:
        text += data.draw(st.sampled_from(SEPARATORS)) + item
    assert parse_month_day_list(text) == sorted(dates)
    assert parse_month_day_list([str(date) for date in shuffled]) == sorted(dates)


@given(dates=st.lists(month_days, unique=True, min_size=1, max_size=8), data=st.data())
def test_any_duplicate_is_refused(dates, data):
    twice = data.draw(st.sampled_from(dates))
    items = data.draw(st.permutations([*[d.label for d in dates], str(twice)]))
    with pytest.raises(TermError) as info:
        parse_month_day_list(", ".join(items))
    assert str(info.value) == f"{twice.label} is listed twice."


# -- check_days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), (15, 15), ("15", 15), (" 30 ", 30), (15.0, 15), (3660, 3660)]
)
def test_check_days_accepts_whole_days(value, expected):
    assert check_days(value, "The window") == expected


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (True, "The window must be a number of days."),
        (None, "The window must be a number of days."),
        (0, "must be at least 1 day; 0 is not a period"),
        (-5, "must be at least 1 day; -5 is not a period"),
        (15.5, "must be a whole number of days, not 15.5"),
        ("15.5", "must be a whole number of days, not “15.5”"),
        ("fifteen", "not “fifteen”"),
        ([15], "must be a whole number of days"),
        (math.nan, "must be a whole number of days"),
        (MAX_TERM_DAYS + 1, "The window of 3661 days is longer than any term"),
        (20010215, "longer than any term of an agreement"),
    ],
)
def test_check_days_refuses(value, phrase):
    with pytest.raises(TermError) as info:
        check_days(value, "The window")
    assert phrase in str(info.value)


@pytest.mark.parametrize("value", [math.inf, Decimal("Infinity")])
def test_check_days_refuses_infinity_with_a_term_error(value):
    with pytest.raises(TermError):
        check_days(value, "The window")


# -- check_percent and check_amount ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, "100"), ("50", "50"), (Decimal("50.5"), "50.5"), (0.001, "0.001")],
)
def test_check_percent_accepts_more_than_0_up_to_100(value, expected):
    assert check_percent(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (0, "more than 0% and at most 100%; 0% is not"),
        (-1, "-1% is not"),
        (Decimal("100.001"), "100.001% is not"),
        (math.nan, "nan% is not"),
        (math.inf, "inf% is not"),
        ("Infinity", "Infinity% is not"),
        ("abc", "must be a percentage, not “abc”"),
    ],
)
def test_check_percent_refuses(value, phrase):
    with pytest.raises(TermError) as info:
        check_percent(value)
    assert phrase in str(info.value)
    assert str(info.value).startswith("The majority threshold")


@pytest.mark.parametrize("value", ["0.01", "50000000", Decimal("1234.50"), 25, "1e3"])
def test_check_amount_accepts_dollars_and_cents(value):
    assert check_amount(value, "Capital") == Decimal(str(value))


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (0, "Capital must be a positive amount; 0 is not."),
        ("-100", "must be a positive amount; -100 is not"),
        ("0.005", "Capital has fractions of a cent: 0.005."),
        ("fifty million", "must be an amount of money, not “fifty million”"),
        ("Infinity", "must be a positive amount"),
    ],
)
def test_check_amount_refuses(value, phrase):
    with pytest.raises(TermError) as info:
        check_amount(value, "Capital")
    assert phrase in str(info.value)


def test_check_amount_refuses_an_absurdly_large_amount_with_a_term_error():
    with pytest.raises(TermError):
        check_amount(Decimal("1E+30"), "Capital")


# -- check_time_zone ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["America/New_York", "America/Chicago", "UTC"])
def test_check_time_zone_accepts_iana_names(name):
    assert check_time_zone(name) == name


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "America/New_York/", "../etc/passwd"])
def test_check_time_zone_refuses(name):
    with pytest.raises(TermError) as info:
        check_time_zone(name)
    assert str(info.value) == f"“{name}” is not a time zone; use a name such as America/New_York."


def test_check_time_zone_refuses_a_zone_file_that_is_not_a_time_zone_name():
    # posixrules is a file in the system's zoneinfo directory that ZoneInfo loads but that is no
    # IANA zone name: the second check (available_timezones) refuses it.
    try:
        ZoneInfo("posixrules")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pytest.skip("this system's zoneinfo has no posixrules file")
    with pytest.raises(TermError, match="is not a time zone"):
        check_time_zone("posixrules")


# -- check_report_schedule ---------------------------------------------------------------------

JULY_1 = MonthDay(7, 1)
JULY_15 = MonthDay(7, 15)
REPORT_PHRASES = {
    "report_due": "not both",
    "report_anchor": "needs the date it runs from",
    "report_window_days": "anchor date but no deadline",
}


@pytest.mark.parametrize(
    ("anchor", "window", "due", "fields"),
    [
        (JULY_1, 60, None, []),
        (None, None, JULY_15, []),
        (None, None, None, []),
        (JULY_1, None, JULY_15, []),
        (JULY_1, 60, JULY_15, ["report_due"]),
        (None, 60, JULY_15, ["report_due", "report_anchor"]),
        (None, 60, None, ["report_anchor"]),
        (JULY_1, None, None, ["report_window_days"]),
    ],
)
def test_check_report_schedule(anchor, window, due, fields):
    problems = check_report_schedule(anchor=anchor, window_days=window, due=due)
    assert [problem.field for problem in problems] == fields
    for problem in problems:
        assert isinstance(problem, TermProblem)
        assert REPORT_PHRASES[problem.field] in problem.message


# -- check_holder_list_schedule -----------------------------------------------------------------


def md_list(*texts):
    return [parse_month_day(text) for text in texts]


def test_holder_list_schedules_that_work():
    assert check_holder_list_schedule(md_list("02-15", "08-15"), 15) == []  # Hartford
    assert check_holder_list_schedule(md_list("01-01", "07-01"), 15) == []  # HSB
    assert check_holder_list_schedule(md_list("03-15", "06-15", "09-15", "12-15"), 15) == []
    assert check_holder_list_schedule(md_list("03-01", "03-16"), 14) == []
    assert check_holder_list_schedule([], 15) == []
    assert check_holder_list_schedule(md_list("02-15", "08-15"), None) == []
    assert check_holder_list_schedule(md_list("02-15"), 15) == []


@pytest.mark.parametrize(
    ("dates", "window", "gap"),
    [
        (md_list("03-01", "03-11"), 15, 10),
        (md_list("03-01", "03-16"), 15, 15),
        (md_list("01-05", "12-25"), 15, 11),
        (md_list("01-01", "04-01", "07-01", "10-01"), 100, 90),
    ],
)
def test_holder_list_window_not_shorter_than_the_gap_is_refused(dates, window, gap):
    problems = check_holder_list_schedule(dates, window)
    assert [problem.field for problem in problems] == ["holder_list_as_of_days"]
    assert f"The as-of window ({window} days) is not shorter than the {gap} days" in (
        problems[0].message
    )


def day_of_year(date):
    return datetime.date(2001, date.month, date.day).timetuple().tm_yday


@given(
    dates=st.lists(month_days, unique=True, min_size=2, max_size=12).map(sorted),
    window=st.integers(min_value=1, max_value=400),
)
def test_a_problem_is_reported_iff_the_window_reaches_the_shortest_circular_gap(dates, window):
    days = [day_of_year(date) for date in dates]
    gaps = [later - earlier for earlier, later in itertools.pairwise(days)]
    gaps.append(days[0] + 365 - days[-1])
    shortest = min(gaps)
    problems = check_holder_list_schedule(dates, window)
    if window >= shortest:
        assert len(problems) == 1
        assert f"the {shortest} days between" in problems[0].message
    else:
        assert problems == []


def test_a_window_of_a_year_is_refused_for_a_yearly_list():
    problems = check_holder_list_schedule(md_list("02-15"), 365)
    assert [problem.field for problem in problems] == ["holder_list_as_of_days"]
