"""The rules of three workflows about money owed and the trustee's own standing: payments on the
securities (§1.1, §2.7(a), §5.1), the trustee's eligibility (§4.1(a), (b)) and conflicting
interests (§4.1(c), TIA §310(b)).

No Django here: the states and their transitions, the amount a payment date should bring, how
short the funds are, when the payment's cut-off has passed, which of an agreement's eligibility
requirements a bank's report of condition meets, and when a conflicting interest's clock runs.
trustee/workflows/payments.py and trustee/workflows/standing.py apply them to rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount:,.2f}"


def percent(rate: Decimal) -> str:
    """4.7500 as "4.75%", 5 as "5%"."""
    return f"{rate.normalize():f}%"


# == Payments (§1.1, §2.7(a), §5.1) ==========================================================


class PaymentState(enum.StrEnum):
    EXPECTED = "expected"  # the date has not come, or its cut-off has not passed
    PAID = "paid"  # funds in full by the payment date
    DEFAULTED = "defaulted"  # short at the cut-off: a payment default was opened
    PAID_LATE = "paid_late"  # funds in full after a default was opened
    NOT_REQUIRED = "not_required"  # no payment falls due (recorded with the reason)


PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentState.EXPECTED: {
        PaymentState.PAID,
        PaymentState.DEFAULTED,
        PaymentState.NOT_REQUIRED,
    },
    # Funds that come after the default do not undo it: the default is closed by its own
    # workflow (cure or waiver), the payment only records that the money came.
    PaymentState.DEFAULTED: {PaymentState.PAID_LATE},
    PaymentState.PAID: set(),
    PaymentState.PAID_LATE: set(),
    PaymentState.NOT_REQUIRED: set(),
}
PAYMENT_OPEN = {PaymentState.EXPECTED, PaymentState.DEFAULTED}


class PaymentKind(enum.StrEnum):
    PAYMENT = "payment"  # interest or a distribution
    MATURITY = "maturity"  # principal or liquidation amount at maturity


@dataclass(frozen=True)
class Expected:
    """What a payment date should bring, and how that was worked out (shown to the officer)."""

    amount: Decimal | None
    basis: str


def days_360(start: date, end: date) -> int:
    """Days between two dates on the 30/360 (bond basis) count: every month has 30 days."""
    d1 = min(start.day, 30)
    d2 = end.day
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def previous_payment_date(month_days: Sequence[tuple[int, int]], before: date) -> date:
    """The last scheduled payment date strictly before `before`."""
    if not month_days:
        raise ValueError("No payment dates.")
    candidates = [
        _on(year, month, day)
        for year in (before.year - 1, before.year)
        for month, day in month_days
    ]
    return max(d for d in candidates if d < before)


def _on(year: int, month: int, day: int) -> date:
    # February 29 in a common year is read as February 28.
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def expected_payment(
    *,
    rate_percent: Decimal | None,
    outstanding: Decimal | None,
    month_days: Sequence[tuple[int, int]],
    due: date,
    first_payment: date | None,
    issue_date: date | None,
) -> Expected:
    """An interest or distribution payment: the rate on the amount outstanding, divided by the
    number of payment dates a year. A first payment that does not close a regular period
    (the issue date more or less than a period before it) accrues from the issue date on the
    30/360 count, the usual one for these securities; an officer overrides it where the
    security's own terms say otherwise."""
    if rate_percent is None:
        return Expected(None, "No coupon or distribution rate is recorded for the security.")
    if outstanding is None:
        return Expected(None, "No amount outstanding is recorded for the security.")
    if not month_days:
        return Expected(None, "The security has no payment dates.")
    per_year = len(month_days)
    if first_payment is not None and due == first_payment and issue_date and issue_date < due:
        days = days_360(issue_date, due)
        if days != 360 // per_year:
            amount = cents(outstanding * rate_percent / HUNDRED * days / 360)
            return Expected(
                amount,
                f"First payment: {percent(rate_percent)} a year on {money(outstanding)} from "
                f"the issue date {issue_date:%Y-%m-%d}, {days} days on the 30/360 count.",
            )
    amount = cents(outstanding * rate_percent / HUNDRED / per_year)
    return Expected(
        amount,
        f"{percent(rate_percent)} a year on {money(outstanding)} outstanding, paid {per_year} "
        f"time{'s' if per_year > 1 else ''} a year.",
    )


