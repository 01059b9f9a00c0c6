"""trustee/calendar.py: the periodic duties of an agreement, computed from its terms.

The agreements are built by hand as the plain values trustee.selectors makes from the model,
with the terms of the demo agreements (trustee/demo_data/demo.yaml). Event clocks, the business
calendar and local_today are in test_calendar_events.py.
"""

import calendar as stdlib_calendar
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee.calendar import (
    AgreementData,
    BusinessCalendar,
    Citation,
    Convention,
    DutyCalendar,
    DutyKind,
    Owner,
    SecurityData,
    TermsData,
)
from trustee.term_rules import MonthDay, TermError, parse_month_day

BUSINESS = BusinessCalendar()

HARTFORD_LISTS = Citation(
    "2.2(a)", "semiannually, on or before February 15 and August 15 of each year, a list"
)
HARTFORD_REPORT = Citation("2.3", "Within 60 days after July 1 of each year")
HARTFORD = AgreementData(
    dated_as_of=date(2001, 10, 26),
    terms=TermsData(
        holder_list_dates=(MonthDay(2, 15), MonthDay(8, 15)),
        report_anchor=MonthDay(7, 1),
        report_window_days=60,
        citations={"holder_list_dates": HARTFORD_LISTS, "report_window_days": HARTFORD_REPORT},
    ),
)

HSB_LISTS = Citation("2.2(a)", "Commencing July 1, 1998, ... on or before January 1 and July 1")
HSB_REPORT = Citation("2.3", "Not later than 60 days following May 15 of each year")
HSB = AgreementData(
    dated_as_of=date(1997, 12, 31),
    terms=TermsData(
        holder_list_dates=(MonthDay(1, 1), MonthDay(7, 1)),
        holder_list_commencement=date(1998, 7, 1),
        report_anchor=MonthDay(5, 15),
        report_window_days=60,
        report_commencement=date(1998, 5, 15),
        default_notice_days=30,
        citations={"holder_list_dates": HSB_LISTS, "report_window_days": HSB_REPORT},
    ),
)

NOTES = SecurityData(
    id=7,
    title="4.75% Senior Notes due March 1, 2014",
    payment_dates=(MonthDay(3, 1), MonthDay(9, 1)),
    first_payment_date=date(2004, 9, 1),
    maturity=date(2014, 3, 1),
    citation=Citation("Schedule II", "Semi-annually in arrears on March 1 and September 1"),
)
NOTES_2004 = AgreementData(dated_as_of=date(2004, 3, 9), terms=TermsData(), securities=(NOTES,))


def with_terms(agreement, **changes):
    return replace(agreement, terms=replace(agreement.terms, **changes))


def between(agreement, start, end, business=BUSINESS):
    return DutyCalendar(agreement, business).between(start, end)


def rows(duties):
    return [(d.key, d.nominal_date, d.due_date, d.flag) for d in duties]


# -- Hartford Capital III ---------------------------------------------------------------------


def test_hartford_lists_and_reports_in_2025_and_2026():
    duties = between(HARTFORD, date(2025, 1, 1), date(2026, 12, 31))
    assert rows(duties) == [
        ("holder_list:2025-02-15", date(2025, 2, 15), date(2025, 2, 15), "weekend"),
        ("holder_list:2025-08-15", date(2025, 8, 15), date(2025, 8, 15), ""),
        ("report_to_holders:2025", date(2025, 8, 30), date(2025, 8, 30), "weekend"),
        ("holder_list:2026-02-15", date(2026, 2, 15), date(2026, 2, 15), "weekend"),
        ("holder_list:2026-08-15", date(2026, 8, 15), date(2026, 8, 15), "weekend"),
        ("report_to_holders:2026", date(2026, 8, 30), date(2026, 8, 30), "weekend"),
    ]
    first = duties[0]
    assert first.is_weekend is True and first.holiday == "" and first.moved is False


def test_each_duty_takes_kind_owner_and_citation_from_its_term():
    lists, reports = [], []
    for duty in between(HARTFORD, date(2025, 1, 1), date(2025, 12, 31)):
        (lists if duty.kind is DutyKind.HOLDER_LIST else reports).append(duty)
    assert len(lists) == 2 and len(reports) == 1
    for duty in lists:
        assert (duty.owed_by, duty.title) == (Owner.GUARANTOR, "List of Holders")
        assert (duty.section, duty.quote) == (HARTFORD_LISTS.section, HARTFORD_LISTS.quote)
        assert duty.security_id is None
    (report,) = reports
    assert (report.kind, report.owed_by, report.title) == (
        DutyKind.REPORT_TO_HOLDERS,
        Owner.TRUSTEE,
        "Report to Holders",
    )
    assert (report.section, report.quote) == (HARTFORD_REPORT.section, HARTFORD_REPORT.quote)


