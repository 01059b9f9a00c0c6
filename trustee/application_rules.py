"""Holders' applications to communicate with other Holders (TIA §312(b), which §2.2(b) of both
guarantee agreements brings in), as a state machine, with its checks and its dates.

No Django here. TIA §312(b): within five business days after receiving a written application
by three or more holders, each with reasonable proof of having owned a security for at least
six months preceding the date of the application, with a copy of the communication they wish
to send, the trustee shall at its election either give them access to the holders' names and
addresses it keeps, or tell them roughly how many holders there are and what mailing the
communication would cost; in the second case it mails the communication once the material and
the cost are tendered. The number of business days is a term of the agreement
(holder_communication_business_days); business days are New York banking days
(trustee.calendar.BusinessCalendar).
"""

from __future__ import annotations

import enum
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from trustee.calendar import BusinessCalendar
from trustee.workflow_rules import Refused, escalation_due

__all__ = [
    "LABELS",
    "MIN_APPLICANTS",
    "OPEN",
    "TRANSITIONS",
    "Applicant",
    "Election",
    "Finding",
    "Refused",
    "State",
    "applicant_findings",
    "application_refusal",
    "business_days_between",
    "election_due_on",
    "escalation_due",
    "estimated_cost",
    "held_six_months",
    "months_before",
    "parse_applicants",
    "tender_problems",
]

# TIA §312(b): "any three or more holders": the statute's number, not an agreement's term.
MIN_APPLICANTS = 3
HOLDING_MONTHS = 6


class State(enum.StrEnum):
    RECEIVED = "received"  # the election is due within N business days
    LATE = "late"  # no election by the deadline: escalated
    ACCESS_GIVEN = "access_given"  # elected (1): access to the holders' names and addresses
    ESTIMATE_SENT = "estimate_sent"  # elected (2): number of holders and mailing cost told
    TENDERED = "cost_tendered"  # the applicants tendered the material and the cost
    MAILING_DRAFTED = "mailing_drafted"  # the mailing is a notice awaiting a second officer
    MAILED = "mailed"  # approved and sent to every Holder


class Election(enum.StrEnum):
    ACCESS = "access"
    MAILING = "mailing_estimate"


LABELS = {
    State.RECEIVED: "Received: election due",
    State.LATE: "Late: no election by the deadline",
    State.ACCESS_GIVEN: "Access to the List of Holders given",
    State.ESTIMATE_SENT: "Mailing estimate sent: awaiting tender",
    State.TENDERED: "Cost tendered: mailing to prepare",
    State.MAILING_DRAFTED: "Mailing awaiting approval",
    State.MAILED: "Mailed to the Holders",
}
_ELECTED = {State.ACCESS_GIVEN, State.ESTIMATE_SENT}
TRANSITIONS: dict[str, set[str]] = {
    State.RECEIVED: {*_ELECTED, State.LATE},
    # Late is still answered; escalated again while it is not.
    State.LATE: {*_ELECTED, State.LATE},
    State.ESTIMATE_SENT: {State.TENDERED},
    State.TENDERED: {State.MAILING_DRAFTED},
    State.MAILING_DRAFTED: {State.MAILED},
    State.ACCESS_GIVEN: set(),
    State.MAILED: set(),
}
OPEN = {State.RECEIVED, State.LATE, State.ESTIMATE_SENT, State.TENDERED, State.MAILING_DRAFTED}
AWAITING_ELECTION = {State.RECEIVED, State.LATE}


# -- the applicants ------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    name: str
    amount: Decimal
    holding_since: date


