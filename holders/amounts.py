"""Amounts as holders files write them ("1,000", "$1,000.00", "250.5"), read exactly, and
what is wrong with one that cannot be read. No Django here."""

from __future__ import annotations

from decimal import Decimal

from holders.columns import _show
from holders.vocabulary import (
    _AMOUNT,
    _EUROPEAN_AMOUNT,
    _GROUPED_AMOUNT,
    _NOT_NUMBERS,
    MAX_AMOUNT,
)


def parse_amount(text: str) -> Decimal:
    """An amount held as a Guarantor writes it ("1,000", "$1,000.50"), or ValueError saying why
    it is not one."""
    amount = _amount_or_problem(text.strip())
    if isinstance(amount, str):
        raise ValueError(amount)
    return amount


def _amount_or_problem(text: str) -> Decimal | str:
    """The amount, or the sentence saying what is wrong with it (no exception: speed)."""
    if not text:
        return "The amount is missing; every holder must hold a positive amount."
    shown = _show(text)
    body = _without_currency(text)
    # Accountants write a negative amount in parentheses: (100) or ($100) or $(100).
    parenthesised = body.startswith("(") and body.endswith(")")
    negative = parenthesised
    if parenthesised:
        body = body[1:-1].strip()
    for sign in ("-", "\u2212"):  # a hyphen, or a minus sign from a word processor
        if body.startswith(sign) or body.endswith(sign):
            body, negative = body.strip(sign).strip(), True
    body = _without_currency(body.removeprefix("+"))
    match = _AMOUNT.fullmatch(body)
    if match is None or not (match["whole"] or match["cents"]):
        if body.casefold() in _NOT_NUMBERS:
            problem = "is not a number"
        elif _EUROPEAN_AMOUNT.fullmatch(body):
            problem = "uses a comma as the decimal point (write 1000.50, not 1.000,50)"
        elif _GROUPED_AMOUNT.fullmatch(body):
            problem = "has commas that are not thousands separators (write 1,000,000)"
        else:
            problem = "is not an amount"
        return (
            f"The amount {shown} {problem}; write the amount held in digits, such as 1,000 "
            "or 1000.50."
        )
    whole = (match["whole"] or "0").replace(",", "")
    cents = match["cents"] or ""
    if len(cents) > 2:
        if len(cents.rstrip("0")) > 2:
            return (
                f"The amount {shown} has fractions of a cent; amounts are in dollars and "
                "cents, with at most 2 decimal places."
            )
        cents = cents[:2]
    amount = Decimal(f"{whole}.{cents}" if cents else whole)
    if not amount:
        return (
            f"The amount {shown} is zero; a holder must hold a positive amount (a holder with "
            "nothing should not be on the list)."
        )
    if negative:
        written = "in parentheses, which means negative" if parenthesised else "negative"
        return f"The amount {shown} is {written}; a holding must be a positive amount."
    if amount >= MAX_AMOUNT:
        return (
            f"The amount {shown} is larger than any holding can be (10,000,000,000,000,000 or "
            "more); check that the right column was read."
        )
    return amount


def _without_currency(text: str) -> str:
    return text.removeprefix("US$").removeprefix("$").strip()
