"""An approved notice delivered by a real Celery worker over Redis, counted at the SMTP server."""

import time

import pytest

from notices.models import Delivery
from tests.holders.helpers import HEADER, imported, rows
from tests.notices.helpers import default_notice_approved


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_every_email_once(security, smtp_server, monkeypatch, request):
    # The worker is another process: it reaches the same SMTP server through EMAIL_URL.
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{smtp_server.port}")
    holder_list, _ = imported(security, HEADER + rows(50))
    from holders.models import Holder

    for holder in Holder.objects.filter(holder_list=holder_list):
        holder.email = f"h{holder.row_number}@holders.example"
        holder.save(update_fields=["email"])
    request.getfixturevalue("worker")  # started only now, with EMAIL_URL in its environment
    default_notice_approved(security, "The March 1 distribution was not paid.")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if Delivery.objects.filter(channel="email", state="sent").count() == 50:
            break
        time.sleep(0.3)
    ids = smtp_server.message_ids()
    assert Delivery.objects.filter(channel="email", state="sent").count() == 50
    assert len(ids) == len(set(ids)) == 50
