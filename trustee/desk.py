"""What a trust officer sees first after logging in: what is late, what is next, and what
needs their hands; a Supervisor also sees the department, by officer. Then the desk's other
reads: an agreement's timeline, the month calendar. Reads only (selectors): the pages are
trustee/desk_views.py, the search trustee/search.py.

Every read here is a fixed number of queries, whatever the size of the department: lists are
capped and counted in the database, never walked row by row in Python.
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from trustee import obligation_rules as duty_rules
from trustee import workflow_rules as rules
from trustee.calendar import BusinessCalendar
from trustee.models import (
    Agreement,
    AgreementEvent,
    DefaultCase,
    ListRequest,
    Obligation,
    OfficerAssignment,
    TrustOfficer,
    WorkflowStep,
)
from trustee.roles import SUPERVISOR, is_responsible, roles_of

# A default notice with this many days or fewer left is called out in words.
URGENT_DAYS = 10
# Each list on the desk shows this many, and links to all of them.
SHOWN = 25
OPEN_DEFAULT = [*rules.CONTINUING, rules.DefaultState.DEFAULT]
TIMELINE_MONTHS = 18


def is_supervisor(user) -> bool:
    return SUPERVISOR in roles_of(user)


@dataclass
class OfficerLine:
    """One officer's row in the Supervisor's view of the department."""

    officer: TrustOfficer
    overdue: int = 0
    due_soon: int = 0
    defaults: int = 0


@dataclass
class Desk:
    officer: TrustOfficer | None = None
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    defaults: list = field(default_factory=list)  # (case, days left, urgent, days late)
    lists_to_review: list = field(default_factory=list)
    failed_notices: list = field(default_factory=list)
    approvals: list = field(default_factory=list)
    overdue_total: int = 0
    due_soon_total: int = 0
    department_overdue: int = 0
    # The Supervisor's view: one line per active officer (None for anyone else).
    department: list[OfficerLine] | None = None
    unassigned: OfficerLine | None = None

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.overdue,
                self.due_soon,
                self.defaults,
                self.lists_to_review,
                self.failed_notices,
                self.approvals,
            )
        )


def desk_for(user, *, today: date, officer: TrustOfficer | None = None) -> Desk | None:
    """The desk of `officer` (by default the user's own) as `user` sees it, or None for a
    user who is neither a trust officer nor a Supervisor."""
    from notices.models import Delivery, Notice

    supervisor = is_supervisor(user)
    officer = officer or getattr(user, "trust_officer", None)
    if officer is None and not supervisor:
        return None
    desk = Desk(officer=officer)
    desk.department_overdue = Obligation.objects.filter(status=duty_rules.OVERDUE).count()
    if supervisor:
        _department(desk)
    if officer is None:
        return desk
    duties = (
        Obligation.objects.filter(officer=officer).select_related("agreement").order_by("due_date")
    )
    counts = dict(
        Obligation.objects.filter(
            officer=officer, status__in=[duty_rules.OVERDUE, duty_rules.DUE_SOON]
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    desk.overdue_total = counts.get(duty_rules.OVERDUE, 0)
    desk.due_soon_total = counts.get(duty_rules.DUE_SOON, 0)
    if desk.overdue_total:
        desk.overdue = list(duties.filter(status=duty_rules.OVERDUE)[:SHOWN])
    if desk.due_soon_total:
        desk.due_soon = list(duties.filter(status=duty_rules.DUE_SOON)[:SHOWN])
    mine = OfficerAssignment.objects.filter(officer=officer).values("agreement_id")
    for case in (
        DefaultCase.objects.filter(agreement_id__in=mine, state__in=OPEN_DEFAULT)
        .select_related("agreement", "event")
        .order_by(F("notice_due_on").asc(nulls_last=True), "pk")[:SHOWN]
    ):
        left = (case.notice_due_on - today).days if case.notice_due_on else None
        late = -left if left is not None and left < 0 else 0
        desk.defaults.append((case, left, left is not None and left <= URGENT_DAYS, late))
    desk.lists_to_review = list(
        ListRequest.objects.filter(agreement_id__in=mine, state=rules.ListState.RECEIVED)
        .select_related("agreement", "holder_list")
        .order_by("due_on", "pk")[:SHOWN]
    )
    failing = Delivery.objects.filter(
        notice=OuterRef("pk"), state__in=[Delivery.State.FAILED, Delivery.State.BOUNCED]
    )
    desk.failed_notices = list(
        Notice.objects.filter(Exists(failing), agreement_id__in=mine)
        .select_related("agreement")
        .order_by("-created_at")[:SHOWN]
    )
    if is_responsible(officer.user):
        desk.approvals = list(
            Notice.objects.filter(agreement_id__in=mine, status=Notice.Status.DRAFT)
            .exclude(created_by=officer.user)
            .select_related("agreement")
            .order_by("created_at")[:SHOWN]
        )
    return desk


def _department(desk: Desk) -> None:
    """Per officer: overdue, due soon (their duties) and open defaults (on their agreements,
    as primary or backup). Three grouped counts, however many officers and rows."""
    lines = {
        o.pk: OfficerLine(o)
        for o in TrustOfficer.objects.filter(is_active=True).select_related("user")
    }
    unassigned = OfficerLine(officer=None)
    for officer_id, status, n in (
        Obligation.objects.filter(status__in=[duty_rules.OVERDUE, duty_rules.DUE_SOON])
        .values_list("officer_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        line = lines.get(officer_id, unassigned)
        if status == duty_rules.OVERDUE:
            line.overdue += n
        else:
            line.due_soon += n
    for officer_id, n in (
        OfficerAssignment.objects.filter(agreement__default_cases__state__in=OPEN_DEFAULT)
        .values_list("officer_id")
        .annotate(n=Count("agreement__default_cases", distinct=True))
        .order_by()
    ):
        if officer_id in lines:
            lines[officer_id].defaults = n
    desk.department = sorted(
        lines.values(), key=lambda line: (-line.overdue, -line.due_soon, str(line.officer))
    )
    desk.unassigned = unassigned if unassigned.overdue or unassigned.due_soon else None


# -- the agreement's timeline ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of an agreement's timeline: a duty, a workflow step or a recorded event."""

    day: date
    kind: str  # "duty", "step", "event"
    title: str
    detail: str = ""
    status: str = ""
    flag: str = ""
    obligation: Obligation | None = None
    step: WorkflowStep | None = None
    event: AgreementEvent | None = None


@dataclass
class Timeline:
    ahead: list[Entry]  # today and after, soonest first
    behind: list[Entry]  # before today, latest first
    more_ahead: bool
    more_behind: bool
    start: date
    end: date


def months_from(day: date, months_: int) -> date:
    year, month = divmod(day.month - 1 + months_, 12)
    last = months.monthrange(day.year + year, month + 1)[1]
    return date(day.year + year, month + 1, min(day.day, last))


def agreement_timeline(agreement, *, today: date, limit: int) -> Timeline:
    """Duties due, workflow steps and events of the past and the next 18 months, each side
    capped at `limit` entries (six queries)."""
    start, end = months_from(today, -TIMELINE_MONTHS), months_from(today, TIMELINE_MONTHS)
    # Duties due today are still ahead; what was recorded today has already happened.
    day = timedelta(days=1)
    ahead, more_ahead = _side(agreement, (today, end), (today + day, end), limit, ahead=True)
    behind, more_behind = _side(agreement, (start, today - day), (start, today), limit, ahead=False)
    return Timeline(ahead, behind, more_ahead, more_behind, start, end)


def _side(agreement, due: tuple, recorded: tuple, limit: int, *, ahead: bool):
    """One side of the timeline: duties due in `due`, steps and events in `recorded`."""
    order = "" if ahead else "-"
    duties = Obligation.objects.filter(agreement=agreement, due_date__range=due).order_by(
        f"{order}due_date", f"{order}pk"
    )[: limit + 1]
    steps = (
        WorkflowStep.objects.filter(agreement=agreement, on__range=recorded)
        .select_related("by")
        .order_by(f"{order}on", f"{order}pk")[: limit + 1]
    )
    events = AgreementEvent.objects.filter(
        agreement=agreement, occurred_on__range=recorded
    ).order_by(f"{order}occurred_on", f"{order}pk")[: limit + 1]
    entries = [
        *(
            Entry(
                day=o.due_date,
                kind="duty",
                title=o.title,
                detail=f"owed by {o.owed_by}" + (f", §{o.section}" if o.section else ""),
                status=o.get_status_display(),
                flag=o.holiday or ("weekend" if o.is_weekend else ""),
                obligation=o,
            )
            for o in duties
        ),
        *(
            Entry(
                day=s.on,
                kind="step",
                title=f"{s.get_workflow_display()}: {s.old_state or 'opened'} → {s.new_state}",
                detail=s.comment,
                status=(s.by.get_full_name() or s.by.get_username()) if s.by else "scheduler",
                step=s,
            )
            for s in steps
        ),
        *(
            Entry(
                day=e.occurred_on,
                kind="event",
                title=e.get_kind_display(),
                detail=e.description,
                event=e,
            )
            for e in events
        ),
    ]
    entries.sort(key=lambda entry: entry.day, reverse=not ahead)
    more = len(entries) > limit
    return entries[:limit], more


# -- the month calendar ------------------------------------------------------------------------

PER_DAY = 6  # duties shown in a day's cell; the rest are counted and linked


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    is_weekend: bool
    holiday: str
    duties: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.duties)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date
    total: int


