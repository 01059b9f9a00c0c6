"""Security identifiers, checked with no Django in sight."""

import string

_CUSIP_VALUES = {c: i for i, c in enumerate(string.digits + string.ascii_uppercase)}
_CUSIP_VALUES.update({"*": 36, "@": 37, "#": 38})


def cusip_check_digit(first_eight: str) -> int:
    """The ninth character of a CUSIP, by the modulus-10 "double-add-double" rule."""
    total = 0
    for position, char in enumerate(first_eight, start=1):
        value = _CUSIP_VALUES[char]
        if position % 2 == 0:
            value *= 2
        total += value // 10 + value % 10
    return (10 - total % 10) % 10


def cusip_problem(cusip: str) -> str | None:
    """Why a CUSIP is not valid, or None when it is."""
    if len(cusip) != 9:
        return f"A CUSIP has 9 characters; “{cusip}” has {len(cusip)}."
    bad = sorted({c for c in cusip[:8] if c not in _CUSIP_VALUES})
    if bad:
        return f"A CUSIP may not contain {' '.join(bad)}."
    # str.isdigit() is true of other scripts' digits and of superscripts; a check digit is 0-9.
    if cusip[8] not in string.digits:
        return "The last character of a CUSIP is its check digit, a number."
    expected = cusip_check_digit(cusip[:8])
    if int(cusip[8]) != expected:
        return f"Check digit of CUSIP {cusip} should be {expected}: a character is mistyped."
    return None
