"""Agreements in and out of default, for the examiners' reports' tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import (
    make_agreement,
    make_party,
    make_security,
    make_terms,
    with_guarantor,
)
from trustee import workflows as flows
from trustee.models import TermCitation

NEW_YORK = ZoneInfo("America/New_York")


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=NEW_YORK))


def guarantee(name, *, guarantor=None, **security):
    agreement = make_agreement(short_name=name)
    terms = make_terms(agreement)
    # The section the calendar cites for each List of Holders (§2.2(a), as in both demos).
    TermCitation.objects.create(terms=terms, term="holder_list_dates", section="2.2(a)")
    guarantor = guarantor or f"{name} Parent, Inc."
    with_guarantor(agreement, make_party(name=guarantor, short_name=guarantor[:20]))
    make_security(agreement, **security)
    return agreement


def payment_default(agreement, *, on, by, today=None, text="The distribution was not paid."):
    return flows.default_record(
        agreement=agreement,
        occurred_on=on,
        is_payment_default=True,
        description=text,
        by=by,
        today=today or on,
    )


def role_user(role, *, staff=True):
    user = get_user_model().objects.create_user(
        f"{role.lower().replace(' ', '-')}-{staff}",
        first_name="Ann",
        last_name=role.title(),
        is_staff=staff,
    )
    user.groups.add(Group.objects.get(name=role))
    return user
