"""Lists due some Business Days after each date ("one Business Day after each record date")."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import build_terms
from trustee.calendar import AgreementData, BusinessCalendar, DutyCalendar, TermsData
from trustee.term_rules import MonthDay

BUSINESS = BusinessCalendar()


QUARTERLY = (MonthDay(2, 13), MonthDay(5, 15), MonthDay(8, 15), MonthDay(11, 13))


def calendar(offset, dates=QUARTERLY):
    terms = TermsData(holder_list_dates=dates, holder_list_business_days_after=offset)
    return DutyCalendar(AgreementData(dated_as_of=date(2001, 1, 1), terms=terms), BUSINESS)


def test_one_business_day_after_each_quarterly_date():
    duties = calendar(1).between(date(2026, 1, 1), date(2026, 12, 31))
    assert [(d.nominal_date, d.due_date) for d in duties] == [
        # Fri Feb 13 → Tue Feb 17 (Mon Feb 16 is Washington's Birthday)
        (date(2026, 2, 13), date(2026, 2, 17)),
        (date(2026, 5, 15), date(2026, 5, 18)),  # Fri → Mon
        (date(2026, 8, 15), date(2026, 8, 17)),  # Sat → Mon
        (date(2026, 11, 13), date(2026, 11, 16)),
    ]
    assert all(d.key == f"holder_list:{d.nominal_date}" for d in duties)
    assert not any(d.is_weekend or d.holiday for d in duties)


def test_a_list_whose_record_date_is_before_the_range_but_due_inside_it_is_found():
    duties = calendar(10, (MonthDay(12, 24),)).between(date(2027, 1, 1), date(2027, 1, 31))
    assert [(d.nominal_date, d.due_date) for d in duties] == [
        (date(2026, 12, 24), date(2027, 1, 11))
    ]


@given(
    offset=st.integers(1, 30),
    start=st.dates(date(1995, 1, 1), date(2040, 1, 1)),
    span=st.integers(0, 800),
)
def test_due_dates_are_business_days_inside_the_range(offset, start, span):
    end = start + timedelta(days=span)
    duties = calendar(offset).between(start, end)
    assert all(start <= d.due_date <= end for d in duties)
    assert all(BUSINESS.is_business_day(d.due_date) for d in duties)
    assert all(d.due_date > d.nominal_date for d in duties)
    whole = calendar(offset).between(start - timedelta(days=120), end + timedelta(days=120))
    assert [d for d in whole if start <= d.due_date <= end] == duties


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "dates", "field"),
    [
        (0, ["02-15"], "holder_list_business_days_after"),
        (31, ["02-15"], "holder_list_business_days_after"),
        (1, [], "holder_list_dates"),
    ],
)
def test_the_offset_term_is_validated(offset, dates, field):
    from django.core.exceptions import ValidationError

    terms = build_terms(holder_list_business_days_after=offset, holder_list_dates=dates)
    with pytest.raises(ValidationError) as caught:
        terms.full_clean()
    assert field in caught.value.message_dict
