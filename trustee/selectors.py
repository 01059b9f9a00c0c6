"""Reads shaped for display: what the admin and reports show of an agreement."""

from dataclasses import dataclass

from trustee.models import AgreementTerms
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
        return f"{value.normalize()}%"
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
                label=terms._meta.get_field(name).verbose_name.capitalize(),
                value=value,
                section=citation.section if citation else "—",
                quote=citation.quote if citation else "",
            )
        )
    return rows
