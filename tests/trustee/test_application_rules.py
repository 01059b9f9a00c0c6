"""TIA §312(b)'s rules on plain values: who counts as an applicant, the six months, the
election's deadline in New York banking days, the mailing's cost and its tender."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee import application_rules as rules
from trustee.calendar import BusinessCalendar
from trustee.workflow_rules import Refused, check

NEW_YORK = BusinessCalendar()
NO_HOLIDAYS = BusinessCalendar(holidays={})
days_2000s = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def applicant(name="A. Holder", amount="1000", since=date(2020, 1, 1)):
    return rules.Applicant(name, Decimal(amount), since)


# -- six months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 11, 25), date(2026, 5, 25)),
        (date(2026, 8, 31), date(2026, 2, 28)),  # no February 31: its last day
        (date(2028, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), date(2025, 9, 30)),  # across the year
        (date(2026, 1, 15), date(2025, 7, 15)),
    ],
)
def test_six_months_before_a_day(day, expected):
    assert rules.months_before(day, 6) == expected


def test_six_months_counted_back_from_the_application():
    applied = date(2026, 11, 25)
    assert rules.held_six_months(date(2026, 5, 25), applied)
    assert not rules.held_six_months(date(2026, 5, 26), applied)


@given(since=days_2000s, applied=days_2000s)
def test_six_months_lies_between_181_and_184_days(since, applied):
    held = (applied - since).days
    if held >= 184:
        assert rules.held_six_months(since, applied)
    if held < 181:
        assert not rules.held_six_months(since, applied)


@given(since=days_2000s, applied=days_2000s, later=st.integers(0, 400))
def test_a_holding_that_qualifies_still_qualifies_later_and_if_older(since, applied, later):
    if rules.held_six_months(since, applied):
        assert rules.held_six_months(since, applied + timedelta(days=later))
        assert rules.held_six_months(since - timedelta(days=later), applied)


# -- the applicants ------------------------------------------------------------------------


def test_three_applicants_with_six_months_qualify():
    received = date(2026, 11, 25)
    three = [applicant(f"Holder {i}") for i in range(3)]
    assert rules.application_refusal(three, received) is None
    assert all(f.eligible for f in rules.applicant_findings(three, received))


def test_an_application_short_of_three_names_each_applicant_that_fails():
    received = date(2026, 11, 25)
    applicants = [
        applicant("Margaret Okafor"),
        applicant("Lakeside Pension Fund"),
        applicant("Thomas Brennan", since=date(2026, 7, 1)),
        applicant("margaret  OKAFOR"),  # the same holder twice
        applicant("Nobody Much", amount="0"),
        applicant("Time Traveller", since=date(2026, 12, 1)),
        applicant("   "),
    ]
    refusal = rules.application_refusal(applicants, received)
    assert refusal.startswith("TIA §312(b) needs an application by three or more Holders")
    assert "2 qualify" in refusal
    assert "Thomas Brennan: held since 2026-07-01: less than six months" in refusal
    assert "since 2026-05-25 at the latest" in refusal
    assert "margaret  OKAFOR: named twice" in refusal
    assert "Nobody Much: no holding shown" in refusal
    assert "Time Traveller: holding since 2026-12-01, after the application" in refusal
    assert "(no name): no name" in refusal
    assert "Margaret Okafor:" not in refusal and "Lakeside" not in refusal


def test_a_single_qualifying_applicant_is_counted_in_the_singular():
    refusal = rules.application_refusal([applicant()], date(2026, 11, 25))
    assert "1 qualifies." in refusal and "Not counted" not in refusal


def test_applicants_are_read_one_a_line():
    text = (
        "Margaret Okafor; 250,000; 2025-01-02\n\n"
        "Lakeside Pension Fund | $1,500,000.00 | 2019-03-01\n"
        "Thomas Brennan\t75000\t2026-04-30\n"
    )
    parsed = rules.parse_applicants(text)
    assert parsed == [
        rules.Applicant("Margaret Okafor", Decimal("250000"), date(2025, 1, 2)),
        rules.Applicant("Lakeside Pension Fund", Decimal("1500000.00"), date(2019, 3, 1)),
        rules.Applicant("Thomas Brennan", Decimal("75000"), date(2026, 4, 30)),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("A; 100; 2020-01-01\nB; 100", "Line 2: give “name; amount held; holding since"),
        ("A; lots; 2020-01-01", "Line 1: “lots” is not an amount."),
        ("A; Infinity; 2020-01-01", "Line 1: “Infinity” is not an amount."),
        ("A; 100; 1 Jan 2020", "Line 1: “1 Jan 2020” is not a date (YYYY-MM-DD)."),
        ("  \n ", "Name the applicants, one a line."),
    ],
)
def test_an_applicant_line_that_cannot_be_read_is_refused_by_line(text, message):
    with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        rules.parse_applicants(text)


# -- the election's deadline ---------------------------------------------------------------


def test_an_application_received_the_wednesday_before_thanksgiving():
    # Thanksgiving (Thursday November 26, 2026) is not a New York banking day; the Friday
    # after it is. Five banking days after Wednesday the 25th: 27, 30, 1, 2, 3 December.
    received = date(2026, 11, 25)
    assert NEW_YORK.holiday(date(2026, 11, 26)) == "Thanksgiving Day"
    assert rules.election_due_on(received, 5, NEW_YORK) == date(2026, 12, 3)
    # Without the holiday it would be a day earlier: the holiday is what moves it.
    assert rules.election_due_on(received, 5, NO_HOLIDAYS) == date(2026, 12, 2)
    assert rules.business_days_between(received, date(2026, 12, 3), NEW_YORK) == 5


def test_an_application_received_on_a_saturday_counts_from_the_monday():
    assert rules.election_due_on(date(2026, 11, 21), 1, NEW_YORK) == date(2026, 11, 23)


def test_the_number_of_business_days_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        rules.election_due_on(date(2026, 11, 25), 0, NEW_YORK)


holiday_sets = st.sets(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), max_size=40
)


@given(
    received=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)),
    count=st.integers(1, 30),
    holidays=holiday_sets,
)
def test_the_deadline_is_exactly_n_business_days_later(received, count, holidays):
    calendar = BusinessCalendar(holidays={day: "holiday" for day in holidays})
    due = rules.election_due_on(received, count, calendar)
    assert due > received
    assert calendar.is_business_day(due)
    assert rules.business_days_between(received, due, calendar) == count
    # And not a business day earlier: the day before it counts one fewer.
    assert rules.business_days_between(received, due - timedelta(days=1), calendar) == count - 1


@given(received=days_2000s, count=st.integers(1, 20))
def test_new_york_holidays_only_ever_push_the_deadline_later(received, count):
    with_holidays = rules.election_due_on(received, count, NEW_YORK)
    without = rules.election_due_on(received, count, NO_HOLIDAYS)
    assert with_holidays >= without
    # N business days span at most N weeks and a few holidays.
    assert (with_holidays - received).days <= 7 * count // 5 + 2 + 7


@given(start=days_2000s, span=st.integers(0, 60), split=st.integers(0, 60))
def test_business_days_between_adds_up_over_a_split(start, span, split):
    middle = start + timedelta(days=min(split, span))
    end = start + timedelta(days=span)
    total = rules.business_days_between(start, end, NEW_YORK)
    assert total == rules.business_days_between(
        start, middle, NEW_YORK
    ) + rules.business_days_between(middle, end, NEW_YORK)
    assert rules.business_days_between(end, start, NEW_YORK) == (0 if span else total)


# -- the mailing ---------------------------------------------------------------------------


def test_the_mailing_cost_is_holders_times_the_cost_of_one_to_the_cent():
    assert rules.estimated_cost(300, Decimal("1.2345")) == Decimal("370.35")
    assert rules.estimated_cost(3, Decimal("0.005")) == Decimal("0.02")  # half up
    with pytest.raises(Refused, match="no Holders"):
        rules.estimated_cost(0, Decimal("1"))
    with pytest.raises(Refused, match="more than zero"):
        rules.estimated_cost(10, Decimal("0"))


@given(count=st.integers(1, 10**6), cents=st.integers(1, 10**5))
def test_the_mailing_cost_is_exact_for_whole_cents(count, cents):
    per = Decimal(cents) / 100
    assert rules.estimated_cost(count, per) == per * count


def test_a_tender_is_checked_against_the_estimate_and_its_dates():
    base = {"estimate": Decimal("370.35"), "estimated_on": date(2026, 12, 1)}
    today = date(2026, 12, 10)
    ok = rules.tender_problems(
        **base, amount=Decimal("370.35"), tendered_on=date(2026, 12, 4), today=today
    )
    assert ok == {}
    short = rules.tender_problems(
        **base, amount=Decimal("300"), tendered_on=date(2026, 12, 11), today=today
    )
    assert short["tendered_on"] == "This date is in the future."
    assert "300.00 is less than the estimated cost of mailing, 370.35" in short["amount"]
    early = rules.tender_problems(
        **base, amount=Decimal("400"), tendered_on=date(2026, 11, 30), today=today
    )
    assert "before the estimate was given (2026-12-01)" in early["tendered_on"]


# -- the state machine ---------------------------------------------------------------------


def test_every_state_has_a_label_and_a_row_and_closed_states_go_nowhere():
    assert set(rules.LABELS) == set(rules.State) == set(rules.TRANSITIONS)
    for state in set(rules.State) - rules.OPEN:
        assert rules.TRANSITIONS[state] == set()


def test_a_mailing_cannot_be_sent_before_the_cost_is_tendered():
    with pytest.raises(Refused, match="“Mailing estimate sent: awaiting tender” to “Mailed"):
        check(rules.TRANSITIONS, rules.LABELS, rules.State.ESTIMATE_SENT, rules.State.MAILED)
    with pytest.raises(Refused, match="it is closed"):
        check(rules.TRANSITIONS, rules.LABELS, rules.State.ACCESS_GIVEN, rules.State.LATE)
    check(rules.TRANSITIONS, rules.LABELS, rules.State.LATE, rules.State.ACCESS_GIVEN)
