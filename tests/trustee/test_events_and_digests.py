"""Clocks that run from recorded events, and the officers' daily digest."""

from datetime import date, timedelta

import pytest
from django.core import mail

from tests.factories import make_agreement, make_officer, make_terms
from trustee import digests
from trustee import obligation_rules as rules
from trustee.models import AgreementEvent, DigestDispatch, Obligation, OfficerAssignment
from trustee.obligations import TransitionRefused, event_record, materialize

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def recorder():
    return make_officer("recorder").user


def record(agreement, by, kind="default", **values):
    values.setdefault("occurred_on", date(2026, 11, 2))
    values.setdefault("description", "Covenant default")
    return event_record(agreement=agreement, kind=kind, by=by, today=TODAY, **values)


def test_a_non_payment_default_starts_the_notice_and_cure_clocks(recorder):
    agreement = make_agreement()
    make_terms(agreement)  # notice 90 days from occurrence; cure 60 days from notice
    event = record(agreement, recorder, notice_received_on=date(2026, 11, 5))
    clocks = {o.kind: o for o in event.obligations.all()}
    assert clocks["default_notice"].due_date == date(2027, 1, 31)
    assert clocks["default_notice"].owed_by == "trustee"
    assert clocks["cure_period_end"].due_date == date(2027, 1, 4)
    assert clocks["default_notice"].key == f"default_notice:{event.pk}"


def test_a_payment_default_has_no_cure_period(recorder):
    agreement = make_agreement()
    make_terms(agreement, default_notice_days=30)
    event = record(agreement, recorder, is_payment_default=True)
    assert list(event.obligations.values_list("kind", "due_date")) == [
        ("default_notice", date(2026, 12, 2))
    ]


def test_a_clock_needing_a_date_not_given_is_refused_and_nothing_is_written(recorder):
    agreement = make_agreement()
    make_terms(agreement)  # cure runs from the Guarantor's receipt of notice
    with pytest.raises(TransitionRefused, match="Guarantor received"):
        record(agreement, recorder)
    assert not AgreementEvent.objects.exists()
    assert not Obligation.objects.exists()


def test_a_missing_term_is_named(recorder):
    agreement = make_agreement()
    make_terms(agreement, successor_days=None, successor_runs_from="")
    with pytest.raises(TransitionRefused, match="successor_days"):
        record(agreement, recorder, kind="resignation")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"occurred_on": TODAY + timedelta(days=1)}, "occurred_on"),
        ({"known_on": date(2026, 10, 1)}, "known_on"),
        ({"notice_received_on": TODAY + timedelta(days=3)}, "notice_received_on"),
    ],
)
def test_impossible_event_dates_are_refused(recorder, values, field):
    agreement = make_agreement()
    make_terms(agreement)
    with pytest.raises(TransitionRefused) as caught:
        record(agreement, recorder, **values)
    assert field in caught.value.message_dict


def test_other_events_start_their_own_clocks(recorder):
    agreement = make_agreement()
    make_terms(agreement)
    on = date(2026, 11, 13)  # a Friday
    conflict = record(agreement, recorder, kind="conflicting_interest", occurred_on=on)
    assert sorted(conflict.obligations.values_list("kind", "due_date")) == [
        ("conflict_elimination", on + timedelta(days=90)),
        ("conflict_notice", on + timedelta(days=100)),
    ]
    resignation = record(agreement, recorder, kind="resignation", occurred_on=on)
    assert resignation.obligations.get().due_date == on + timedelta(days=60)
    application = record(agreement, recorder, kind="holder_application", occurred_on=on)
    # 5 business days after Fri Nov 13: Mon 16 ... Fri 20, no holiday in between.
    assert application.obligations.get().due_date == date(2026, 11, 20)
    request = record(agreement, recorder, kind="list_requested", occurred_on=on)
    assert request.obligations.get().due_date == on + timedelta(days=30)


# -- the daily digest --------------------------------------------------------------------


@pytest.fixture
def busy_officer():
    officer = make_officer("busy")
    officer.user.email = "busy@bank.example"
    officer.user.save()
    agreement = make_agreement(short_name="Busy Capital Guarantee")
    make_terms(agreement)
    OfficerAssignment.objects.create(agreement=agreement, officer=officer, role="primary")
    # Feb 15, 2027 is due soon from Jan 16 (30 days' lead); Aug 15 is upcoming.
    materialize(today=date(2027, 1, 20))
    return officer


def test_the_digest_lists_due_soon_and_overdue_once_a_day(busy_officer):
    Obligation.objects.filter(key="holder_list:2027-08-15").update(status=rules.OVERDUE)
    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["busy@bank.example"]
    assert "1 overdue, 1 due soon" in message.subject
    assert "Busy Capital Guarantee: List of Holders" in message.body
    assert "Mon 15 Feb 2027" in message.body
    assert message.extra_headers["Message-ID"] == f"<digest-{busy_officer.pk}-20270120@trustdesk>"
    html = message.alternatives[0][0]
    assert "Overdue (1)" in html

    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 0
    assert len(mail.outbox) == 1
    assert DigestDispatch.objects.get().obligation_count == 2
    assert digests.send_daily_digests(today=date(2027, 1, 21)) == 1


def test_an_officer_with_nothing_due_gets_no_digest(busy_officer):
    Obligation.objects.update(status=rules.UPCOMING)
    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 0
    assert mail.outbox == []


def test_a_failed_send_is_recorded_and_retried_later_but_not_at_once(busy_officer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 0
    dispatch = DigestDispatch.objects.get()
    assert dispatch.sent_at is None and "ConnectionRefusedError" in dispatch.error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 0  # claimed moments ago
    later = dispatch.claimed_at + digests.RETRY_AFTER + timedelta(seconds=1)
    assert digests.send_daily_digests(today=date(2027, 1, 20), now=later) == 1
    dispatch.refresh_from_db()
    assert dispatch.sent_at is not None and dispatch.error == ""
    assert len(mail.outbox) == 1


def test_an_officer_without_email_is_recorded_not_crashed(busy_officer):
    busy_officer.user.email = ""
    busy_officer.user.save()
    assert digests.send_daily_digests(today=date(2027, 1, 20)) == 0
    assert "no e-mail address" in DigestDispatch.objects.get().error