@dataclass(frozen=True)
class Finding:
    applicant: Applicant
    problem: str  # empty when the applicant qualifies

    @property
    def eligible(self) -> bool:
        return not self.problem


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier; the month's last day where it has no such day
    (six months before August 31 is the last day of February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def held_six_months(holding_since: date, applied_on: date) -> bool:
    """TIA §312(b): owned "for a period of at least six months preceding the date of such
    application": held on or before the day six months before it."""
    return holding_since <= months_before(applied_on, HOLDING_MONTHS)


def applicant_findings(applicants: list[Applicant], received_on: date) -> list[Finding]:
    """Each applicant, with why it does not count (or ''), in the order given."""
    findings = []
    seen: set[str] = set()
    cutoff = months_before(received_on, HOLDING_MONTHS)
    for applicant in applicants:
        key = " ".join(applicant.name.split()).casefold()
        if not key:
            problem = "no name"
        elif key in seen:
            problem = "named twice: counted once"
        elif applicant.amount <= 0:
            problem = "no holding shown"
        elif applicant.holding_since > received_on:
            problem = f"holding since {applicant.holding_since:%Y-%m-%d}, after the application"
        elif not held_six_months(applicant.holding_since, received_on):
            problem = (
                f"held since {applicant.holding_since:%Y-%m-%d}: less than six months before "
                f"the application (since {cutoff:%Y-%m-%d} at the latest)"
            )
        else:
            problem = ""
        seen.add(key)
        findings.append(Finding(applicant, problem))
    return findings


def application_refusal(applicants: list[Applicant], received_on: date) -> str | None:
    """Why the application does not meet TIA §312(b), naming each applicant that fails; None
    when three or more applicants qualify."""
    findings = applicant_findings(applicants, received_on)
    eligible = sum(1 for f in findings if f.eligible)
    if eligible >= MIN_APPLICANTS:
        return None
    failing = "; ".join(
        f"{f.applicant.name.strip() or '(no name)'}: {f.problem}" for f in findings if f.problem
    )
    reason = f" Not counted — {failing}." if failing else ""
    return (
        f"TIA §312(b) needs an application by three or more Holders, each having owned a "
        f"security for at least six months preceding it; {eligible} qualif"
        f"{'ies' if eligible == 1 else 'y'}.{reason}"
    )


_SEPARATORS = re.compile(r"\s*[;|\t]\s*")


def parse_applicants(text: str) -> list[Applicant]:
    """One applicant a line: “name; amount; holding since (YYYY-MM-DD)”. Refused naming the
    line and the value when one cannot be read."""
    applicants = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = _SEPARATORS.split(line.strip())
        if len(parts) != 3:
            raise Refused(
                f"Line {number}: give “name; amount held; holding since YYYY-MM-DD”, "
                f"separated by semicolons (found {len(parts)} part(s))."
            )
        name, raw_amount, raw_since = parts
        try:
            amount = Decimal(raw_amount.replace(",", "").replace("$", ""))
        except InvalidOperation:
            raise Refused(f"Line {number}: “{raw_amount}” is not an amount.") from None
        if not amount.is_finite():
            raise Refused(f"Line {number}: “{raw_amount}” is not an amount.")
        try:
            since = date.fromisoformat(raw_since)
        except ValueError:
            raise Refused(f"Line {number}: “{raw_since}” is not a date (YYYY-MM-DD).") from None
        applicants.append(Applicant(name=name, amount=amount, holding_since=since))
    if not applicants:
        raise Refused("Name the applicants, one a line.")
    return applicants


# -- the clock -----------------------------------------------------------------------------


def election_due_on(received_on: date, business_days: int, calendar: BusinessCalendar) -> date:
    """ "Within five business days after the receipt": the Nth New York banking day after the
    day received (that day itself not counted, whether or not it is a business day)."""
    if business_days < 1:
        raise ValueError("The number of business days must be at least 1.")
    return calendar.add_business_days(received_on, business_days)


def business_days_between(start: date, end: date, calendar: BusinessCalendar) -> int:
    """How many business days fall after `start`, up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_business_day(day)
    return count


# -- the mailing ---------------------------------------------------------------------------

CENT = Decimal("0.01")


def estimated_cost(holder_count: int, cost_per_holder: Decimal) -> Decimal:
    """The approximate cost of mailing the communication to every Holder, to the cent."""
    if holder_count < 1:
        raise Refused("There are no Holders to mail to: import a List of Holders first.")
    if cost_per_holder <= 0:
        raise Refused("The cost of mailing to one Holder must be more than zero.")
    return (cost_per_holder * holder_count).quantize(CENT, rounding=ROUND_HALF_UP)


def tender_problems(
    *, estimate: Decimal, estimated_on: date, amount: Decimal, tendered_on: date, today: date
) -> dict[str, str]:
    """What is wrong with a tender of the mailing cost, by field."""
    problems = {}
    if tendered_on > today:
        problems["tendered_on"] = "This date is in the future."
    elif tendered_on < estimated_on:
        problems["tendered_on"] = (
            f"The cost cannot be tendered before the estimate was given ({estimated_on:%Y-%m-%d})."
        )
    if amount < estimate:
        problems["amount"] = (
            f"{amount:,.2f} is less than the estimated cost of mailing, {estimate:,.2f}: TIA "
            "§312(b) requires payment, or provision for payment, of the reasonable expenses."
        )
    return problems
