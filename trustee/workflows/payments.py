"""Payments on the securities (§1.1, §2.7(a), §5.1): each payment date and maturity of the Duty
calendar, the amount it should bring, the funds received from the paying agent or the
Guarantor, and the payment default opened the same day when the funds are short.

A default in a Guarantee Payment is an Event of Default at once (§1.1) and its notice may not
be withheld (§2.7(a)): the default is opened through trustee.workflows.defaults.default_record
with is_payment_default=True, which gives it no cure period and whose withholding refuses it.

The cut-off: on the payment date the funds are checked once the agreement's clock reads
settings.TRUSTDESK_PAYMENT_CUTOFF_HOUR (noon unless set): late enough for a morning wire to
land, early enough that the officers learn of a shortfall the same day. A payment is never
defaulted before its date, and always after it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from trustee import standing_rules as rules
from trustee.calendar import DutyKind
from trustee.models import Obligation, Payment, PaymentReceipt, WorkflowStep
from trustee.models.standing import PAYMENT_LABELS
from trustee.obligations import TransitionRefused, obligation_complete, obligation_waive
from trustee.roles import require_preparer, require_responsible
from trustee.term_rules import TermError, parse_month_day_list
from trustee.workflows.common import (
    OPEN_OBLIGATION,
    Flow,
    apply_transition,
    scheduler_user,
    today_or_now,
)

log = logging.getLogger(__name__)
S = rules.PaymentState
DEFAULT_CUTOFF_HOUR = 12
# Payment obligations older than this when the workflow first sees them (those left open from
# before it was installed) are not turned into payments, so that installing it never opens a
# burst of defaults for dates long past; an outage shorter than this is caught up.
DEFAULT_LOOKBACK_DAYS = 31
KINDS = {DutyKind.PAYMENT: rules.PaymentKind.PAYMENT, DutyKind.MATURITY: rules.PaymentKind.MATURITY}


def cutoff_hour() -> int:
    return int(getattr(settings, "TRUSTDESK_PAYMENT_CUTOFF_HOUR", DEFAULT_CUTOFF_HOUR))


def _move(payment, new, **kwargs):
    return apply_transition(
        payment, Flow.PAYMENT, PAYMENT_LABELS, rules.PAYMENT_TRANSITIONS, new, **kwargs
    )


def _note(payment, *, by, on, comment, notify=False):
    """A step on the timeline that records something without changing the state."""
    step = WorkflowStep.objects.create(
        agreement_id=payment.agreement_id,
        workflow=Flow.PAYMENT,
        case_id=payment.pk,
        old_state=payment.state,
        new_state=payment.state,
        by=by if by is not None and by.is_active else None,
        on=on,
        comment=comment,
        notify=notify,
    )
    if notify:
        from trustee.tasks import send_escalation

        transaction.on_commit(lambda: send_escalation.delay(step.pk))
    return step


# -- what a payment date should bring -------------------------------------------------------


def expected_for(security, *, kind: str, due: date) -> rules.Expected:
    """The expected amount of one payment of `security`, from its recorded terms."""
    try:
        month_days = [(d.month, d.day) for d in parse_month_day_list(security.payment_dates)]
    except TermError:
        month_days = []
    if kind == rules.PaymentKind.MATURITY:
        return rules.expected_maturity(
            rate_percent=security.coupon_rate,
            outstanding=security.amount_outstanding,
            month_days=month_days,
            maturity=due,
            issue_date=security.issue_date,
        )
    return rules.expected_payment(
        rate_percent=security.coupon_rate,
        outstanding=security.amount_outstanding,
        month_days=month_days,
        due=due,
        first_payment=security.first_payment_date,
        issue_date=security.issue_date,
    )


def _evaluation_date(obligation) -> date:
    # The calendar's nominal date is the payment date the security states; the obligation's
    # due date is that date after the business-day convention: the one the funds must meet.
    return obligation.nominal_date


# -- rows from the calendar -----------------------------------------------------------------


def payments_open(*, today: date | None = None) -> int:
    """A Payment for every open PAYMENT or MATURITY obligation of the calendar that has none;
    payments follow their obligation when a change of terms moves or retires it."""
    today = today_or_now(today)
    created = 0
    lookback = int(getattr(settings, "TRUSTDESK_PAYMENT_LOOKBACK_DAYS", DEFAULT_LOOKBACK_DAYS))
    fresh = (
        Obligation.objects.filter(
            due_date__gte=today - timedelta(days=lookback),
            kind__in=list(KINDS),
            status__in=OPEN_OBLIGATION,
            security__isnull=False,
            payment__isnull=True,
        )
        .select_related("security")
        .order_by("due_date", "pk")
    )
    for obligation in fresh.iterator(chunk_size=500):
        kind = KINDS[DutyKind(obligation.kind)]
        expected = expected_for(obligation.security, kind=kind, due=_evaluation_date(obligation))
        with transaction.atomic():
            payment, made = Payment.objects.get_or_create(
                obligation=obligation,
                defaults={
                    "agreement_id": obligation.agreement_id,
                    "security_id": obligation.security_id,
                    "kind": kind,
                    "due_on": obligation.due_date,
                    "expected_amount": expected.amount,
                    "expected_basis": expected.basis,
                },
            )
            if made:
                created += 1
                WorkflowStep.objects.create(
                    agreement_id=payment.agreement_id,
                    workflow=Flow.PAYMENT,
                    case_id=payment.pk,
                    new_state=payment.state,
                    by=None,
                    on=today,
                    comment=f"{obligation.title} due {payment.due_on:%Y-%m-%d}: expected "
                    f"{rules.money(expected.amount)}. {expected.basis}",
                )
    _follow_obligations(today)
    return created


def _follow_obligations(today):
    moved = Payment.objects.filter(state=S.EXPECTED).exclude(due_on=F("obligation__due_date"))
    for pk in list(moved.values_list("pk", flat=True)):
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("obligation")
                .filter(pk=pk, state=S.EXPECTED)
                .first()
            )
            if payment is None or payment.due_on == payment.obligation.due_date:
                continue
            old = payment.due_on
            payment.due_on = payment.obligation.due_date
            payment.save(update_fields=["due_on", "updated_at"])
            _note(
                payment,
                by=None,
                on=today,
                comment=f"The calendar moved the payment from {old:%Y-%m-%d} to "
                f"{payment.due_on:%Y-%m-%d} (terms changed).",
            )
    retired = Payment.objects.filter(
        state=S.EXPECTED, obligation__status=Obligation.Status.NOT_REQUIRED
    )
    for pk in list(retired.values_list("pk", flat=True)):
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("obligation")
                .filter(pk=pk, state=S.EXPECTED)
                .first()
            )
            if payment is None:
                continue
            payment.closed_on = today
            _move(
                payment,
                S.NOT_REQUIRED,
                by=None,
                on=today,
                comment=f"The calendar no longer has this payment: {payment.obligation.resolution}",
                fields=["closed_on"],
            )


# -- funds received -------------------------------------------------------------------------


def payment_receipt_record(
    *,
    payment_id,
    amount,
    received_on,
    received_from,
    by,
    reference="",
    today: date | None = None,
    now: datetime | None = None,
):
    """Record funds received for a payment. In full by the payment date: the payment and its
    obligation are done, with the receipts as evidence. Received after the payment date
    while no default was opened yet: the payment default is opened first (it happened on the
    payment date), then the late funds are recorded against it."""
    require_preparer(by, "Recording funds received")
    today = today_or_now(today)
    errors = {}
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = "The amount received must be more than zero."
    if received_on is None:
        errors["received_on"] = "Give the day the funds were received."
    elif received_on > today:
        errors["received_on"] = "This date is in the future."
    if received_from not in PaymentReceipt.From.values:
        errors["received_from"] = "Say whom the funds came from (paying agent, Guarantor...)."
    if errors:
        raise TransitionRefused(errors)
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.state not in rules.PAYMENT_OPEN:
            raise TransitionRefused(
                f"{payment}: it is {payment.get_state_display().lower()}; no more funds are "
                "recorded against it."
            )
        receipt = PaymentReceipt.objects.create(
            payment=payment,
            amount=Decimal(amount),
            received_on=received_on,
            received_from=received_from,
            reference=reference.strip(),
            recorded_by=by,
        )
        payment.received_amount = _received(payment)
        payment.save(update_fields=["received_amount", "updated_at"])
        _note(
            payment,
            by=by,
            on=today,
            comment=f"{rules.money(receipt.amount)} received on {received_on:%Y-%m-%d} from the "
            f"{receipt.get_received_from_display().lower()}"
            + (f" (ref. {receipt.reference})" if receipt.reference else "")
            + f": {rules.money(payment.received_amount)} in all of "
            f"{rules.money(payment.amount_due)} expected.",
        )
        late = received_on > payment.due_on or _cutoff_passed(payment, today, now)
        if payment.state == S.EXPECTED and late and not _funded_on_time(payment):
            _open_default(payment, by=by, today=today)
        _settle(payment, by=by, today=today)
    return payment


def payment_amount_set(*, payment_id, amount, reason, by, today: date | None = None):
    """An officer sets the amount expected where the computed one does not fit the security's
    terms (a stub period, a day count, a partial redemption), with the reason."""
    require_preparer(by, "Setting the amount expected")
    today = today_or_now(today)
    if amount is None or Decimal(amount) <= 0:
        raise TransitionRefused({"amount": "The amount expected must be more than zero."})
    if not (reason or "").strip():
        raise TransitionRefused({"reason": "Say why the computed amount does not apply."})
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.state != S.EXPECTED:
            raise TransitionRefused(
                f"{payment}: it is {payment.get_state_display().lower()}; the amount can only "
                "be set while the payment is expected."
            )
        old = payment.amount_due
        payment.override_amount = Decimal(amount)
        payment.override_reason = reason.strip()
        payment.override_by = by
        payment.problem = ""
        payment.save(
            update_fields=[
                "override_amount",
                "override_reason",
                "override_by",
                "problem",
                "updated_at",
            ]
        )
        _note(
            payment,
            by=by,
            on=today,
            comment=f"Amount expected set to {rules.money(payment.override_amount)} (was "
            f"{rules.money(old)}): {payment.override_reason}",
        )
        _settle(payment, by=by, today=today)
    return payment


def payment_excuse(*, payment_id, reason, by, today: date | None = None):
    """A Responsible Officer records that no payment falls due on this date (securities
    redeemed, a deferral the indenture allows), with the reason and clause."""
    require_responsible(by, "Recording that no payment is due")
    today = today_or_now(today)
    if not (reason or "").strip():
        raise TransitionRefused({"reason": "Say why no payment is due, citing the clause."})
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.receipts.exists():
            raise TransitionRefused(
                f"{payment}: funds were received against it; it cannot be marked not required."
            )
        payment.closed_on = today
        _move(
            payment,
            S.NOT_REQUIRED,
            by=by,
            on=today,
            comment=f"No payment due: {reason.strip()}",
            fields=["closed_on"],
        )
        if payment.obligation.status in OPEN_OBLIGATION:
            obligation_waive(obligation_id=payment.obligation_id, by=by, reason=reason.strip())
    return payment


def _locked(payment_id):
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("obligation", "security", "agreement__terms")
        .get(pk=payment_id)
    )


def _received(payment, *, by_date: date | None = None) -> Decimal:
    rows = payment.receipts.all()
    if by_date is not None:
        rows = rows.filter(received_on__lte=by_date)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _funded_on_time(payment) -> bool:
    due = payment.amount_due
    return due is not None and _received(payment, by_date=payment.due_on) >= due


def _evidence(payment) -> str:
    lines = [
        f"{rules.money(r.amount)} on {r.received_on:%Y-%m-%d} from the "
        f"{r.get_received_from_display().lower()}"
        + (f" (ref. {r.reference})" if r.reference else "")
        for r in payment.receipts.all()
    ]
    return (
        f"Funds received in full ({rules.money(payment.received_amount)} of "
        f"{rules.money(payment.amount_due)}): " + "; ".join(lines) + "."
    )


def _settle(payment, *, by, today):
    """Close the payment when its funds are in: on time, or after the default."""
    due = payment.amount_due
    if due is None:
        return
    actor = by if by is not None and by.is_active else None
    if payment.state == S.EXPECTED and _funded_on_time(payment):
        new, comment = S.PAID, "Paid in full by the payment date."
    elif payment.state == S.DEFAULTED and _received(payment) >= due:
        new = S.PAID_LATE
        comment = (
            f"Paid in full after the payment default was opened. The default is not undone: "
            f"record its cure on default case #{payment.default_case_id} (§2.6, §2.7(a))."
        )
    else:
        return
    payment.closed_on = today
    _move(payment, new, by=actor, on=today, comment=comment, fields=["closed_on"])
    if payment.obligation.status in OPEN_OBLIGATION:
        obligation_complete(
            obligation_id=payment.obligation_id,
            by=actor,
            evidence=_evidence(payment),
            completed_on=today,
        )


# -- the payment default --------------------------------------------------------------------


def _cutoff_passed(payment, today, now) -> bool:
    terms = getattr(payment.agreement, "terms", None)
    zone = ZoneInfo(terms.time_zone if terms else settings.TIME_ZONE)
    local_now = (now or timezone.now()).astimezone(zone)
    return rules.past_cutoff(
        due=payment.due_on, today=today, local_now=local_now, cutoff_hour=cutoff_hour()
    )


def _open_default(payment, *, by, today):
    """Open the payment default for a locked, short payment, and link it (exactly once)."""
    from trustee.workflows.defaults import default_record

    due = payment.amount_due
    on_time = _received(payment, by_date=payment.due_on)
    if due is None:
        short = "the amount expected is not recorded and no funds were received"
    else:
        short = (
            f"{rules.money(due)} expected, {rules.money(on_time)} received by the payment "
            f"date: short by {rules.money(rules.shortfall(due, [on_time]))}"
        )
    what = (
        "interest or distribution"
        if payment.kind == rules.PaymentKind.PAYMENT
        else ("payment at maturity")
    )
    case = default_record(
        agreement=payment.agreement,
        occurred_on=payment.due_on,
        is_payment_default=True,
        description=f"The {what} on {payment.security} due {payment.due_on:%Y-%m-%d} was not "
        f"received in full: {short}. A default in a Guarantee Payment is an Event of Default "
        "at once (§1.1); its notice may not be withheld (§2.7(a)).",
        by=by,
        security=payment.security,
        today=today,
    )
    payment.default_case = case
    payment.problem = ""
    _move(
        payment,
        S.DEFAULTED,
        by=by if by.is_active else None,
        on=today,
        comment=f"Payment default opened (default case #{case.pk}): {short}.",
        notify=True,
        fields=["default_case", "problem"],
    )
    return case


def payments_default(*, today: date | None = None, now: datetime | None = None) -> int:
    """Open a payment default, the same day, for every payment whose cut-off has passed and
    whose funds are short. Each payment is claimed under its lock: two sweeps at once open one
    default, and a payment already defaulted is never defaulted again."""
    today = today_or_now(today)
    opened = 0
    candidates = Payment.objects.filter(state=S.EXPECTED, due_on__lte=today).values_list(
        "pk", flat=True
    )
    scheduler = None
    for pk in list(candidates):
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("obligation", "security", "agreement__terms")
                .filter(pk=pk, state=S.EXPECTED)
                .first()
            )
            if payment is None or not _cutoff_passed(payment, today, now):
                continue
            if _funded_on_time(payment):
                _settle(payment, by=None, today=today)
                continue
            if payment.amount_due is None and payment.receipts.exists():
                _problem(
                    payment,
                    today,
                    "Funds were received but no amount expected is recorded: set the amount "
                    "so that the shortfall, if any, can be known.",
                )
                continue
            scheduler = scheduler or scheduler_user()
            try:
                with transaction.atomic():
                    _open_default(payment, by=scheduler, today=today)
            except ValidationError as refusal:
                _problem(
                    payment,
                    today,
                    "Could not open the payment default: " + "; ".join(refusal.messages),
                )
                continue
            opened += 1
    return opened


def _problem(payment, today, text):
    """Escalate once what stops the sweep, and push nothing into a loop."""
    if payment.problem == text:
        return
    payment.problem = text
    payment.save(update_fields=["problem", "updated_at"])
    _note(payment, by=None, on=today, comment=text, notify=True)
    log.warning("Payment %s: %s", payment.pk, text)


def sweep(*, today: date, now: datetime | None = None) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {
        "payments_opened": payments_open(today=today),
        "payment_defaults": payments_default(today=today, now=now),
    }


# -- demo -----------------------------------------------------------------------------------


def demo_seed(*, today: date) -> None:
    """Demo rows an officer can walk in the admin (called by load_demo); idempotent.

    The demo agreements' securities state no payment dates (those are in the trust agreements,
    not in the guarantee texts), so the calendar has no payment obligations for them. The demo
    records two quarterly distributions of the Hartford Capital III Preferred Securities itself,
    both behind us and both paid: one by the paying agent, one partly by the Guarantor under the
    guarantee. They show the amount set by an officer, the receipts and the obligation closed
    with them as evidence, and they never fall due under the simulated years of the tests. A
    missed payment is walked on the calendar's own payments (docs/standing.md)."""
    from trustee.models import Agreement

    agreement = Agreement.objects.filter(slug="hartford-capital-iii").first()
    security = agreement.securities.order_by("pk").first() if agreement else None
    if security is None or not security.coupon_rate:
        return
    officer = _demo_officer()
    demo_keys = f"{DutyKind.PAYMENT}:{security.pk}:demo:"
    if officer is None or Obligation.objects.filter(key__startswith=demo_keys).exists():
        return
    # A quarter of the yearly rate on the liquidation preference outstanding.
    amount = rules.cents(security.amount_outstanding * security.coupon_rate / Decimal(400))
    guarantor_share = Decimal("250000.00")
    plans = (
        (100, [(amount, 0, PaymentReceipt.From.PAYING_AGENT)]),
        (
            10,
            [
                (amount - guarantor_share, 1, PaymentReceipt.From.PAYING_AGENT),
                (guarantor_share, 0, PaymentReceipt.From.GUARANTOR),
            ],
        ),
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    for days_ago, receipts in plans:
        nominal = today - timedelta(days=days_ago)
        obligation, _ = Obligation.objects.get_or_create(
            agreement=agreement,
            key=f"{demo_keys}{nominal}",
            defaults={
                "security": security,
                "kind": DutyKind.PAYMENT,
                "owed_by": Obligation.OwedBy.GUARANTOR,
                "title": f"Interest / distribution payment: {security.title} (demo)",
                "nominal_date": nominal,
                "due_date": nominal,
                "section": "5.1",
                "status": Obligation.Status.DUE_SOON,
            },
        )
        if Payment.objects.filter(obligation=obligation).exists():
            continue
        before = nominal - timedelta(days=2)
        payments_open(today=before)
        payment = Payment.objects.get(obligation=obligation)
        payment_amount_set(
            payment_id=payment.pk,
            amount=amount,
            reason="Demo: a quarterly distribution, 7.45% a year on the liquidation preference "
            "outstanding (the dates are in the trust agreement, not the guarantee).",
            by=officer,
            today=before,
        )
        for value, days_before, source in receipts:
            received = nominal - timedelta(days=days_before)
            payment_receipt_record(
                payment_id=payment.pk,
                amount=value,
                received_on=received,
                received_from=source,
                reference=f"FED-{received:%Y%m%d}-{source[:2].upper()}",
                by=officer,
                today=received,
                now=datetime(received.year, received.month, received.day, 9, tzinfo=zone),
            )


def _demo_officer():
    from trustee.models import TrustOfficer

    officer = (
        TrustOfficer.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("-is_responsible_officer", "pk")
        .first()
    )
    return officer.user if officer else None
