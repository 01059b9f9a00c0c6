"""List of Holders requests (§2.2): semiannual reminders, written requests on demand and
their §8.3 receipt, late lists escalated, lists received and accepted, exceptions recorded."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from trustee import workflow_rules as rules
from trustee.calendar import DutyKind
from trustee.models import (
    AgreementEvent,
    ListException,
    ListRequest,
    Obligation,
    WorkflowStep,
)
from trustee.models.workflows import LIST_LABELS
from trustee.obligations import (
    TransitionRefused,
    event_record,
    obligation_complete,
    obligation_waive,
)
from trustee.roles import require_preparer, require_responsible
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    scheduler_user,
    security_for,
    today_or_now,
)

# == 1. List of Holders requests (§2.2) ======================================================


def _list_move(request, new, **kwargs):
    return apply_transition(
        request, Flow.LIST_REQUEST, LIST_LABELS, rules.LIST_TRANSITIONS, new, **kwargs
    )


def list_requests_open(*, today: date | None = None) -> int:
    """Open a request for every semiannual list whose reminder day has come: once each, also
    after downtime (every obligation whose day has passed is opened on the next run)."""
    today = today_or_now(today)
    lead = settings.TRUSTDESK_REQUEST_LEAD_DAYS["holder_list"]
    due = Obligation.objects.filter(
        kind=DutyKind.HOLDER_LIST,
        status__in=OPEN_OBLIGATION,
        list_request__isnull=True,
        due_date__lte=today + timedelta(days=lead),
    ).select_related("agreement")
    opened = 0
    for obligation in due.iterator():
        with transaction.atomic():
            # Claimed under the obligation's row lock: a second sweep skips it, or finds the
            # request the first one made once that one commits.
            locked = Obligation.objects.select_for_update(skip_locked=True).filter(pk=obligation.pk)
            if not locked.exists() or ListRequest.objects.filter(obligation=obligation).exists():
                continue
            request = ListRequest.objects.create(
                agreement=obligation.agreement,
                security=security_for(obligation.agreement, obligation),
                obligation=obligation,
                due_on=obligation.due_date,
                opened_on=today,
            )
            notice = _draft_list_notice(request, by=scheduler_user())
            request.notice = notice
            request.save(update_fields=["notice"])
            WorkflowStep.objects.create(
                agreement_id=request.agreement_id,
                workflow=Flow.LIST_REQUEST,
                case_id=request.pk,
                new_state=request.state,
                on=today,
                comment=f"Opened {rules.request_opens_on(request.due_on, lead):%Y-%m-%d} rule: "
                f"{lead} days before the list is due on {request.due_on:%Y-%m-%d} "
                f"(§{obligation.section or '2.2(a)'}); reminder {notice.reference} drafted.",
            )
            opened += 1
    return opened


def _draft_list_notice(request, *, by, details=""):
    from notices.workflows import notice_create

    agreement = request.agreement
    if request.on_demand:
        title = f"Request for a List of Holders under §2.2(a)(ii): {agreement.short_name}"
        text = details or (
            "The Guarantee Trustee requests in writing a List of Holders as of a date not more "
            "than the agreement's number of days prior to the time it is furnished, within the "
            "number of days after receipt of this request that §2.2(a)(ii) provides."
        )
    else:
        title = f"List of Holders due {request.due_on:%B %d, %Y}: {agreement.short_name}"
        text = details or (
            f"Under §2.2(a)(i) the Guarantor shall furnish the Guarantee Trustee, on or before "
            f"{request.due_on:%B %d, %Y}, a List of Holders as of a date not more than the number "
            "of days the agreement states prior to its delivery."
        )
    return notice_create(
        kind="list_request",
        agreement=agreement,
        security=request.security,
        title=title,
        details=text,
        by=by,
    )


def list_request_send(*, request_id, by, today: date | None = None):
    """An officer approves the reminder or request the scheduler or a colleague drafted, which
    sends it to the Guarantor's notice address (email and first-class letter)."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        request = ListRequest.objects.select_for_update().get(pk=request_id)
        if request.notice_id is None:
            raise TransitionRefused(f"{request}: there is no reminder to send.")
        try:
            notice = notice_approve(notice_id=request.notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        new = rules.ListState.REQUESTED
        if request.state != rules.ListState.SCHEDULED:
            # Sent late, after the list fell overdue: it stays overdue; the step records it.
            new = request.state
            WorkflowStep.objects.create(
                agreement_id=request.agreement_id,
                workflow=Flow.LIST_REQUEST,
                case_id=request.pk,
                old_state=request.state,
                new_state=new,
                by=by,
                on=today,
                comment=f"Reminder {notice.reference} approved and sent (late).",
            )
            return request
        _list_move(
            request,
            new,
            by=by,
            on=today,
            comment=f"{notice.reference} approved and sent to the Guarantor's notice address.",
        )
    return request


def list_request_demand(*, agreement, by, security=None, details="", today: date | None = None):
    """An officer drafts a written request for a list at another time (§2.2(a)(ii)); once a
    second officer approves it and it is delivered, its receipt starts the clock."""
    require_preparer(by, "Requesting a List of Holders")
    today = today_or_now(today)
    with transaction.atomic():
        request = ListRequest.objects.create(
            agreement=agreement,
            security=security or security_for(agreement),
            on_demand=True,
            opened_on=today,
        )
        request.notice = _draft_list_notice(request, by=by, details=details)
        request.save(update_fields=["notice"])
        WorkflowStep.objects.create(
            agreement_id=agreement.pk,
            workflow=Flow.LIST_REQUEST,
            case_id=request.pk,
            new_state=request.state,
            by=by,
            on=today,
            comment=f"Written request {request.notice.reference} drafted (§2.2(a)(ii)).",
        )
    return request


def list_request_delivered(*, request_id, by, method, delivered_on, today: date | None = None):
    """Record how and when the Guarantor received a written request: §8.3 decides the day it
    counts as received, and the list is due the agreement's number of days after it."""
    require_preparer(by, "Recording the Guarantor's receipt")
    today = today_or_now(today)
    if delivered_on > today:
        raise TransitionRefused({"delivered_on": "This date is in the future."})
    try:
        received = rules.deemed_received(method, delivered_on)
    except rules.Refused as refusal:
        raise TransitionRefused({"method": str(refusal)}) from None
    with transaction.atomic():
        request = ListRequest.objects.select_for_update().get(pk=request_id)
        if not request.on_demand:
            raise TransitionRefused(f"{request}: a semiannual list needs no delivery record.")
        if request.obligation_id:
            raise TransitionRefused(f"{request}: its delivery is already recorded.")
        if request.state != rules.ListState.REQUESTED:
            raise TransitionRefused(f"{request}: the request has not been approved and sent yet.")
        event = event_record(
            agreement=request.agreement,
            kind=AgreementEvent.Kind.LIST_REQUESTED,
            occurred_on=received,
            description=f"Written request {request.notice.reference} received by the Guarantor "
            f"({rules.Delivery(method).name.replace('_', ' ').lower()}, §8.3).",
            by=by,
            today=today,
        )
        obligation = event.obligations.get()
        request.obligation = obligation
        request.due_on = obligation.due_date
        request.delivered_by = method
        request.received_by_guarantor_on = received
        request.save(
            update_fields=[
                "obligation",
                "due_on",
                "delivered_by",
                "received_by_guarantor_on",
                "updated_at",
            ]
        )
        WorkflowStep.objects.create(
            agreement_id=request.agreement_id,
            workflow=Flow.LIST_REQUEST,
            case_id=request.pk,
            old_state=request.state,
            new_state=request.state,
            by=by,
            on=today,
            comment=f"Received by the Guarantor on {received:%Y-%m-%d} (§8.3); "
            f"the list is due {obligation.due_date:%Y-%m-%d}.",
        )
    return request


def list_requests_overdue(*, today: date | None = None) -> int:
    """Mark requests past their due date overdue, and escalate them to the agreement's
    officers, again every few days while the list has not come."""
    today = today_or_now(today)
    every = settings.TRUSTDESK_ESCALATE_EVERY_DAYS["list_request"]
    moved = 0
    late = ListRequest.objects.filter(
        state__in=[
            rules.ListState.SCHEDULED,
            rules.ListState.REQUESTED,
            rules.ListState.OVERDUE,
            rules.ListState.ESCALATED,
        ],
        due_on__lt=today,
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            request = ListRequest.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if request is None or request.state not in rules.LIST_OPEN:
                continue
            if request.state in (rules.ListState.SCHEDULED, rules.ListState.REQUESTED):
                request.overdue_since = request.due_on + timedelta(days=1)
                _list_move(
                    request,
                    rules.ListState.OVERDUE,
                    by=None,
                    on=today,
                    comment=f"No List of Holders by {request.due_on:%Y-%m-%d}.",
                    fields=["overdue_since"],
                )
                moved += 1
            if rules.escalation_due(
                overdue_since=request.overdue_since,
                last_escalated=request.last_escalated_on,
                every_days=every,
                today=today,
            ):
                request.escalations += 1
                request.last_escalated_on = today
                days = (today - request.due_on).days
                _list_move(
                    request,
                    rules.ListState.ESCALATED,
                    by=None,
                    on=today,
                    comment=f"Escalation {request.escalations}: the List of Holders due "
                    f"{request.due_on:%Y-%m-%d} is {days} days late.",
                    notify=True,
                    fields=["escalations", "last_escalated_on"],
                )
                moved += 1
    return moved


def list_request_received(*, request_id, holder_list, by, today: date | None = None):
    """Link the list the Guarantor delivered; its import checks it."""
    require_preparer(by, "Linking a list received")
    today = today_or_now(today)
    with transaction.atomic():
        request = ListRequest.objects.select_for_update().get(pk=request_id)
        if request.security_id and holder_list.security_id != request.security_id:
            raise TransitionRefused(
                {"holder_list": f"That list is of {holder_list.security}, not {request.security}."}
            )
        request.holder_list = holder_list
        _list_move(
            request,
            rules.ListState.RECEIVED,
            by=by,
            on=today,
            comment=f"List as of {holder_list.as_of:%Y-%m-%d} received "
            f"{holder_list.received_on:%Y-%m-%d} ({holder_list.get_status_display()}).",
            fields=["holder_list"],
        )
    return request


def list_request_accept(*, request_id, by, today: date | None = None):
    """An officer accepts the received list: it was imported without a problem."""
    from holders.models import HolderList

    require_responsible(by, "Accepting a List of Holders")
    today = today_or_now(today)
    with transaction.atomic():
        request = (
            ListRequest.objects.select_for_update(of=("self",))
            .select_related("holder_list")
            .get(pk=request_id)
        )
        held = request.holder_list
        if held is not None and held.imported_by_id == by.pk:
            raise TransitionRefused(
                f"{request}: the officer who imported the list cannot accept it: a second "
                "officer must."
            )
        if held is None or held.status != HolderList.Status.IMPORTED:
            status = held.get_status_display().lower() if held else "not received"
            raise TransitionRefused(
                f"{request}: the list is {status}; only an imported list can be accepted."
            )
        _list_move(request, rules.ListState.ACCEPTED, by=by, on=today, comment="Accepted.")
        if request.obligation_id:
            obligation_complete(
                obligation_id=request.obligation_id,
                by=by,
                evidence=f"List of Holders as of {held.as_of:%Y-%m-%d} received "
                f"{held.received_on:%Y-%m-%d}, {held.row_count:,} holders, accepted.",
                completed_on=held.received_on,
            )
    return request


def list_request_reopen(*, request_id, by, reason, today: date | None = None):
    """The received list was refused (failed its checks): the Guarantor still owes one."""
    require_responsible(by, "Refusing a List of Holders")
    if not reason.strip():
        raise TransitionRefused({"reason": "Say why the list was not accepted."})
    today = today_or_now(today)
    with transaction.atomic():
        request = ListRequest.objects.select_for_update().get(pk=request_id)
        late = request.due_on is not None and request.due_on < today
        new = rules.ListState.OVERDUE if late else rules.ListState.REQUESTED
        if late and request.overdue_since is None:
            request.overdue_since = request.due_on + timedelta(days=1)
        if request.holder_list_id:
            # A refused list does not fulfil the duty: the sweep must not link it again.
            from holders.models import HolderList

            HolderList.objects.filter(pk=request.holder_list_id).update(fulfils=None)
        request.holder_list = None
        _list_move(
            request, new, by=by, on=today, comment=reason, fields=["holder_list", "overdue_since"]
        )
    return request


def list_request_excuse(*, request_id, by, exception, note, today: date | None = None):
    """Record one of §2.2(a)'s exceptions: the list is not required this time."""
    require_responsible(by, "Excusing a List of Holders under §2.2(a)")
    if exception not in ListException.values:
        raise TransitionRefused({"exception": f"Unknown exception “{exception}”."})
    if not note.strip():
        raise TransitionRefused({"note": "Say what shows it (e.g. which list it is identical to)."})
    today = today_or_now(today)
    with transaction.atomic():
        request = ListRequest.objects.select_for_update().get(pk=request_id)
        request.exception, request.exception_note = exception, note.strip()
        clause = rules.LIST_EXCEPTIONS[exception]
        _list_move(
            request,
            rules.ListState.NOT_REQUIRED,
            by=by,
            on=today,
            comment=f"{ListException(exception).label}: {note.strip()}",
            fields=["exception", "exception_note"],
        )
        if request.obligation_id:
            obligation_waive(
                obligation_id=request.obligation_id,
                by=by,
                reason=f"Not required — {clause}. {note.strip()}",
            )
    return request


def list_requests_link_received(*, today: date | None = None) -> int:
    """A list imported against the request's duty (HolderList.fulfils) moves the request to
    received without an officer having to link it by hand."""
    from holders.models import HolderList

    today = today_or_now(today)
    linked = 0
    waiting = ListRequest.objects.filter(
        state__in=[s for s in rules.LIST_OPEN if s != rules.ListState.RECEIVED],
        obligation__isnull=False,
    ).values_list("pk", "obligation_id")
    for pk, obligation_id in list(waiting):
        delivered = (
            HolderList.objects.filter(fulfils_id=obligation_id)
            .exclude(status=HolderList.Status.FAILED)
            .order_by("-received_on", "-pk")
            .first()
        )
        if delivered is None:
            continue
        with transaction.atomic():
            request = ListRequest.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if request is None or request.state == rules.ListState.RECEIVED:
                continue
            request.holder_list = delivered
            _list_move(
                request,
                rules.ListState.RECEIVED,
                by=None,
                on=today,
                comment=f"List as of {delivered.as_of:%Y-%m-%d} received "
                f"{delivered.received_on:%Y-%m-%d} against this duty "
                f"({delivered.get_status_display().lower()}).",
                fields=["holder_list"],
            )
            linked += 1
    return linked
