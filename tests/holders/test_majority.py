from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holders.majority import AT_LEAST, MORE_THAN, tally

D = Decimal


def test_exactly_half_is_not_more_than_half_but_is_at_least_half():
    assert not tally(
        eligible=D(100), consenting=D(50), threshold_percent=D(50), comparison=MORE_THAN
    ).met
    assert tally(
        eligible=D(100), consenting=D(50), threshold_percent=D(50), comparison=AT_LEAST
    ).met
    assert tally(
        eligible=D(100), consenting=D("50.01"), threshold_percent=D(50), comparison=MORE_THAN
    ).met


def test_needed_is_the_least_amount_that_meets_the_threshold():
    more = tally(eligible=D(100), consenting=D(0), threshold_percent=D(50), comparison=MORE_THAN)
    least = tally(eligible=D(100), consenting=D(0), threshold_percent=D(50), comparison=AT_LEAST)
    assert (more.needed, least.needed) == (D("50.01"), D(50))
    odd = tally(eligible=D("0.03"), consenting=D(0), threshold_percent=D(50), comparison=AT_LEAST)
    assert odd.needed == D("0.02")


def test_nothing_eligible_meets_nothing():
    result = tally(eligible=D(0), consenting=D(0), threshold_percent=D(50), comparison=AT_LEAST)
    assert not result.met and result.percent == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"comparison": "most"}, "Unknown comparison"),
        ({"threshold_percent": D(0)}, "threshold"),
        ({"threshold_percent": D("100.5")}, "threshold"),
        ({"consenting": D(-1)}, "negative"),
        ({"consenting": D(101)}, "More was voted"),
    ],
)
def test_impossible_counts_are_refused(kwargs, message):
    values = {
        "eligible": D(100),
        "consenting": D(10),
        "threshold_percent": D(50),
        "comparison": MORE_THAN,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        tally(**values)


def test_explain_shows_the_numbers():
    text = tally(
        eligible=D(4000),
        consenting=D(2100),
        excluded=D(1000),
        threshold_percent=D(50),
        comparison=MORE_THAN,
    ).explain("liquidation amount")
    assert "2,100.00 of 4,000.00 liquidation amount" in text
    assert "52.5000%" in text and "more than 50%" in text and ": met." in text
    assert "Affiliate: 1,000.00" in text


cents = st.integers(min_value=0, max_value=10**14).map(lambda n: D(n) / 100)


@given(
    eligible=cents,
    share=st.fractions(0, 1),
    threshold=st.integers(1, 100),
    comparison=st.sampled_from([MORE_THAN, AT_LEAST]),
)
def test_met_agrees_with_exact_fractions_and_with_needed(eligible, share, threshold, comparison):
    consenting = (eligible * D(share.numerator) / D(share.denominator)).quantize(D("0.01"))
    consenting = min(consenting, eligible)
    result = tally(
        eligible=eligible,
        consenting=consenting,
        threshold_percent=D(threshold),
        comparison=comparison,
    )
    from fractions import Fraction

    ratio = Fraction(consenting) * 100
    bar = Fraction(eligible) * threshold
    expected = eligible > 0 and (ratio > bar if comparison == MORE_THAN else ratio >= bar)
    assert result.met == expected
    if eligible > 0:
        assert result.met == (consenting >= result.needed)
