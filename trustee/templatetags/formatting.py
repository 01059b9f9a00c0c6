"""How the desk pages write dates and amounts: "Mon 16 Feb 2026" with the ISO date on hover
(and in the markup, for machines and screen readers), amounts with thousands separators and
their currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

register = template.Library()

DEFAULT_CURRENCY = "USD"


def long_date_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


@register.filter
def longdate(value):
    """<time datetime="2026-02-16" title="2026-02-16">Mon 16 Feb 2026</time>; "—" for none."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    iso = value.isoformat()
    return format_html('<time datetime="{}" title="{}">{}</time>', iso, iso, long_date_text(value))


@register.filter
def money(value, currency=None):
    """ "USD 75,000,000.00": the currency is the security's where it has one, else USD."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{currency or DEFAULT_CURRENCY} {amount:,.2f}"


@register.filter
def security_money(security, field_name):
    """An amount field of a security in the security's currency (`currency` where the model
    has one)."""
    return money(getattr(security, field_name, None), getattr(security, "currency", None))