def test_a_term_without_citation_gives_an_empty_section():
    (duty,) = between(with_terms(HARTFORD, citations={}), date(2025, 8, 15), date(2025, 8, 15))
    assert (duty.key, duty.section, duty.quote) == ("holder_list:2025-08-15", "", "")


def test_following_moves_a_sunday_list_past_washingtons_birthday():
    assert BUSINESS.holiday(date(2026, 2, 16)) == "Washington's Birthday"
    agreement = with_terms(HARTFORD, business_day_convention=Convention.FOLLOWING)
    (duty,) = between(agreement, date(2026, 2, 1), date(2026, 2, 28))
    assert duty.key == "holder_list:2026-02-15"
    assert (duty.nominal_date, duty.due_date) == (date(2026, 2, 15), date(2026, 2, 17))
    assert duty.moved is True and duty.flag == "" and duty.is_weekend is False


def test_preceding_moves_a_sunday_list_back_to_friday():
    agreement = with_terms(HARTFORD, business_day_convention=Convention.PRECEDING)
    (duty,) = between(agreement, date(2026, 2, 1), date(2026, 2, 28))
    assert (duty.key, duty.due_date) == ("holder_list:2026-02-15", date(2026, 2, 13))


def test_modified_following_rolls_back_when_following_leaves_the_month():
    may_31 = with_terms(HARTFORD, holder_list_dates=(MonthDay(5, 31),))
    following = with_terms(may_31, business_day_convention=Convention.FOLLOWING)
    modified = with_terms(may_31, business_day_convention=Convention.MODIFIED_FOLLOWING)
    june_window = (date(2026, 5, 1), date(2026, 6, 30))
    assert [d.due_date for d in between(following, *june_window)] == [date(2026, 6, 1)]
    assert [d.due_date for d in between(modified, *june_window)] == [date(2026, 5, 29)]
    # Hartford's own 2025 report: Saturday August 30, then Labor Day on Monday September 1.
    reports = (date(2025, 8, 1), date(2025, 9, 30))
    assert BUSINESS.holiday(date(2025, 9, 1)) == "Labor Day"
    report = with_terms(HARTFORD, holder_list_dates=())
    for convention, due in [
        ("following", date(2025, 9, 2)),
        ("modified_following", date(2025, 8, 29)),
    ]:
        (duty,) = between(with_terms(report, business_day_convention=convention), *reports)
        assert (duty.key, duty.due_date) == ("report_to_holders:2025", due)


def test_a_moved_duty_belongs_to_the_range_of_its_due_date_not_its_nominal_date():
    agreement = with_terms(HARTFORD, business_day_convention=Convention.FOLLOWING)
    assert rows(between(agreement, date(2026, 2, 17), date(2026, 2, 17))) == [
        ("holder_list:2026-02-15", date(2026, 2, 15), date(2026, 2, 17), "")
    ]
    assert between(agreement, date(2026, 2, 1), date(2026, 2, 16)) == []


def test_a_holiday_flag_wins_over_the_weekend_flag():
    # Independence Day 2026 is a Saturday; the New York table still lists it.
    agreement = with_terms(HARTFORD, holder_list_dates=(MonthDay(7, 4),))
    (duty,) = between(agreement, date(2026, 7, 4), date(2026, 7, 4))
    assert duty.is_weekend is True and duty.flag == "Independence Day"


def test_hartford_has_nothing_on_or_before_its_date_without_commencement():
    duties = between(HARTFORD, date(1990, 1, 1), date(2002, 12, 31))
    assert all(d.due_date > date(2001, 10, 26) for d in duties)
    assert [d.key for d in duties] == [
        "holder_list:2002-02-15",
        "holder_list:2002-08-15",
        "report_to_holders:2002",
    ]


