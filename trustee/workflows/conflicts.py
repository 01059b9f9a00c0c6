"""Conflicting interests (§4.1(c), TIA §310(b)).

Recorded with the day ascertained. Their days run only while the securities are in default
(trustee.workflows.defaults.agreement_in_default), from the later of the day ascertained and
the day the default began: the clock is a CONFLICTING_INTEREST event on the calendar (its
CONFLICT_ELIMINATION and CONFLICT_NOTICE duties). A default cured or waived before the days run
stops the clock; not eliminated in time, the notice to Holders is due (TIA §310(b)(ii)), with
maker-checker.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from trustee import standing_rules as rules
from trustee.calendar import DutyKind
from trustee.models import AgreementEvent, ConflictCase
from trustee.models.standing import CONFLICT_LABELS
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
from trustee.workflows.standing_common import actor as _actor
from trustee.workflows.standing_common import step as _step

C = rules.ConflictState


def _conflict_move(case, new, **kwargs):
    return apply_transition(
        case, Flow.CONFLICT, CONFLICT_LABELS, rules.CONFLICT_TRANSITIONS, new, **kwargs
    )


def default_since(agreement) -> date | None:
    """The day the continuing Event(s) of Default began, or None when not in default."""
    from trustee.workflows.defaults import agreement_in_default

    days = [c.event_of_default_on or c.event.occurred_on for c in agreement_in_default(agreement)]
    return min(days) if days else None


def conflict_record(*, agreement, ascertained_on, description, by, today: date | None = None):
    """Record a conflicting interest the day it was ascertained. In default, its clock starts
    at once; otherwise it waits for a default."""
    require_preparer(by, "Recording a conflicting interest")
    today = today_or_now(today)
    errors = {}
    if ascertained_on is None:
        errors["ascertained_on"] = "Give the day the conflicting interest was ascertained."
    elif ascertained_on > today:
        errors["ascertained_on"] = "This date is in the future."
    if not (description or "").strip():
        errors["description"] = "Describe the conflicting interest (TIA §310(b)(1)-(10))."
    if errors:
        raise TransitionRefused(errors)
    with transaction.atomic():
        case = ConflictCase.objects.create(
            agreement=agreement,
            ascertained_on=ascertained_on,
            description=description.strip(),
            recorded_by=by,
        )
        _step(
            case,
            Flow.CONFLICT,
            old="",
            new=case.state,
            by=by,
            on=today,
            comment=f"Conflicting interest ascertained {ascertained_on:%Y-%m-%d}: "
            f"{case.description}",
        )
        since = default_since(agreement)
        if since is not None:
            _clock_start(case, since=since, by=by, today=today)
        else:
            _step(
                case,
                Flow.CONFLICT,
                old=case.state,
                new=case.state,
                by=by,
                on=today,
                comment="The securities are not in default: no clock runs (TIA §310(b)).",
            )
    return case


def _clock_start(case, *, since, by, today):
    """Put the clock on the calendar: eliminate or resign within the days, else notify."""
    start = rules.conflict_clock_start(ascertained=case.ascertained_on, default_since=since)
    recorder = by if by is not None and by.is_active else scheduler_user()
    try:
        with transaction.atomic():
            event = event_record(
                agreement=case.agreement,
                kind=AgreementEvent.Kind.CONFLICTING_INTEREST,
                occurred_on=start,
                description=f"Conflicting interest ascertained {case.ascertained_on:%Y-%m-%d} "
                f"while in default since {since:%Y-%m-%d}: its days run from "
                f"{start:%Y-%m-%d} (TIA §310(b)). {case.description}",
                by=recorder,
                today=today,
            )
    except ValidationError as refusal:
        text = "Cannot start the conflict's clock: " + "; ".join(refusal.messages)
        if case.problem != text:
            case.problem = text
            case.save(update_fields=["problem", "updated_at"])
            _step(
                case,
                Flow.CONFLICT,
                old=case.state,
                new=case.state,
                by=by,
                on=today,
                comment=text,
                notify=True,
            )
        return None
    duties = {o.kind: o for o in event.obligations.all()}
    case.event, case.clock_from, case.problem = event, start, ""
    case.eliminate_by = duties[DutyKind.CONFLICT_ELIMINATION].due_date
    case.notice_by = duties[DutyKind.CONFLICT_NOTICE].due_date
    _conflict_move(
        case,
        C.CLOCK_RUNNING,
        by=_actor(by),
        on=today,
        comment=f"In default since {since:%Y-%m-%d}: eliminate the conflicting interest or "
        f"resign by {case.eliminate_by:%Y-%m-%d}; failing that, notify the Holders by "
        f"{case.notice_by:%Y-%m-%d} (TIA §310(b)).",
        notify=True,
        fields=["event", "clock_from", "eliminate_by", "notice_by", "problem"],
    )
    return event


def _clock_stop(case, *, today):
    reason = (
        "The securities are no longer in default before the days ran: the conflicting "
        "interest's clock stops (TIA §310(b))."
    )
    if case.event_id:
        for duty in case.event.obligations.filter(status__in=OPEN_OBLIGATION):
            obligation_waive(obligation_id=duty.pk, by=None, reason=reason)
    case.clock_from = case.eliminate_by = case.notice_by = None
    _conflict_move(
        case,
        C.RECORDED,
        by=None,
        on=today,
        comment=reason,
        fields=["clock_from", "eliminate_by", "notice_by"],
    )


def conflicts_advance(*, today: date | None = None) -> dict[str, int]:
    """Start the clocks of conflicts now in default, stop those whose default ended, and mark
    the notice due where the days ran out. Each case is claimed under its lock."""
    today = today_or_now(today)
    counts = {"conflict_clocks_started": 0, "conflict_clocks_stopped": 0, "conflict_notices_due": 0}
    open_cases = ConflictCase.objects.filter(state__in=[C.RECORDED, C.CLOCK_RUNNING])
    for pk in list(open_cases.values_list("pk", flat=True)):
        with transaction.atomic():
            case = (
                ConflictCase.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("agreement", "event")
                .filter(pk=pk, state__in=[C.RECORDED, C.CLOCK_RUNNING])
                .first()
            )
            if case is None:
                continue
            since = default_since(case.agreement)
            if case.state == C.RECORDED:
                started = since is not None and case.ascertained_on <= today
                if started and _clock_start(case, since=since, by=None, today=today):
                    counts["conflict_clocks_started"] += 1
                continue
            if rules.conflict_failed(today=today, eliminate_by=case.eliminate_by):
                _conflict_move(
                    case,
                    C.NOTICE_DUE,
                    by=None,
                    on=today,
                    comment=f"Not eliminated and no resignation by {case.eliminate_by:%Y-%m-%d}: "
                    f"notify the Holders by {case.notice_by:%Y-%m-%d} (TIA §310(b)(ii)).",
                    notify=True,
                )
                counts["conflict_notices_due"] += 1
            elif since is None:
                _clock_stop(case, today=today)
                counts["conflict_clocks_stopped"] += 1
    return counts


def _close(case, new, *, by, on, note, today, verb):
    if on > today:
        raise TransitionRefused({"closed_on": "This date is in the future."})
    if on < case.ascertained_on:
        raise TransitionRefused({"closed_on": "This comes before the conflict was ascertained."})
    was_running = case.state == C.CLOCK_RUNNING
    case.closed_on, case.closing_note = on, note.strip()
    in_time = was_running or case.state == C.RECORDED
    _conflict_move(
        case,
        new,
        by=by,
        on=today,
        comment=f"{verb} on {on:%Y-%m-%d}: {case.closing_note}",
        fields=["closed_on", "closing_note"],
    )
    if case.event_id:
        for duty in case.event.obligations.filter(status__in=OPEN_OBLIGATION):
            if duty.kind == DutyKind.CONFLICT_ELIMINATION:
                obligation_complete(
                    obligation_id=duty.pk,
                    by=by,
                    evidence=f"{verb} on {on:%Y-%m-%d}: {case.closing_note}",
                    completed_on=on,
                )
            elif in_time:
                obligation_waive(
                    obligation_id=duty.pk,
                    by=by,
                    reason=f"{verb} within the days of TIA §310(b)(i): no notice to Holders is "
                    "required (§310(b)(ii)).",
                )
    return case


def conflict_eliminate(*, case_id, by, closed_on, note, today: date | None = None):
    """A Responsible Officer records that the conflicting interest was eliminated."""
    require_responsible(by, "Recording that a conflicting interest was eliminated")
    today = today_or_now(today)
    if not (note or "").strip():
        raise TransitionRefused({"note": "Say how the conflicting interest was eliminated."})
    with transaction.atomic():
        case = ConflictCase.objects.select_for_update(of=("self",)).get(pk=case_id)
        return _close(
            case, C.ELIMINATED, by=by, on=closed_on, note=note, today=today, verb="Eliminated"
        )


def conflict_resign(*, case_id, by, closed_on, note, today: date | None = None):
    """A Responsible Officer records that the trustee resigned over the conflicting interest
    (the resignation itself is the resignation workflow's, §4.2)."""
    require_responsible(by, "Recording a resignation over a conflicting interest")
    today = today_or_now(today)
    if not (note or "").strip():
        raise TransitionRefused({"note": "Say when and how the resignation was given (§4.2)."})
    with transaction.atomic():
        case = ConflictCase.objects.select_for_update(of=("self",)).get(pk=case_id)
        return _close(
            case, C.RESIGNED, by=by, on=closed_on, note=note, today=today, verb="Resigned"
        )


def conflict_notice_draft(*, case_id, by, details, today: date | None = None):
    """Draft the notice of the failure to the Holders (TIA §310(b)(ii))."""
    from notices.workflows import NoticeRefused, notice_create

    require_preparer(by, "Drafting a notice of conflicting interest")
    today = today_or_now(today)
    if not (details or "").strip():
        raise TransitionRefused({"details": "Say what the notice tells the Holders."})
    with transaction.atomic():
        case = ConflictCase.objects.select_for_update(of=("self",)).get(pk=case_id)
        if case.state != C.NOTICE_DUE:
            raise TransitionRefused(
                f"{case}: a notice is drafted only when it is due, not while "
                f"“{case.get_state_display()}”."
            )
        try:
            case.notice = notice_create(
                kind="conflict_notice",
                agreement=case.agreement,
                security=security_for(case.agreement),
                title=f"Notice of conflicting interest ascertained {case.ascertained_on:%B %d, %Y}",
                details=details.strip(),
                by=by,
            )
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        _conflict_move(
            case,
            C.NOTICE_DRAFTED,
            by=by,
            on=today,
            comment=f"Notice {case.notice.reference} drafted; due {case.notice_by:%Y-%m-%d}.",
            fields=["notice"],
        )
    return case


def conflict_notice_approve(*, case_id, by, today: date | None = None):
    """A second officer approves the notice: first-class letter and e-mail to every Holder."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        case = ConflictCase.objects.select_for_update(of=("self",)).get(pk=case_id)
        if case.state != C.NOTICE_DRAFTED:
            raise TransitionRefused(f"{case}: there is no drafted notice to approve.")
        try:
            notice = notice_approve(notice_id=case.notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        _conflict_move(
            case,
            C.NOTICED,
            by=by,
            on=today,
            comment=f"{notice.reference} approved: sent to the Holders on the list of "
            f"{notice.holder_list.as_of:%Y-%m-%d} (TIA §310(b)(ii)).",
        )
        if case.event_id:
            duty = case.event.obligations.filter(kind=DutyKind.CONFLICT_NOTICE).first()
            if duty and duty.status in OPEN_OBLIGATION:
                obligation_complete(
                    obligation_id=duty.pk,
                    by=by,
                    evidence=f"Notice {notice.reference} approved and transmitted by "
                    "first-class letter and e-mail to every Holder.",
                    completed_on=today,
                )
    return case
