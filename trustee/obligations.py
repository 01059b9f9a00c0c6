"""Services for obligations: materialize them from the calendar, sweep their statuses, close them.

Every write here is safe to run twice and concurrently. Rows are created with
bulk_create(ignore_conflicts=True) against the (agreement, key) unique constraint, and every
later change is a conditional UPDATE whose row count says whether this process made it; only
the process that made a change records it in ObligationChange.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from trustee import obligation_rules as rules
from trustee.calendar import BusinessCalendar, Duty, DutyCalendar, DutyKind, local_today
from trustee.models import (
    Agreement,
    AgreementEvent,
    Obligation,
    ObligationChange,
    OfficerAssignment,
)
from trustee.roles import require_preparer
from trustee.selectors import agreement_data, agreements_for_calendar
from trustee.term_rules import TermError

# The kinds a sweep computes from the terms; the others run from recorded events.
PERIODIC_KINDS = (
    DutyKind.HOLDER_LIST,
    DutyKind.REPORT_TO_HOLDERS,
    DutyKind.COMPLIANCE_CERTIFICATE,
    DutyKind.PAYMENT,
    DutyKind.MATURITY,
)
BATCH = 500
LOOKBACK = timedelta(days=400)


@dataclass
class MaterializeResult:
    agreements: int = 0
    created: int = 0
    rescheduled: int = 0
    retired: int = 0

    def __iadd__(self, other):
        for name in ("agreements", "created", "rescheduled", "retired"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def lead_days(kind: str) -> int:
    return settings.TRUSTDESK_DUE_SOON_DAYS.get(kind, 15)


def horizon_end(today: date) -> date:
    months = settings.TRUSTDESK_OBLIGATION_HORIZON_MONTHS
    year, month = divmod(today.month - 1 + months, 12)
    day = min(today.day, 28)
    return date(today.year + year, month + 1, day)


def materialize(*, today: date, agreements=None, reason="daily sweep", by=None):
    """Create the periodic obligations due from today to the horizon; reschedule or retire
    open ones whose terms changed. Done and not-required obligations are never touched."""
    business = BusinessCalendar()
    end = horizon_end(today)
    result = MaterializeResult()
    queryset = agreements if agreements is not None else agreements_for_calendar()
    batch = []
    for agreement in queryset.iterator(chunk_size=BATCH):
        batch.append(agreement)
        if len(batch) >= BATCH:
            result += _materialize_batch(batch, business, today, end, reason, by)
            batch = []
    if batch:
        result += _materialize_batch(batch, business, today, end, reason, by)
    return result


def _materialize_batch(agreements, business, today, end, reason, by):
    result = MaterializeResult(agreements=len(agreements))
    # Duties are computed from a year back so that an open obligation whose due date a change
    # of terms moved into the past is found by its key and rescheduled (it is then overdue),
    # not mistaken for a duty that no longer arises.
    since = today - LOOKBACK
    existing = defaultdict(dict)
    for row in Obligation.objects.filter(
        agreement_id__in=[a.pk for a in agreements],
        kind__in=PERIODIC_KINDS,
        due_date__gte=since,
    ).only("id", "agreement_id", "key", "status", "due_date"):
        existing[row.agreement_id][row.key] = row

    new_rows = []
    for agreement in agreements:
        duties = {
            duty.key: duty
            for duty in DutyCalendar(agreement_data(agreement), business).between(since, end)
        }
        current = existing[agreement.pk]
        officer_id = _primary_officer_id(agreement)
        for key, duty in duties.items():
            row = current.get(key)
            if row is None:
                if duty.due_date >= today:
                    new_rows.append(_new_obligation(agreement.pk, duty, officer_id, today))
            elif _is_future_and_moved(row, duty, today):
                result.rescheduled += _reschedule(row, duty, today, reason, by)
        for key, row in current.items():
            if key not in duties and row.status in rules.OPEN and row.due_date >= today:
                result.retired += _retire(row, reason, by)
    Obligation.objects.bulk_create(new_rows, batch_size=BATCH, ignore_conflicts=True)
    result.created = len(new_rows)
    return result


def _is_future_and_moved(row, duty, today):
    """An unfulfilled obligation, not yet past due (before or after the change), that moved."""
    open_and_moved = row.status in rules.OPEN and row.due_date != duty.due_date
    return open_and_moved and (row.due_date >= today or duty.due_date >= today)


def _primary_officer_id(agreement):
    primary = getattr(agreement, "primary_assignments", None)
    if primary is None:
        primary = list(agreement.officer_assignments.filter(role=OfficerAssignment.Role.PRIMARY))
    return primary[0].officer_id if primary else None


def _new_obligation(agreement_id, duty: Duty, officer_id, today):
    standing = rules.standing(due=duty.due_date, today=today, lead_days=lead_days(duty.kind))
    return Obligation(
        agreement_id=agreement_id,
        security_id=duty.security_id,
        kind=duty.kind,
        owed_by=duty.owed_by,
        key=duty.key,
        title=duty.title,
        nominal_date=duty.nominal_date,
        due_date=duty.due_date,
        is_weekend=duty.is_weekend,
        holiday=duty.holiday,
        section=duty.section,
        quote=duty.quote,
        officer_id=officer_id,
        status=standing.status,
        next_check=standing.next_check,
    )


def _reschedule(row, duty, today, reason, by):
    standing = rules.standing(due=duty.due_date, today=today, lead_days=lead_days(duty.kind))
    with transaction.atomic():
        changed = Obligation.objects.filter(
            pk=row.pk, due_date=row.due_date, status__in=rules.OPEN
        ).update(
            due_date=duty.due_date,
            nominal_date=duty.nominal_date,
            is_weekend=duty.is_weekend,
            holiday=duty.holiday,
            section=duty.section,
            quote=duty.quote,
            status=standing.status,
            next_check=standing.next_check,
            updated_at=timezone.now(),
        )
        if changed:
            ObligationChange.objects.create(
                obligation_id=row.pk,
                by=by,
                old_status=row.status,
                new_status=standing.status,
                old_due_date=row.due_date,
                new_due_date=duty.due_date,
                reason=f"Terms changed ({reason}): now due {duty.due_date:%Y-%m-%d}.",
            )
    return changed


def _retire(row, reason, by):
    with transaction.atomic():
        changed = Obligation.objects.filter(pk=row.pk, status__in=rules.OPEN).update(
            status=rules.NOT_REQUIRED,
            next_check=None,
            closed_at=timezone.now(),
            closed_by=by,
            resolution=f"No longer a duty under the agreement's terms ({reason}).",
            updated_at=timezone.now(),
        )
        if changed:
            ObligationChange.objects.create(
                obligation_id=row.pk,
                by=by,
                old_status=row.status,
                new_status=rules.NOT_REQUIRED,
                reason=f"Terms changed ({reason}): the duty no longer arises.",
            )
    return changed


def terms_changed(agreement, *, by, today=None):
    """Recompute one agreement's open obligations after its terms or securities changed."""
    today = today or local_today(_time_zone(agreement), timezone.now())
    agreements = agreements_for_calendar().filter(pk=agreement.pk)
    result = materialize(today=today, agreements=agreements, reason="terms edited", by=by)
    assignments_changed(agreement)
    return result


