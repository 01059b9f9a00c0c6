"""When an obligation is upcoming, due soon or overdue. No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

UPCOMING = "upcoming"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
DONE = "done"
NOT_REQUIRED = "not_required"
OPEN = (UPCOMING, DUE_SOON, OVERDUE)


@dataclass(frozen=True)
class Standing:
    status: str
    # The first day on which the status will be different, or None when only a person can
    # change it (overdue stays overdue until done). The sweep looks only at rows whose
    # next_check has come.
    next_check: date | None


def standing(*, due: date, today: date, lead_days: int) -> Standing:
    """An open obligation's status on `today`: due soon from `lead_days` before the due date,
    overdue from the day after it."""
    if lead_days < 0:
        raise ValueError("Lead days cannot be negative.")
    if today > due:
        return Standing(OVERDUE, None)
    soon_from = due - timedelta(days=lead_days)
    if today >= soon_from:
        return Standing(DUE_SOON, due + timedelta(days=1))
    return Standing(UPCOMING, soon_from)
