"""§4.2's rules on plain values: what the successor window runs from, when the trustee may
petition, what a resignation or removal needs, and that nothing takes effect before a
successor has accepted."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee import succession_rules as rules
from trustee.workflow_rules import Refused, check

D = date(2026, 9, 1)


def test_hartford_counts_from_the_instrument_delivered_to_the_guarantor():
    assert rules.clock_start(
        runs_from="resignation_delivered", delivered_on=D, holders_notified_on=None
    ) == ("delivered_on", D)


def test_hsb_counts_from_the_notice_to_the_holders_and_the_guarantor():
    later = D + timedelta(days=4)
    assert rules.clock_start(
        runs_from="notice_to_holders", delivered_on=D, holders_notified_on=later
    ) == ("holders_notified_on", later)
    with pytest.raises(Refused, match="notice of resignation to the Holders and the Guarantor"):
        rules.clock_start(runs_from="notice_to_holders", delivered_on=D, holders_notified_on=None)


def test_an_agreement_without_the_term_is_refused():
    with pytest.raises(Refused, match="successor_runs_from"):
        rules.clock_start(runs_from="", delivered_on=D, holders_notified_on=None)


def test_the_petition_lies_the_day_after_the_window():
    end = D + timedelta(days=60)
    assert rules.petition_opens_on(end) == date(2026, 11, 1)
    assert not rules.window_passed(end, end)
    assert rules.window_passed(end, end + timedelta(days=1))
    assert not rules.window_passed(None, end + timedelta(days=400))  # a removal has none


@given(end=st.dates(), offset=st.integers(-400, 400))
def test_the_window_has_passed_exactly_after_its_last_day(end, offset):
    try:
        today = end + timedelta(days=offset)
    except OverflowError:
        return
    assert rules.window_passed(end, today) == (offset >= 1)


def problems(**values):
    base = {
        "kind": "resignation",
        "delivered_on": D,
        "holders_notified_on": None,
        "today": D + timedelta(days=1),
    }
    return rules.record_problems(**{**base, **values})


def test_a_resignation_delivered_in_the_past_is_fine():
    assert problems() == {}
    assert problems(holders_notified_on=D) == {}


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"kind": "abdication"}, "kind", "Unknown kind"),
        ({"delivered_on": None}, "delivered_on", "Give the day"),
        ({"delivered_on": D + timedelta(days=2)}, "delivered_on", "in the future"),
        ({"holders_notified_on": D + timedelta(days=5)}, "holders_notified_on", "in the future"),
        ({"holders_notified_on": D - timedelta(days=1)}, "holders_notified_on", "before it was"),
        ({"kind": "removal"}, "removed_by", "the Guarantor (§4.2(a))"),
        ({"kind": "removal", "removed_by": "holders"}, "solicitation", "majority"),
    ],
)
def test_what_is_wrong_is_named_by_field(values, field, message):
    found = problems(**values)
    assert field in found and message in found[field]


def test_a_removal_by_the_guarantor_or_by_a_carried_vote_is_fine():
    assert problems(kind="removal", removed_by="guarantor") == {}
    assert problems(kind="removal", removed_by="holders", removal_vote_met=True) == {}


def test_nothing_takes_effect_before_a_successor_has_accepted():
    none = rules.effective_refusal(successor_name="", appointed_on=None, accepted_on=D)
    assert none.startswith("§4.2: no removal or resignation") and "no successor" in none
    unaccepted = rules.effective_refusal(
        successor_name="Successor Bank", appointed_on=D, accepted_on=None
    )
    assert "acceptance" in unaccepted
    early = rules.effective_refusal(
        successor_name="Successor Bank", appointed_on=D, accepted_on=D - timedelta(days=1)
    )
    assert early == "A successor cannot accept before it was appointed."
    assert (
        rules.effective_refusal(successor_name="Successor Bank", appointed_on=D, accepted_on=D)
        is None
    )


def test_the_state_table():
    assert set(rules.LABELS) == set(rules.State) == set(rules.TRANSITIONS)
    assert rules.TRANSITIONS[rules.State.ACCEPTED] == set()
    with pytest.raises(Refused, match="“Delivered: successor window running” to “Successor acc"):
        check(rules.TRANSITIONS, rules.LABELS, rules.State.DELIVERED, rules.State.ACCEPTED)
    check(rules.TRANSITIONS, rules.LABELS, rules.State.PETITION_OPEN, rules.State.ACCEPTED)