def assignments_changed(agreement):
    """Give the agreement's open obligations to its current primary officer."""
    primary = OfficerAssignment.objects.filter(
        agreement=agreement, role=OfficerAssignment.Role.PRIMARY
    ).first()
    officer_id = primary.officer_id if primary else None
    return (
        Obligation.objects.filter(agreement=agreement, status__in=rules.OPEN)
        .exclude(officer_id=officer_id)
        .update(officer_id=officer_id, updated_at=timezone.now())
    )


def _time_zone(agreement):
    terms = getattr(agreement, "terms", None)
    return terms.time_zone if terms else settings.TIME_ZONE


def advance_statuses(*, now=None):
    """Move open obligations whose next_check has come: upcoming → due soon → overdue.

    One conditional UPDATE per step and time zone, over the partial index on next_check;
    the steps run in order so that a row can pass through both in one sweep.
    """
    now = now or timezone.now()
    moved = 0
    zones = set(
        Agreement.objects.filter(terms__isnull=False)
        .order_by()
        .values_list("terms__time_zone", flat=True)
        .distinct()
    )
    for zone in zones | {settings.TIME_ZONE}:
        today = local_today(zone, now)
        in_zone = Q(agreement__terms__time_zone=zone)
        if zone == settings.TIME_ZONE:
            in_zone |= Q(agreement__terms__isnull=True)
        rows = Obligation.objects.filter(in_zone, next_check__lte=today)
        moved += rows.filter(status=rules.UPCOMING).update(
            status=rules.DUE_SOON, next_check=F("due_date") + timedelta(days=1)
        )
        moved += rows.filter(status=rules.DUE_SOON).update(status=rules.OVERDUE, next_check=None)
    return moved


# -- closing an obligation by hand ---------------------------------------------------------


class TransitionRefused(ValidationError):
    pass


def obligation_complete(*, obligation_id, by, evidence, completed_on=None):
    """Record that a duty was done, with the evidence (the list received, the notice sent)."""
    if by is not None:  # None: the system, e.g. a workflow closing its own clock
        require_preparer(by, "Closing a duty")
    if not evidence or not evidence.strip():
        raise TransitionRefused("Say what shows it was done (the list received, the notice sent).")
    return _close(obligation_id, rules.DONE, by, evidence.strip(), completed_on)


