"""A worker killed with SIGKILL in the middle of a 5,000-recipient fan-out, then started again.

Every holder must end with exactly one distinct Message-ID at the SMTP server, none missing;
a Message-ID may arrive twice only for a message in flight at the kill (accepted by the server
but not yet recorded as sent), so the repeats are at most the deliveries caught in "sending".
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from holders.models import Holder
from notices.models import Delivery
from notices.tasks import sweep_deliveries
from tests.conftest import ROOT, _database_url
from tests.holders.helpers import imported
from tests.notices.helpers import default_notice_approved

RECIPIENTS = 5_000


def holders_csv(count):
    lines = ["Name,Address,City,State,Zip,Email,Amount"]
    lines += [
        f"Holder {i},{i} Main Street,Hartford,CT,06{i % 1000:03d},h{i}@holders.example,1"
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


def start_worker(smtp_port):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "TRUSTDESK_MAIL_STUCK_SECONDS": "3",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "mail,default",
            "-c",
            "2",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "killme@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def sent():
    return Delivery.objects.filter(channel="email", state="sent").count()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_repeats_at_most_the_message_in_flight(
    security, smtp_server, settings, capsys
):
    settings.TRUSTDESK_MAIL_STUCK_SECONDS = 3
    security.aggregate_amount = security.amount_outstanding = RECIPIENTS
    security.unit_amount = 1
    security.save()
    holder_list, _ = imported(security, holders_csv(RECIPIENTS))
    assert Holder.objects.filter(holder_list=holder_list).count() == RECIPIENTS
    worker = start_worker(smtp_server.port)
    try:
        default_notice_approved(security, "The distribution was not paid.")
        deadline = time.monotonic() + 120
        while sent() < 1_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        in_flight = Delivery.objects.filter(channel="email", state="sending").count()
        at_kill = sent()
        assert 0 < at_kill < RECIPIENTS, "the kill must land in the middle of the fan-out"

        worker = start_worker(smtp_server.port)
        time.sleep(settings.TRUSTDESK_MAIL_STUCK_SECONDS + 1)
        deadline = time.monotonic() + 180
        while sent() < RECIPIENTS and time.monotonic() < deadline:
            sweep_deliveries.delay()  # what beat does every minute, here every second
            time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    keys = set(Delivery.objects.filter(channel="email").values_list("key", flat=True))
    counts = Counter(smtp_server.message_ids())
    received = {message_id.strip("<>").split("@")[0] for message_id in counts}
    repeated = sum(n - 1 for n in counts.values())
    with capsys.disabled():
        print(
            f"\n  killed after {at_kill:,} of {RECIPIENTS:,} sent; {in_flight} in flight; "
            f"{repeated} Message-ID(s) received twice"
        )
    assert sent() == RECIPIENTS
    assert received == keys  # every holder, none missing, nothing else
    assert repeated <= in_flight
