"""Rendering a notice for one recipient from its frozen templates and frozen context."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.template import Context, Engine, Template
from django.template.loader import get_template

from notices.kinds import TEMPLATE_PARTS

_DATE = "__date__"


def template_sources(kind) -> dict[str, str]:
    """The current template files of a kind, as text to freeze into an approved notice."""
    sources = {}
    for part in TEMPLATE_PARTS:
        template = get_template(f"{kind.template_dir}/{part}")
        sources[part] = template.template.source
    return sources


def freeze(value):
    """Context values as JSON: dates marked so that `thaw` gives back date objects."""
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def thaw(value):
    if isinstance(value, dict):
        if set(value) == {_DATE}:
            return date.fromisoformat(value[_DATE])
        return {key: thaw(item) for key, item in value.items()}
    return value


@lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    # One compile per frozen template and process: a 100,000-recipient notice renders the
    # same four templates 100,000 times.
    return Engine.get_default().from_string(source)


def render(notice, recipient: dict, parts=("subject", "text", "html", "letter")) -> dict:
    """Subject, text, html and letter (or the `parts` asked for) for one recipient."""
    context = {**thaw(notice.frozen_context), "recipient": recipient}
    sources = {
        "subject": (notice.frozen_subject, False),
        "text": (notice.frozen_text, False),
        "html": (notice.frozen_html, True),
        "letter": (notice.frozen_letter, False),
    }
    rendered = {
        name: _compiled(source).render(Context(context, autoescape=escape))
        for name, (source, escape) in sources.items()
        if name in parts
    }
    if "subject" in rendered:
        rendered["subject"] = " ".join(rendered["subject"].split())
    return rendered
