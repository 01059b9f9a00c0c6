"""The trustee's three workflows as state machines, and the date rules they turn on.

No Django here: the states, which transitions are allowed, and the arithmetic of when a
request opens, when an escalation is due, when a notice counts as received (§8.3) and when a
withholding determination lapses. trustee/workflows.py applies them to rows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta


class Refused(Exception):
    """A transition the workflow does not allow, with the reason in words an officer reads."""


# -- List of Holders requests (§2.2) -------------------------------------------------------


class ListState(enum.StrEnum):
    SCHEDULED = "scheduled"
    REQUESTED = "requested"
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    NOT_REQUIRED = "not_required"


LIST_TRANSITIONS: dict[str, set[str]] = {
    # A reminder never approved does not stop the Guarantor's list from falling overdue.
    ListState.SCHEDULED: {
        ListState.REQUESTED,
        ListState.OVERDUE,
        ListState.RECEIVED,
        ListState.NOT_REQUIRED,
    },
    ListState.REQUESTED: {ListState.OVERDUE, ListState.RECEIVED, ListState.NOT_REQUIRED},
    ListState.OVERDUE: {ListState.ESCALATED, ListState.RECEIVED, ListState.NOT_REQUIRED},
    ListState.ESCALATED: {ListState.ESCALATED, ListState.RECEIVED, ListState.NOT_REQUIRED},
    # A list that fails validation or is sent back leaves the request open again.
    ListState.RECEIVED: {ListState.ACCEPTED, ListState.REQUESTED, ListState.OVERDUE},
    ListState.ACCEPTED: set(),
    ListState.NOT_REQUIRED: set(),
}
LIST_OPEN = {
    ListState.SCHEDULED,
    ListState.REQUESTED,
    ListState.OVERDUE,
    ListState.ESCALATED,
    ListState.RECEIVED,
}

# The exceptions §2.2(a) allows, recorded rather than ignored.
LIST_EXCEPTIONS = {
    "identical": "not identical to a previously supplied list of Holders (§2.2(a)): the list "
    "would be identical to one already supplied",
    "already_received": "has not otherwise been received by the Guarantee Trustee in its "
    "capacity as such (§2.2(a)): the trustee already has it (e.g. as registrar)",
}


def request_opens_on(due: date, lead_days: int) -> date:
    """The day the sweep sends the Guarantor its reminder for a list due on `due`."""
    return due - timedelta(days=lead_days)


def escalation_due(*, overdue_since: date, last_escalated: date | None, every_days: int, today):
    """Escalate once when a request goes overdue, then again every `every_days` days."""
    if last_escalated is None:
        return today >= overdue_since
    return today >= last_escalated + timedelta(days=every_days)


class Delivery(enum.StrEnum):
    """How a written request reached the Guarantor (§8.3)."""

    IN_PERSON = "in_person"
    TELECOPY = "telecopy"
    FIRST_CLASS_MAIL = "first_class_mail"
    REFUSED = "refused"


def deemed_received(method: str, on: date) -> date:
    """§8.3: a notice is deemed given when received in person, telecopied with receipt
    confirmed, or mailed by first class mail; one refused or undeliverable (a changed address
    not notified) is deemed delivered on the day of the refusal. Every case is a date the
    officer enters: the day of delivery, of the confirmed telecopy, of mailing or of refusal;
    what differs is which day counts, and that is the day asked for."""
    if method not in set(Delivery):
        raise Refused(f"Unknown way of delivery “{method}”: one of {', '.join(Delivery)}.")
    return on


# -- the annual report to Holders (§2.3, TIA §313) -----------------------------------------


class ReportState(enum.StrEnum):
    OPEN = "open"
    NO_REPORT = "no_report_required"
    DRAFT = "draft"
    APPROVED = "approved"
    MAILED = "mailed"
    FILED = "filed"


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportState.OPEN: {ReportState.NO_REPORT, ReportState.DRAFT},
    ReportState.DRAFT: {ReportState.APPROVED, ReportState.OPEN},
    ReportState.APPROVED: {ReportState.MAILED},
    ReportState.MAILED: {ReportState.FILED},
    ReportState.NO_REPORT: set(),
    ReportState.FILED: set(),
}
REPORT_OPEN = {ReportState.OPEN, ReportState.DRAFT, ReportState.APPROVED, ReportState.MAILED}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    clause: str
    question: str


# TIA §313(a): what the report must cover, for the preceding twelve months.
TIA_313_CHECKLIST = (
    ChecklistItem(
        "eligibility", "§313(a)(1)", "Any change to the trustee's eligibility and qualifications"
    ),
    ChecklistItem(
        "conflict",
        "§313(a)(2)",
        "A conflicting relationship (§310(b)) created, or an existing one changed",
    ),
    ChecklistItem(
        "advances",
        "§313(a)(3)",
        "Advances by the trustee unpaid over ½ of 1% of the principal outstanding",
    ),
    ChecklistItem("indebtedness", "§313(a)(4)", "Other indebtedness owed to the trustee (§311(b))"),
    ChecklistItem("property", "§313(a)(5)", "Property and funds held by the trustee"),
    ChecklistItem("releases", "§313(a)(6)", "Releases or substitutions of property"),
    ChecklistItem("additional_issue", "§313(a)(7)", "Additional securities issued"),
    ChecklistItem(
        "other_action", "§313(a)(8)", "Other action that materially affects the securities"
    ),
)
CHECKLIST_CODES = tuple(item.code for item in TIA_313_CHECKLIST)


def checklist_problems(answers: dict) -> list[str]:
    """Every item must be answered yes or no; a yes needs the facts."""
    problems = []
    for item in TIA_313_CHECKLIST:
        answer = answers.get(item.code)
        if not isinstance(answer, dict) or answer.get("yes") not in (True, False):
            problems.append(f"{item.clause}: answer yes or no — {item.question}.")
        elif answer["yes"] and not str(answer.get("facts", "")).strip():
            problems.append(f"{item.clause}: say what happened — {item.question}.")
    return problems


def anything_to_report(answers: dict) -> bool:
    return any(answers.get(code, {}).get("yes") for code in CHECKLIST_CODES)


# -- defaults and Events of Default (§1.1, §2.6, §2.7, §3.1) --------------------------------


class DefaultState(enum.StrEnum):
    DEFAULT = "default"  # a default, its cure period running: not yet an Event of Default
    EVENT_OF_DEFAULT = "event_of_default"
    WITHHELD = "withheld"
    NOTICE_DRAFTED = "notice_drafted"
    NOTICED = "noticed"
    CURED = "cured"
    WAIVED = "waived"


DEFAULT_TRANSITIONS: dict[str, set[str]] = {
    DefaultState.DEFAULT: {DefaultState.EVENT_OF_DEFAULT, DefaultState.CURED},
    DefaultState.EVENT_OF_DEFAULT: {
        DefaultState.WITHHELD,
        DefaultState.NOTICE_DRAFTED,
        DefaultState.CURED,
        DefaultState.WAIVED,
    },
    DefaultState.WITHHELD: {
        DefaultState.EVENT_OF_DEFAULT,
        DefaultState.WITHHELD,
        DefaultState.CURED,
        DefaultState.WAIVED,
    },
    DefaultState.NOTICE_DRAFTED: {
        DefaultState.NOTICED,
        DefaultState.EVENT_OF_DEFAULT,
        DefaultState.CURED,
        DefaultState.WAIVED,
    },
    DefaultState.NOTICED: {DefaultState.CURED, DefaultState.WAIVED},
    DefaultState.CURED: set(),
    DefaultState.WAIVED: set(),
}
# While one of these holds, the agreement is in default: the banner of §3.1(b) and (c).
CONTINUING = {
    DefaultState.EVENT_OF_DEFAULT,
    DefaultState.WITHHELD,
    DefaultState.NOTICE_DRAFTED,
    DefaultState.NOTICED,
}


def becomes_event_of_default_on(*, occurred: date, is_payment: bool, cure_ends: date | None):
    """A default in a Guarantee Payment is an Event of Default at once (§1.1); any other
    default when its cure period has run (the day after the cure period's last day)."""
    if is_payment:
        return occurred
    if cure_ends is None:
        raise Refused("The agreement states no cure period for this default: record its end.")
    return cure_ends + timedelta(days=1)


def withholding_refusal(*, is_payment: bool, is_responsible_officer: bool, rationale: str):
    """§2.7(a): only a Responsible Officer, in good faith, and never for a payment default."""
    if is_payment:
        return (
            "§2.7(a): notice of a default in the payment of a Guarantee Payment may not be "
            "withheld."
        )
    if not is_responsible_officer:
        return (
            "Only a Responsible Officer may determine that withholding the notice is in the "
            "interests of the Holders (§2.7(a))."
        )
    if not rationale.strip():
        return "Record why withholding the notice is in the interests of the Holders."
    return None


def withholding_lapses_on(affirmed_on: date, every_days: int) -> date:
    """'If and so long as': a determination stands until it is due to be affirmed again."""
    return affirmed_on + timedelta(days=every_days)


def check(transitions: dict[str, set[str]], labels: dict[str, str], old: str, new: str) -> None:
    if new not in transitions.get(old, set()):
        allowed = sorted(labels[s] for s in transitions.get(old, set()))
        then = f"; from here: {', '.join(allowed)}" if allowed else "; it is closed"
        raise Refused(f"Cannot go from “{labels[old]}” to “{labels[new]}”{then}.")
