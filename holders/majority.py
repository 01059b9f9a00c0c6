"""Counting a vote of the Holders against the agreement's majority. No Django here.

§1.1 of both guarantee agreements: a "Majority in liquidation preference / Liquidation Amount"
is a vote of Holders of more than 50% of the amount of the securities, and "Holder" for this
purpose excludes the Guarantor, the Guarantee Trustee and their Affiliates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

MORE_THAN = "more_than"
AT_LEAST = "at_least"


@dataclass(frozen=True)
class Tally:
    eligible: Decimal  # held by Holders who count (affiliates excluded)
    consenting: Decimal
    objecting: Decimal
    abstaining: Decimal
    excluded: Decimal  # held by the Guarantor, the trustee or an Affiliate of either
    threshold_percent: Decimal
    comparison: str
    percent: Decimal  # consenting as a share of eligible, to 4 places, rounded down
    needed: Decimal  # the least consenting amount that would meet the threshold
    met: bool

    def explain(self, basis: str) -> str:
        rule = "more than" if self.comparison == MORE_THAN else "at least"
        threshold = f"{self.threshold_percent.normalize():f}"
        verdict = "met" if self.met else "not met"
        return (
            f"{self.consenting:,.2f} of {self.eligible:,.2f} {basis} held by Holders "
            f"({self.percent}%) consented; {rule} {threshold}% is needed "
            f"({self.needed:,.2f}): {verdict}. Excluded as held by the Guarantor, the trustee "
            f"or an Affiliate: {self.excluded:,.2f}."
        )


def tally(
    *,
    eligible: Decimal,
    consenting: Decimal,
    objecting: Decimal = Decimal(0),
    abstaining: Decimal = Decimal(0),
    excluded: Decimal = Decimal(0),
    threshold_percent: Decimal,
    comparison: str,
) -> Tally:
    if comparison not in (MORE_THAN, AT_LEAST):
        raise ValueError(f"Unknown comparison {comparison!r}.")
    if not Decimal(0) < threshold_percent <= Decimal(100):
        raise ValueError("The threshold must be more than 0% and at most 100%.")
    if min(eligible, consenting, objecting, abstaining, excluded) < 0:
        raise ValueError("Amounts cannot be negative.")
    if consenting + objecting + abstaining > eligible:
        raise ValueError("More was voted than the eligible Holders hold.")
    # Exact comparison in integers of cents times percent: no rounding can tip a close vote.
    lhs, rhs = consenting * 100, eligible * threshold_percent
    met = eligible > 0 and (lhs > rhs if comparison == MORE_THAN else lhs >= rhs)
    cent = Decimal("0.01")
    floor = (eligible * threshold_percent / 100).quantize(cent, rounding=ROUND_DOWN)
    exact = floor * 100 == eligible * threshold_percent
    needed = floor + cent if comparison == MORE_THAN or not exact else floor
    percent = (
        (consenting * 100 / eligible).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
        if eligible
        else Decimal(0)
    )
    return Tally(
        eligible=eligible,
        consenting=consenting,
        objecting=objecting,
        abstaining=abstaining,
        excluded=excluded,
        threshold_percent=threshold_percent,
        comparison=comparison,
        percent=percent,
        needed=needed,
        met=met,
    )
