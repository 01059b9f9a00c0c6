"""Defaults and Events of Default (§1.1, §2.6, §2.7, §3.1): the cure period, the notice clock,
withholding by a Responsible Officer, the notice with maker-checker, cure and waiver."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from trustee import workflow_rules as rules
from trustee.calendar import DutyKind
from trustee.models import (
    AgreementEvent,
    DefaultCase,
    WorkflowStep,
)
from trustee.models.workflows import DEFAULT_LABELS
from trustee.obligations import (
    TransitionRefused,
    event_record,
    obligation_complete,
    obligation_waive,
)
from trustee.roles import is_responsible, require_preparer, require_responsible
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    security_for,
    today_or_now,
)

# == 3. Defaults and Events of Default (§1.1, §2.6, §2.7, §3.1) =============================


def _default_move(case, new, **kwargs):
    return apply_transition(
        case, Flow.DEFAULT, DEFAULT_LABELS, rules.DEFAULT_TRANSITIONS, new, **kwargs
    )


def default_record(
    *,
    agreement,
    occurred_on,
    is_payment_default,
    description,
    by,
    written_notice_on=None,
    knowledge_officer=None,
    notice_received_on=None,
    security=None,
    today: date | None = None,
):
    """Record a default: its type, when it occurred, how the trustee knows (the day written
    notice was received and the Responsible Officer who received it, §2.7(b)), and for another
    default the day the Guarantor received notice of it (Hartford's cure runs from there)."""
    require_preparer(by, "Recording a default")
    today = today_or_now(today)
    if knowledge_officer is not None and not knowledge_officer.is_responsible_officer:
        raise TransitionRefused(
            {"knowledge_officer": "Knowledge counts from a Responsible Officer (§2.7(b))."}
        )
    if not description.strip():
        raise TransitionRefused({"description": "Describe the default."})
    with transaction.atomic():
        event = event_record(
            agreement=agreement,
            kind=AgreementEvent.Kind.DEFAULT,
            occurred_on=occurred_on,
            known_on=written_notice_on,
            notice_received_on=notice_received_on,
            is_payment_default=is_payment_default,
            description=description.strip(),
            by=by,
            today=today,
        )
        clocks = {o.kind: o for o in event.obligations.all()}
        notice = clocks.get(DutyKind.DEFAULT_NOTICE)
        cure = clocks.get(DutyKind.CURE_PERIOD_END)
        try:
            becomes = rules.becomes_event_of_default_on(
                occurred=occurred_on,
                is_payment=is_payment_default,
                cure_ends=cure.due_date if cure else None,
            )
        except rules.Refused as refusal:
            raise TransitionRefused(str(refusal)) from None
        case = DefaultCase.objects.create(
            agreement=agreement,
            event=event,
            security=security or security_for(agreement),
            state=rules.DefaultState.DEFAULT,
            is_payment_default=is_payment_default,
            knowledge_officer=knowledge_officer,
            event_of_default_on=becomes,
            notice_due_on=notice.due_date if notice else None,
        )
        kind = "A default in a Guarantee Payment" if is_payment_default else "A default"
        WorkflowStep.objects.create(
            agreement_id=agreement.pk,
            workflow=Flow.DEFAULT,
            case_id=case.pk,
            new_state=case.state,
            by=by,
            on=today,
            comment=f"{kind} occurred {occurred_on:%Y-%m-%d}: {description.strip()} "
            + (f"Notice to Holders due {case.notice_due_on:%Y-%m-%d}." if notice else ""),
        )
        if becomes <= today:
            _default_move(
                case,
                rules.DefaultState.EVENT_OF_DEFAULT,
                by=by,
                on=today,
                comment=_eod_reason(case),
            )
    return case


def _eod_reason(case) -> str:
    if case.is_payment_default:
        return "A default in a Guarantee Payment is an Event of Default at once (§1.1)."
    return (
        f"The cure period ended {case.event_of_default_on - timedelta(days=1):%Y-%m-%d} "
        "without a cure: an Event of Default (§1.1)."
    )


def defaults_advance(*, today: date | None = None) -> int:
    """Defaults whose cure period has run become Events of Default; withholding
    determinations not affirmed again lapse, and the notice is due again."""
    today = today_or_now(today)
    moved = 0
    ripe = DefaultCase.objects.filter(
        state=rules.DefaultState.DEFAULT, event_of_default_on__lte=today
    ).values_list("pk", flat=True)
    for pk in list(ripe):
        with transaction.atomic():
            case = DefaultCase.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if case is None or case.state != rules.DefaultState.DEFAULT:
                continue
            _default_move(
                case,
                rules.DefaultState.EVENT_OF_DEFAULT,
                by=None,
                on=today,
                comment=_eod_reason(case),
                notify=True,
            )
            moved += 1
    lapsed = DefaultCase.objects.filter(
        state=rules.DefaultState.WITHHELD, withholding_lapses_on__lte=today
    ).values_list("pk", flat=True)
    for pk in list(lapsed):
        with transaction.atomic():
            case = DefaultCase.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if case is None or case.state != rules.DefaultState.WITHHELD:
                continue
            _default_move(
                case,
                rules.DefaultState.EVENT_OF_DEFAULT,
                by=None,
                on=today,
                comment=f"The determination to withhold notice lapsed on "
                f"{case.withholding_lapses_on:%Y-%m-%d} without being affirmed: the notice to "
                "Holders is due again (§2.7(a), 'if and so long as').",
                notify=True,
            )
            moved += 1
    return moved


def default_withhold(*, case_id, by, rationale, today: date | None = None):
    """A Responsible Officer determines in good faith that withholding the notice is in the
    Holders' interests (§2.7(a)); affirming it again extends it. Never for a payment default."""
    today = today_or_now(today)
    with transaction.atomic():
        case = DefaultCase.objects.select_for_update().get(pk=case_id)
        refusal = rules.withholding_refusal(
            is_payment=case.is_payment_default,
            is_responsible_officer=is_responsible(by),
            rationale=rationale,
        )
        if refusal:
            raise TransitionRefused(refusal)
        affirmed = case.state == rules.DefaultState.WITHHELD
        case.withholding_rationale = rationale.strip()
        case.withheld_by, case.withheld_on = by, today
        case.withholding_lapses_on = rules.withholding_lapses_on(
            today, settings.TRUSTDESK_WITHHOLDING_REVIEW_DAYS
        )
        _default_move(
            case,
            rules.DefaultState.WITHHELD,
            by=by,
            on=today,
            comment=f"{'Affirmed' if affirmed else 'Determined'} in good faith that withholding "
            f"the notice is in the interests of the Holders: {rationale.strip()} Stands until "
            f"{case.withholding_lapses_on:%Y-%m-%d} unless affirmed again.",
            fields=["withholding_rationale", "withheld_by", "withheld_on", "withholding_lapses_on"],
        )
    return case


def default_notice_draft(*, case_id, by, details, today: date | None = None):
    from notices.workflows import notice_create

    require_preparer(by, "Drafting a notice of default")
    if not details.strip():
        raise TransitionRefused({"details": "Say what the notice tells the Holders."})
    today = today_or_now(today)
    with transaction.atomic():
        case = (
            DefaultCase.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=case_id)
        )
        case.notice = notice_create(
            kind="default_notice",
            agreement=case.agreement,
            security=case.security,
            title=f"Notice of Event of Default of {case.event.occurred_on:%B %d, %Y}",
            details=details.strip(),
            by=by,
        )
        _default_move(
            case,
            rules.DefaultState.NOTICE_DRAFTED,
            by=by,
            on=today,
            comment=f"Notice {case.notice.reference} drafted; due {case.notice_due_on:%Y-%m-%d}.",
            fields=["notice"],
        )
    return case


