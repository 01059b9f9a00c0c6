"""Helpers of the notices tests."""

from tests.holders.helpers import HEADER, rows


def register(count, *extra):
    """A List of Holders of `count` holders (and the `extra` rows, of 100 each) adding up to the
    5,000 outstanding, as the import requires."""
    rest = 5000 - 100 * (count - 1 + len(extra))
    return HEADER + rows(count - 1) + rows(1, amount=rest, start=count - 1) + "".join(extra)
