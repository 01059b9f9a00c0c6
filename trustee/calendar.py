"""The due dates of an agreement's duties, computed from its terms. No Django here.

Every date comes from a term of the agreement ("on or before February 15 and August 15",
"within 60 days after July 1", "within 30 days after the receipt"), never from this code. Days
are calendar days and a period "within N days after" an event ends N days after it: within 60
days after July 1 is August 30. Whether a date that falls on a weekend or a New York banking
holiday moves is the agreement's business-day convention; with none it stays and is flagged.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holiday_tables

from trustee.term_rules import MonthDay, TermError


class DutyKind(enum.StrEnum):
    HOLDER_LIST = "holder_list"
    HOLDER_LIST_ON_REQUEST = "holder_list_on_request"
    REPORT_TO_HOLDERS = "report_to_holders"
    COMPLIANCE_CERTIFICATE = "compliance_certificate"
    PAYMENT = "payment"
    MATURITY = "maturity"
    DEFAULT_NOTICE = "default_notice"
    CURE_PERIOD_END = "cure_period_end"
    CONFLICT_ELIMINATION = "conflict_elimination"
    CONFLICT_NOTICE = "conflict_notice"
    SUCCESSOR_PETITION = "successor_petition"
    HOLDER_COMMUNICATION = "holder_communication"


class Owner(enum.StrEnum):
    GUARANTOR = "guarantor"
    TRUSTEE = "trustee"


# What each duty is, who owes it, and which term it is read from (for its citation).
DUTY_FACTS: dict[DutyKind, tuple[str, Owner, str]] = {
    DutyKind.HOLDER_LIST: ("List of Holders", Owner.GUARANTOR, "holder_list_dates"),
    DutyKind.HOLDER_LIST_ON_REQUEST: (
        "List of Holders on request",
        Owner.GUARANTOR,
        "holder_list_request_days",
    ),
    DutyKind.REPORT_TO_HOLDERS: ("Report to Holders", Owner.TRUSTEE, "report_window_days"),
    DutyKind.COMPLIANCE_CERTIFICATE: (
        "Annual compliance certificate",
        Owner.GUARANTOR,
        "compliance_certificate_days",
    ),
    DutyKind.PAYMENT: ("Interest / distribution payment", Owner.GUARANTOR, ""),
    DutyKind.MATURITY: ("Payment at maturity", Owner.GUARANTOR, ""),
    DutyKind.DEFAULT_NOTICE: ("Notice of default to Holders", Owner.TRUSTEE, "default_notice_days"),
    DutyKind.CURE_PERIOD_END: ("Cure period ends", Owner.GUARANTOR, "cure_days"),
    DutyKind.CONFLICT_ELIMINATION: (
        "Eliminate conflicting interest or resign",
        Owner.TRUSTEE,
        "conflicting_interest_days",
    ),
    DutyKind.CONFLICT_NOTICE: (
        "Notify Holders of conflicting interest",
        Owner.TRUSTEE,
        "conflicting_interest_notice_days",
    ),
    DutyKind.SUCCESSOR_PETITION: (
        "Successor not accepted: trustee may petition a court",
        Owner.TRUSTEE,
        "successor_days",
    ),
    DutyKind.HOLDER_COMMUNICATION: (
        "Answer Holders' application to communicate",
        Owner.TRUSTEE,
        "holder_communication_business_days",
    ),
}


class Convention(enum.StrEnum):
    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"
    MODIFIED_FOLLOWING = "modified_following"


@dataclass(frozen=True)
class Citation:
    section: str
    quote: str = ""


@dataclass(frozen=True)
class TermsData:
    """An agreement's terms as plain values (built from the model by trustee.selectors)."""

    holder_list_dates: tuple[MonthDay, ...] = ()
    holder_list_commencement: date | None = None
    holder_list_business_days_after: int | None = None
    holder_list_request_days: int | None = None
    report_anchor: MonthDay | None = None
    report_window_days: int | None = None
    report_due: MonthDay | None = None
    report_commencement: date | None = None
    default_notice_days: int | None = None
    default_notice_runs_from: str = "occurrence"
    cure_days: int | None = None
    cure_runs_from: str = "default"
    successor_days: int | None = None
    conflicting_interest_days: int | None = None
    conflicting_interest_notice_days: int | None = None
    holder_communication_business_days: int | None = None
    fiscal_year_end: MonthDay | None = None
    compliance_certificate_days: int | None = None
    time_zone: str = "America/New_York"
    business_day_convention: Convention = Convention.NONE
    citations: Mapping[str, Citation] = field(default_factory=dict)