class BadMonth(ValueError):
    pass


def parse_month(value: str | None, *, today: date) -> date:
    """ "2026-02" → 1 Feb 2026; empty → this month; anything else is refused in words."""
    if not value:
        return today.replace(day=1)
    text = value.strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise BadMonth(
            f"“{value}” is not a month: write the year and the month as YYYY-MM, e.g. "
            f"{today:%Y-%m}."
        ) from None


def calendar_duties(scope: Q, first: date, last: date):
    """Obligations in [first, last] within `scope`, at most PER_DAY per day, and the count
    per day (three queries whatever the number of rows). The window runs over the few
    columns the calendar shows, and the agreements' names are read for the rows kept only:
    on a whole department's month that is a tenth of the work of joining every row."""
    rows = Obligation.objects.filter(scope, due_date__range=(first, last))
    counts = dict(rows.values_list("due_date").annotate(n=Count("id")).order_by())
    shown = list(
        rows.only("id", "agreement_id", "due_date", "title", "status", "is_weekend", "holiday")
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("due_date")], order_by=[F("agreement_id"), F("pk")]
            )
        )
        .filter(place__lte=PER_DAY)
        .order_by("due_date", "agreement_id", "pk")
    )
    names = Agreement.objects.only("id", "short_name").in_bulk({o.agreement_id for o in shown})
    for obligation in shown:
        obligation.agreement = names[obligation.agreement_id]
    return shown, counts


def month_calendar(first: date, *, scope: Q, today: date) -> Month:
    grid = months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    shown, counts = calendar_duties(scope, grid[0][0], grid[-1][-1])
    business = BusinessCalendar()
    days = {}
    weeks = []
    for week in grid:
        row = []
        for day in week:
            cell = Day(
                day=day,
                in_month=day.month == first.month,
                is_today=day == today,
                is_weekend=day.weekday() >= 5,
                holiday=business.holiday(day),
                total=counts.get(day, 0),
            )
            days[day] = cell
            row.append(cell)
        weeks.append(row)
    for obligation in shown:
        days[obligation.due_date].duties.append(obligation)
    return Month(
        first=first,
        weeks=weeks,
        previous=months_from(first, -1),
        next=months_from(first, 1),
        total=sum(n for day, n in counts.items() if day.month == first.month),
    )


def scope_of(officer: TrustOfficer | None) -> Q:
    """The duties of an officer's agreements (primary or backup); everything for None."""
    if officer is None:
        return Q()
    return Q(
        agreement_id__in=OfficerAssignment.objects.filter(officer=officer).values("agreement_id")
    )