def expected_maturity(
    *,
    rate_percent: Decimal | None,
    outstanding: Decimal | None,
    month_days: Sequence[tuple[int, int]],
    maturity: date,
    issue_date: date | None,
) -> Expected:
    """At maturity the principal or liquidation amount outstanding; and the final interest or
    distribution where no payment date falls on maturity (the calendar's payment obligation
    of that day carries it otherwise), accrued from the last payment date, 30/360."""
    if outstanding is None:
        return Expected(None, "No amount outstanding is recorded for the security.")
    principal = f"{money(outstanding)} outstanding"
    if (maturity.month, maturity.day) in set(month_days):
        return Expected(
            outstanding,
            f"{principal}; the final interest or distribution is the payment of the same day.",
        )
    if rate_percent is None or not month_days:
        return Expected(outstanding, f"{principal}; no rate or payment dates: principal only.")
    start = previous_payment_date(month_days, maturity)
    if issue_date and issue_date > start:
        start = issue_date
    days = days_360(start, maturity)
    accrued = cents(outstanding * rate_percent / HUNDRED * days / 360)
    return Expected(
        outstanding + accrued,
        f"{principal} and the final distribution of {money(accrued)}: {percent(rate_percent)} a "
        f"year "
        f"from {start:%Y-%m-%d}, {days} days on the 30/360 count.",
    )


def shortfall(expected: Decimal, received: Iterable[Decimal]) -> Decimal:
    """How much is missing (never negative: an overpayment is not a shortfall)."""
    return max(Decimal(0), expected - sum(received, Decimal(0)))


def past_cutoff(*, due: date, today: date, local_now: datetime, cutoff_hour: int) -> bool:
    """Whether the funds for a payment due on `due` should be in by now.

    After the payment date, always. On it, once the clock where the agreement's deadlines run
    reads the cut-off hour: funds wired in the morning are not a default at 00:45. When the
    sweep is run for a day other than the clock's (catching up, or a test travelling), the
    clock says whether that day is over: a day in the clock's past is, one in its future is
    not yet."""
    if not 0 <= cutoff_hour <= 24:
        raise ValueError(f"The cut-off hour is 0 to 24, not {cutoff_hour}.")
    if today != due:
        return today > due
    clock_day = local_now.date()
    if clock_day != due:
        return clock_day > due
    return local_now.hour >= cutoff_hour


# == Eligibility (§4.1(a), (b)) ==============================================================


