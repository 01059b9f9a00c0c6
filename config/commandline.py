"""Small helpers shared by the management commands."""

from datetime import date

from django.core.management.base import CommandError


def iso_date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or a CommandError that says how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date; write it as YYYY-MM-DD.") from None
