"""Drill: Redis (the broker) killed with SIGKILL in the middle of an e-mail fan-out and started
again empty a second later.

Redis here keeps nothing on disk, so every task it held (queued, and taken but not yet
acknowledged) is lost with it. The drill proves that the work is nevertheless finished from
the database alone: the delivery sweep (notices.tasks.sweep_deliveries, which beat runs every
minute) requeues the deliveries still queued or stuck, the worker reconnects to the restarted
broker by itself, every holder ends with exactly one distinct Message-ID at the SMTP server,
none missing, and a Message-ID arrives twice at most for a message in flight at the restart.

The drill runs its own redis-server on a free port: the shared one on 6379 is never touched.
"""

import time
from collections import Counter

import pytest

from holders.models import Holder
from notices.models import Delivery
from notices.tasks import sweep_deliveries
from tests.drills.conftest import celery_broker, start_worker, stop_worker
from tests.holders.helpers import imported
from tests.notices.helpers import default_notice_approved

RECIPIENTS = 1_500  # three send tasks of 500 (notices.tasks.CHUNK): two run, one waits
STUCK_SECONDS = 3
RATE = 120  # messages a second per worker process: the fan-out lasts about six seconds


def holders_csv(count):
    lines = ["Name,Address,City,State,Zip,Email,Amount"]
    lines += [
        f"Holder {i},{i} Main Street,Hartford,CT,06{i % 1000:03d},h{i}@holders.example,1"
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


def sent():
    return Delivery.objects.filter(channel="email", state="sent").count()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_restarted_broker_loses_no_e_mail_and_repeats_at_most_the_messages_in_flight(
    security, smtp_server, own_redis, worker_media_root, role_groups, settings, capsys, tmp_path
):
    settings.TRUSTDESK_MAIL_STUCK_SECONDS = STUCK_SECONDS
    security.aggregate_amount = security.amount_outstanding = RECIPIENTS
    security.unit_amount = 1
    security.save()
    holder_list, _ = imported(security, holders_csv(RECIPIENTS))
    assert Holder.objects.filter(holder_list=holder_list).count() == RECIPIENTS

    started = time.monotonic()
    worker = start_worker(
        own_redis.url,
        queues="mail,default",
        env={
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
            "TRUSTDESK_MAIL_STUCK_SECONDS": str(STUCK_SECONDS),
            "TRUSTDESK_MAIL_RATE_PER_SECOND": str(RATE),
        },
        name="redisdrill",
        log=tmp_path / "worker.log",
    )
    try:
        with celery_broker(own_redis.url):
            # Approved: on commit, dispatch_notice hands the deliveries to the worker.
            default_notice_approved(security, "The distribution was not paid.")
            deadline = time.monotonic() + 20
            while sent() < 200 and time.monotonic() < deadline:
                time.sleep(0.02)
            tasks_held = own_redis.keys()
            own_redis.kill()
            at_kill = sent()
            in_flight = Delivery.objects.filter(channel="email", state="sending").count()
            assert 0 < at_kill < RECIPIENTS - 500, "the restart must land in the middle"
            time.sleep(1.5)
            own_redis.start()
            assert own_redis.keys() == 0  # empty: every task it held is gone

            # What the lost tasks owed stays queued (or stuck in sending) in the database; the
            # sweep hands it out again once it is older than TRUSTDESK_MAIL_STUCK_SECONDS.
            time.sleep(STUCK_SECONDS + 1)
            owed_to_the_sweep = RECIPIENTS - sent()
            deadline = time.monotonic() + 45
            sweeps = 0
            while sent() < RECIPIENTS and time.monotonic() < deadline:
                sweep_deliveries.delay()  # what beat does every minute, here every second
                sweeps += 1
                time.sleep(1)
    finally:
        stop_worker(worker)

    keys = set(Delivery.objects.filter(channel="email").values_list("key", flat=True))
    counts = Counter(smtp_server.message_ids())
    received = {message_id.strip("<>").split("@")[0] for message_id in counts}
    repeated = sum(n - 1 for n in counts.values())
    states = Counter(Delivery.objects.filter(channel="email").values_list("state", flat=True))
    with capsys.disabled():
        print(
            f"\n  Redis killed after {at_kill:,} of {RECIPIENTS:,} sent ({tasks_held} keys in "
            f"Redis); {in_flight} in flight; {owed_to_the_sweep} left to the sweep; "
            f"{sweeps} sweep(s); {repeated} Message-ID(s) "
            f"received twice; {time.monotonic() - started:.1f} s"
        )
    # The third send task (500 deliveries) was waiting in Redis: only the sweep sends those.
    assert owed_to_the_sweep >= 500
    assert states == {"sent": RECIPIENTS}, states
    assert len(keys) == RECIPIENTS
    assert received == keys  # every holder, none missing, nothing else
    assert len(counts) == RECIPIENTS
    assert repeated <= in_flight
