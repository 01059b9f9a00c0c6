"""Thin Celery tasks of the notices app, all on the mail queue (config/queues.py)."""

from celery import shared_task

from notices import sending
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


@shared_task(ignore_result=True)
def sweep_deliveries():
    _enqueue(sending.due_for_sending(), mark=False)


def _enqueue(ids, mark=True):
    if mark:
        sending.mark_enqueued(ids)
    for start in range(0, len(ids), CHUNK):
        send_deliveries.delay(ids[start : start + CHUNK])
