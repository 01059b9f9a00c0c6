"""trustee/identifiers.py: CUSIP check digits (no database)."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee.identifiers import cusip_check_digit, cusip_problem

ALPHABET = string.digits + string.ascii_uppercase + "*@#"

REAL_CUSIPS = {
    "037833100": "Apple",
    "594918104": "Microsoft",
    "17275R102": "Cisco",
    "38259P508": "Google class A",
}


def reference_check_digit(first_eight):
    """The CUSIP rule as the standard states it, written independently of the project's code."""
    total = 0
    for index, char in enumerate(first_eight):
        if char.isdigit():
            value = ord(char) - ord("0")
        elif char.isalpha():
            value = ord(char) - ord("A") + 10
        else:
            value = {"*": 36, "@": 37, "#": 38}[char]
        if index % 2 == 1:  # the 2nd, 4th, 6th and 8th characters are doubled
            value *= 2
        total += sum(int(digit) for digit in str(value))
    return (10 - total % 10) % 10


@pytest.mark.parametrize("cusip", REAL_CUSIPS)
def test_real_cusips_are_valid(cusip):
    assert cusip_check_digit(cusip[:8]) == int(cusip[8])
    assert reference_check_digit(cusip[:8]) == int(cusip[8])
    assert cusip_problem(cusip) is None


@pytest.mark.parametrize(
    ("cusip", "length"), [("", 0), ("03783310", 8), ("0378331000", 10), ("17275R10", 8)]
)
def test_wrong_length_is_refused(cusip, length):
    assert cusip_problem(cusip) == f"A CUSIP has 9 characters; “{cusip}” has {length}."


@pytest.mark.parametrize(
    ("cusip", "shown"),
    [
        ("0378-3310", "-"),
        ("17275r102", "r"),
        ("1727 R102", " "),
        ("ab7833100", "a b"),
        ("ba7833100", "a b"),
        ("03783$%00", "$ %"),
        ("ÄPPLE1234", "Ä"),
    ],
)
def test_characters_outside_the_cusip_alphabet_are_named(cusip, shown):
    assert cusip_problem(cusip) == f"A CUSIP may not contain {shown}."


@pytest.mark.parametrize("cusip", ["03783310A", "03783310*", "03783310 ", "17275R10R"])
def test_the_check_digit_must_be_a_number(cusip):
    assert cusip_problem(cusip) == "The last character of a CUSIP is its check digit, a number."


@pytest.mark.parametrize(
    ("cusip", "expected"),
    [
        ("037833101", 0),  # Apple, last digit mistyped
        ("594918140", reference_check_digit("59491814")),  # Microsoft, last two swapped
        ("037834100", reference_check_digit("03783410")),  # Apple, one body digit mistyped
        ("17275R103", 2),
    ],
)
def test_a_mistyped_cusip_gives_the_expected_check_digit(cusip, expected):
    assert cusip_problem(cusip) == (
        f"Check digit of CUSIP {cusip} should be {expected}: a character is mistyped."
    )


def test_the_mistyped_bodies_really_change_the_check_digit():
    assert reference_check_digit("03783410") != 0
    assert reference_check_digit("59491814") not in (0, 4)


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
def test_the_computed_check_digit_makes_a_valid_cusip(first_eight):
    digit = cusip_check_digit(first_eight)
    assert digit == reference_check_digit(first_eight)
    assert 0 <= digit <= 9
    assert cusip_problem(f"{first_eight}{digit}") is None


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.sampled_from(string.digits))
def test_every_other_check_digit_is_refused(first_eight, typed):
    expected = cusip_check_digit(first_eight)
    problem = cusip_problem(f"{first_eight}{typed}")
    if int(typed) == expected:
        assert problem is None
    else:
        assert problem is not None
        assert f"should be {expected}:" in problem


# -- Known bugs -----------------------------------------------------------------------------------


def test_a_non_ascii_check_digit_is_refused():
    assert cusip_problem("03783310\u0660") is not None


def test_a_superscript_check_digit_gives_a_message_not_an_exception():
    assert cusip_problem("03783310\u00b2") == (
        "The last character of a CUSIP is its check digit, a number."
    )
