"""Resignation and removal of the Guarantee Trustee (§4.2): the instrument delivered, the
successor appointed, the successor's acceptance (which alone makes it effective), and the
§4.2(d) clock after which the resigning trustee may petition a court for a successor.

Every function runs in one transaction, locks its row, refuses a move the workflow does not
allow (trustee/succession_rules.py) naming both states, and writes a WorkflowStep. A `by` of
None is the scheduler.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from trustee import succession_rules as rules
from trustee.models import Agreement, AgreementEvent, Succession, TrustOfficer, WorkflowStep
from trustee.obligations import TransitionRefused, event_record, obligation_complete
from trustee.roles import require_preparer, require_responsible
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    scheduler_user,
    today_or_now,
)

State = rules.State


def _move(case, new, **kwargs):
    return apply_transition(case, Flow.RESIGNATION, rules.LABELS, rules.TRANSITIONS, new, **kwargs)


def _refuse(problems):
    if problems:
        raise TransitionRefused(problems)


def _removal_vote(agreement, solicitation):
    """Whether the Holders' vote carries, by the same count as a waiver (§1.1's majority)."""
    from holders.votes import vote_count

    if solicitation is None:
        return False, ""
    if solicitation.record_list.security.agreement_id != agreement.pk:
        raise TransitionRefused({"solicitation": "That vote is under another agreement."})
    tally = vote_count(solicitation)
    basis = (agreement.terms.get_majority_basis_display() or "amount").lower()
    return tally.met, tally.explain(basis)


def succession_record(
    *,
    agreement,
    kind,
    delivered_on,
    by,
    holders_notified_on=None,
    instrument_reference="",
    reason="",
    removed_by="",
    solicitation=None,
    today: date | None = None,
):
    """Record a resignation delivered (or a removal): for a resignation, the §4.2(d) clock goes
    on the calendar from the day the agreement's terms say it runs from."""
    require_preparer(by, "Recording a resignation or removal")
    today = today_or_now(today)
    vote_met, vote_text = (False, "")
    if kind == rules.Kind.REMOVAL and removed_by == rules.RemovedBy.HOLDERS:
        vote_met, vote_text = _removal_vote(agreement, solicitation)
    problems = rules.record_problems(
        kind=kind,
        delivered_on=delivered_on,
        holders_notified_on=holders_notified_on,
        today=today,
        removed_by=removed_by,
        removal_vote_met=vote_met,
    )
    if "solicitation" in problems and vote_text:
        problems["solicitation"] = f"The removal is not carried: {vote_text}"
    _refuse(problems)
    with transaction.atomic():
        # The agreement's row, so that two officers recording at once cannot both find none
        # open.
        Agreement.objects.select_for_update().filter(pk=agreement.pk).exists()
        pending = Succession.objects.filter(agreement=agreement, state__in=rules.OPEN).first()
        if pending is not None:
            raise TransitionRefused(
                f"{pending} is still open ({pending.get_state_display()}): one succession at a "
                "time."
            )
        case = Succession(
            agreement=agreement,
            kind=kind,
            delivered_on=delivered_on,
            holders_notified_on=holders_notified_on,
            instrument_reference=instrument_reference.strip(),
            reason=reason.strip(),
            removed_by=removed_by if kind == rules.Kind.REMOVAL else "",
            solicitation=solicitation if removed_by == rules.RemovedBy.HOLDERS else None,
            recorded_by=by,
        )
        if kind == rules.Kind.RESIGNATION:
            comment = _start_clock(case, agreement, by, today)
        else:
            who = Succession.RemovedBy(removed_by).label
            comment = (
                f"Removal by {who} delivered {delivered_on:%Y-%m-%d}"
                + (f" ({vote_text})" if vote_text else "")
                + f". {rules.EFFECTIVE_CLAUSE}."
            )
        case.save()
        WorkflowStep.objects.create(
            agreement_id=agreement.pk,
            workflow=Flow.RESIGNATION,
            case_id=case.pk,
            new_state=case.state,
            by=by,
            on=today,
            comment=comment,
        )
    return case


