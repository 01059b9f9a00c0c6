"""The pure rules of payments, eligibility and conflicting interests (trustee/standing_rules.py):
plain values, no database; hypothesis for the date arithmetic."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee import standing_rules as rules
from trustee.workflow_rules import Refused, check

NY = ZoneInfo("America/New_York")
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


# -- payments --------------------------------------------------------------------------------


def test_a_regular_payment_is_the_rate_on_the_outstanding_divided_by_the_dates_a_year():
    expected = rules.expected_payment(
        rate_percent=Decimal("4.75"),
        outstanding=Decimal("200000000"),
        month_days=[(3, 1), (9, 1)],
        due=date(2010, 3, 1),
        first_payment=date(2004, 9, 1),
        issue_date=date(2004, 3, 9),
    )
    assert expected.amount == Decimal("4750000.00")
    assert "2 times a year" in expected.basis


def test_a_quarterly_distribution_rounds_to_the_cent():
    expected = rules.expected_payment(
        rate_percent=Decimal("7.45"),
        outstanding=Decimal("575000000"),
        month_days=[(1, 15), (4, 15), (7, 15), (10, 15)],
        due=date(2027, 1, 15),
        first_payment=None,
        issue_date=None,
    )
    assert expected.amount == Decimal("10709375.00")


def test_a_yearly_payment_says_once_a_year():
    expected = rules.expected_payment(
        rate_percent=Decimal("5"),
        outstanding=Decimal("1000"),
        month_days=[(6, 30)],
        due=date(2027, 6, 30),
        first_payment=None,
        issue_date=None,
    )
    assert expected.amount == Decimal("50.00") and "1 time a year" in expected.basis


def test_a_short_first_period_accrues_from_the_issue_date_on_30_360():
    # The 2004 notes: issued March 9, first interest September 1: 172 days, 30/360.
    expected = rules.expected_payment(
        rate_percent=Decimal("4.75"),
        outstanding=Decimal("200000000"),
        month_days=[(3, 1), (9, 1)],
        due=date(2004, 9, 1),
        first_payment=date(2004, 9, 1),
        issue_date=date(2004, 3, 9),
    )
    assert rules.days_360(date(2004, 3, 9), date(2004, 9, 1)) == 172
    assert expected.amount == Decimal("4538888.89")
    assert "172 days" in expected.basis


def test_a_first_payment_a_full_period_after_issue_is_a_regular_one():
    expected = rules.expected_payment(
        rate_percent=Decimal("6"),
        outstanding=Decimal("1000"),
        month_days=[(3, 1), (9, 1)],
        due=date(2004, 9, 1),
        first_payment=date(2004, 9, 1),
        issue_date=date(2004, 3, 1),
    )
    assert expected.amount == Decimal("30.00")


@pytest.mark.parametrize(
    ("rate", "outstanding", "month_days", "missing"),
    [
        (None, Decimal(1), [(1, 1)], "rate"),
        (Decimal(1), None, [(1, 1)], "outstanding"),
        (Decimal(1), Decimal(1), [], "payment dates"),
    ],
)
def test_an_amount_that_cannot_be_computed_says_what_is_missing(
    rate, outstanding, month_days, missing
):
    expected = rules.expected_payment(
        rate_percent=rate,
        outstanding=outstanding,
        month_days=month_days,
        due=date(2027, 1, 1),
        first_payment=None,
        issue_date=None,
    )
    assert expected.amount is None and missing in expected.basis


def test_maturity_on_a_payment_date_is_the_principal_only():
    expected = rules.expected_maturity(
        rate_percent=Decimal("4.75"),
        outstanding=Decimal("200000000"),
        month_days=[(3, 1), (9, 1)],
        maturity=date(2014, 3, 1),
        issue_date=date(2004, 3, 9),
    )
    assert expected.amount == Decimal("200000000")
    assert "payment of the same day" in expected.basis


def test_maturity_between_payment_dates_adds_the_final_distribution():
    expected = rules.expected_maturity(
        rate_percent=Decimal("6"),
        outstanding=Decimal("1000000"),
        month_days=[(3, 1), (9, 1)],
        maturity=date(2030, 6, 1),
        issue_date=date(2020, 3, 1),
    )
    # March 1 to June 1: 90 days of 6% on 1,000,000 = 15,000.
    assert expected.amount == Decimal("1015000.00")
    assert "final distribution of $15,000.00" in expected.basis


def test_maturity_before_the_first_payment_accrues_from_the_issue_date():
    expected = rules.expected_maturity(
        rate_percent=Decimal("6"),
        outstanding=Decimal("1000"),
        month_days=[(3, 1), (9, 1)],
        maturity=date(2030, 6, 1),
        issue_date=date(2030, 4, 1),
    )
    assert expected.amount == Decimal("1010.00")


def test_maturity_without_a_rate_or_an_outstanding():
    no_rate = rules.expected_maturity(
        rate_percent=None,
        outstanding=Decimal("1000"),
        month_days=[],
        maturity=date(2030, 6, 1),
        issue_date=None,
    )
    assert no_rate.amount == Decimal("1000") and "principal only" in no_rate.basis
    unknown = rules.expected_maturity(
        rate_percent=Decimal(1),
        outstanding=None,
        month_days=[],
        maturity=date(2030, 6, 1),
        issue_date=None,
    )
    assert unknown.amount is None


def test_previous_payment_date_reads_february_29_in_a_common_year_as_the_28th():
    assert rules.previous_payment_date([(2, 29), (8, 29)], date(2027, 3, 1)) == date(2027, 2, 28)
    with pytest.raises(ValueError, match="No payment dates"):
        rules.previous_payment_date([], date(2027, 3, 1))


@given(dates, dates)
def test_30_360_days_grow_with_the_end_date(a, b):
    start, end = min(a, b), max(a, b)
    assert rules.days_360(start, start) == 0
    assert 0 <= rules.days_360(start, end) <= rules.days_360(start, end + timedelta(days=1))


@given(dates.filter(lambda d: d.day <= 28), st.integers(0, 240))
def test_30_360_counts_each_whole_month_as_30_days(start, months):
    year, month = divmod(start.month - 1 + months, 12)
    end = date(start.year + year, month + 1, start.day)
    assert rules.days_360(start, end) == 30 * months


@given(dates, st.sampled_from([[(3, 1), (9, 1)], [(1, 15), (4, 15), (7, 15), (10, 15)], [(6, 30)]]))
def test_the_previous_payment_date_is_a_payment_date_within_a_year_before(day, month_days):
    previous = rules.previous_payment_date(month_days, day)
    assert previous < day <= previous + timedelta(days=366)
    assert (previous.month, previous.day) in month_days


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal("1e12"), places=2),
    st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2)),
)
def test_a_shortfall_is_never_negative_and_zero_once_paid(expected, received):
    short = rules.shortfall(expected, received)
    assert short >= 0
    assert (short == 0) == (sum(received, Decimal(0)) >= expected)


def test_the_shortfall_of_a_partial_payment():
    assert rules.shortfall(Decimal("100.00"), [Decimal("60.00"), Decimal("15.50")]) == Decimal(
        "24.50"
    )


def _at(day, hour):
    return datetime(day.year, day.month, day.day, hour, tzinfo=NY)


def test_the_cut_off_waits_for_the_hour_on_the_payment_date():
    due = date(2027, 3, 1)
    assert not rules.past_cutoff(due=due, today=due, local_now=_at(due, 0), cutoff_hour=12)
    assert not rules.past_cutoff(due=due, today=due, local_now=_at(due, 11), cutoff_hour=12)
    assert rules.past_cutoff(due=due, today=due, local_now=_at(due, 12), cutoff_hour=12)
    assert rules.past_cutoff(due=due, today=due, local_now=_at(due, 0), cutoff_hour=0)
    with pytest.raises(ValueError, match="0 to 24"):
        rules.past_cutoff(due=due, today=due, local_now=_at(due, 0), cutoff_hour=25)


@given(dates, dates, st.integers(0, 23), st.integers(0, 24))
def test_the_cut_off_never_falls_before_the_date_and_always_after_it(due, today, hour, cutoff):
    clock = _at(today, hour)
    passed = rules.past_cutoff(due=due, today=today, local_now=clock, cutoff_hour=cutoff)
    if today < due:
        assert not passed
    elif today > due:
        assert passed
    else:
        assert passed == (hour >= cutoff)


@given(dates, st.integers(-3, 3))
def test_catching_up_on_a_day_the_clock_has_left_treats_that_day_as_over(due, shift):
    clock = _at(due + timedelta(days=shift), 1)
    passed = rules.past_cutoff(due=due, today=due, local_now=clock, cutoff_hour=12)
    assert passed == (shift > 0)


def test_payment_transitions():
    labels = {s: s.value for s in rules.PaymentState}
    check(rules.PAYMENT_TRANSITIONS, labels, "expected", "defaulted")
    check(rules.PAYMENT_TRANSITIONS, labels, "defaulted", "paid_late")
    with pytest.raises(Refused, match="it is closed"):
        check(rules.PAYMENT_TRANSITIONS, labels, "paid", "defaulted")
    with pytest.raises(Refused):
        check(rules.PAYMENT_TRANSITIONS, labels, "defaulted", "paid")


def test_money_shows_cents_or_a_dash():
    assert rules.money(Decimal("1234.5")) == "$1,234.50"
    assert rules.money(None) == "—"


# -- eligibility -----------------------------------------------------------------------------


def _condition(capital="75000000", charter="state_bank", rating=2):
    return rules.Condition(
        report_date=date(2026, 9, 30),
        capital_surplus=Decimal(capital),
        charter=charter,
        rating_category=rating,
    )


def test_75_million_meets_a_50_million_minimum_and_fails_a_100_million_one():
    passes = rules.eligibility(
        condition=_condition(),
        requirements=rules.Requirements(Decimal("50000000"), None),
        is_affiliate=False,
    )
    fails = rules.eligibility(
        condition=_condition(),
        requirements=rules.Requirements(Decimal("100000000"), None),
        is_affiliate=False,
    )
    assert passes.state == "eligible" and not passes.failures
    assert fails.state == "ineligible"
    assert fails.failures == (
        "Fails §4.1(a)(ii): combined capital and surplus of $75,000,000.00 (report of "
        "condition of 2026-09-30) is $25,000,000.00 short of the $100,000,000.00 minimum.",
    )


def test_exactly_the_minimum_meets_it():
    outcome = rules.eligibility(
        condition=_condition(capital="50000000"),
        requirements=rules.Requirements(Decimal("50000000"), None),
        is_affiliate=False,
    )
    assert outcome.state == "eligible"


def test_an_affiliate_of_the_guarantor_is_not_eligible():
    outcome = rules.eligibility(
        condition=_condition(),
        requirements=rules.Requirements(Decimal("50000000"), None),
        is_affiliate=True,
    )
    assert outcome.state == "ineligible"
    assert outcome.failures == ("Fails §4.1(a)(i): the bank is an Affiliate of the Guarantor.",)


def test_an_unrecorded_affiliation_or_minimum_leaves_the_result_incomplete():
    outcome = rules.eligibility(
        condition=_condition(),
        requirements=rules.Requirements(None, None),
        is_affiliate=None,
    )
    assert outcome.state == "incomplete"
    assert any("Affiliate" in r and r.startswith("Unknown §4.1(a)(i)") for r in outcome.reasons)
    assert any("minimum capital" in r for r in outcome.reasons)


def test_a_failure_outranks_a_missing_fact():
    outcome = rules.eligibility(
        condition=_condition(capital="1"),
        requirements=rules.Requirements(Decimal("50000000"), None),
        is_affiliate=None,
    )
    assert outcome.state == "ineligible"


@pytest.mark.parametrize(
    ("charter", "rating", "state", "failure"),
    [
        ("national_bank", 3, "eligible", None),
        ("state_bank", 1, "eligible", None),
        ("state_bank", 4, "ineligible", "rated in category 4, not in one of the 3 highest"),
        ("state_bank", None, "ineligible", "not rated, not in one of the 3 highest"),
        ("other", 1, "ineligible", "not a national or state chartered bank"),
    ],
)
def test_a_rating_requirement_checks_the_category_and_the_charter(charter, rating, state, failure):
    outcome = rules.eligibility(
        condition=_condition(charter=charter, rating=rating),
        requirements=rules.Requirements(Decimal("50000000"), 3),
        is_affiliate=False,
    )
    assert outcome.state == state
    if failure:
        assert any(failure in r for r in outcome.failures)


def test_no_rating_requirement_ignores_the_rating():
    outcome = rules.eligibility(
        condition=_condition(charter="other", rating=None),
        requirements=rules.Requirements(Decimal("50000000"), None),
        is_affiliate=False,
    )
    assert outcome.state == "eligible"


def test_the_sections_cited_are_the_agreements_own():
    outcome = rules.eligibility(
        condition=_condition(capital="1"),
        requirements=rules.Requirements(
            Decimal(2), 3, capital_section="6.9(a)", rating_section="6.9(b)"
        ),
        is_affiliate=False,
    )
    assert outcome.failures[0].startswith("Fails §6.9(a)")
    assert any(r.startswith("Meets §6.9(b)") for r in outcome.reasons)


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal("1e11"), places=2),
    st.decimals(min_value=Decimal(0), max_value=Decimal("1e11"), places=2),
)
def test_the_capital_test_is_at_least_the_minimum(capital, minimum):
    outcome = rules.eligibility(
        condition=_condition(capital=capital),
        requirements=rules.Requirements(minimum, None),
        is_affiliate=False,
    )
    assert (outcome.state == "eligible") == (capital >= minimum)


def test_eligibility_transitions():
    labels = {s: s.value for s in rules.EligibilityState}
    check(rules.ELIGIBILITY_TRANSITIONS, labels, "ineligible", "resigning")
    with pytest.raises(Refused):
        check(rules.ELIGIBILITY_TRANSITIONS, labels, "eligible", "resigning")


# -- conflicting interests -------------------------------------------------------------------


def test_no_clock_outside_a_default():
    assert rules.conflict_clock_start(ascertained=date(2027, 1, 5), default_since=None) is None


def test_the_clock_runs_from_the_later_of_ascertainment_and_default():
    assert rules.conflict_clock_start(
        ascertained=date(2027, 1, 5), default_since=date(2027, 3, 1)
    ) == date(2027, 3, 1)
    assert rules.conflict_clock_start(
        ascertained=date(2027, 4, 5), default_since=date(2027, 3, 1)
    ) == date(2027, 4, 5)


def test_90_days_then_10_days():
    deadlines = rules.conflict_deadlines(start=date(2027, 3, 1), days=90, notice_days=10)
    assert deadlines.eliminate_by == date(2027, 5, 30)
    assert deadlines.notice_by == date(2027, 6, 9)
    with pytest.raises(ValueError, match="at least one day"):
        rules.conflict_deadlines(start=date(2027, 3, 1), days=0, notice_days=10)


@given(dates, dates, st.integers(1, 365), st.integers(1, 60))
def test_the_clock_never_starts_before_either_date_and_the_notice_follows(
    ascertained, defaulted, days, notice_days
):
    start = rules.conflict_clock_start(ascertained=ascertained, default_since=defaulted)
    assert start >= ascertained and start >= defaulted and start in (ascertained, defaulted)
    deadlines = rules.conflict_deadlines(start=start, days=days, notice_days=notice_days)
    assert (deadlines.eliminate_by - start).days == days
    assert (deadlines.notice_by - deadlines.eliminate_by).days == notice_days
    assert not rules.conflict_failed(
        today=deadlines.eliminate_by, eliminate_by=deadlines.eliminate_by
    )
    assert rules.conflict_failed(
        today=deadlines.eliminate_by + timedelta(days=1), eliminate_by=deadlines.eliminate_by
    )


def test_conflict_transitions():
    labels = {s: s.value for s in rules.ConflictState}
    check(rules.CONFLICT_TRANSITIONS, labels, "clock_running", "recorded")
    check(rules.CONFLICT_TRANSITIONS, labels, "noticed", "resigned")
    with pytest.raises(Refused, match="from here"):
        check(rules.CONFLICT_TRANSITIONS, labels, "notice_due", "eliminated")


def test_30_360_reads_the_31st_as_the_30th_after_a_30th_or_31st_start():
    assert rules.days_360(date(2027, 1, 31), date(2027, 3, 31)) == 60
    assert rules.days_360(date(2027, 1, 30), date(2027, 3, 31)) == 60
    assert rules.days_360(date(2027, 1, 15), date(2027, 3, 31)) == 76
