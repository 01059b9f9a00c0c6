"""Thin Celery tasks of the notices app, all on the mail queue (config/queues.py)."""

from celery import shared_task
from django.db import DatabaseError

from notices import mailing, sending
from notices.models import Delivery

CHUNK = 500


@shared_task(ignore_result=True)
def dispatch_notice(notice_id):
    """Fan an approved notice's e-mails out to send tasks, CHUNK deliveries each."""
    ids = list(
        Delivery.objects.filter(
            notice_id=notice_id, channel=Delivery.Channel.EMAIL, state=Delivery.State.QUEUED
        ).values_list("pk", flat=True)
    )
    _enqueue(ids)


@shared_task(ignore_result=True)
def send_deliveries(delivery_ids):
    # No task-level retry: each delivery records its own retry time, and the sweep
    # re-enqueues it then. A task lost with its worker is found by the same sweep.
    sending.send_deliveries(delivery_ids)


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=30,
    retry_backoff_max=900,
    max_retries=6,
)
def prepare_letters(notice_id):
    # A full disk or a lost database connection is worth another try soon; anything else waits
    # for the sweep (mailing.LETTERS_STUCK_AFTER), its error shown on the notice meanwhile.
    mailing.letters_prepare(notice_id=notice_id)


@shared_task(ignore_result=True)
def sweep_deliveries():
    _enqueue(sending.due_for_sending(), mark=False)
    # Letters whose task was lost (broker down at approval, worker killed) are found here too:
    # one sweep, already on beat's schedule, for everything the mail queue owes.
    for notice_id in mailing.letters_requeue_stale():
        prepare_letters.delay(notice_id)


def _enqueue(ids, mark=True):
    # Marked a chunk at a time, each just before its task goes: the first task starts after
    # one small UPDATE rather than after one over every delivery of the notice.
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if mark:
            sending.mark_enqueued(chunk)
        send_deliveries.delay(chunk)
