"""What a trust officer sees first after logging in: what is late, what is next, and what
needs their hands. Reads only (a selector); the admin's index shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from trustee import workflow_rules as rules
from trustee.models import DefaultCase, ListRequest, Obligation
from trustee.roles import is_responsible

# A default notice with this many days or fewer left is called out in words.
URGENT_DAYS = 10
SHOWN = 50


@dataclass
class Desk:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    defaults: list = field(default_factory=list)  # (case, days left, urgent, days late)
    lists_to_review: list = field(default_factory=list)
    failed_notices: list = field(default_factory=list)
    approvals: list = field(default_factory=list)

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


def desk_for(user, *, today: date) -> Desk | None:
    """The officer's desk, or None for a user who is not a trust officer."""
    from notices.models import Delivery, Notice

    officer = getattr(user, "trust_officer", None)
    if officer is None:
        return None
    mine = Q(agreement__officer_assignments__officer=officer)
    duties = (
        Obligation.objects.filter(officer=officer).select_related("agreement").order_by("due_date")
    )
    desk = Desk(
        overdue=list(duties.filter(status=Obligation.Status.OVERDUE)[:SHOWN]),
        due_soon=list(duties.filter(status=Obligation.Status.DUE_SOON)[:SHOWN]),
    )
    for case in (
        DefaultCase.objects.filter(
            mine, state__in=list(rules.CONTINUING | {rules.DefaultState.DEFAULT})
        )
        .select_related("agreement", "event")
        .distinct()
        .order_by("notice_due_on")
    ):
        left = (case.notice_due_on - today).days if case.notice_due_on else None
        late = -left if left is not None and left < 0 else 0
        desk.defaults.append((case, left, left is not None and left <= URGENT_DAYS, late))
    desk.lists_to_review = list(
        ListRequest.objects.filter(mine, state=rules.ListState.RECEIVED)
        .select_related("agreement", "holder_list")
        .distinct()[:SHOWN]
    )
    failing = Delivery.objects.filter(
        state__in=[Delivery.State.FAILED, Delivery.State.BOUNCED]
    ).values("notice_id")
    desk.failed_notices = list(
        Notice.objects.filter(mine, pk__in=failing).select_related("agreement").distinct()[:SHOWN]
    )
    if is_responsible(user):
        desk.approvals = list(
            Notice.objects.filter(mine, status=Notice.Status.DRAFT)
            .exclude(created_by=user)
            .select_related("agreement")
            .distinct()[:SHOWN]
        )
    return desk
