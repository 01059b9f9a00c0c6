"""Notices approved by a second officer, delivered exactly once, counted at a real SMTP server."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from holders.models import Holder
from notices import sending
from notices.models import Delivery, Notice
from notices.workflows import (
    NoticeRefused,
    deliveries_resend_failed,
    notice_approve,
    notice_create,
)
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows
from tests.notices.helpers import approved_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_list(security):
    holder_list, _ = imported(security, HEADER + rows(50))
    # Thirty holders have an e-mail address; every holder gets a letter.
    for holder in Holder.objects.filter(holder_list=holder_list).order_by("row_number")[:30]:
        holder.email = f"holder{holder.row_number}@holders.example"
        holder.save(update_fields=["email"])
    return holder_list


@pytest.fixture
def officers():
    return make_officer("maker"), make_officer("checker")


def draft(security, maker):
    return notice_create(
        kind="default_notice",
        agreement=security.agreement,
        security=security,
        title="Failure to pay distributions",
        details="The Guarantor did not make the Guarantee Payment due March 1, 2026.",
        by=maker.user,
    )


def send_all():
    return sending.send_deliveries(
        list(Delivery.objects.filter(channel="email").values_list("pk", flat=True))
    )


def test_approval_creates_one_delivery_per_recipient_and_channel(security, record_list, officers):
    maker, checker = officers
    notice = draft(security, maker)
    with pytest.raises(NoticeRefused, match="cannot approve it"):
        notice_approve(notice_id=notice.pk, by=maker.user)
    notice_approve(notice_id=notice.pk, by=checker.user)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED and notice.holder_list == record_list
    deliveries = Delivery.objects.filter(notice=notice)
    assert deliveries.filter(channel="email").count() == 30
    assert deliveries.filter(channel="letter").count() == 50
    assert deliveries.values("key").distinct().count() == 80
    with pytest.raises(NoticeRefused, match="approved"):
        notice_approve(notice_id=notice.pk, by=checker.user)


def test_only_a_responsible_officer_approves(security, record_list, officers):
    notice = draft(security, officers[0])
    clerk = make_officer("clerk", responsible=False)
    with pytest.raises(NoticeRefused, match="Responsible Officer"):
        notice_approve(notice_id=notice.pk, by=clerk.user)
    assert not Delivery.objects.exists()


def test_every_holder_with_an_address_gets_exactly_one_email(
    security, record_list, officers, smtp_server
):
    notice = draft(security, officers[0])
    notice_approve(notice_id=notice.pk, by=officers[1].user)
    assert send_all() == {"sent": 30, "retry": 0, "failed": 0, "skipped": 0}
    assert send_all()["sent"] == 0  # a duplicated or redelivered task sends nothing
    ids = smtp_server.message_ids()
    keys = set(Delivery.objects.filter(channel="email").values_list("key", flat=True))
    assert len(ids) == len(set(ids)) == 30
    assert {i.strip("<>").split("@")[0] for i in ids} == keys
    recipients = sorted(r[0] for r, _ in smtp_server.messages)
    assert recipients[0].endswith("@holders.example")
    _, message = smtp_server.messages[0]
    assert "Notice of default" in message["Subject"] and notice.reference in message["Subject"]
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "did not make the Guarantee Payment" in text and "Section 2.7(a)" in text
    assert (
        Delivery.objects.filter(channel="email", state="sent", sent_at__isnull=False).count() == 30
    )


def test_a_temporary_refusal_is_retried_and_a_permanent_one_is_shown(
    security, record_list, officers, smtp_server, settings
):
    settings.TRUSTDESK_MAIL_RETRY_BASE_SECONDS = 1
    notice = draft(security, officers[0])
    notice_approve(notice_id=notice.pk, by=officers[1].user)
    smtp_server.refusals = ["451 4.3.0 Mailbox busy, try later", "550 5.1.1 No such user"]
    result = send_all()
    assert result == {"sent": 28, "retry": 1, "failed": 1, "skipped": 0}
    failed = Delivery.objects.get(state="failed")
    assert "550" in failed.last_error
    waiting = Delivery.objects.get(channel="email", state="queued")
    assert "451" in waiting.last_error and waiting.next_attempt_at > timezone.now()

    later = timezone.now() + timedelta(minutes=5)
    due = sending.due_for_sending(now=later)
    assert due == [waiting.pk]
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    assert sending.send_deliveries(due)["sent"] == 1
    assert deliveries_resend_failed(notice_id=notice.pk, by=officers[1].user) == 1
    assert send_all()["sent"] == 1
    assert len(set(smtp_server.message_ids())) == 30


def test_a_delivery_stuck_in_sending_is_requeued_with_the_same_message_id(
    security, record_list, officers, smtp_server, settings
):
    notice = draft(security, officers[0])
    notice_approve(notice_id=notice.pk, by=officers[1].user)
    stuck = Delivery.objects.filter(channel="email").first()
    claimed_long_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=stuck.pk).update(state="sending", claimed_at=claimed_long_ago)
    ids = sending.due_for_sending()
    assert stuck.pk in ids and len(ids) == 30
    assert sending.due_for_sending() == []  # already handed to a task
    sending.send_deliveries(ids)
    assert f"<{stuck.key}@trustdesk.local>" in smtp_server.message_ids()


def test_content_is_frozen_at_approval(security, record_list, officers, smtp_server, settings):
    notice = draft(security, officers[0])
    notice_approve(notice_id=notice.pk, by=officers[1].user)
    notice.refresh_from_db()
    assert "Notice of default" in notice.frozen_subject
    # Whatever the template files say later, the frozen text is what goes out.
    Notice.objects.filter(pk=notice.pk).update(
        frozen_subject=notice.frozen_subject.replace("Notice of default", "NOTICE OF DEFAULT")
    )
    send_all()
    assert all("NOTICE OF DEFAULT" in m["Subject"] for _, m in smtp_server.messages)


def test_an_unreachable_server_leaves_everything_queued_for_retry(
    security, record_list, officers, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    notice = draft(security, officers[0])
    notice_approve(notice_id=notice.pk, by=officers[1].user)
    result = send_all()
    assert result["retry"] == 30 and result["sent"] == 0
    assert Delivery.objects.filter(channel="email", state="queued", attempts=1).count() == 30


@pytest.mark.postgres
def test_the_keys_made_in_sql_at_approval_are_the_documented_sha256(security):
    # On PostgreSQL the approval computes the holders' keys in SQL; the Message-IDs, and the
    # idempotency of every resend, rest on them being _key's: the first 40 hex digits of
    # SHA-256("notice:reference:channel:holder").
    notice = approved_notice(security, 5)
    deliveries = Delivery.objects.filter(notice=notice).order_by("pk")
    assert deliveries.count() == 10  # an e-mail and a letter to each of the 5 holders
    for delivery in deliveries:
        raw = f"{notice.pk}:{notice.reference}:{delivery.channel}:{delivery.holder_id}"
        assert delivery.key == hashlib.sha256(raw.encode()).hexdigest()[:40]