def _start_clock(case, agreement, by, today):
    terms = getattr(agreement, "terms", None)
    runs_from = terms.successor_runs_from if terms else ""
    try:
        field, start = rules.clock_start(
            runs_from=runs_from,
            delivered_on=case.delivered_on,
            holders_notified_on=case.holders_notified_on,
        )
    except rules.Refused as refusal:
        name = "holders_notified_on" if runs_from else None
        raise TransitionRefused({name: str(refusal)} if name else str(refusal)) from None
    event = event_record(
        agreement=agreement,
        kind=AgreementEvent.Kind.RESIGNATION,
        occurred_on=start,
        description=f"Resignation of the Guarantee Trustee: "
        f"{rules.RESIGNATION_RUNS_FROM[runs_from]} on {start:%Y-%m-%d}"
        + (f" ({case.instrument_reference})" if case.instrument_reference else "")
        + ".",
        by=by,
        today=today,
    )
    obligation = event.obligations.get()
    case.event, case.obligation = event, obligation
    case.window_starts_on, case.window_ends_on = start, obligation.due_date
    section = obligation.section or "4.2(d)"
    return (
        f"Resignation delivered {case.delivered_on:%Y-%m-%d}; the {terms.successor_days}-day "
        f"window runs from {rules.RESIGNATION_RUNS_FROM[runs_from]} ({field} {start:%Y-%m-%d}, "
        f"§{section}): a successor must be appointed and accept by "
        f"{obligation.due_date:%Y-%m-%d}, else the trustee may petition a court."
    )


def succession_appoint(
    *, case_id, by, successor_name, appointed_on, reference="", today: date | None = None
):
    """Record the Successor Guarantee Trustee appointed (by the Guarantor, or by a court)."""
    require_preparer(by, "Recording a successor's appointment")
    today = today_or_now(today)
    if not successor_name.strip():
        raise TransitionRefused({"successor_name": "Name the Successor Guarantee Trustee."})
    if appointed_on > today:
        raise TransitionRefused({"appointed_on": "This date is in the future."})
    with transaction.atomic():
        case = Succession.objects.select_for_update().get(pk=case_id)
        if appointed_on < case.delivered_on:
            raise TransitionRefused(
                {"appointed_on": "A successor is appointed after the resignation or removal."}
            )
        case.successor_name = successor_name.strip()
        case.successor_appointed_on = appointed_on
        case.appointment_reference = reference.strip()
        case.appointed_recorded_by = by
        _move(
            case,
            State.APPOINTED,
            by=by,
            on=today,
            comment=f"{case.successor_name} appointed {appointed_on:%Y-%m-%d}"
            + (f" ({case.appointment_reference})" if case.appointment_reference else "")
            + ": not effective until it accepts (§4.2).",
            fields=[
                "successor_name",
                "successor_appointed_on",
                "appointment_reference",
                "appointed_recorded_by",
            ],
        )
    return case


def succession_accept(*, case_id, by, accepted_on, reference="", today: date | None = None):
    """The successor's written acceptance was delivered: the resignation or removal takes
    effect and the trustee's duties under the agreement end that day. A second officer (a
    Responsible Officer who did not record the appointment) confirms it."""
    require_responsible(by, "Recording a successor's acceptance")
    today = today_or_now(today)
    if accepted_on > today:
        raise TransitionRefused({"accepted_on": "This date is in the future."})
    with transaction.atomic():
        case = Succession.objects.select_for_update().get(pk=case_id)
        refusal = rules.effective_refusal(
            successor_name=case.successor_name,
            appointed_on=case.successor_appointed_on,
            accepted_on=accepted_on,
        )
        if refusal:
            raise TransitionRefused(f"{case}: {refusal}")
        if case.appointed_recorded_by_id == by.pk:
            raise TransitionRefused(
                f"{case}: the officer who recorded the appointment cannot confirm the "
                "acceptance: a second officer must."
            )
        case.successor_accepted_on = accepted_on
        case.acceptance_reference = reference.strip()
        case.effective_on = accepted_on
        late = ""
        if case.window_ends_on and accepted_on > case.window_ends_on:
            late = f" (after the window that ended {case.window_ends_on:%Y-%m-%d})"
        _move(
            case,
            State.ACCEPTED,
            by=by,
            on=today,
            comment=f"{case.successor_name} accepted {accepted_on:%Y-%m-%d}{late}"
            + (f" ({case.acceptance_reference})" if case.acceptance_reference else "")
            + f": the {case.get_kind_display().split(' (')[0].lower()} is effective and the "
            f"trustee's duties under the agreement end on {accepted_on:%Y-%m-%d}. Its records "
            "are kept.",
            fields=["successor_accepted_on", "acceptance_reference", "effective_on"],
        )
        _close_clock(
            case,
            by,
            f"Successor {case.successor_name} appointed {case.successor_appointed_on:%Y-%m-%d} "
            f"and accepted {accepted_on:%Y-%m-%d}.",
        )
    return case


