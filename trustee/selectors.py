"""Reads shaped for display: what the admin and reports show of an agreement."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.text import capfirst

from trustee import calendar
from trustee.models import Agreement, AgreementTerms, OfficerAssignment, TermCitation
from trustee.term_rules import TermError, parse_month_day, parse_month_day_list


@dataclass(frozen=True)
class TermRow:
    name: str
    label: str
    value: str
    section: str
    quote: str


def display_term(terms: AgreementTerms, name: str) -> str:
    field = terms._meta.get_field(name)
    value = getattr(terms, name)
    if value in (None, "", []):
        return "—"
    if field.choices:
        return getattr(terms, f"get_{name}_display")()
    try:
        if name == "holder_list_dates":
            return ", ".join(date.label for date in parse_month_day_list(value))
        if field.get_internal_type() == "CharField" and field.max_length == 5:
            return parse_month_day(value).label
    except TermError:
        return str(value)
    if name == "min_capital_surplus":
        return f"${value:,.2f}"
    if name == "majority_percent":
        return f"{value.normalize():f}%"
    return str(value)


def term_rows(terms: AgreementTerms) -> list[TermRow]:
    """Every term with a value, with the section and sentence it was read from."""
    citations = {c.term: c for c in terms.citations.all()}
    rows = []
    for name in AgreementTerms.term_names():
        value = display_term(terms, name)
        citation = citations.get(name)
        if value == "—" and citation is None:
            continue
        rows.append(
            TermRow(
                name=name,
                label=capfirst(terms._meta.get_field(name).verbose_name),
                value=value,
                section=citation.section if citation else "—",
                quote=citation.quote if citation else "",
            )
        )
    return rows


def agreements_for_calendar():
    """Active agreements with everything the calendar reads, in a fixed number of queries."""
    return (
        Agreement.objects.filter(status=Agreement.Status.ACTIVE)
        .select_related("terms")
        .prefetch_related(
            "securities",
            Prefetch("terms__citations", queryset=TermCitation.objects.all()),
            Prefetch(
                "officer_assignments",
                queryset=OfficerAssignment.objects.filter(role=OfficerAssignment.Role.PRIMARY),
                to_attr="primary_assignments",
            ),
        )
        .order_by("pk")
    )


def agreement_data(agreement) -> calendar.AgreementData:
    """An agreement, its terms and securities as the plain values trustee.calendar works on."""
    terms = getattr(agreement, "terms", None)
    securities = tuple(
        calendar.SecurityData(
            id=security.pk,
            title=security.title,
            payment_dates=tuple(parse_month_day_list(security.payment_dates or [])),
            first_payment_date=security.first_payment_date,
            maturity=security.maturity,
            citation=calendar.Citation(security.source_section, security.source_quote),
        )
        for security in agreement.securities.all()
    )
    return calendar.AgreementData(
        dated_as_of=agreement.dated_as_of, terms=terms_data(terms), securities=securities
    )


def terms_data(terms) -> calendar.TermsData:
    if terms is None:
        return calendar.TermsData()

    def month_day(value):
        return parse_month_day(value) if value else None

    return calendar.TermsData(
        holder_list_dates=tuple(parse_month_day_list(terms.holder_list_dates or [])),
        holder_list_commencement=terms.holder_list_commencement,
        holder_list_business_days_after=terms.holder_list_business_days_after,
        holder_list_request_days=terms.holder_list_request_days,
        report_anchor=month_day(terms.report_anchor),
        report_window_days=terms.report_window_days,
        report_due=month_day(terms.report_due),
        report_commencement=terms.report_commencement,
        default_notice_days=terms.default_notice_days,
        default_notice_runs_from=terms.default_notice_runs_from or "occurrence",
        cure_days=terms.cure_days,
        cure_runs_from=terms.cure_runs_from or "default",
        successor_days=terms.successor_days,
        conflicting_interest_days=terms.conflicting_interest_days,
        conflicting_interest_notice_days=terms.conflicting_interest_notice_days,
        holder_communication_business_days=terms.holder_communication_business_days,
        fiscal_year_end=month_day(terms.fiscal_year_end),
        compliance_certificate_days=terms.compliance_certificate_days,
        time_zone=terms.time_zone,
        business_day_convention=calendar.Convention(terms.business_day_convention),
        citations={c.term: calendar.Citation(c.section, c.quote) for c in terms.citations.all()},
    )


@dataclass(frozen=True)
class DutyRow:
    """A duty as an officer reads it: computed from the terms, with its row's status if any."""

    agreement_slug: str
    agreement_name: str
    kind: str
    title: str
    owed_by: str
    nominal_date: date
    due_date: date
    flag: str
    section: str
    quote: str
    status: str
    obligation_id: int | None
    officer: str


NOT_TRACKED = "not tracked"


def duty_rows(agreements, start: date, end: date) -> list[DutyRow]:
    """Every duty of `agreements` due in [start, end]: periodic ones computed from the terms
    (so past and future ranges work alike), merged with the obligation rows, which add
    status, officer and the clocks that ran from recorded events."""
    from trustee.models import Obligation

    business = calendar.BusinessCalendar()
    agreements = list(agreements)
    rows_by_key = {}
    for row in (
        Obligation.objects.filter(agreement__in=agreements, due_date__range=(start, end))
        .select_related("officer__user")
        .order_by()
    ):
        rows_by_key[(row.agreement_id, row.key)] = row
    result = []
    for agreement in agreements:
        seen = set()
        for duty in calendar.DutyCalendar(agreement_data(agreement), business).between(start, end):
            row = rows_by_key.get((agreement.pk, duty.key))
            seen.add(duty.key)
            result.append(_duty_row(agreement, duty, row))
        for (agreement_id, key), row in rows_by_key.items():
            if agreement_id == agreement.pk and key not in seen:
                result.append(_obligation_row(agreement, row))
    return sorted(result, key=lambda r: (r.due_date, r.agreement_slug, r.kind))


def _duty_row(agreement, duty, row):
    return DutyRow(
        agreement_slug=agreement.slug,
        agreement_name=agreement.short_name,
        kind=str(duty.kind),
        title=duty.title,
        owed_by=str(duty.owed_by),
        nominal_date=duty.nominal_date,
        due_date=duty.due_date,
        flag=duty.flag,
        section=duty.section,
        quote=duty.quote,
        status=row.get_status_display().lower() if row else NOT_TRACKED,
        obligation_id=row.pk if row else None,
        officer=str(row.officer) if row and row.officer else "",
    )


def _obligation_row(agreement, row):
    flag = row.holiday or ("weekend" if row.is_weekend else "")
    return DutyRow(
        agreement_slug=agreement.slug,
        agreement_name=agreement.short_name,
        kind=row.kind,
        title=row.title,
        owed_by=row.owed_by,
        nominal_date=row.nominal_date,
        due_date=row.due_date,
        flag=flag,
        section=row.section,
        quote=row.quote,
        status=row.get_status_display().lower(),
        obligation_id=row.pk,
        officer=str(row.officer) if row.officer else "",
    )