class EligibilityState(enum.StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"  # the trustee must resign (§4.1(b))
    INCOMPLETE = "incomplete"  # a fact or a term needed to decide is not recorded
    RESIGNING = "resigning"  # the officers have started the resignation
    SUPERSEDED = "superseded"  # a later report of condition has been checked


ELIGIBILITY_TRANSITIONS: dict[str, set[str]] = {
    # A check is run again when a fact changes (an affiliation recorded): the outcome moves.
    EligibilityState.ELIGIBLE: {
        EligibilityState.INELIGIBLE,
        EligibilityState.INCOMPLETE,
        EligibilityState.SUPERSEDED,
    },
    EligibilityState.INELIGIBLE: {
        EligibilityState.ELIGIBLE,
        EligibilityState.INCOMPLETE,
        EligibilityState.RESIGNING,
        EligibilityState.SUPERSEDED,
    },
    EligibilityState.INCOMPLETE: {
        EligibilityState.ELIGIBLE,
        EligibilityState.INELIGIBLE,
        EligibilityState.SUPERSEDED,
    },
    # Once the resignation has started it is the resignation's workflow that goes on.
    EligibilityState.RESIGNING: set(),
    EligibilityState.SUPERSEDED: set(),
}
ELIGIBILITY_CURRENT = {
    EligibilityState.ELIGIBLE,
    EligibilityState.INELIGIBLE,
    EligibilityState.INCOMPLETE,
}


class Charter(enum.StrEnum):
    NATIONAL_BANK = "national_bank"
    STATE_BANK = "state_bank"
    OTHER = "other"


@dataclass(frozen=True)
class Condition:
    """The bank's figures from its latest published report of condition (§4.1(a)(ii): the
    combined capital and surplus is deemed to be the one that report sets out)."""

    report_date: date
    capital_surplus: Decimal
    charter: str
    rating_category: int | None  # 1 is the highest; None: no rated securities


@dataclass(frozen=True)
class Requirements:
    """One agreement's §4.1(a), as its terms state it, with the sections cited."""

    min_capital_surplus: Decimal | None
    rating_categories: int | None
    affiliate_section: str = "4.1(a)(i)"
    capital_section: str = "4.1(a)(ii)"
    rating_section: str = "4.1(a)(ii)"


@dataclass(frozen=True)
class Outcome:
    state: EligibilityState
    reasons: tuple[str, ...]

    @property
    def failures(self) -> tuple[str, ...]:
        return tuple(r for r in self.reasons if r.startswith("Fails"))


def eligibility(
    *, condition: Condition, requirements: Requirements, is_affiliate: bool | None
) -> Outcome:
    """Each requirement of §4.1(a) met, failed or not decidable, with its section.

    Where the agreement asks for a rating (HSB's "securities rated in one of the three highest
    rating categories") the same sentence asks for "a national or state chartered bank": the
    charter is checked with the rating term, as the two come together."""
    fails, passes, unknown = [], [], []
    section = requirements.affiliate_section
    if is_affiliate is None:
        unknown.append(
            f"Unknown §{section}: whether the bank is an Affiliate of the Guarantor is not "
            "recorded for this agreement."
        )
    elif is_affiliate:
        fails.append(f"Fails §{section}: the bank is an Affiliate of the Guarantor.")
    else:
        passes.append(f"Meets §{section}: the bank is not an Affiliate of the Guarantor.")

    section, minimum = requirements.capital_section, requirements.min_capital_surplus
    have = money(condition.capital_surplus)
    as_of = f"report of condition of {condition.report_date:%Y-%m-%d}"
    if minimum is None:
        unknown.append(
            f"Unknown §{section}: the agreement's minimum capital and surplus is not recorded "
            "in its terms."
        )
    elif condition.capital_surplus >= minimum:
        passes.append(
            f"Meets §{section}: combined capital and surplus of {have} ({as_of}) is at least "
            f"{money(minimum)}."
        )
    else:
        fails.append(
            f"Fails §{section}: combined capital and surplus of {have} ({as_of}) is "
            f"{money(minimum - condition.capital_surplus)} short of the {money(minimum)} "
            "minimum."
        )

    categories = requirements.rating_categories
    if categories is not None:
        section = requirements.rating_section
        if condition.charter in (Charter.NATIONAL_BANK, Charter.STATE_BANK):
            passes.append(f"Meets §{section}: a national or state chartered bank.")
        else:
            fails.append(f"Fails §{section}: not a national or state chartered bank.")
        rating = condition.rating_category
        if rating is not None and rating <= categories:
            passes.append(
                f"Meets §{section}: rated in category {rating}, one of the {categories} highest."
            )
        else:
            said = "not rated" if rating is None else f"rated in category {rating}"
            fails.append(
                f"Fails §{section}: {said}, not in one of the {categories} highest rating "
                "categories."
            )

    if fails:
        state = EligibilityState.INELIGIBLE
    elif unknown:
        state = EligibilityState.INCOMPLETE
    else:
        state = EligibilityState.ELIGIBLE
    return Outcome(state, (*fails, *unknown, *passes))


# == Conflicting interests (§4.1(c), TIA §310(b)) ============================================


class ConflictState(enum.StrEnum):
    RECORDED = "recorded"  # ascertained; the securities are not in default: no clock
    CLOCK_RUNNING = "clock_running"  # in default: eliminate it or resign within the days
    NOTICE_DUE = "notice_due"  # not eliminated in time: notify the Holders
    NOTICE_DRAFTED = "notice_drafted"
    NOTICED = "noticed"
    ELIMINATED = "eliminated"
    RESIGNED = "resigned"


CONFLICT_TRANSITIONS: dict[str, set[str]] = {
    ConflictState.RECORDED: {
        ConflictState.CLOCK_RUNNING,
        ConflictState.ELIMINATED,
        ConflictState.RESIGNED,
    },
    ConflictState.CLOCK_RUNNING: {
        # The default cured or waived before the days ran: the clock stops (TIA §310(b)(i)).
        ConflictState.RECORDED,
        ConflictState.ELIMINATED,
        ConflictState.RESIGNED,
        ConflictState.NOTICE_DUE,
    },
    # Failing (i) is a fact by then: the notice of §310(b)(ii) is owed whatever comes next.
    ConflictState.NOTICE_DUE: {ConflictState.NOTICE_DRAFTED},
    ConflictState.NOTICE_DRAFTED: {ConflictState.NOTICED, ConflictState.NOTICE_DUE},
    ConflictState.NOTICED: {ConflictState.ELIMINATED, ConflictState.RESIGNED},
    ConflictState.ELIMINATED: set(),
    ConflictState.RESIGNED: set(),
}
CONFLICT_OPEN = {
    ConflictState.RECORDED,
    ConflictState.CLOCK_RUNNING,
    ConflictState.NOTICE_DUE,
    ConflictState.NOTICE_DRAFTED,
    ConflictState.NOTICED,
}


def conflict_clock_start(*, ascertained: date, default_since: date | None) -> date | None:
    """The conflict's days run only while the securities are in default: from the later of
    the day it was ascertained and the day the default began; not at all outside one."""
    if default_since is None:
        return None
    return max(ascertained, default_since)


@dataclass(frozen=True)
class ConflictDeadlines:
    eliminate_by: date
    notice_by: date


def conflict_deadlines(*, start: date, days: int, notice_days: int) -> ConflictDeadlines:
    """Eliminate or resign within `days` after the start; failing that, notify the Holders
    within `notice_days` after those days expire (TIA §310(b)(i), (ii))."""
    if days < 1 or notice_days < 1:
        raise ValueError("The conflicting-interest periods are at least one day.")
    eliminate_by = start + timedelta(days=days)
    return ConflictDeadlines(eliminate_by, eliminate_by + timedelta(days=notice_days))


def conflict_failed(*, today: date, eliminate_by: date) -> bool:
    """The last day to eliminate or resign has passed."""
    return today > eliminate_by
