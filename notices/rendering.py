"""Rendering a notice for one recipient from its frozen templates and frozen context."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.template import Context, Engine, Template
from django.template.loader import get_template
from django.utils.html import escape

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


# -- many recipients of one notice ------------------------------------------------------------

# Stand-ins for the recipient's values: letters and digits only, so that escaping leaves them
# as they are, and two different pairs, so that a template that transforms the values (a
# filter, a condition on them) is noticed and rendered in full instead.
_STAND_INS = (
    {"name": "Qz7RecipientNameA7zQ", "address": "Qz7RecipientAddressA7zQ"},
    # Unlike the first from the first letter and in length and case: a filter that cuts,
    # changes case or measures the value gives two renderings that differ.
    {"name": "wx4holder4xw", "address": "wx4somewhere4xw"},
)
# Every this many recipients one is also rendered in full and compared, the first included.
CHECK_EVERY = 100


class RecipientRenderer:
    """render() for the many recipients of one notice, at the cost of a string replacement.

    Most templates use the recipient's name and address as they are: each part is rendered
    once with stand-ins, and each recipient's text is that rendering with the stand-ins
    replaced (escaped as the template would for HTML). A part that does anything else with
    them is rendered in full for every recipient. The first recipient and every hundredth are
    also rendered in full and compared; a difference turns the shortcut off for the notice.
    """

    def __init__(self, notice, parts):
        self.notice, self.parts = notice, tuple(parts)
        self.rendered = 0
        first, second = (render(notice, stand_in, parts=self.parts) for stand_in in _STAND_INS)
        self.shapes = {}
        for name in self.parts:
            a, b = first[name], second[name]
            swapped = a
            for key in ("name", "address"):
                swapped = swapped.replace(_STAND_INS[0][key], _STAND_INS[1][key])
            if swapped == b:
                self.shapes[name] = a

    def __call__(self, recipient: dict) -> dict:
        self.rendered += 1
        if len(self.shapes) < len(self.parts) or self.rendered % CHECK_EVERY == 1:
            full = render(self.notice, recipient, parts=self.parts)
            checking = self.shapes and self.rendered % CHECK_EVERY == 1
            if checking and self._fill(recipient, self.shapes) != {n: full[n] for n in self.shapes}:
                self.shapes = {}  # the template does more with the values than show them
            return full
        return self._fill(recipient, self.parts)

    def _fill(self, recipient, names) -> dict:
        out = {}
        for name in names:
            text = self.shapes[name]
            for key in ("name", "address"):
                value = str(recipient.get(key, ""))
                text = text.replace(_STAND_INS[0][key], escape(value) if name == "html" else value)
            out[name] = " ".join(text.split()) if name == "subject" else text
        return out
