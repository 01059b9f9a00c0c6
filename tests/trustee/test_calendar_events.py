"""trustee/calendar.py: duties whose clock runs from an event, the business calendar, and today
in an agreement's time zone. Periodic duties are in test_calendar.py."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from trustee.calendar import (
    AgreementData,
    BusinessCalendar,
    Citation,
    Convention,
    DutyCalendar,
    DutyKind,
    Owner,
    TermsData,
    local_today,
)
from trustee.term_rules import TermError

BUSINESS = BusinessCalendar()

CITATIONS = {
    "holder_list_request_days": Citation("2.2(a)", "within 30 days after the receipt"),
    "default_notice_days": Citation("2.7(a)", "within 90 days after the occurrence"),
    "cure_days": Citation("1.1", "within 60 days after receipt of such notice"),
    "successor_days": Citation("4.2(d)", "within 60 days after delivery to the Guarantor"),
    "conflicting_interest_days": Citation("4.1(c)", "Section 310(b): ninety days"),
    "conflicting_interest_notice_days": Citation("4.1(c)", "Section 310(b): ten days"),
    "holder_communication_business_days": Citation("2.2(b)", "Section 312(b)"),
}
HARTFORD = AgreementData(
    dated_as_of=date(2001, 10, 26),
    terms=TermsData(
        holder_list_request_days=30,
        default_notice_days=90,
        default_notice_runs_from="occurrence",
        cure_days=60,
        cure_runs_from="notice_to_guarantor",
        successor_days=60,
        conflicting_interest_days=90,
        conflicting_interest_notice_days=10,
        holder_communication_business_days=5,
        citations=CITATIONS,
    ),
)
HSB = AgreementData(
    dated_as_of=date(1997, 12, 31),
    terms=replace(HARTFORD.terms, default_notice_days=30, cure_days=90, cure_runs_from="default"),
)


def clock(agreement=HARTFORD, business=BUSINESS, **changes):
    if changes:
        agreement = replace(agreement, terms=replace(agreement.terms, **changes))
    return DutyCalendar(agreement, business)


def test_list_on_request_is_due_thirty_days_after_receipt():
    duty = clock().holder_list_on_request(received=date(2026, 3, 2), event_key="REQ-1")
    assert (duty.kind, duty.key) == (
        DutyKind.HOLDER_LIST_ON_REQUEST,
        "holder_list_on_request:REQ-1",
    )
    assert (duty.nominal_date, duty.due_date) == (date(2026, 4, 1), date(2026, 4, 1))
    assert (duty.owed_by, duty.section, duty.quote) == (
        Owner.GUARANTOR,
        "2.2(a)",
        "within 30 days after the receipt",
    )
    assert duty.title == "List of Holders on request"


@pytest.mark.parametrize(
    ("convention", "due"),
    [
        (Convention.NONE, date(2026, 2, 15)),
        (Convention.FOLLOWING, date(2026, 2, 17)),
        (Convention.PRECEDING, date(2026, 2, 13)),
    ],
)
def test_event_deadlines_follow_the_business_day_convention(convention, due):
    calendar = clock(business_day_convention=convention)
    duty = calendar.holder_list_on_request(received=date(2026, 1, 16), event_key="REQ-2")
    assert (duty.nominal_date, duty.due_date) == (date(2026, 2, 15), due)


@pytest.mark.parametrize(
    ("agreement", "due"), [(HARTFORD, date(2026, 4, 10)), (HSB, date(2026, 2, 9))]
)
def test_default_notice_runs_from_the_occurrence(agreement, due):
    duty = clock(agreement).default_notice(
        occurred=date(2026, 1, 10), known=date(2026, 2, 1), event_key="D-1"
    )
    assert (duty.kind, duty.key, duty.due_date) == (
        DutyKind.DEFAULT_NOTICE,
        "default_notice:D-1",
        due,
    )
    assert (duty.owed_by, duty.section) == (Owner.TRUSTEE, "2.7(a)")


def test_default_notice_running_from_knowledge_uses_the_known_date():
    calendar = clock(default_notice_runs_from="knowledge")
    duty = calendar.default_notice(
        occurred=date(2026, 1, 10), known=date(2026, 2, 1), event_key="D"
    )
    assert duty.due_date == date(2026, 5, 2)
    with pytest.raises(TermError, match="knowledge"):
        calendar.default_notice(occurred=date(2026, 1, 10), known=None, event_key="D")


def test_cure_period_running_from_notice_to_the_guarantor():
    calendar = clock(HARTFORD)
    duty = calendar.cure_period_end(
        defaulted=date(2026, 1, 10), notice_received=date(2026, 1, 20), event_key="D-1"
    )
    assert (duty.kind, duty.key, duty.due_date) == (
        DutyKind.CURE_PERIOD_END,
        "cure_period_end:D-1",
        date(2026, 3, 21),
    )
    assert (duty.owed_by, duty.section) == (Owner.GUARANTOR, "1.1")
    with pytest.raises(TermError, match="received"):
        calendar.cure_period_end(defaulted=date(2026, 1, 10), notice_received=None, event_key="D")


def test_cure_period_running_from_the_default():
    duty = clock(HSB).cure_period_end(
        defaulted=date(2026, 1, 10), notice_received=None, event_key="D-2"
    )
    assert (duty.key, duty.due_date) == ("cure_period_end:D-2", date(2026, 4, 10))


def test_conflicting_interest_gives_elimination_then_notice():
    eliminate, notify = clock().conflicting_interest(ascertained=date(2026, 1, 10), event_key="C")
    assert (eliminate.kind, eliminate.key, eliminate.due_date) == (
        DutyKind.CONFLICT_ELIMINATION,
        "conflict_elimination:C",
        date(2026, 4, 10),
    )
    assert (notify.kind, notify.key, notify.due_date) == (
        DutyKind.CONFLICT_NOTICE,
        "conflict_notice:C",
        date(2026, 4, 20),
    )
    assert eliminate.owed_by is notify.owed_by is Owner.TRUSTEE
    assert (eliminate.quote, notify.quote) == (
        "Section 310(b): ninety days",
        "Section 310(b): ten days",
    )


def test_conflict_notice_counts_from_the_end_of_the_period_not_its_moved_due_date():
    calendar = clock(business_day_convention=Convention.FOLLOWING)
    eliminate, notify = calendar.conflicting_interest(ascertained=date(2026, 1, 11), event_key="C")
    # Day 90 is Saturday April 11: the elimination moves to Monday, the 10 days do not.
    assert (eliminate.nominal_date, eliminate.due_date) == (date(2026, 4, 11), date(2026, 4, 13))
    assert notify.nominal_date == date(2026, 4, 21)


def test_successor_petition_sixty_days_after_resignation():
    duty = clock().successor_petition(resignation_delivered=date(2026, 1, 10), event_key="R")
    assert (duty.kind, duty.key, duty.due_date) == (
        DutyKind.SUCCESSOR_PETITION,
        "successor_petition:R",
        date(2026, 3, 11),
    )
    assert (duty.owed_by, duty.section) == (Owner.TRUSTEE, "4.2(d)")


def test_holder_communication_counts_business_days_over_weekend_and_holiday():
    # Friday February 13, 2026; Monday 16 is Washington's Birthday.
    assert BUSINESS.holiday(date(2026, 2, 16)) == "Washington's Birthday"
    for convention in (Convention.NONE, Convention.PRECEDING):
        duty = clock(business_day_convention=convention).holder_communication(
            application_received=date(2026, 2, 13), event_key="A"
        )
        assert (duty.kind, duty.key) == (DutyKind.HOLDER_COMMUNICATION, "holder_communication:A")
        assert (duty.nominal_date, duty.due_date) == (date(2026, 2, 23), date(2026, 2, 23))
        assert (duty.owed_by, duty.section, duty.flag) == (Owner.TRUSTEE, "2.2(b)", "")


D = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("term", "call"),
    [
        ("holder_list_request_days", lambda c: c.holder_list_on_request(received=D, event_key="E")),
        ("default_notice_days", lambda c: c.default_notice(occurred=D, known=D, event_key="E")),
        ("cure_days", lambda c: c.cure_period_end(defaulted=D, notice_received=D, event_key="E")),
        ("successor_days", lambda c: c.successor_petition(resignation_delivered=D, event_key="E")),
        (
            "conflicting_interest_days",
            lambda c: c.conflicting_interest(ascertained=D, event_key="E"),
        ),
        (
            "conflicting_interest_notice_days",
            lambda c: c.conflicting_interest(ascertained=D, event_key="E"),
        ),
        (
            "holder_communication_business_days",
            lambda c: c.holder_communication(application_received=D, event_key="E"),
        ),
    ],
)
def test_an_event_without_its_term_is_refused_naming_the_term(term, call):
    with pytest.raises(TermError, match=f"\\({term}\\)"):
        call(clock(**{term: None}))


# -- the business calendar ----------------------------------------------------------------------


def test_new_york_banking_days():
    assert BUSINESS.is_business_day(date(2026, 2, 17)) is True
    assert BUSINESS.is_business_day(date(2026, 2, 14)) is False  # Saturday
    assert BUSINESS.is_business_day(date(2026, 2, 15)) is False  # Sunday
    assert BUSINESS.is_business_day(date(2026, 2, 16)) is False  # Washington's Birthday
    # Banks close on Columbus Day and open on Good Friday (the stock exchange does the reverse).
    assert BUSINESS.holiday(date(2026, 10, 12)) == "Columbus Day"
    assert BUSINESS.is_business_day(date(2026, 4, 3)) is True
    assert BUSINESS.holiday(date(2026, 2, 17)) == ""


def test_add_business_days():
    assert BUSINESS.add_business_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert BUSINESS.add_business_days(date(2026, 2, 12), 1) == date(2026, 2, 13)
    assert BUSINESS.add_business_days(date(2026, 2, 13), 1) == date(2026, 2, 17)
    assert BUSINESS.add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 27)  # Thanksgiving
    assert BUSINESS.add_business_days(date(2026, 2, 14), 5) == date(2026, 2, 23)


def test_adjust_leaves_business_days_and_reads_conventions_by_name():
    for convention in Convention:
        assert BUSINESS.adjust(date(2026, 2, 17), convention) == date(2026, 2, 17)
    assert BUSINESS.adjust(date(2026, 2, 15), "following") == date(2026, 2, 17)
    assert BUSINESS.adjust(date(2026, 5, 31), "modified_following") == date(2026, 5, 29)
    with pytest.raises(ValueError):
        BUSINESS.adjust(date(2026, 2, 15), "nearest")


def test_an_injected_holiday_table_replaces_new_york():
    business = BusinessCalendar(holidays={date(2026, 3, 4): "Founders' Day"})
    assert business.holiday(date(2026, 3, 4)) == "Founders' Day"
    assert business.is_business_day(date(2026, 3, 4)) is False
    assert business.is_business_day(date(2026, 2, 16)) is True  # not a holiday in this table
    assert business.add_business_days(date(2026, 3, 3), 1) == date(2026, 3, 5)
    assert business.adjust(date(2026, 3, 4), Convention.PRECEDING) == date(2026, 3, 3)
    duty = clock(business=business).holder_list_on_request(received=date(2026, 2, 2), event_key="R")
    assert (duty.due_date, duty.flag) == (date(2026, 3, 4), "Founders' Day")
    moved = clock(business=business, business_day_convention="following").holder_list_on_request(
        received=date(2026, 2, 2), event_key="R"
    )
    assert moved.due_date == date(2026, 3, 5)


def test_an_empty_holiday_table_has_only_weekends():
    business = BusinessCalendar(holidays={})
    assert business.is_business_day(date(2026, 1, 1)) is True
    assert business.is_business_day(date(2026, 1, 3)) is False


# -- today in the agreement's time zone ---------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "zone", "today"),
    [
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "America/New_York", date(2026, 11, 21)),
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "Asia/Tokyo", date(2026, 11, 22)),
        (datetime(2026, 11, 22, 5, 0, tzinfo=UTC), "America/New_York", date(2026, 11, 22)),
        # Daylight saving: UTC-4 in July, so 03:59 UTC is still the previous day.
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), "America/New_York", date(2026, 6, 30)),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), "America/New_York", date(2026, 7, 1)),
    ],
)
def test_local_today(now, zone, today):
    assert local_today(zone, now) == today