@dataclass(frozen=True)
class SecurityData:
    id: int
    title: str
    payment_dates: tuple[MonthDay, ...] = ()
    first_payment_date: date | None = None
    maturity: date | None = None
    citation: Citation = Citation("")


@dataclass(frozen=True)
class AgreementData:
    dated_as_of: date | None
    terms: TermsData
    securities: tuple[SecurityData, ...] = ()


@dataclass(frozen=True)
class Duty:
    kind: DutyKind
    owed_by: Owner
    key: str
    nominal_date: date
    due_date: date
    title: str
    section: str
    quote: str
    security_id: int | None = None
    is_weekend: bool = False
    holiday: str = ""

    @property
    def moved(self) -> bool:
        return self.due_date != self.nominal_date

    @property
    def flag(self) -> str:
        """'weekend', the holiday's name, or '' for a business day."""
        if self.holiday:
            return self.holiday
        return "weekend" if self.is_weekend else ""


class BusinessCalendar:
    """Weekends and holidays of one place; New York banking days unless told otherwise.

    The agreements define a Business Day as a day other than a Saturday or Sunday or "a day on
    which banking institutions in the City of New York are authorized or required by law to
    close"; the holidays package's USNY financial calendar is that list.
    """

    def __init__(self, holidays: Mapping[date, str] | None = None):
        self._holidays = holidays if holidays is not None else _new_york_banking_holidays()

    def holiday(self, day: date) -> str:
        return self._holidays.get(day) or ""

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.holiday(day)

    def adjust(self, day: date, convention: Convention | str) -> date:
        convention = Convention(convention)
        if convention is Convention.NONE or self.is_business_day(day):
            return day
        if convention is Convention.PRECEDING:
            return self._step(day, -1)
        following = self._step(day, 1)
        if convention is Convention.MODIFIED_FOLLOWING and following.month != day.month:
            return self._step(day, -1)
        return following

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`th business day after `day` (the day itself is not counted)."""
        current = day
        for _ in range(count):
            current = self._step(current, 1)
        return current

    def _step(self, day: date, direction: int) -> date:
        day += timedelta(days=direction)
        while not self.is_business_day(day):
            day += timedelta(days=direction)
        return day


def _new_york_banking_holidays():
    return holiday_tables.financial_holidays("USNY")


def local_today(time_zone: str, now: datetime) -> date:
    """Today's date where the agreement's deadlines run (its time zone, New York by default)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


class DutyCalendar:
    """The duties of one agreement, periodic ones over a range and event ones on demand."""

    def __init__(self, agreement: AgreementData, business: BusinessCalendar):
        self.agreement = agreement
        self.terms = agreement.terms
        self.business = business

    # -- periodic duties --------------------------------------------------------------------

    def between(self, start: date, end: date) -> list[Duty]:
        """Every periodic duty whose due date is in [start, end], in date order."""
        if end < start:
            raise ValueError(f"The range ends ({end}) before it starts ({start}).")
        duties = [
            *self._holder_lists(start, end),
            *self._reports(start, end),
            *self._compliance_certificates(start, end),
            *self._payments(start, end),
        ]
        inside = [duty for duty in duties if start <= duty.due_date <= end]
        return sorted(inside, key=lambda duty: (duty.due_date, duty.kind, duty.key))

    @cached_property
    def _starts_after(self) -> date | None:
        return self.agreement.dated_as_of

    def _holder_lists(self, start, end):
        first = self.terms.holder_list_commencement
        # N business days are at most 2N + 4 calendar days (weekends and a holiday or two).
        reach = timedelta(days=2 * (self.terms.holder_list_business_days_after or 0) + 4)
        for nominal in _yearly(self.terms.holder_list_dates, start - reach, end):
            if first and nominal < first:
                continue
            if not first and self._starts_after and nominal <= self._starts_after:
                continue
            offset = self.terms.holder_list_business_days_after
            if offset:
                # "One Business Day after each record date": counted in business days, so the
                # result is a business day and no convention applies on top.
                yield self._make(
                    DutyKind.HOLDER_LIST,
                    f"holder_list:{nominal}",
                    nominal,
                    DUTY_FACTS[DutyKind.HOLDER_LIST][0],
                    self._citation("holder_list_dates"),
                    due=self.business.add_business_days(nominal, offset),
                )
            else:
                yield self._duty(DutyKind.HOLDER_LIST, f"holder_list:{nominal}", nominal)

    def _reports(self, start, end):
        terms = self.terms
        if terms.report_anchor and terms.report_window_days:
            window = timedelta(days=terms.report_window_days)
            for anchor in _yearly([terms.report_anchor], start - window, end):
                if not self._report_year_counts(anchor):
                    continue
                yield self._duty(
                    DutyKind.REPORT_TO_HOLDERS,
                    f"report_to_holders:{anchor.year}",
                    anchor + window,
                    term="report_window_days",
                )
        elif terms.report_due:
            for due in _yearly([terms.report_due], start, end):
                if self._report_year_counts(due):
                    yield self._duty(
                        DutyKind.REPORT_TO_HOLDERS,
                        f"report_to_holders:{due.year}",
                        due,
                        term="report_due",
                    )

    def _report_year_counts(self, anchor: date) -> bool:
        first = self.terms.report_commencement
        if first:
            return anchor >= first
        return not (self._starts_after and anchor <= self._starts_after)

    def _compliance_certificates(self, start, end):
        terms = self.terms
        if not (terms.fiscal_year_end and terms.compliance_certificate_days):
            return
        window = timedelta(days=terms.compliance_certificate_days)
        for year_end in _yearly([terms.fiscal_year_end], start - window, end):
            if self._starts_after and year_end < self._starts_after:
                continue
            yield self._duty(
                DutyKind.COMPLIANCE_CERTIFICATE,
                f"compliance_certificate:{year_end}",
                year_end + window,
            )

    def _payments(self, start, end):
        for security in self.agreement.securities:
            first, last = security.first_payment_date, security.maturity
            if security.payment_dates and first:
                for nominal in _yearly(security.payment_dates, max(start, first) - _SLACK, end):
                    if nominal < first or (last and nominal > last):
                        continue
                    yield self._security_duty(DutyKind.PAYMENT, security, nominal)
            if last:
                yield self._security_duty(DutyKind.MATURITY, security, last)

    def _security_duty(self, kind, security, nominal):
        key = f"{kind}:{security.id}:{nominal}"
        title = f"{DUTY_FACTS[kind][0]}: {security.title}"
        return self._make(kind, key, nominal, title, security.citation, security.id)

    # -- duties that run from an event ------------------------------------------------------

    def holder_list_on_request(self, *, received: date, event_key: str) -> Duty:
        days = self._need("holder_list_request_days", "a List of Holders on request")
        return self._event(DutyKind.HOLDER_LIST_ON_REQUEST, event_key, received, days)

    def default_notice(self, *, occurred: date, known: date | None, event_key: str) -> Duty:
        days = self._need("default_notice_days", "a notice of default")
        if self.terms.default_notice_runs_from == "knowledge":
            if known is None:
                raise TermError(
                    "Under this agreement the notice period runs from the trustee's knowledge "
                    "of the default: record the date a Responsible Officer learned of it."
                )
            return self._event(DutyKind.DEFAULT_NOTICE, event_key, known, days)
        return self._event(DutyKind.DEFAULT_NOTICE, event_key, occurred, days)

    def cure_period_end(
        self, *, defaulted: date, notice_received: date | None, event_key: str
    ) -> Duty:
        days = self._need("cure_days", "the cure period")
        if self.terms.cure_runs_from == "notice_to_guarantor":
            if notice_received is None:
                raise TermError(
                    "Under this agreement the cure period runs from the Guarantor's receipt of "
                    "notice of the default: record when the Guarantor received it."
                )
            return self._event(DutyKind.CURE_PERIOD_END, event_key, notice_received, days)
        return self._event(DutyKind.CURE_PERIOD_END, event_key, defaulted, days)

    def conflicting_interest(self, *, ascertained: date, event_key: str) -> list[Duty]:
        """TIA §310(b): eliminate it or resign within N days; failing that, notify in M more."""
        days = self._need("conflicting_interest_days", "a conflicting interest")
        notice_days = self._need("conflicting_interest_notice_days", "a conflicting interest")
        eliminate = self._event(DutyKind.CONFLICT_ELIMINATION, event_key, ascertained, days)
        notify = self._event(
            DutyKind.CONFLICT_NOTICE, event_key, ascertained + timedelta(days=days), notice_days
        )
        return [eliminate, notify]

    def successor_petition(self, *, resignation_delivered: date, event_key: str) -> Duty:
        days = self._need("successor_days", "a successor trustee")
        return self._event(DutyKind.SUCCESSOR_PETITION, event_key, resignation_delivered, days)

    def holder_communication(self, *, application_received: date, event_key: str) -> Duty:
        days = self._need("holder_communication_business_days", "Holders' communications")
        due = self.business.add_business_days(application_received, days)
        facts = DUTY_FACTS[DutyKind.HOLDER_COMMUNICATION]
        return self._make(
            DutyKind.HOLDER_COMMUNICATION,
            f"{DutyKind.HOLDER_COMMUNICATION}:{event_key}",
            due,
            facts[0],
            self._citation(facts[2]),
            adjust=False,
        )

    # -- helpers ----------------------------------------------------------------------------

    def _need(self, term: str, what: str) -> int:
        value = getattr(self.terms, term)
        if value is None:
            raise TermError(
                f"This agreement has no term for {what} ({term}); record it, with its section, "
                "before recording the event."
            )
        return value

    def _event(self, kind, event_key, start: date, days: int) -> Duty:
        return self._duty(kind, f"{kind}:{event_key}", start + timedelta(days=days))

    def _duty(self, kind, key, nominal, term=None):
        title, _, default_term = DUTY_FACTS[kind]
        return self._make(kind, key, nominal, title, self._citation(term or default_term))

    def _citation(self, term: str) -> Citation:
        return self.terms.citations.get(term) or Citation("")

    def _make(self, kind, key, nominal, title, citation, security_id=None, adjust=True, due=None):
        if due is None:
            convention = self.terms.business_day_convention
            due = self.business.adjust(nominal, convention) if adjust else nominal
        return Duty(
            kind=kind,
            owed_by=DUTY_FACTS[kind][1],
            key=key,
            nominal_date=nominal,
            due_date=due,
            title=title,
            section=citation.section,
            quote=citation.quote,
            security_id=security_id,
            is_weekend=due.weekday() >= 5,
            holiday=self.business.holiday(due),
        )


# A business-day adjustment moves a date by at most a few days; candidates are generated this
# much beyond the range so that one moved into it is not missed.
_SLACK = timedelta(days=7)


def _yearly(month_days: Iterable[MonthDay], start: date, end: date) -> Iterator[date]:
    """Each month-day in each year that could fall (after adjustment) within [start, end]."""
    low, high = start - _SLACK, end + _SLACK
    for year in range(low.year, high.year + 1):
        for month_day in month_days:
            day = date(year, month_day.month, month_day.day)
            if low <= day <= high:
                yield day
