"""Resignation and removal of the Guarantee Trustee (§4.2) as a state machine, with its dates.

No Django here. Both agreements say the same two things in different words: a resignation or
removal does not take effect until a Successor Guarantee Trustee has been appointed and has
accepted by written instrument (Hartford §4.2(b), (c); HSB §4.2(c)); and if none has been
appointed and accepted within a number of days (a term: successor_days) after the resignation
was delivered, the resigning trustee may petition a court (§4.2(d)). What the days run from is
also a term (successor_runs_from): Hartford counts from delivery of the instrument to the
Guarantor, HSB from delivery of the notice to the Holders and the Guarantor.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from trustee.workflow_rules import Refused, escalation_due

__all__ = [
    "EFFECTIVE_CLAUSE",
    "LABELS",
    "OPEN",
    "RESIGNATION_RUNS_FROM",
    "TRANSITIONS",
    "WATCHED",
    "Kind",
    "Refused",
    "RemovedBy",
    "State",
    "clock_start",
    "effective_refusal",
    "escalation_due",
    "petition_opens_on",
    "record_problems",
    "window_passed",
]


class Kind(enum.StrEnum):
    RESIGNATION = "resignation"
    REMOVAL = "removal"


class RemovedBy(enum.StrEnum):
    """Who removes: the Guarantor (§4.2(a) of both agreements), or the Holders by an act of the
    majority where an agreement gives them that right (neither seeded agreement does)."""

    GUARANTOR = "guarantor"
    HOLDERS = "holders"


class State(enum.StrEnum):
    DELIVERED = "delivered"  # the instrument is delivered; the successor window runs
    APPOINTED = "successor_appointed"  # a successor is named, not yet accepted
    PETITION_OPEN = "petition_open"  # the window passed without an acceptance (§4.2(d))
    PETITIONED = "petitioned"  # the trustee petitioned a court for a successor
    ACCEPTED = "accepted"  # the successor accepted: effective, the trustee's duties end


TRANSITIONS: dict[str, set[str]] = {
    State.DELIVERED: {State.APPOINTED, State.PETITION_OPEN},
    # Appointed is not enough: "appointed and accepted" within the window (§4.2(d)).
    State.APPOINTED: {State.ACCEPTED, State.PETITION_OPEN},
    # A successor appointed in time may still accept late; or a court appoints one.
    State.PETITION_OPEN: {State.APPOINTED, State.PETITIONED, State.ACCEPTED},
    State.PETITIONED: {State.APPOINTED, State.ACCEPTED},
    State.ACCEPTED: set(),
}
LABELS = {
    State.DELIVERED: "Delivered: successor window running",
    State.APPOINTED: "Successor appointed: acceptance awaited",
    State.PETITION_OPEN: "No successor in time: may petition a court (§4.2(d))",
    State.PETITIONED: "Court petitioned for a successor",
    State.ACCEPTED: "Successor accepted: effective",
}
OPEN = {State.DELIVERED, State.APPOINTED, State.PETITION_OPEN, State.PETITIONED}
# The clock stops once a successor has accepted; before that the sweep watches it.
WATCHED = {State.DELIVERED, State.APPOINTED}

RESIGNATION_RUNS_FROM = {
    "resignation_delivered": "delivery of the instrument of resignation to the Guarantor",
    "notice_to_holders": "delivery of the notice of resignation to the Holders and the Guarantor",
}
EFFECTIVE_CLAUSE = (
    "§4.2: no removal or resignation of the Guarantee Trustee takes effect until a Successor "
    "Guarantee Trustee has been appointed and has accepted the appointment by written "
    "instrument delivered to the Guarantor"
)


def clock_start(
    *, runs_from: str, delivered_on: date, holders_notified_on: date | None
) -> tuple[str, date]:
    """The day the successor window starts, as (field it comes from, date). Refused, naming
    the field, when the agreement counts from a date not given."""
    if runs_from == "resignation_delivered":
        return "delivered_on", delivered_on
    if runs_from == "notice_to_holders":
        if holders_notified_on is None:
            raise Refused(
                "Under this agreement the successor window runs from delivery of the notice of "
                "resignation to the Holders and the Guarantor (§4.2(d)): give that date."
            )
        return "holders_notified_on", holders_notified_on
    raise Refused(
        "The agreement's terms do not say what the successor window runs from "
        "(successor_runs_from): record it, with its section, first."
    )


def petition_opens_on(window_end: date) -> date:
    """The first day the resigning trustee may petition a court (§4.2(d)): "within 60 days
    after" a day ends 60 days after it, and the petition lies the day after."""
    return window_end + timedelta(days=1)


def window_passed(window_end: date | None, today: date) -> bool:
    """Whether the successor window has run out (a removal has none: always False)."""
    return window_end is not None and today >= petition_opens_on(window_end)


def record_problems(
    *,
    kind: str,
    delivered_on: date | None,
    holders_notified_on: date | None,
    today: date,
    removed_by: str = "",
    removal_vote_met: bool | None = None,
) -> dict[str, str]:
    """What is wrong with a resignation or removal to be recorded, by field."""
    problems: dict[str, str] = {}
    if kind not in set(Kind):
        problems["kind"] = f"Unknown kind “{kind}”: a resignation or a removal."
        return problems
    if delivered_on is None:
        problems["delivered_on"] = "Give the day the instrument was delivered to the Guarantor."
    elif delivered_on > today:
        problems["delivered_on"] = "This date is in the future."
    if holders_notified_on is not None:
        if holders_notified_on > today:
            problems["holders_notified_on"] = "This date is in the future."
        elif delivered_on is not None and holders_notified_on < delivered_on:
            problems["holders_notified_on"] = (
                "The Holders cannot be notified of a resignation before it was delivered."
            )
    if kind == Kind.REMOVAL:
        if removed_by not in set(RemovedBy):
            problems["removed_by"] = (
                "Say who removes the trustee: the Guarantor (§4.2(a)) or the Holders by an act "
                "of the majority."
            )
        elif removed_by == RemovedBy.HOLDERS and not removal_vote_met:
            problems["solicitation"] = (
                "A removal by the Holders needs their vote, counted and meeting the agreement's "
                "majority (excluding the Guarantor, the trustee and their Affiliates, §1.1)."
            )
    return problems


def effective_refusal(*, successor_name: str, appointed_on: date | None, accepted_on):
    """Why a resignation or removal cannot be recorded as effective, or None."""
    if not successor_name.strip() or appointed_on is None:
        return f"{EFFECTIVE_CLAUSE}: no successor has been appointed yet."
    if accepted_on is None:
        return f"{EFFECTIVE_CLAUSE}: give the day the successor's acceptance was delivered."
    if accepted_on < appointed_on:
        return "A successor cannot accept before it was appointed."
    return None
