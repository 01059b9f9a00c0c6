"""The List of Holders as a whole: its dates and total against the agreement (check_list), and
the fingerprint that recognises a list identical to one received before. No Django here."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from holders.validation import HolderRow, _remember

# -- the list as a whole ---------------------------------------------------------------------


@dataclass
class ListProblem:
    code: str
    message: str
    overridable: bool = False


def check_list(
    *,
    as_of: date,
    received: date,
    as_of_window_days: int | None,
    total: Decimal,
    outstanding: Decimal,
) -> list[ListProblem]:
    """The checks of §2.2(a) on the whole list: its as-of date and that it adds up.

    `as_of_window_days` is None when the agreement states no window ("not more than 15 days
    prior to the delivery"): then only an as-of date after receipt is wrong.

    A total that differs from the amount outstanding can have a reason (a transfer between
    the as-of date and the record of the outstanding amount), so a Responsible Officer may
    accept it, recording why; the dates are terms of the agreement and cannot be waived here.
    """
    problems = []
    if as_of > received:
        problems.append(
            ListProblem(
                "as_of_after_receipt",
                f"The list is as of {_day(as_of)}, after it was received on "
                f"{_day(received)}; a list cannot describe holders on a future date.",
            )
        )
    elif as_of_window_days is not None and (received - as_of).days > as_of_window_days:
        problems.append(
            ListProblem(
                "as_of_too_early",
                f"The list is as of {_day(as_of)}, {(received - as_of).days} days before "
                f"it was received on {_day(received)}; §2.2(a): not more than "
                f"{as_of_window_days} days prior to the delivery.",
            )
        )
    if total != outstanding:
        difference = total - outstanding
        more_or_less = "more" if difference > 0 else "less"
        problems.append(
            ListProblem(
                "total_mismatch",
                f"The holdings add up to {_money(total)}, but {_money(outstanding)} is "
                f"outstanding: {_money(abs(difference))} {more_or_less}. A Responsible Officer "
                "may accept the list with the reason recorded.",
                overridable=True,
            )
        )
    return problems


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


# -- recognising a list already received -----------------------------------------------------


def content_fingerprint(rows: Iterable[HolderRow]) -> str:
    """A SHA-256 of what a list says, not how it is written: the same holders with the same
    amounts give the same fingerprint in any order, encoding, layout or file format.

    Each holder is hashed on its own and the hashes are added (modulo 2**256), which does not
    depend on their order and needs no memory for a list of any length; the count goes in too.
    Text is compared without case or runs of spaces, and an address without its line breaks.
    """
    add, result = fingerprinter()
    for row in rows:
        add(row)
    return result()


def fingerprinter() -> tuple[Callable[[HolderRow], None], Callable[[], str]]:
    """content_fingerprint as a pair (add, result), for a caller that already loops over the
    rows (the import): a call per row instead of another generator layer around them."""
    sha256, from_bytes, normalize = hashlib.sha256, int.from_bytes, unicodedata.normalize
    cents: dict[Decimal, str] = {}  # 250 and 250.00 are one key, and amounts repeat
    digests: list[int] = []
    keep = digests.append

    def add(row: HolderRow) -> None:
        text = (
            f"{row.name}\0{row.address_lines}\0{row.city}\0{row.state}\0{row.postal_code}\0"
            f"{row.country}\0{row.email}\0"
        )
        # lower() has a fast path for ASCII, casefold() none; on ASCII they agree.
        text = text.lower() if text.isascii() else normalize("NFC", text).casefold()
        if "  " in text or "\n" in text or "\t" in text:
            text = " ".join(text.split()).replace(" \0", "\0").replace("\0 ", "\0")
        amount = cents.get(row.amount)
        if amount is None:
            amount = _remember(cents, row.amount, f"{row.amount:.2f}")
        flags = "G" * row.is_guarantor_affiliate + "T" * row.is_trustee_affiliate
        keep(from_bytes(sha256(f"{text}{amount}\0{flags}".encode()).digest(), "big"))
        if len(digests) == FOLD_EVERY:
            fold()

    folded = [0, 0]  # the sum so far, the count so far

    def fold() -> None:
        folded[0] += sum(digests)
        folded[1] += len(digests)
        digests.clear()

    def result() -> str:
        fold()
        accumulated = folded[0] % (1 << 256)
        return sha256(f"holders:{folded[1]}:{accumulated:064x}".encode()).hexdigest()

    return add, result


# The digests are summed in blocks (sum() in C) rather than one by one in Python.
FOLD_EVERY = 4096
