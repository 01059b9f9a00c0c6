"""The fan-out's two shortcuts against the slow way they replace: the message bytes built by
notices.mime read back as what was written, and RecipientRenderer gives exactly what
rendering each recipient in full gives."""

import email
from email import policy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notices.mime import NotSendable, message_bytes
from notices.models import Notice
from notices.rendering import CHECK_EVERY, RecipientRenderer, render

TEXTS = st.text(st.characters(blacklist_categories=["Cs"]), max_size=400)


def parse(raw):
    return email.message_from_bytes(raw, policy=policy.default)


def crlf_free(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(subject=TEXTS.map(lambda s: " ".join(s.split())), text=TEXTS, html=TEXTS)
def test_a_message_reads_back_as_written(subject, text, html):
    raw = message_bytes(
        sender="trustdesk@bank.example",
        to="holder@example.com",
        subject=subject,
        text=text,
        html=html,
        message_id="<abc-1@trustdesk.local>",
    )
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    message = parse(raw)
    assert message["To"] == "holder@example.com"
    assert message["Message-ID"] == "<abc-1@trustdesk.local>"
    assert str(message["Subject"]) == subject
    plain = message.get_body(("plain",)).get_content()
    rich = message.get_body(("html",)).get_content()
    assert crlf_free(plain).rstrip("\n") == crlf_free(text).rstrip("\n")
    assert crlf_free(rich).rstrip("\n") == crlf_free(html).rstrip("\n")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Notice\r\nBcc: everyone@example.com"),
        ("to", "holder@example.com\nBcc: x@example.com"),
        ("to", "hölder@example.com"),
    ],
)
def test_a_header_it_cannot_write_safely_is_refused(field, value):
    values = {
        "sender": "trustdesk@bank.example",
        "to": "holder@example.com",
        "subject": "Notice",
        "text": "t",
        "html": "h",
        "message_id": "<m@x>",
        field: value,
    }
    with pytest.raises(NotSendable):
        message_bytes(**values)


def notice(subject, text, html):
    return Notice(
        reference="DN-2026-0001",
        frozen_subject=subject,
        frozen_text=text,
        frozen_html=html,
        frozen_letter="",
        frozen_context={"notice": {"reference": "DN-2026-0001"}},
    )


PLAIN = notice(
    "Notice {{ notice.reference }} to {{ recipient.name }}",
    "{% autoescape off %}Dear {{ recipient.name }}, of {{ recipient.address }}.{% endautoescape %}",
    "<p>Dear {{ recipient.name }}, of {{ recipient.address }}.</p>",
)
NAMES = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)


@given(recipients=st.lists(st.fixed_dictionaries({"name": NAMES, "address": NAMES}), max_size=30))
def test_the_shortcut_gives_what_rendering_in_full_gives(recipients):
    renderer = RecipientRenderer(PLAIN, ("subject", "text", "html"))
    assert set(renderer.shapes) == {"subject", "text", "html"}
    for recipient in [{"name": 'O\'Brien & <Sons> "Ltd"', "address": "1 A St"}, *recipients]:
        assert renderer(recipient) == render(PLAIN, recipient, parts=("subject", "text", "html"))


def test_a_template_that_transforms_the_values_is_rendered_in_full():
    shouting = notice(
        "To {{ recipient.name|upper }}",
        "{{ recipient.name|truncatechars:5 }}",
        "{% if recipient.name %}<b>{{ recipient.name }}</b>{% endif %}",
    )
    renderer = RecipientRenderer(shouting, ("subject", "text", "html"))
    assert set(renderer.shapes) == {"html"}  # only the one that shows the value as it is
    recipient = {"name": "Jane Holder", "address": "x"}
    assert renderer(recipient) == render(shouting, recipient, parts=("subject", "text", "html"))


def test_a_condition_on_one_value_is_caught_by_the_full_rendering_it_is_checked_against():
    sneaky = notice(
        "S",
        "{% if recipient.name == 'Cede & Co.' %}DTC{% else %}{{ recipient.name }}{% endif %}",
        "h",
    )
    renderer = RecipientRenderer(sneaky, ("subject", "text", "html"))
    assert "text" in renderer.shapes  # the stand-ins cannot tell
    for _ in range(CHECK_EVERY):
        renderer({"name": "Jane", "address": "x"})
    # The next check falls on this recipient: the difference switches the shortcut off.
    cede = {"name": "Cede & Co.", "address": "x"}
    assert renderer(cede)["text"] == "DTC"
    assert renderer.shapes == {}
    assert renderer(cede)["text"] == "DTC"
