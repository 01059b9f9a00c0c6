"""The annual compliance certificate (§2.4, TIA §314(a)(4)): opened from the calendar (or by
an officer where the terms state no date), chased and escalated when late, received, examined
(§3.1(d)(i)(B)), accepted by a second officer or sent back."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction

from notices.models import Notice
from trustee import deliverable_rules as rules
from trustee.calendar import DutyKind
from trustee.models import (
    ComplianceCertificate,
    Obligation,
    WorkflowStep,
)
from trustee.models.deliverables import CERTIFICATE_LABELS
from trustee.obligations import TransitionRefused, obligation_complete, obligation_waive
from trustee.roles import require_preparer, require_responsible
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    scheduler_user,
    today_or_now,
)
from trustee.workflows.deliverables_common import (
    C,
    document_store,
    escalate_every,
    not_future,
    opened_step,
    refuse,
)

# == 1. The annual compliance certificate (§2.4, TIA §314(a)(4)) ==============================


def _certificate_move(case, new, **kwargs):
    return apply_transition(
        case, Flow.CERTIFICATE, CERTIFICATE_LABELS, rules.CERTIFICATE_TRANSITIONS, new, **kwargs
    )


def _period_end(obligation) -> date:
    from_key = rules.period_end_from_key(obligation.key)
    if from_key is not None:
        return from_key
    days = obligation.agreement.terms.compliance_certificate_days or 0
    return obligation.nominal_date - timedelta(days=days)


def certificates_open(*, today: date | None = None) -> int:
    """Open a case for every certificate on the calendar whose fiscal year has ended: once
    each, also after downtime; a second sweep at the same moment skips the obligation the
    first one holds, or finds its case."""
    today = today_or_now(today)
    opened = 0
    waiting = Obligation.objects.filter(
        kind=DutyKind.COMPLIANCE_CERTIFICATE,
        status__in=OPEN_OBLIGATION,
        compliance_certificate__isnull=True,
    ).select_related("agreement__terms")
    for obligation in waiting.iterator():
        period_end = _period_end(obligation)
        if rules.opens_on(period_end) > today:
            continue
        with transaction.atomic():
            locked = Obligation.objects.select_for_update(skip_locked=True).filter(pk=obligation.pk)
            if (
                not locked.exists()
                or ComplianceCertificate.objects.filter(obligation=obligation).exists()
            ):
                continue
            existing = ComplianceCertificate.objects.filter(
                agreement_id=obligation.agreement_id, period_end=period_end
            ).first()
            if existing is not None:
                # Opened by hand before the terms gave the date: the calendar's duty joins it.
                if existing.obligation_id is None:
                    existing.obligation = obligation
                    existing.save(update_fields=["obligation", "updated_at"])
                continue
            case = ComplianceCertificate.objects.create(
                agreement=obligation.agreement,
                obligation=obligation,
                period_end=period_end,
                due_on=obligation.due_date,
                basis=f"§{obligation.section or '2.4'}: the agreement's terms (fiscal year end "
                f"and days after it) — due {obligation.due_date:%Y-%m-%d}.",
                opened_on=today,
            )
            opened_step(
                case,
                Flow.CERTIFICATE,
                by=None,
                on=today,
                comment=f"Fiscal year ended {period_end:%Y-%m-%d}: the compliance certificate "
                f"(TIA §314(a)(4)) is expected on or before {case.due_on:%Y-%m-%d}.",
            )
            opened += 1
    return opened


def certificate_expect(
    *, agreement, period_end: date, due_on: date, basis: str, by, today: date | None = None
):
    """An officer opens the case for an agreement whose terms state no date for the
    certificate (both demo guarantees require it only "at the times required by Section 314
    of the Trust Indenture Act", which says "not less often than annually"): the due date and
    where it comes from are the officer's."""
    require_preparer(by, "Opening a compliance certificate")
    today = today_or_now(today)
    if not basis.strip():
        raise TransitionRefused({"basis": "Say where the due date comes from."})
    if due_on <= period_end:
        raise TransitionRefused({"due_on": "The certificate falls due after the fiscal year ends."})
    terms = getattr(agreement, "terms", None)
    if terms is not None and terms.fiscal_year_end and terms.compliance_certificate_days:
        raise TransitionRefused(
            {
                "agreement": f"{agreement}'s terms give the certificate's date (fiscal year end "
                f"{terms.fiscal_year_end}, {terms.compliance_certificate_days} days): the "
                "calendar opens its cases."
            }
        )
    try:
        with transaction.atomic():
            case = ComplianceCertificate.objects.create(
                agreement=agreement,
                period_end=period_end,
                due_on=due_on,
                basis=basis.strip(),
                opened_on=today,
            )
    except IntegrityError:
        raise TransitionRefused(
            {"period_end": f"{agreement} already has a case for the year ended {period_end}."}
        ) from None
    with transaction.atomic():
        opened_step(
            case,
            Flow.CERTIFICATE,
            by=by,
            on=today,
            comment=f"Expected on or before {due_on:%Y-%m-%d} for the fiscal year ended "
            f"{period_end:%Y-%m-%d}: {case.basis}",
        )
    return case


def certificates_late(*, today: date | None = None) -> int:
    """The day after its due date a certificate still awaited is late: a chase letter to the
    Guarantor's notice address is drafted under the scheduler's account for an officer to
    approve, and the agreement's officers are e-mailed, again every few days."""
    today = today_or_now(today)
    every = escalate_every("certificate")
    moved = 0
    late = ComplianceCertificate.objects.filter(
        state__in=rules.CERTIFICATE_AWAITED, due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            case = (
                ComplianceCertificate.objects.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if case is None or case.state not in rules.CERTIFICATE_AWAITED:
                continue
            if not rules.is_late(case.due_on, today):
                continue
            retired = case.obligation_id and not (
                Obligation.objects.filter(
                    pk=case.obligation_id, status__in=OPEN_OBLIGATION
                ).exists()
            )
            if retired:
                # Closed on the calendar (the terms changed, or an officer closed it there):
                # nothing left to chase.
                duty = Obligation.objects.get(pk=case.obligation_id)
                _certificate_move(
                    case,
                    C.NOT_REQUIRED,
                    by=None,
                    on=today,
                    comment=f"The calendar's duty is {duty.get_status_display().lower()}: "
                    f"{duty.resolution}",
                )
                continue
            if case.overdue_since is None:
                case.overdue_since = rules.late_since(case.due_on)
            if case.chase_notice_id is None:
                case.chase_notice = _draft_chase(case)
            if case.state != C.LATE or rules.escalation_due(
                overdue_since=case.overdue_since,
                last_escalated=case.last_escalated_on,
                every_days=every,
                today=today,
            ):
                case.escalations += 1
                case.last_escalated_on = today
                chase = f" Chase letter {case.chase_notice.reference} "
                chase += (
                    "awaits an officer's approval."
                    if case.chase_notice.status == Notice.Status.DRAFT
                    else "was sent."
                )
                _certificate_move(
                    case,
                    C.LATE,
                    by=None,
                    on=today,
                    comment=f"Escalation {case.escalations}: the compliance certificate due "
                    f"{case.due_on:%Y-%m-%d} is {(today - case.due_on).days} days late.{chase}",
                    notify=True,
                    fields=["overdue_since", "chase_notice", "escalations", "last_escalated_on"],
                )
                moved += 1
            else:
                case.save(update_fields=["overdue_since", "chase_notice", "updated_at"])
    return moved


def _draft_chase(case):
    from notices.workflows import notice_create

    return notice_create(
        kind="certificate_chase",
        agreement=case.agreement,
        title=f"Compliance certificate for the fiscal year ended {case.period_end:%B %d, %Y}: "
        f"{case.agreement.short_name}",
        details=f"The Guarantee Trustee has not received the compliance certificate required "
        f"by Section 314(a)(4) of the Trust Indenture Act for the fiscal year ended "
        f"{case.period_end:%B %d, %Y}, due on or before {case.due_on:%B %d, %Y}. Please "
        "deliver it without delay.",
        by=scheduler_user(),
    )


def certificate_chase_send(*, case_id, by, today: date | None = None):
    """An officer approves the chase letter the scheduler drafted, which sends it (letter and
    e-mail) to the Guarantor's notice address (§8.3)."""
    from notices.workflows import NoticeRefused, notice_approve

    today = today_or_now(today)
    with transaction.atomic():
        case = ComplianceCertificate.objects.select_for_update().get(pk=case_id)
        if case.chase_notice_id is None:
            raise TransitionRefused(f"{case}: there is no chase letter to send.")
        try:
            notice = notice_approve(notice_id=case.chase_notice_id, by=by)
        except NoticeRefused as refusal:
            raise TransitionRefused(refusal.messages) from None
        WorkflowStep.objects.create(
            agreement_id=case.agreement_id,
            workflow=Flow.CERTIFICATE,
            case_id=case.pk,
            old_state=case.state,
            new_state=case.state,
            by=by,
            on=today,
            comment=f"Chase letter {notice.reference} approved and sent to the Guarantor's "
            "notice address (§8.3).",
        )
    return case


def certificate_receive(
    *, case_id, file, file_name, received_on: date, by, today: date | None = None
):
    """The Guarantor's certificate came: the file is kept as delivered, to be examined."""
    require_preparer(by, "Recording a compliance certificate received")
    today = today_or_now(today)
    not_future("received_on", received_on, today)
    with transaction.atomic():
        case = ComplianceCertificate.objects.select_for_update().get(pk=case_id)
        if case.state not in rules.CERTIFICATE_AWAITED:
            refuse(case, rules.Refused(f"a certificate is already {case.get_state_display()}."))
        case.document = document_store(file=file, file_name=file_name, by=by)
        case.received_on, case.received_by = received_on, by
        for name in ("signer_is_principal", "covers_period", "states_compliance"):
            setattr(case, name, None)
        case.signer_name = case.signer_title = ""
        late = (received_on - case.due_on).days
        when = f", {late} days after it was due" if late > 0 else ""
        _certificate_move(
            case,
            C.RECEIVED,
            by=by,
            on=today,
            comment=f"Received {received_on:%Y-%m-%d}{when}: {case.document}.",
            fields=[
                "document",
                "received_on",
                "received_by",
                "signer_is_principal",
                "covers_period",
                "states_compliance",
                "signer_name",
                "signer_title",
            ],
        )
    return case


def certificate_examine(
    *,
    case_id,
    by,
    signer_name: str,
    signer_title: str,
    signer_is_principal: bool | None,
    covers_period: bool | None,
    states_compliance: bool | None,
    note: str = "",
    today: date | None = None,
):
    """§3.1(d)(i)(B): an officer examines the certificate and records what it shows."""
    require_preparer(by, "Examining a compliance certificate")
    today = today_or_now(today)
    with transaction.atomic():
        case = ComplianceCertificate.objects.select_for_update().get(pk=case_id)
        case.signer_name, case.signer_title = signer_name.strip(), signer_title.strip()
        case.signer_is_principal, case.covers_period = signer_is_principal, covers_period
        case.states_compliance = states_compliance
        case.examination_note = note.strip()
        case.examined_by, case.examined_on = by, today
        problems = _certificate_problems(case)
        found = " ".join(problems) if problems else "It conforms to TIA §314(a)(4)."
        if states_compliance is False:
            found += " It discloses a default: written notice to the trustee (§2.7(b))."
        _certificate_move(
            case,
            C.EXAMINED,
            by=by,
            on=today,
            comment=f"Examined: signed by {case.signer_name or '?'}, "
            f"{case.signer_title or '?'}. {found}",
            fields=[
                "signer_name",
                "signer_title",
                "signer_is_principal",
                "covers_period",
                "states_compliance",
                "examination_note",
                "examined_by",
                "examined_on",
            ],
        )
    return case


def _certificate_problems(case):
    return rules.compliance_problems(
        signer_name=case.signer_name,
        signer_title=case.signer_title,
        signer_is_principal=case.signer_is_principal,
        covers_period=case.covers_period,
        states_compliance=case.states_compliance,
    )


def certificate_accept(*, case_id, by, today: date | None = None):
    """A Responsible Officer other than the examiner accepts the examined certificate: the
    duty on the calendar is closed with it as evidence."""
    require_responsible(by, "Accepting a compliance certificate")
    today = today_or_now(today)
    with transaction.atomic():
        case = (
            ComplianceCertificate.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=case_id)
        )
        if case.state != C.EXAMINED:
            refuse(case, rules.Refused("only an examined certificate can be accepted."))
        if case.examined_by_id == by.pk:
            raise TransitionRefused(
                f"{case}: the officer who examined the certificate cannot accept it: a second "
                "officer must."
            )
        problems = _certificate_problems(case)
        if problems:
            raise TransitionRefused([f"{case}: it does not conform.", *problems])
        case.accepted_by, case.accepted_on = by, today
        default = (
            " It discloses a default: record it (Default cases), the trustee now has written "
            "notice (§2.7(b))."
            if case.states_compliance is False
            else ""
        )
        _certificate_move(
            case,
            C.ACCEPTED,
            by=by,
            on=today,
            comment=f"Accepted: conforms to TIA §314(a)(4).{default}",
            fields=["accepted_by", "accepted_on"],
        )
        if case.obligation_id:
            obligation_complete(
                obligation_id=case.obligation_id,
                by=by,
                evidence=f"Compliance certificate for the fiscal year ended "
                f"{case.period_end:%Y-%m-%d} received {case.received_on:%Y-%m-%d} "
                f"({case.document.file_name}, SHA-256 {case.document.sha256}), signed by "
                f"{case.signer_name}, {case.signer_title}; examined and accepted.",
                completed_on=case.received_on,
            )
    return case


def certificate_return(*, case_id, by, reason: str, today: date | None = None):
    """The certificate does not conform: sent back with the reason; a corrected one is owed
    (and late once its day has passed)."""
    require_responsible(by, "Sending back a compliance certificate")
    if not reason.strip():
        raise TransitionRefused({"reason": "Say why the certificate is sent back."})
    today = today_or_now(today)
    with transaction.atomic():
        case = ComplianceCertificate.objects.select_for_update().get(pk=case_id)
        case.returned_reason = reason.strip()
        _certificate_move(
            case,
            C.RETURNED,
            by=by,
            on=today,
            comment=f"Sent back: {reason.strip()}",
            fields=["returned_reason"],
        )
    return case


def certificate_excuse(*, case_id, by, reason: str, today: date | None = None):
    """Not required this time (e.g. the guarantee terminated under §7.1): a Responsible
    Officer's decision, with the reason; the calendar's duty is closed as not required."""
    require_responsible(by, "Recording a compliance certificate as not required")
    if not reason.strip():
        raise TransitionRefused({"reason": "Say why, citing the clause."})
    today = today_or_now(today)
    with transaction.atomic():
        case = ComplianceCertificate.objects.select_for_update().get(pk=case_id)
        _certificate_move(case, C.NOT_REQUIRED, by=by, on=today, comment=reason.strip())
        if case.obligation_id:
            obligation = Obligation.objects.get(pk=case.obligation_id)
            if obligation.is_open:
                obligation_waive(obligation_id=case.obligation_id, by=by, reason=reason.strip())
    return case
