"""The list as a whole (§2.2(a)) and its fingerprint."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from holders.validation import (
    HolderRow,
    ListProblem,
    check_list,
    content_fingerprint,
)
from tests.holders.validation_helpers import (
    validate,
)

# -- the list as a whole (§2.2(a)) ------------------------------------------------------------

RECEIVED = date(2026, 2, 13)


def test_a_list_as_of_within_the_window_that_adds_up_has_no_problem():
    for as_of in (date(2026, 1, 29), RECEIVED):
        assert (
            check_list(
                as_of=as_of,
                received=RECEIVED,
                as_of_window_days=15,
                total=Decimal(575_000_000),
                outstanding=Decimal(575_000_000),
            )
            == []
        )


def test_an_as_of_date_after_receipt_is_an_error():
    [problem] = check_list(
        as_of=date(2026, 2, 14),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(1),
    )
    assert problem.code == "as_of_after_receipt"
    assert not problem.overridable
    assert "as of February 14, 2026, after it was received on February 13, 2026" in (
        problem.message
    )


def test_an_as_of_date_too_long_before_delivery_cites_the_agreement():
    [problem] = check_list(
        as_of=date(2026, 1, 28),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(1),
    )
    assert problem.code == "as_of_too_early"
    assert not problem.overridable
    assert "16 days before" in problem.message
    assert "§2.2(a): not more than 15 days prior to the delivery" in problem.message


def test_a_total_that_does_not_match_the_amount_outstanding_may_be_overridden():
    problems = check_list(
        as_of=date(2026, 1, 31),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(574_999_975),
        outstanding=Decimal(575_000_000),
    )
    assert problems == [
        ListProblem(
            "total_mismatch",
            "The holdings add up to 574,999,975, but 575,000,000 is outstanding: 25 less. "
            "A Responsible Officer may accept the list with the reason recorded.",
            overridable=True,
        )
    ]
    [more] = check_list(
        as_of=date(2026, 1, 31),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal("1000.50"),
        outstanding=Decimal(1000),
    )
    assert "add up to 1,000.50, but 1,000 is outstanding: 0.50 more" in more.message


def test_without_a_window_in_the_agreement_any_earlier_as_of_date_will_do():
    kwargs = {"received": RECEIVED, "as_of_window_days": None, "total": 1, "outstanding": 1}
    assert check_list(as_of=date(2020, 1, 1), **kwargs) == []
    assert [p.code for p in check_list(as_of=date(2026, 3, 1), **kwargs)] == ["as_of_after_receipt"]


def test_every_list_problem_is_reported_together():
    problems = check_list(
        as_of=date(2025, 1, 1),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(2),
    )
    assert [p.code for p in problems] == ["as_of_too_early", "total_mismatch"]


# -- fingerprints: the same list in another file ----------------------------------------------


def _holders(name: str) -> list[HolderRow]:
    return validate(name)[1]


def test_the_same_list_in_another_encoding_or_file_has_the_same_fingerprint():
    good = content_fingerprint(_holders("good.csv"))
    assert content_fingerprint(_holders("utf8_bom_ok.csv")) == good
    assert content_fingerprint(reversed(_holders("good.csv"))) == good
    assert content_fingerprint(_holders("utf16_bom_ok.csv")) != good  # four holders, not eight
    assert len(good) == 64


def test_the_fingerprint_ignores_spelling_but_not_content():
    base = HolderRow(2, "Mary Garcia", "12 Elm St", "Hartford", "CT", "06103", "US", "", 250, 0, 0)
    same = dataclasses.replace(
        base,
        row=9,
        name="MARY  GARCIA",
        address_lines="12 elm st\n",
        city=" HARTFORD ",
        amount=Decimal("250.00"),
    )
    assert content_fingerprint([base]) == content_fingerprint([same])
    for change in (
        {"amount": Decimal("250.01")},
        {"postal_code": "06105"},
        {"is_trustee_affiliate": True},
        {"email": "mary@example.com"},
    ):
        assert content_fingerprint([base]) != content_fingerprint(
            [dataclasses.replace(base, **change)]
        )
    # A holder listed twice is not the same list as the holder listed once.
    assert content_fingerprint([base, base]) != content_fingerprint([base])
    assert content_fingerprint([]) != content_fingerprint([base])


_HOLDER = st.builds(
    HolderRow,
    row=st.integers(min_value=2, max_value=10**6),
    name=st.text(min_size=1, max_size=20),
    address_lines=st.text(max_size=30),
    city=st.text(max_size=10),
    state=st.sampled_from(["NY", "CT", ""]),
    postal_code=st.sampled_from(["10001", "06103", "EC2V 7HH"]),
    country=st.sampled_from(["US", "GB"]),
    email=st.sampled_from(["", "a@example.com"]),
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2),
    is_guarantor_affiliate=st.booleans(),
    is_trustee_affiliate=st.booleans(),
)


@given(
    holders=st.lists(_HOLDER, max_size=12).flatmap(
        lambda h: st.tuples(st.just(h), st.permutations(h))
    )
)
def test_the_fingerprint_does_not_depend_on_the_order_of_the_holders(holders):
    listed, reordered = holders
    assert content_fingerprint(listed) == content_fingerprint(reordered)