def obligation_waive(*, obligation_id, by, reason):
    """Record that a duty is not required this time (e.g. a list identical to the last one)."""
    if by is not None:  # None: the system, e.g. a workflow closing its own clock
        require_preparer(by, "Closing a duty")
    if not reason or not reason.strip():
        raise TransitionRefused("Say why it is not required, citing the clause that allows it.")
    return _close(obligation_id, rules.NOT_REQUIRED, by, reason.strip(), None)


def _close(obligation_id, status, by, text, on):
    with transaction.atomic():
        row = Obligation.objects.select_for_update().get(pk=obligation_id)
        if row.status not in rules.OPEN:
            raise TransitionRefused(
                f"“{row.title}” due {row.due_date:%Y-%m-%d} is already "
                f"{row.get_status_display().lower()}; it cannot be closed again."
            )
        old = row.status
        row.status, row.next_check = status, None
        row.closed_at, row.closed_by, row.resolution = timezone.now(), by, text
        row.save(
            update_fields=[
                "status",
                "next_check",
                "closed_at",
                "closed_by",
                "resolution",
                "updated_at",
            ]
        )
        note = f" on {on:%Y-%m-%d}" if on else ""
        ObligationChange.objects.create(
            obligation=row, by=by, old_status=old, new_status=status, reason=f"{text}{note}"
        )
    return row


# -- clocks that run from an event ---------------------------------------------------------


def event_check(
    *,
    agreement,
    kind,
    occurred_on,
    known_on=None,
    notice_received_on=None,
    is_payment_default=False,
    today=None,
):
    """Refuse an event that cannot be recorded, before anything is written: a date in the
    future or out of order, or an agreement without the term its clock needs."""
    today = today or local_today(_time_zone(agreement), timezone.now())
    if occurred_on > today:
        raise TransitionRefused({"occurred_on": "An event cannot be recorded before it happens."})
    for name, value in (("known_on", known_on), ("notice_received_on", notice_received_on)):
        if value and value < occurred_on:
            raise TransitionRefused({name: "This cannot come before the event itself."})
        if value and value > today:
            raise TransitionRefused({name: "This date is in the future."})
    probe = AgreementEvent(
        agreement=agreement,
        kind=kind,
        occurred_on=occurred_on,
        known_on=known_on,
        notice_received_on=notice_received_on,
        is_payment_default=is_payment_default,
    )
    loaded = agreements_for_calendar().get(pk=agreement.pk)
    calendar = DutyCalendar(agreement_data(loaded), BusinessCalendar())
    try:
        return _event_duties(calendar, probe, "check")
    except TermError as error:
        raise TransitionRefused(str(error)) from error


def event_record(
    *,
    agreement,
    kind,
    occurred_on,
    description,
    by,
    known_on=None,
    notice_received_on=None,
    is_payment_default=False,
    today=None,
):
    """Record an event and put the clocks it starts on the calendar, in one transaction."""
    if by is not None:
        require_preparer(by, "Recording an event")
    dates = {"known_on": known_on, "notice_received_on": notice_received_on}
    event_check(
        agreement=agreement,
        kind=kind,
        occurred_on=occurred_on,
        is_payment_default=is_payment_default,
        today=today,
        **dates,
    )
    today = today or local_today(_time_zone(agreement), timezone.now())
    with transaction.atomic():
        agreement = agreements_for_calendar().select_for_update(of=("self",)).get(pk=agreement.pk)
        event = AgreementEvent.objects.create(
            agreement=agreement,
            kind=kind,
            occurred_on=occurred_on,
            is_payment_default=is_payment_default,
            description=description,
            recorded_by=by,
            **dates,
        )
        calendar = DutyCalendar(agreement_data(agreement), BusinessCalendar())
        officer_id = _primary_officer_id(agreement)
        rows = []
        for duty in _event_duties(calendar, event, str(event.pk)):
            row = _new_obligation(agreement.pk, duty, officer_id, today)
            row.event = event
            rows.append(row)
        Obligation.objects.bulk_create(rows)
    return event


def _event_duties(calendar, event, key):
    kind = AgreementEvent.Kind
    if event.kind == kind.LIST_REQUESTED:
        return [calendar.holder_list_on_request(received=event.occurred_on, event_key=key)]
    if event.kind == kind.DEFAULT:
        duties = [
            calendar.default_notice(occurred=event.occurred_on, known=event.known_on, event_key=key)
        ]
        # A payment default is an Event of Default at once: there is no cure period (§1.1).
        if not event.is_payment_default:
            duties.append(
                calendar.cure_period_end(
                    defaulted=event.occurred_on,
                    notice_received=event.notice_received_on,
                    event_key=key,
                )
            )
        return duties
    if event.kind == kind.CONFLICTING_INTEREST:
        return calendar.conflicting_interest(ascertained=event.occurred_on, event_key=key)
    if event.kind == kind.RESIGNATION:
        return [calendar.successor_petition(resignation_delivered=event.occurred_on, event_key=key)]
    return [calendar.holder_communication(application_received=event.occurred_on, event_key=key)]