@pytest.mark.parametrize(
    ("dated", "keys"),
    [
        (date(2001, 8, 15), []),
        (date(2001, 8, 14), ["holder_list:2001-08-15"]),
        (date(2001, 7, 1), ["holder_list:2001-08-15"]),
        (date(2001, 6, 30), ["holder_list:2001-08-15", "report_to_holders:2001"]),
    ],
)
def test_a_duty_on_the_dated_as_of_day_is_not_owed_the_day_after_it_is(dated, keys):
    duties = between(replace(HARTFORD, dated_as_of=dated), date(2001, 3, 1), date(2001, 12, 31))
    assert [d.key for d in duties] == keys


def test_without_dated_as_of_or_commencement_every_year_counts():
    duties = between(replace(HARTFORD, dated_as_of=None), date(1990, 1, 1), date(1990, 12, 31))
    assert [d.key for d in duties] == [
        "holder_list:1990-02-15",
        "holder_list:1990-08-15",
        "report_to_holders:1990",
    ]


# -- HSB Capital II -----------------------------------------------------------------------------


def test_hsb_lists_and_reports_in_2025_and_2026():
    assert rows(between(HSB, date(2025, 1, 1), date(2026, 12, 31))) == [
        ("holder_list:2025-01-01", date(2025, 1, 1), date(2025, 1, 1), "New Year's Day"),
        ("holder_list:2025-07-01", date(2025, 7, 1), date(2025, 7, 1), ""),
        ("report_to_holders:2025", date(2025, 7, 14), date(2025, 7, 14), ""),
        ("holder_list:2026-01-01", date(2026, 1, 1), date(2026, 1, 1), "New Year's Day"),
        ("holder_list:2026-07-01", date(2026, 7, 1), date(2026, 7, 1), ""),
        ("report_to_holders:2026", date(2026, 7, 14), date(2026, 7, 14), ""),
    ]


def test_hsb_has_nothing_before_its_commencement_dates():
    duties = between(HSB, date(1990, 1, 1), date(1999, 12, 31))
    # No list on January 1, 1998: after the dated-as-of date, before "Commencing July 1, 1998".
    assert [(d.key, d.due_date) for d in duties] == [
        ("holder_list:1998-07-01", date(1998, 7, 1)),
        ("report_to_holders:1998", date(1998, 7, 14)),
        ("holder_list:1999-01-01", date(1999, 1, 1)),
        ("holder_list:1999-07-01", date(1999, 7, 1)),
        ("report_to_holders:1999", date(1999, 7, 14)),
    ]
    assert all(d.section == "2.2(a)" for d in duties if d.kind is DutyKind.HOLDER_LIST)
    assert all(d.section == "2.3" for d in duties if d.kind is DutyKind.REPORT_TO_HOLDERS)


# -- securities ---------------------------------------------------------------------------------


def test_2004_notes_pay_twenty_times_and_mature_once():
    duties = between(NOTES_2004, date(2000, 1, 1), date(2020, 12, 31))
    payments = [d for d in duties if d.kind is DutyKind.PAYMENT]
    maturities = [d for d in duties if d.kind is DutyKind.MATURITY]
    expected = [date(2004, 9, 1)] + [
        date(year, month, 1) for year in range(2005, 2014) for month in (3, 9)
    ]
    expected.append(date(2014, 3, 1))
    assert [d.due_date for d in payments] == expected and len(expected) == 20
    assert payments[0].key == "payment:7:2004-09-01"
    assert [(d.key, d.due_date, d.flag) for d in maturities] == [
        ("maturity:7:2014-03-01", date(2014, 3, 1), "weekend")
    ]
    for duty in duties:
        assert (duty.owed_by, duty.security_id) == (Owner.GUARANTOR, 7)
        assert (duty.section, duty.quote) == (NOTES.citation.section, NOTES.citation.quote)
    assert (
        payments[0].title == "Interest / distribution payment: 4.75% Senior Notes due March 1, 2014"
    )
    assert maturities[0].title == "Payment at maturity: 4.75% Senior Notes due March 1, 2014"


def test_2004_notes_have_nothing_before_the_first_payment_or_after_maturity():
    assert between(NOTES_2004, date(2004, 3, 1), date(2004, 8, 31)) == []
    assert between(NOTES_2004, date(2014, 3, 2), date(2030, 12, 31)) == []
    first = between(NOTES_2004, date(2004, 9, 1), date(2004, 9, 1))
    assert [d.key for d in first] == ["payment:7:2004-09-01"]