def default_notice_approve(*, case_id, by, today: date | None = None):
    """A second officer approves the notice: first-class letter and e-mail to every Holder."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        case = DefaultCase.objects.select_for_update().get(pk=case_id)
        if case.state != rules.DefaultState.NOTICE_DRAFTED:
            raise TransitionRefused(f"{case}: there is no drafted notice to approve.")
        try:
            notice = notice_approve(notice_id=case.notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        recipients = notice.deliveries.values("channel").distinct().count()
        _default_move(
            case,
            rules.DefaultState.NOTICED,
            by=by,
            on=today,
            comment=f"{notice.reference} approved: sent to the Holders on the list of "
            f"{notice.holder_list.as_of:%Y-%m-%d} ({recipients} channel(s)).",
        )
        duty = case.event.obligations.filter(kind=DutyKind.DEFAULT_NOTICE).first()
        if duty and duty.status in OPEN_OBLIGATION:
            obligation_complete(
                obligation_id=duty.pk,
                by=by,
                evidence=f"Notice {notice.reference} approved and transmitted by first-class "
                "letter and e-mail to every Holder; proof on the notice (deliveries, manifest).",
                completed_on=today,
            )
    return case


def default_cure(*, case_id, by, cured_on, note, today: date | None = None):
    """The default is cured. Before any notice went out, no notice is required."""
    require_preparer(by, "Recording a cure")
    today = today_or_now(today)
    if cured_on > today:
        raise TransitionRefused({"cured_on": "This date is in the future."})
    if not note.strip():
        raise TransitionRefused({"note": "Say what cured it (the payment received, the act)."})
    with transaction.atomic():
        case = (
            DefaultCase.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=case_id)
        )
        if cured_on < case.event.occurred_on:
            raise TransitionRefused({"cured_on": "A default cannot be cured before it occurred."})
        unnoticed = case.state in (
            rules.DefaultState.DEFAULT,
            rules.DefaultState.EVENT_OF_DEFAULT,
            rules.DefaultState.WITHHELD,
        )
        case.closed_on, case.closing_note = cured_on, note.strip()
        comment = f"Cured {cured_on:%Y-%m-%d}: {note.strip()}"
        if unnoticed:
            comment += " Cured before notice: no notice to Holders required."
        _default_move(
            case,
            rules.DefaultState.CURED,
            by=by,
            on=today,
            comment=comment,
            fields=["closed_on", "closing_note"],
        )
        _close_clocks(case, by, f"Cured {cured_on:%Y-%m-%d}, no notice required: {note.strip()}")
    return case


def default_waive(*, case_id, by, solicitation, today: date | None = None):
    """§2.6: the Holders waive the past default by the majority the agreement requires."""
    from holders.models import Solicitation
    from holders.votes import vote_count

    require_responsible(by, "Closing a default by waiver")
    today = today_or_now(today)
    with transaction.atomic():
        case = DefaultCase.objects.select_for_update().get(pk=case_id)
        if solicitation.kind != Solicitation.Kind.WAIVER:
            raise TransitionRefused({"solicitation": "Only a vote on a waiver (§2.6) can waive."})
        if solicitation.record_list.security.agreement_id != case.agreement_id:
            raise TransitionRefused({"solicitation": "That vote is under another agreement."})
        tally = vote_count(solicitation)
        basis = case.agreement.terms.get_majority_basis_display() or "amount"
        explained = tally.explain(basis.lower())
        if not tally.met:
            raise TransitionRefused(f"The waiver is not carried: {explained}")
        case.waiver, case.closed_on = solicitation, today
        case.closing_note = explained
        _default_move(
            case,
            rules.DefaultState.WAIVED,
            by=by,
            on=today,
            comment=f"Waived by the Holders (§2.6): {explained}",
            fields=["waiver", "closed_on", "closing_note"],
        )
        _close_clocks(case, by, f"Waived by the Holders (§2.6): {explained}")
    return case


def _close_clocks(case, by, reason):
    for duty in case.event.obligations.filter(status__in=OPEN_OBLIGATION):
        obligation_waive(obligation_id=duty.pk, by=by, reason=reason)


def agreement_in_default(agreement) -> list[DefaultCase]:
    """The continuing Events of Default, for the agreement's banner (§3.1(b), (c))."""
    return list(
        DefaultCase.objects.filter(agreement=agreement, state__in=list(rules.CONTINUING))
        .select_related("event", "agreement")
        .order_by("event__occurred_on")
    )