def succession_petition(*, case_id, by, petitioned_on, court, today: date | None = None):
    """The resigning trustee petitioned a court for a successor (§4.2(d))."""
    require_responsible(by, "Recording a petition for a successor")
    today = today_or_now(today)
    if not court.strip():
        raise TransitionRefused({"court": "Name the court petitioned."})
    if petitioned_on > today:
        raise TransitionRefused({"petitioned_on": "This date is in the future."})
    with transaction.atomic():
        case = Succession.objects.select_for_update().get(pk=case_id)
        case.petitioned_on, case.petition_court = petitioned_on, court.strip()
        _move(
            case,
            State.PETITIONED,
            by=by,
            on=today,
            comment=f"Petitioned {case.petition_court} on {petitioned_on:%Y-%m-%d} for the "
            "appointment of a Successor Guarantee Trustee, at the Guarantor's expense (§4.2(d)).",
            fields=["petitioned_on", "petition_court"],
        )
        _close_clock(case, by, f"Petitioned {case.petition_court} on {petitioned_on:%Y-%m-%d}.")
    return case


def _close_clock(case, by, evidence):
    if case.obligation_id and case.obligation.status in OPEN_OBLIGATION:
        obligation_complete(obligation_id=case.obligation_id, by=by, evidence=evidence)


def successions_overdue(*, today: date | None = None) -> int:
    """A resignation whose window ran out with no successor accepted: the trustee may
    petition a court; escalated to the agreement's officers once (after that its duty is
    overdue on the calendar and in each officer's digest)."""
    today = today_or_now(today)
    moved = 0
    due = Succession.objects.filter(state__in=rules.WATCHED, window_ends_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            case = Succession.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if case is None or case.state not in rules.WATCHED:
                continue
            if not rules.window_passed(case.window_ends_on, today):
                continue
            case.escalations += 1
            case.last_escalated_on = today
            appointed = (
                f" {case.successor_name} was appointed but has not accepted."
                if case.successor_name
                else " No successor has been appointed."
            )
            _move(
                case,
                State.PETITION_OPEN,
                by=None,
                on=today,
                comment=f"The successor window ended {case.window_ends_on:%Y-%m-%d}.{appointed} "
                f"From {rules.petition_opens_on(case.window_ends_on):%Y-%m-%d} the trustee may "
                "petition a court for a Successor Guarantee Trustee (§4.2(d)).",
                notify=True,
                fields=["escalations", "last_escalated_on"],
            )
            moved += 1
    return moved


def sweep(*, today: date) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {"successions_petition_open": successions_overdue(today=today)}


DEMO_AGREEMENT = "hartford-capital-iii"
DEMO_DAYS_AGO = 20


def demo_officer():
    """A demo trust officer to have prepared the demo rows (the scheduler when none)."""
    officer = (
        TrustOfficer.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return officer.user if officer else scheduler_user()


def demo_seed(*, today: date) -> None:
    """A resignation delivered some days ago, its successor not yet appointed (load_demo)."""
    from datetime import timedelta

    agreement = Agreement.objects.filter(slug=DEMO_AGREEMENT, terms__isnull=False).first()
    if agreement is None or Succession.objects.filter(agreement=agreement).exists():
        return
    if not (agreement.terms.successor_days and agreement.terms.successor_runs_from):
        return  # an agreement without the §4.2(d) terms has no demo resignation
    succession_record(
        agreement=agreement,
        kind=rules.Kind.RESIGNATION,
        delivered_on=today - timedelta(days=DEMO_DAYS_AGO),
        holders_notified_on=today - timedelta(days=DEMO_DAYS_AGO),
        instrument_reference="Instrument of resignation (demo)",
        reason="Demo: the bank is exiting the corporate trust business in this market.",
        by=demo_officer(),
        today=today,
    )


__all__ = [
    "demo_seed",
    "succession_accept",
    "succession_appoint",
    "succession_petition",
    "succession_record",
    "successions_overdue",
    "sweep",
]
