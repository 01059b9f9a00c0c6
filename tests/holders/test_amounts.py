"""Amounts as files write them: separators, currency signs, cents, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holders.validation import (
    RowValidator,
    parse_amount,
    resolve_columns,
)
from tests.holders.validation_helpers import (
    WORLD_HEADERS,
)

# -- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1000", Decimal(1000)),
        ("1,000", Decimal(1000)),
        ("1,000.50", Decimal("1000.50")),
        ("$1,000.00", Decimal(1000)),
        ("$ 1,000.00", Decimal(1000)),
        ("US$25", Decimal(25)),
        ("+25", Decimal(25)),
        ("+$25", Decimal(25)),
        ("$+25", Decimal(25)),
        (" 25 ", Decimal(25)),
        (".5", Decimal("0.5")),
        ("5.", Decimal(5)),
        ("12.340", Decimal("12.34")),
        ("0.01", Decimal("0.01")),
        ("007", Decimal(7)),
        ("9999999999999999.99", Decimal("9999999999999999.99")),
    ],
)
def test_an_amount_as_a_guarantor_writes_it(text, amount):
    parsed = parse_amount(text)
    assert parsed == amount
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "The amount is missing"),
        ("0", "is zero"),
        ("-0", "is zero"),
        ("$0.00", "is zero"),
        ("-100", "is negative"),
        ("100-", "is negative"),
        ("\u2212100", "is negative"),  # a minus sign from a word processor
        ("$-100", "is negative"),
        ("(100)", "is in parentheses, which means negative"),
        ("($1,000.00)", "is in parentheses, which means negative"),
        ("$(1,000.00)", "is in parentheses, which means negative"),
        ("-$100", "is negative"),
        ("1.001", "has fractions of a cent"),
        ("0.005", "has fractions of a cent"),
        ("10000000000000000", "is larger than any holding can be"),
        ("10,000,000,000,000,000.00", "is larger than any holding can be"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("inf", "is not a number"),
        ("1,00,000", "has commas that are not thousands separators"),
        ("1000,5", "has commas that are not thousands separators"),
        ("1.000,50", "uses a comma as the decimal point"),
        ("1 000,50", "uses a comma as the decimal point"),
        ("1e5", "is not an amount"),
        ("١٢٣", "is not an amount"),
        ("12 units", "is not an amount"),
        (".", "is not an amount"),
        ("$", "is not an amount"),
    ],
)
def test_an_amount_that_is_not_a_holding_is_refused_with_the_reason(text, phrase):
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert phrase in str(caught.value)


@settings(max_examples=500)
@given(
    amount=st.decimals(
        min_value=Decimal("0.01"),
        max_value=Decimal(10**15) - Decimal("0.01"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    spelling=st.sampled_from(["{:,.2f}", "{:.2f}", "{:,f}", "{:f}", "{:,.0f}"]),
    dollar=st.sampled_from(["", "$", "$ ", "US$"]),
    padding=st.sampled_from(["", " ", "  "]),
)
def test_any_amount_written_with_separators_and_a_dollar_sign_reads_back_exactly(
    amount, spelling, dollar, padding
):
    if spelling == "{:,.0f}":
        amount = amount.to_integral_value() or Decimal(1)
    text = f"{padding}{dollar}{spelling.format(amount)}{padding}"
    assert parse_amount(text) == amount


@settings(max_examples=300)
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=8), max_size=20))
def test_any_cells_give_a_holder_or_problems_never_an_error(rows):
    validator = RowValidator(resolve_columns(WORLD_HEADERS))
    for number, cells in enumerate(rows, 2):
        holder = validator.check(number, cells)
        assert holder is None or holder.amount > 0
    assert validator.count + len({p.row for p in validator.problems}) == len(rows)
