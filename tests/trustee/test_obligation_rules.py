"""trustee/obligation_rules.py: whether an open obligation is upcoming, due soon or overdue."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee.obligation_rules import (
    DUE_SOON,
    OPEN,
    OVERDUE,
    UPCOMING,
    Standing,
    standing,
)

DUE = date(2026, 2, 15)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - 15 * DAY, Standing(UPCOMING, DUE - 14 * DAY)),
        (DUE - 14 * DAY, Standing(DUE_SOON, DUE + DAY)),
        (DUE - DAY, Standing(DUE_SOON, DUE + DAY)),
        (DUE, Standing(DUE_SOON, DUE + DAY)),
        (DUE + DAY, Standing(OVERDUE, None)),
        (DUE + 400 * DAY, Standing(OVERDUE, None)),
        (date(2000, 1, 1), Standing(UPCOMING, DUE - 14 * DAY)),
    ],
)
def test_status_at_each_boundary_with_a_fourteen_day_lead(today, expected):
    assert standing(due=DUE, today=today, lead_days=14) == expected


def test_with_no_lead_an_obligation_is_due_soon_only_on_its_due_date():
    assert standing(due=DUE, today=DUE - DAY, lead_days=0) == Standing(UPCOMING, DUE)
    assert standing(due=DUE, today=DUE, lead_days=0) == Standing(DUE_SOON, DUE + DAY)
    assert standing(due=DUE, today=DUE + DAY, lead_days=0) == Standing(OVERDUE, None)


def test_a_negative_lead_is_refused():
    with pytest.raises(ValueError, match="negative"):
        standing(due=DUE, today=DUE, lead_days=-1)


def test_open_statuses():
    assert set(OPEN) == {UPCOMING, DUE_SOON, OVERDUE}


@given(
    due=st.dates(date(1990, 1, 1), date(2040, 12, 31)),
    offset=st.integers(-800, 800),
    lead_days=st.integers(0, 400),
)
def test_next_check_is_the_first_day_the_status_changes(due, offset, lead_days):
    today = due + timedelta(days=offset)
    now = standing(due=due, today=today, lead_days=lead_days)
    assert now.status in OPEN
    assert (now.next_check is None) == (now.status == OVERDUE)
    if now.next_check is None:
        return
    assert now.next_check > today
    then = standing(due=due, today=now.next_check, lead_days=lead_days)
    assert then.status != now.status
    # The day before next_check still has today's status: next_check is the first change.
    before = standing(due=due, today=now.next_check - timedelta(days=1), lead_days=lead_days)
    assert before.status == now.status