def test_a_security_without_first_payment_date_only_matures():
    security = replace(NOTES, first_payment_date=None)
    duties = between(
        replace(NOTES_2004, securities=(security,)), date(2004, 1, 1), date(2020, 1, 1)
    )
    assert [d.key for d in duties] == ["maturity:7:2014-03-01"]


def test_a_perpetual_security_keeps_paying():
    security = replace(NOTES, maturity=None)
    duties = between(
        replace(NOTES_2004, securities=(security,)), date(2040, 1, 1), date(2040, 12, 31)
    )
    assert [d.key for d in duties] == ["payment:7:2040-03-01", "payment:7:2040-09-01"]


# -- compliance certificates and fixed report dates --------------------------------------------

CERTIFICATE = Citation("4.3", "within 90 days after the end of each fiscal year")


def test_compliance_certificate_is_due_ninety_days_after_the_fiscal_year():
    agreement = with_terms(
        HARTFORD,
        holder_list_dates=(),
        report_anchor=None,
        fiscal_year_end=MonthDay(12, 31),
        compliance_certificate_days=90,
        citations={"compliance_certificate_days": CERTIFICATE},
    )
    (duty,) = between(agreement, date(2026, 1, 1), date(2026, 12, 31))
    assert (duty.kind, duty.key, duty.due_date) == (
        DutyKind.COMPLIANCE_CERTIFICATE,
        "compliance_certificate:2025-12-31",
        date(2026, 3, 31),
    )
    assert (duty.owed_by, duty.section, duty.quote) == (Owner.GUARANTOR, "4.3", CERTIFICATE.quote)
    # A fiscal year that ended before the agreement was dated owes no certificate.
    early = [d.key for d in between(agreement, date(2001, 1, 1), date(2002, 12, 31))]
    assert early == ["compliance_certificate:2001-12-31"]


@pytest.mark.parametrize(
    "terms",
    [{"fiscal_year_end": MonthDay(12, 31)}, {"compliance_certificate_days": 90}],
)
def test_no_compliance_certificate_without_both_terms(terms):
    agreement = AgreementData(dated_as_of=None, terms=TermsData(**terms))
    assert between(agreement, date(2020, 1, 1), date(2030, 12, 31)) == []


def test_a_fixed_report_date_gives_one_report_a_year():
    terms = TermsData(
        report_due=MonthDay(7, 15),
        citations={"report_due": Citation("7.3", "on or before July 15")},
    )
    duties = between(AgreementData(None, terms), date(2020, 1, 1), date(2024, 12, 31))
    assert [(d.key, d.due_date, d.section) for d in duties] == [
        (f"report_to_holders:{year}", date(year, 7, 15), "7.3") for year in range(2020, 2025)
    ]
    later = AgreementData(None, replace(terms, report_commencement=date(2022, 7, 15)))
    keys = [d.key for d in between(later, date(2020, 1, 1), date(2024, 12, 31))]
    assert keys == ["report_to_holders:2022", "report_to_holders:2023", "report_to_holders:2024"]


def test_an_anchor_without_a_window_or_due_date_gives_no_report():
    agreement = AgreementData(None, TermsData(report_anchor=MonthDay(7, 1)))
    assert between(agreement, date(2020, 1, 1), date(2024, 12, 31)) == []


def test_between_refuses_a_range_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        between(HARTFORD, date(2026, 1, 2), date(2026, 1, 1))


# -- properties ---------------------------------------------------------------------------------

VALID_DAYS = [
    (month, day)
    for month in range(1, 13)
    for day in range(1, stdlib_calendar.monthrange(2001, month)[1] + 1)
]
month_days = st.sampled_from(VALID_DAYS).map(lambda md: MonthDay(*md))
conventions = st.sampled_from(list(Convention))
LAST_DAY = date(2040, 12, 31)
some_dates = st.dates(date(1985, 1, 1), LAST_DAY)


@st.composite
def agreements(draw, convention=conventions):
    terms = TermsData(
        holder_list_dates=tuple(draw(st.lists(month_days, min_size=1, max_size=12, unique=True))),
        holder_list_commencement=draw(st.none() | some_dates),
        report_anchor=draw(month_days),
        report_window_days=draw(st.integers(1, 365)),
        report_commencement=draw(st.none() | some_dates),
        fiscal_year_end=draw(st.none() | month_days),
        compliance_certificate_days=draw(st.none() | st.integers(1, 365)),
        business_day_convention=draw(convention),
    )
    securities = ()
    if draw(st.booleans()):
        first = draw(some_dates)
        payment_dates = draw(st.lists(month_days, min_size=1, max_size=4, unique=True))
        maturity = draw(st.none() | st.dates(first, LAST_DAY))
        securities = (SecurityData(1, "Notes", tuple(payment_dates), first, maturity),)
    return AgreementData(draw(st.none() | some_dates), terms, securities)


