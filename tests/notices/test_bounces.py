"""Bounces that come back after the SMTP server accepted a message: read from the bounce
mailbox, matched to the delivery by Message-ID, shown among the notice's failures."""

import io
import mailbox

import pytest
from django.core.management import call_command

from holders.models import Holder
from notices.bounces import bounce_read, bounces_record
from notices.models import Delivery
from notices.workflows import notice_approve
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows
from tests.notices.test_delivery import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_list(security):
    holder_list, _ = imported(security, HEADER + rows(50))  # the security's whole amount
    for holder in Holder.objects.filter(holder_list=holder_list)[:5]:
        holder.email = f"holder{holder.row_number}@holders.example"
        holder.save(update_fields=["email"])
    return holder_list


@pytest.fixture
def maker_checker():
    return make_officer("maker"), make_officer("checker")


def dsn(message_id, *, action="failed", status="5.1.1", diagnostic="smtp; 550 5.1.1 no user"):
    """A delivery status notification as a mail server writes one (RFC 3464)."""
    return (
        "From: MAILER-DAEMON@holders.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.holders.example\r\n\r\n"
        "Final-Recipient: rfc822; holder3@holders.example\r\n"
        f"Action: {action}\r\nStatus: {status}\r\nDiagnostic-Code: {diagnostic}\r\n\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: Notice of default\r\n\r\n"
        "--b1--\r\n"
    ).encode()


def test_a_bounce_marks_its_delivery_and_shows_for_the_officer(
    security,
    mail_list,
    maker_checker,
    admin_client,
):
    notice = draft(security, maker_checker[0])
    notice_approve(notice_id=notice.pk, by=maker_checker[1].user)
    delivery = Delivery.objects.filter(notice=notice, channel="email").first()
    Delivery.objects.filter(pk=delivery.pk).update(state="sent")
    counts = bounces_record([dsn(delivery.message_id), dsn(delivery.message_id)])
    assert counts == {"bounced": 1, "not_ours": 0, "already": 1, "unknown": 0}
    delivery.refresh_from_db()
    assert delivery.state == "bounced" and "5.1.1" in delivery.last_error
    page = admin_client.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert "550 5.1.1 no user" in page and "1 bounced" in page


def test_what_is_not_a_failure_of_ours_is_left_alone():
    assert bounce_read(b"From: a@b\r\nSubject: hello\r\n\r\nnot a report") is None
    assert bounce_read(dsn("<someone-else@elsewhere.example>")) is None
    assert bounce_read(dsn("<" + "a" * 40 + "@trustdesk.local>", action="delayed")) is None
    bounce = bounce_read(dsn("<" + "b" * 40 + "@trustdesk.local>", status="4.2.2"))
    assert bounce.key == "b" * 40 and not bounce.permanent


def test_the_command_reads_a_mailbox(tmp_path, security, mail_list, maker_checker):
    notice = draft(security, maker_checker[0])
    notice_approve(notice_id=notice.pk, by=maker_checker[1].user)
    delivery = Delivery.objects.filter(notice=notice, channel="email").first()
    box = mailbox.mbox(tmp_path / "bounces")
    box.add(dsn(delivery.message_id))
    box.add(b"From: a@b\r\nSubject: hello\r\n\r\nnot a report")
    box.flush()
    out = io.StringIO()
    call_command("record_bounces", str(tmp_path / "bounces"), stdout=out)
    assert out.getvalue().startswith("1 bounced") and "1 not bounces" in out.getvalue()
