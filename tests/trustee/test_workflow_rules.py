"""The workflows' pure rules: which transitions are allowed, and the date arithmetic."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee import workflow_rules as rules

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
LABELS = {**{s: s.value for s in rules.ListState}}


@given(due=days, lead=st.integers(min_value=0, max_value=365))
def test_a_request_opens_lead_days_before_its_due_date(due, lead):
    assert (due - rules.request_opens_on(due, lead)).days == lead


@given(since=days, every=st.integers(min_value=1, max_value=60), gap=st.integers(0, 120))
def test_escalations_come_once_at_once_then_every_n_days(since, every, gap):
    today = since + timedelta(days=gap)
    assert rules.escalation_due(
        overdue_since=since, last_escalated=None, every_days=every, today=today
    )
    assert rules.escalation_due(
        overdue_since=since, last_escalated=since, every_days=every, today=today
    ) == (gap >= every)


def test_no_escalation_before_the_request_is_overdue():
    day = date(2027, 8, 16)
    assert not rules.escalation_due(
        overdue_since=day, last_escalated=None, every_days=7, today=day - timedelta(days=1)
    )


@given(affirmed=days, every=st.integers(min_value=1, max_value=365))
def test_a_withholding_lapses_after_its_review_interval(affirmed, every):
    assert rules.withholding_lapses_on(affirmed, every) - affirmed == timedelta(days=every)


@given(occurred=days, cure=st.integers(0, 400), payment=st.booleans())
def test_when_a_default_becomes_an_event_of_default(occurred, cure, payment):
    cure_ends = occurred + timedelta(days=cure)
    becomes = rules.becomes_event_of_default_on(
        occurred=occurred, is_payment=payment, cure_ends=cure_ends
    )
    assert becomes == (occurred if payment else cure_ends + timedelta(days=1))


def test_a_non_payment_default_needs_a_cure_period():
    with pytest.raises(rules.Refused, match="no cure period"):
        rules.becomes_event_of_default_on(
            occurred=date(2027, 1, 1), is_payment=False, cure_ends=None
        )


@pytest.mark.parametrize(
    ("payment", "responsible", "rationale", "refusal"),
    [
        (True, True, "Good reasons.", "may not be withheld"),
        (False, False, "Good reasons.", "Responsible Officer"),
        (False, True, "  ", "Record why"),
        (False, True, "Good reasons.", None),
    ],
)
def test_who_may_withhold_a_notice_and_when(payment, responsible, rationale, refusal):
    said = rules.withholding_refusal(
        is_payment=payment, is_responsible_officer=responsible, rationale=rationale
    )
    assert (said is None) if refusal is None else (refusal in said)


def test_closed_states_allow_nothing_and_refusals_name_both_states():
    for table in (rules.LIST_TRANSITIONS, rules.REPORT_TRANSITIONS, rules.DEFAULT_TRANSITIONS):
        for state, following in table.items():
            assert following <= set(table), state  # every target is a known state
    with pytest.raises(rules.Refused, match="“accepted” to “requested”; it is closed"):
        rules.check(rules.LIST_TRANSITIONS, LABELS, "accepted", "requested")
    with pytest.raises(rules.Refused, match=r"from here: .*overdue"):
        rules.check(rules.LIST_TRANSITIONS, LABELS, "requested", "accepted")
    rules.check(rules.LIST_TRANSITIONS, LABELS, "requested", "received")


def test_the_checklist_needs_every_answer_and_facts_for_a_yes():
    nothing = {code: {"yes": False} for code in rules.CHECKLIST_CODES}
    assert rules.checklist_problems(nothing) == []
    assert not rules.anything_to_report(nothing)
    missing = rules.checklist_problems({})
    assert len(missing) == len(rules.TIA_313_CHECKLIST) and "§313(a)(1)" in missing[0]
    yes = {**nothing, "property": {"yes": True, "facts": ""}}
    assert rules.checklist_problems(yes) == [
        "§313(a)(5): say what happened — Property and funds held by the trustee."
    ]
    yes["property"]["facts"] = "None held."
    assert rules.anything_to_report(yes) and not rules.checklist_problems(yes)


@pytest.mark.parametrize("method", ["in_person", "telecopy", "first_class_mail", "refused"])
def test_the_day_a_request_counts_as_received_under_8_3(method):
    assert rules.deemed_received(method, date(2027, 3, 4)) == date(2027, 3, 4)


def test_an_unknown_way_of_delivery_is_refused():
    with pytest.raises(rules.Refused, match="courier"):
        rules.deemed_received("courier", date(2027, 3, 4))