@st.composite
def ranges(draw):
    start = draw(st.dates(date(1990, 1, 1), LAST_DAY))
    length = draw(st.integers(0, min(1500, (LAST_DAY - start).days)))
    return start, start + timedelta(days=length)


@given(agreements(), ranges())
def test_every_duty_is_inside_the_range_and_in_date_order(agreement, span):
    start, end = span
    duties = between(agreement, start, end)
    assert all(start <= d.due_date <= end for d in duties)
    assert [d.due_date for d in duties] == sorted(d.due_date for d in duties)
    assert len({d.key for d in duties}) == len(duties)


@given(agreements(), ranges())
def test_the_same_terms_give_the_same_duties(agreement, span):
    duty_calendar = DutyCalendar(agreement, BUSINESS)
    first = duty_calendar.between(*span)
    assert duty_calendar.between(*span) == first
    assert DutyCalendar(agreement, BusinessCalendar()).between(*span) == first


@given(agreements(), ranges())
def test_holder_lists_match_a_brute_force_count(agreement, span):
    start, end = span
    terms, dated = agreement.terms, agreement.dated_as_of
    expected = set()
    for year in range(start.year - 1, end.year + 2):
        for month_day in terms.holder_list_dates:
            nominal = date(year, month_day.month, month_day.day)
            first = terms.holder_list_commencement
            if (first and nominal < first) or (not first and dated and nominal <= dated):
                continue
            if start <= BUSINESS.adjust(nominal, terms.business_day_convention) <= end:
                expected.add(f"holder_list:{nominal}")
    duties = between(agreement, start, end)
    assert {d.key for d in duties if d.kind is DutyKind.HOLDER_LIST} == expected


@given(agreements(), ranges(), st.data())
def test_splitting_a_range_changes_nothing(agreement, span, data):
    start, end = span
    if start == end:
        end += timedelta(days=1)
    middle = start + timedelta(days=data.draw(st.integers(0, (end - start).days - 1)))
    whole = between(agreement, start, end)
    parts = between(agreement, start, middle) + between(agreement, middle + timedelta(1), end)
    assert parts == whole


@given(agreements(), ranges())
def test_convention_none_never_moves_a_date(agreement, span):
    agreement = with_terms(agreement, business_day_convention=Convention.NONE)
    assert all(d.due_date == d.nominal_date for d in between(agreement, *span))


@given(agreements(st.sampled_from(list(Convention)[1:])), ranges())
def test_a_moved_date_is_a_nearby_business_day_in_the_right_direction(agreement, span):
    convention = agreement.terms.business_day_convention
    for duty in between(agreement, *span):
        moved = duty.due_date - duty.nominal_date
        assert BUSINESS.is_business_day(duty.due_date) and duty.flag == ""
        assert abs(moved) <= timedelta(days=7)
        if convention is Convention.FOLLOWING:
            assert moved >= timedelta(0)
        elif convention is Convention.PRECEDING:
            assert moved <= timedelta(0)
        else:
            assert duty.due_date.month == duty.nominal_date.month


@given(st.integers(1990, 2040))
def test_a_window_across_february_counts_calendar_days(year):
    agreement = AgreementData(None, TermsData(report_anchor=MonthDay(1, 15), report_window_days=45))
    (duty,) = between(agreement, date(year, 1, 1), date(year, 12, 31))
    assert duty.due_date == date(year, 1, 15) + timedelta(days=45)
    assert duty.due_date == (
        date(year, 2, 29) if stdlib_calendar.isleap(year) else date(year, 3, 1)
    )


@given(month_days, st.integers(1990, 2040))
def test_every_yearly_date_exists_in_every_year_and_february_29_is_refused(month_day, year):
    assert date(year, month_day.month, month_day.day).year == year
    with pytest.raises(TermError, match="February 29"):
        MonthDay(2, 29)
    with pytest.raises(TermError, match="February 29"):
        parse_month_day("Feb 29")
